using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SpatialAudio.Drivers.Geometry;

namespace SpatialAudio.Drivers.Devices;

/// <summary>Reads, validates and writes <c>device.json</c> (schema in shared/DESIGN.md).</summary>
/// <remarks>
/// Every problem is reported as a <see cref="DeviceFileException"/> naming the file and the JSON field. Unknown
/// properties are rejected so that a typo (<c>diameter</c> for <c>diameter_m</c>) cannot silently fall back to a default.
/// </remarks>
public static partial class DeviceFile
{
    /// <summary>The file name inside a device folder.</summary>
    public const string FileName = "device.json";

    /// <summary>Smallest plausible diaphragm diameter in meters (a 5 mm MEMS speaker).</summary>
    public const double MinDiameterMeters = 0.005;

    /// <summary>Largest plausible diaphragm diameter in meters (a 20-inch woofer).</summary>
    public const double MaxDiameterMeters = 0.55;

    /// <summary>No coordinate may lie farther from the device origin than this, in meters.</summary>
    public const double MaxCoordinateMeters = 5.0;

    /// <summary>Loads <c>device.json</c> from a device folder or a direct file path.</summary>
    /// <param name="path">A device folder or the JSON file itself.</param>
    /// <returns>The validated device.</returns>
    /// <exception cref="FileNotFoundException">Neither the folder nor the file exists.</exception>
    /// <exception cref="DeviceFileException">The file is not a valid device description.</exception>
    public static DeviceDescription Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        if (!File.Exists(file))
        {
            throw new FileNotFoundException(
                Directory.Exists(path) ? $"Device folder '{path}' has no {FileName}." : $"Device file '{path}' does not exist.",
                file);
        }

        var text = File.ReadAllText(file);
        return Parse(text, file, Path.GetDirectoryName(Path.GetFullPath(file)));
    }

    /// <summary>Parses and validates device JSON.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="displayPath">The name used in error messages.</param>
    /// <param name="folder">Folder that measurement paths are relative to; null to skip the existence check.</param>
    /// <returns>The validated device.</returns>
    /// <exception cref="DeviceFileException">The JSON is malformed or a field is invalid.</exception>
    public static DeviceDescription Parse(string json, string displayPath, string? folder)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(displayPath);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new DeviceFileException(displayPath, string.Empty,
                $"not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {ex.Message}", ex);
        }

        using (document)
        {
            var reader = new Reader(displayPath);
            var device = reader.ReadDevice(document.RootElement, folder);
            Validate(device, displayPath);
            return device;
        }
    }

    /// <summary>Checks the cross-field rules: unique ids, no coincident drivers, probe drivers that exist.</summary>
    /// <param name="device">The device.</param>
    /// <param name="displayPath">The name used in error messages.</param>
    /// <exception cref="DeviceFileException">A rule is broken.</exception>
    public static void Validate(DeviceDescription device, string displayPath)
    {
        ArgumentNullException.ThrowIfNull(device);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < device.Drivers.Count; i++)
        {
            if (!ids.Add(device.Drivers[i].Id))
            {
                throw new DeviceFileException(displayPath, $"drivers[{i}].id", $"duplicate driver id '{device.Drivers[i].Id}'");
            }
        }

        for (var i = 0; i < device.Drivers.Count; i++)
        {
            for (var j = i + 1; j < device.Drivers.Count; j++)
            {
                var a = device.Drivers[i];
                var b = device.Drivers[j];
                var distance = Vector3D.Distance(a.PositionMeters, b.PositionMeters);

                // Diaphragm centers closer than the larger radius would put one driver inside the other.
                var minimum = Math.Max(a.DiameterMeters, b.DiameterMeters) / 2;
                if (distance < minimum)
                {
                    throw new DeviceFileException(displayPath, $"drivers[{j}].position_m",
                        $"driver '{b.Id}' is {distance * 1000:0.#} mm from '{a.Id}', closer than the larger radius " +
                        $"({minimum * 1000:0.#} mm): drivers cannot coincide");
                }
            }
        }

        var micIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < device.Microphones.Count; i++)
        {
            if (!micIds.Add(device.Microphones[i].Id))
            {
                throw new DeviceFileException(displayPath, $"sensing.mics[{i}].id", $"duplicate microphone id '{device.Microphones[i].Id}'");
            }
        }

        for (var i = 0; i < device.ProbeDriverIds.Count; i++)
        {
            if (!ids.Contains(device.ProbeDriverIds[i]))
            {
                throw new DeviceFileException(displayPath, $"sensing.probe_drivers[{i}]",
                    $"no driver has id '{device.ProbeDriverIds[i]}' (known: {string.Join(", ", ids)})");
            }
        }
    }

    /// <summary>Checks what the spatial presets need beyond a valid file: at least two drivers that are not woofers.</summary>
    /// <param name="device">The device.</param>
    /// <param name="displayPath">The name used in error messages.</param>
    /// <exception cref="DeviceFileException">The device cannot render the spatial presets.</exception>
    public static void ValidateForSpatial(DeviceDescription device, string displayPath)
    {
        ArgumentNullException.ThrowIfNull(device);
        var steerable = device.Drivers.Count(d => d.Role != DriverRole.Woofer);
        if (steerable < 2)
        {
            throw new DeviceFileException(displayPath, "drivers",
                $"spatial presets need at least 2 mid or tweeter drivers to steer; this device has {steerable}");
        }
    }

    /// <summary>Writes a device to <paramref name="path"/> (a folder gets <c>device.json</c>), atomically.</summary>
    /// <param name="device">The device; validated before anything is written.</param>
    /// <param name="path">Target folder or file.</param>
    public static void Save(DeviceDescription device, string path)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        Validate(device, file);
        var temp = file + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            using (var stream = File.Create(temp))
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                Write(device, writer);
            }

            File.Move(temp, file, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static void Write(DeviceDescription device, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("name", device.Name);
        writer.WriteNumber("sample_rate_hz", device.SampleRateHz);
        writer.WriteStartArray("drivers");
        foreach (var driver in device.Drivers)
        {
            writer.WriteStartObject();
            writer.WriteString("id", driver.Id);
            writer.WriteString("role", driver.Role.ToString().ToLowerInvariant());
            WritePosition(writer, driver.PositionMeters);
            writer.WriteStartObject("axis");
            writer.WriteNumber("azimuth_deg", driver.AxisAzimuthDeg);
            writer.WriteNumber("elevation_deg", driver.AxisElevationDeg);
            writer.WriteEndObject();
            writer.WriteNumber("diameter_m", driver.DiameterMeters);
            if (driver.MeasurementPath is not null)
            {
                writer.WriteString("measurement", driver.MeasurementPath);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject("sensing");
        writer.WriteStartArray("probe_drivers");
        foreach (var id in device.ProbeDriverIds)
        {
            writer.WriteStringValue(id);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("mics");
        foreach (var mic in device.Microphones)
        {
            writer.WriteStartObject();
            writer.WriteString("id", mic.Id);
            WritePosition(writer, mic.PositionMeters);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WritePosition(Utf8JsonWriter writer, Vector3D position)
    {
        writer.WriteStartArray("position_m");
        writer.WriteNumberValue(position.X);
        writer.WriteNumberValue(position.Y);
        writer.WriteNumberValue(position.Z);
        writer.WriteEndArray();
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex IdPattern();

    /// <summary>Field-by-field reader that knows the JSON path it is at, for error messages.</summary>
    private sealed class Reader(string file)
    {
        public DeviceDescription ReadDevice(JsonElement root, string? folder)
        {
            RequireKind(root, JsonValueKind.Object, string.Empty, "the top level must be a JSON object");
            RejectUnknown(root, string.Empty, "name", "sample_rate_hz", "drivers", "sensing", "description");
            var name = RequireString(root, "name", string.Empty);
            var sampleRate = RequireNumber(root, "sample_rate_hz", string.Empty);
            if (sampleRate != Math.Floor(sampleRate) || sampleRate < 8000 || sampleRate > 384000)
            {
                throw Error("sample_rate_hz", $"must be a whole number of Hz in 8000..384000, got {sampleRate.ToString(CultureInfo.InvariantCulture)}");
            }

            var driversElement = Require(root, "drivers", string.Empty);
            RequireKind(driversElement, JsonValueKind.Array, "drivers", "must be an array of drivers");
            var drivers = new List<DriverDescription>();
            var index = 0;
            foreach (var item in driversElement.EnumerateArray())
            {
                drivers.Add(ReadDriver(item, $"drivers[{index}]", folder));
                index++;
            }

            if (drivers.Count == 0)
            {
                throw Error("drivers", "a device needs at least one driver");
            }

            var probes = new List<string>();
            var mics = new List<MicrophoneDescription>();
            if (root.TryGetProperty("sensing", out var sensing))
            {
                RequireKind(sensing, JsonValueKind.Object, "sensing", "must be an object");
                RejectUnknown(sensing, "sensing", "probe_drivers", "mics");
                if (sensing.TryGetProperty("probe_drivers", out var probeElement))
                {
                    RequireKind(probeElement, JsonValueKind.Array, "sensing.probe_drivers", "must be an array of driver ids");
                    var i = 0;
                    foreach (var probe in probeElement.EnumerateArray())
                    {
                        RequireKind(probe, JsonValueKind.String, $"sensing.probe_drivers[{i}]", "must be a driver id string");
                        probes.Add(probe.GetString()!);
                        i++;
                    }
                }

                if (sensing.TryGetProperty("mics", out var micsElement))
                {
                    RequireKind(micsElement, JsonValueKind.Array, "sensing.mics", "must be an array of microphones");
                    var i = 0;
                    foreach (var mic in micsElement.EnumerateArray())
                    {
                        var at = $"sensing.mics[{i}]";
                        RequireKind(mic, JsonValueKind.Object, at, "must be an object with id and position_m");
                        RejectUnknown(mic, at, "id", "position_m");
                        mics.Add(new MicrophoneDescription(ReadId(mic, at), ReadPosition(mic, at)));
                        i++;
                    }
                }
            }

            return new DeviceDescription(name, (int)sampleRate, drivers, probes, mics);
        }

        private DriverDescription ReadDriver(JsonElement element, string at, string? folder)
        {
            RequireKind(element, JsonValueKind.Object, at, "must be an object");
            RejectUnknown(element, at, "id", "role", "position_m", "axis", "diameter_m", "measurement", "description");
            var id = ReadId(element, at);
            var roleText = RequireString(element, "role", at);
            DriverRole role = roleText switch
            {
                "woofer" => DriverRole.Woofer,
                "mid" => DriverRole.Mid,
                "tweeter" => DriverRole.Tweeter,
                _ => throw Error($"{at}.role", $"must be woofer, mid or tweeter, got '{roleText}'"),
            };
            var position = ReadPosition(element, at);
            var axis = Require(element, "axis", at);
            RequireKind(axis, JsonValueKind.Object, $"{at}.axis", "must be an object with azimuth_deg and elevation_deg");
            RejectUnknown(axis, $"{at}.axis", "azimuth_deg", "elevation_deg");
            var azimuth = RequireNumber(axis, "azimuth_deg", $"{at}.axis");
            if (azimuth < -360 || azimuth > 360)
            {
                throw Error($"{at}.axis.azimuth_deg", $"must be in -360..360 degrees, got {azimuth.ToString(CultureInfo.InvariantCulture)}");
            }

            var elevation = RequireNumber(axis, "elevation_deg", $"{at}.axis");
            if (elevation < -90 || elevation > 90)
            {
                throw Error($"{at}.axis.elevation_deg", $"must be in -90..90 degrees, got {elevation.ToString(CultureInfo.InvariantCulture)}");
            }

            var diameter = RequireNumber(element, "diameter_m", at);
            if (diameter < MinDiameterMeters || diameter > MaxDiameterMeters)
            {
                throw Error($"{at}.diameter_m",
                    $"must be {MinDiameterMeters}..{MaxDiameterMeters} m, got {diameter.ToString(CultureInfo.InvariantCulture)} (is it in mm?)");
            }

            string? measurement = null;
            if (element.TryGetProperty("measurement", out var measurementElement) && measurementElement.ValueKind != JsonValueKind.Null)
            {
                RequireKind(measurementElement, JsonValueKind.String, $"{at}.measurement", "must be a path string");
                measurement = measurementElement.GetString()!;
                if (folder is not null && !File.Exists(Path.Combine(folder, measurement)))
                {
                    throw Error($"{at}.measurement", $"file '{Path.Combine(folder, measurement)}' does not exist");
                }
            }

            return new DriverDescription(id, role, position, azimuth, elevation, diameter, measurement);
        }

        private string ReadId(JsonElement element, string at)
        {
            var id = RequireString(element, "id", at);
            if (!IdPattern().IsMatch(id))
            {
                throw Error($"{at}.id", $"'{id}' is not a valid id (1..64 letters, digits, '_', '-', '.')");
            }

            return id;
        }

        private Vector3D ReadPosition(JsonElement element, string at)
        {
            var field = $"{at}.position_m";
            var position = Require(element, "position_m", at);
            if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() != 3)
            {
                throw Error(field, "must be an array of 3 numbers [x, y, z] in meters");
            }

            var values = new double[3];
            var i = 0;
            foreach (var value in position.EnumerateArray())
            {
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out values[i]) || !double.IsFinite(values[i]))
                {
                    throw Error(field, $"component {i} must be a finite number");
                }

                if (Math.Abs(values[i]) > MaxCoordinateMeters)
                {
                    throw Error(field, $"component {i} is {values[i].ToString(CultureInfo.InvariantCulture)} m, farther than {MaxCoordinateMeters} m from the device origin (is it in mm?)");
                }

                i++;
            }

            return new Vector3D(values[0], values[1], values[2]);
        }

        private JsonElement Require(JsonElement element, string name, string at)
        {
            if (!element.TryGetProperty(name, out var value))
            {
                throw Error(Join(at, name), "is required");
            }

            return value;
        }

        private string RequireString(JsonElement element, string name, string at)
        {
            var value = Require(element, name, at);
            if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            {
                throw Error(Join(at, name), "must be a non-empty string");
            }

            return value.GetString()!;
        }

        private double RequireNumber(JsonElement element, string name, string at)
        {
            var value = Require(element, name, at);
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
            {
                throw Error(Join(at, name), "must be a finite number");
            }

            return number;
        }

        private void RequireKind(JsonElement element, JsonValueKind kind, string at, string problem)
        {
            if (element.ValueKind != kind)
            {
                throw Error(at, problem);
            }
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

        private DeviceFileException Error(string field, string problem) => new(file, field, problem);

        private static string Join(string at, string name) => at.Length == 0 ? name : $"{at}.{name}";
    }
}
