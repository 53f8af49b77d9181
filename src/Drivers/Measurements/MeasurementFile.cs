using System.Globalization;
using System.Numerics;
using System.Text.Json;
using SpatialAudio.Filters.Wav;

namespace SpatialAudio.Drivers.Measurements;

/// <summary>Reads and writes a driver measurement set: a JSON sidecar listing WAV impulse responses or REW text exports
/// with their directions (format in <c>measurements/README.md</c>).</summary>
/// <remarks>
/// <para>Every problem is a <see cref="MeasurementFileException"/> naming the file and the JSON field: missing files,
/// channel counts that do not match the angle list, sample-rate mismatches, angles out of range, duplicate directions,
/// no on-axis direction, non-finite samples. Unknown properties are rejected so a typo cannot fall back to a default.</para>
/// <para>Normalization on import: amplitudes are multiplied by <c>distance_m</c> / 1 m (1/r law, to the 1 m reference);
/// when <c>delay_removed</c> is false the propagation delay <c>distance_m</c> / 343.2 m/s is added to the time zero
/// (impulse responses) or removed from the phase (REW exports).</para>
/// </remarks>
public static class MeasurementFile
{
    /// <summary>Speed of sound used to convert <c>distance_m</c> into a propagation delay, m/s (20 °C).</summary>
    public const double SpeedOfSoundMetersPerSecond = 343.2;

    /// <summary>Most channels one WAV file may hold.</summary>
    public const int MaxChannelsPerFile = 32;

    /// <summary>Loads and validates a sidecar and all the files it lists.</summary>
    /// <param name="sidecarPath">The JSON sidecar; data paths inside it are relative to its folder.</param>
    /// <returns>The measurement set, normalized to 1 m.</returns>
    /// <exception cref="MeasurementFileException">Anything is missing or invalid.</exception>
    public static DriverMeasurement Load(string sidecarPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(sidecarPath);
        if (!File.Exists(sidecarPath))
        {
            throw new MeasurementFileException(sidecarPath, string.Empty, "the measurement sidecar does not exist");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(sidecarPath),
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new MeasurementFileException(sidecarPath, string.Empty, $"not valid JSON (line {ex.LineNumber + 1}): {ex.Message}", ex);
        }

        using (document)
        {
            return new Reader(sidecarPath).Read(document.RootElement);
        }
    }

    /// <summary>Writes an impulse-response set as float32 WAV files of up to 32 channels plus its sidecar, at the 1 m
    /// reference with the delay removed.</summary>
    /// <param name="measurement">The set; every point must hold an impulse response, all of one length.</param>
    /// <param name="folder">Target folder (created if needed).</param>
    /// <param name="stem">File name stem: writes <c>stem.json</c> and <c>stem_1.wav</c>, <c>stem_2.wav</c>, ...</param>
    /// <returns>The sidecar path.</returns>
    public static string Save(DriverMeasurement measurement, string folder, string stem)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(stem);
        if (measurement.Points.Count == 0 || measurement.Points.Any(p => p.ImpulseResponse is null))
        {
            throw new ArgumentException("Only non-empty impulse-response sets can be saved.", nameof(measurement));
        }

        Directory.CreateDirectory(folder);
        var sidecar = Path.Combine(folder, stem + ".json");
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("driver", measurement.DriverId);
            writer.WriteNumber("sample_rate_hz", measurement.SampleRateHz);
            writer.WriteNumber("distance_m", 1.0);
            writer.WriteString("reference", "driver");
            writer.WriteBoolean("delay_removed", true);
            writer.WriteNumber("time_zero_sample", measurement.TimeZeroSample);
            writer.WriteString("format", "wav");
            writer.WriteStartArray("files");
            var fileIndex = 1;
            for (var start = 0; start < measurement.Points.Count; start += MaxChannelsPerFile, fileIndex++)
            {
                var count = Math.Min(MaxChannelsPerFile, measurement.Points.Count - start);
                var name = $"{stem}_{fileIndex}.wav";
                var channels = new float[count][];
                for (var c = 0; c < count; c++)
                {
                    channels[c] = measurement.Points[start + c].ImpulseResponse!;
                }

                WavFile.Write(Path.Combine(folder, name), measurement.SampleRateHz, channels, WavEncoding.IeeeFloat32);
                writer.WriteStartObject();
                writer.WriteString("path", name);
                writer.WriteStartArray("angles");
                for (var c = 0; c < count; c++)
                {
                    var angle = measurement.Points[start + c].Angle;
                    writer.WriteStartObject();
                    writer.WriteNumber("azimuth_deg", angle.AzimuthDeg);
                    writer.WriteNumber("elevation_deg", angle.ElevationDeg);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        File.WriteAllBytes(sidecar, stream.ToArray());
        return sidecar;
    }

    /// <summary>Parses one REW text export: lines of "frequency SPL phase" (Hz, dB, degrees), <c>*</c> comment lines.</summary>
    /// <param name="path">The export.</param>
    /// <param name="splReferenceDb">SPL that maps to linear magnitude 1.</param>
    /// <returns>Ascending frequencies and the complex response 10^((SPL - ref)/20) e^{i phase}.</returns>
    /// <exception cref="MeasurementFileException">A line is malformed, a value non-finite, or frequencies not ascending.</exception>
    public static (double[] FrequenciesHz, Complex[] Spectrum) ReadRewText(string path, double splReferenceDb = 0)
    {
        var frequencies = new List<double>();
        var spectrum = new List<Complex>();
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '*')
            {
                continue;
            }

            var parts = line.Split([' ', '\t', ',', ';'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3)
            {
                throw new MeasurementFileException(path, string.Empty, $"line {lineNumber}: expected 'frequency SPL phase', got '{line}'");
            }

            var values = new double[3];
            for (var i = 0; i < 3; i++)
            {
                if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                {
                    throw new MeasurementFileException(path, string.Empty, $"line {lineNumber}: '{parts[i]}' is not a finite number");
                }
            }

            if (values[0] <= 0 || (frequencies.Count > 0 && values[0] <= frequencies[^1]))
            {
                throw new MeasurementFileException(path, string.Empty, $"line {lineNumber}: frequencies must be positive and strictly ascending");
            }

            frequencies.Add(values[0]);
            spectrum.Add(Complex.FromPolarCoordinates(Math.Pow(10, (values[1] - splReferenceDb) / 20), values[2] * Math.PI / 180));
        }

        if (frequencies.Count < 2)
        {
            throw new MeasurementFileException(path, string.Empty, "needs at least two data lines");
        }

        return (frequencies.ToArray(), spectrum.ToArray());
    }

    private sealed class Reader(string sidecar)
    {
        private readonly string folder = Path.GetDirectoryName(Path.GetFullPath(sidecar))!;

        public DriverMeasurement Read(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Error(string.Empty, "the top level must be a JSON object");
            }

            RejectUnknown(root, string.Empty, "driver", "sample_rate_hz", "distance_m", "reference", "delay_removed",
                "time_zero_sample", "format", "spl_reference_db", "files", "description");
            var driver = RequireString(root, "driver");
            var rate = RequireNumber(root, "sample_rate_hz");
            if (rate != Math.Floor(rate) || rate < 1000 || rate > 768000)
            {
                throw Error("sample_rate_hz", $"must be a whole number of Hz in 1000..768000, got {Format(rate)}");
            }

            var sampleRate = (int)rate;
            var distance = RequireNumber(root, "distance_m");
            if (!(distance > 0) || distance > 100)
            {
                throw Error("distance_m", $"must be in (0, 100] m, got {Format(distance)}");
            }

            var reference = OptionalString(root, "reference") ?? "driver";
            if (reference != "driver")
            {
                throw Error("reference", $"only 'driver' (responses referenced to the driver center) is supported, got '{reference}'");
            }

            var delayRemoved = true;
            if (root.TryGetProperty("delay_removed", out var delayElement))
            {
                if (delayElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw Error("delay_removed", "must be true or false");
                }

                delayRemoved = delayElement.GetBoolean();
            }

            var timeZero = root.TryGetProperty("time_zero_sample", out _) ? RequireNumber(root, "time_zero_sample") : 0.0;
            if (timeZero < 0)
            {
                throw Error("time_zero_sample", $"must be at least 0, got {Format(timeZero)}");
            }

            var format = OptionalString(root, "format") ?? "wav";
            if (format is not ("wav" or "rew"))
            {
                throw Error("format", $"must be 'wav' or 'rew', got '{format}'");
            }

            var splReference = root.TryGetProperty("spl_reference_db", out _) ? RequireNumber(root, "spl_reference_db") : 0.0;
            if (!root.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array || files.GetArrayLength() == 0)
            {
                throw Error("files", "is required: a non-empty array of {path, angles}");
            }

            var delaySeconds = delayRemoved ? 0.0 : distance / SpeedOfSoundMetersPerSecond;
            if (format == "wav")
            {
                timeZero += delaySeconds * sampleRate;
            }

            var points = new List<MeasurementPoint>();
            var fields = new List<string>();
            var index = 0;
            foreach (var file in files.EnumerateArray())
            {
                var at = $"files[{index}]";
                if (file.ValueKind != JsonValueKind.Object)
                {
                    throw Error(at, "must be an object with path and angles");
                }

                RejectUnknown(file, at, "path", "angles");
                var relative = RequireString(file, "path", at);
                var path = Path.Combine(folder, relative);
                var angles = ReadAngles(file, at);
                if (!File.Exists(path))
                {
                    throw Error($"{at}.path", $"file '{path}' does not exist");
                }

                if (format == "wav")
                {
                    ReadWav(path, at, angles, sampleRate, distance, points);
                }
                else
                {
                    if (angles.Count != 1)
                    {
                        throw Error($"{at}.angles", $"a REW export holds one direction: list exactly 1 angle, got {angles.Count}");
                    }

                    var (frequencies, spectrum) = ReadRewText(path, splReference);
                    for (var k = 0; k < spectrum.Length; k++)
                    {
                        spectrum[k] *= distance * Complex.FromPolarCoordinates(1, 2 * Math.PI * frequencies[k] * delaySeconds);
                    }

                    points.Add(MeasurementPoint.FromSpectrum(angles[0], frequencies, spectrum));
                }

                for (var j = 0; j < angles.Count; j++)
                {
                    fields.Add($"{at}.angles[{j}]");
                }

                index++;
            }

            for (var i = 0; i < points.Count; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    if (points[i].Angle.SameDirection(points[j].Angle))
                    {
                        throw Error(fields[i], $"duplicate direction (azimuth {Format(points[i].Angle.AzimuthDeg)}, elevation " +
                            $"{Format(points[i].Angle.ElevationDeg)}) already given at {fields[j]}");
                    }
                }
            }

            var measurement = new DriverMeasurement(driver, sampleRate, format == "wav" ? timeZero : 0.0, points);
            if (measurement.OnAxis is null)
            {
                throw Error("files", "no on-axis measurement (azimuth 0, elevation 0): it is the reference every other direction is relative to");
            }

            return measurement;
        }

        private void ReadWav(string path, string at, List<MeasurementAngle> angles, int sampleRate, double distance, List<MeasurementPoint> points)
        {
            WavData data;
            try
            {
                data = WavFile.ReadAll(path);
            }
            catch (WavFormatException ex)
            {
                throw new MeasurementFileException(path, string.Empty, $"not a readable WAV file: {ex.Message}", ex);
            }

            if (data.Channels.Length != angles.Count)
            {
                throw Error($"{at}.angles", $"'{path}' has {data.Channels.Length} channel(s) but {angles.Count} angle(s) are listed: one angle per channel");
            }

            if (data.Format.SampleRateHz != sampleRate)
            {
                throw Error($"{at}.path", $"'{path}' is at {data.Format.SampleRateHz} Hz but sample_rate_hz says {sampleRate} Hz");
            }

            if (data.FrameCount == 0)
            {
                throw Error($"{at}.path", $"'{path}' holds no samples");
            }

            for (var c = 0; c < data.Channels.Length; c++)
            {
                var samples = data.Channels[c];
                for (var n = 0; n < samples.Length; n++)
                {
                    if (!float.IsFinite(samples[n]))
                    {
                        throw new MeasurementFileException(path, $"{at}.angles[{c}]", $"channel {c} sample {n} is {samples[n]}: impulse responses must be finite");
                    }

                    if (distance != 1.0)
                    {
                        samples[n] = (float)(samples[n] * distance);
                    }
                }

                points.Add(MeasurementPoint.FromImpulseResponse(angles[c], samples));
            }
        }

        private List<MeasurementAngle> ReadAngles(JsonElement file, string at)
        {
            if (!file.TryGetProperty("angles", out var angles) || angles.ValueKind != JsonValueKind.Array || angles.GetArrayLength() == 0)
            {
                throw Error($"{at}.angles", "is required: a non-empty array of {azimuth_deg, elevation_deg}, one per channel");
            }

            var result = new List<MeasurementAngle>();
            var j = 0;
            foreach (var angle in angles.EnumerateArray())
            {
                var angleAt = $"{at}.angles[{j}]";
                if (angle.ValueKind != JsonValueKind.Object)
                {
                    throw Error(angleAt, "must be an object with azimuth_deg and elevation_deg");
                }

                RejectUnknown(angle, angleAt, "azimuth_deg", "elevation_deg");
                var azimuth = RequireNumber(angle, "azimuth_deg", angleAt);
                if (Math.Abs(azimuth) > 180)
                {
                    throw Error($"{angleAt}.azimuth_deg", $"must be in -180..180 degrees, got {Format(azimuth)}");
                }

                var elevation = RequireNumber(angle, "elevation_deg", angleAt);
                if (Math.Abs(elevation) > 90)
                {
                    throw Error($"{angleAt}.elevation_deg", $"must be in -90..90 degrees, got {Format(elevation)}");
                }

                result.Add(new MeasurementAngle(azimuth, elevation));
                j++;
            }

            return result;
        }

        private string? OptionalString(JsonElement element, string name) =>
            element.TryGetProperty(name, out _) ? RequireString(element, name) : null;

        private string RequireString(JsonElement element, string name, string at = "")
        {
            if (!element.TryGetProperty(name, out var value))
            {
                throw Error(Join(at, name), "is required");
            }

            if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            {
                throw Error(Join(at, name), "must be a non-empty string");
            }

            return value.GetString()!;
        }

        private double RequireNumber(JsonElement element, string name, string at = "")
        {
            if (!element.TryGetProperty(name, out var value))
            {
                throw Error(Join(at, name), "is required");
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
            {
                throw Error(Join(at, name), "must be a finite number");
            }

            return number;
        }

        private void RejectUnknown(JsonElement element, string at, params string[] known)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (Array.IndexOf(known, property.Name) < 0)
                {
                    throw Error(Join(at, property.Name), $"unknown property (expected one of: {string.Join(", ", known)})");
                }
            }
        }

        private MeasurementFileException Error(string field, string problem) => new(sidecar, field, problem);

        private static string Join(string at, string name) => at.Length == 0 ? name : $"{at}.{name}";

        private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
