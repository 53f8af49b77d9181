using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Heads;
using SpatialAudio.Drivers.Rooms;
using SpatialAudio.Drivers.Measurements;
using SpatialAudio.Drivers.Paths;
using SpatialAudio.Filters.Audio;
using SpatialAudio.Filters.Loudness;
using SpatialAudio.Filters.Wav;
using SpatialAudio.Spatial.Binaural;
using SpatialAudio.Spatial.Design;
using SpatialAudio.Spatial.RenderMatrices;
using SpatialAudio.Spatial.Rendering;
using Spectre.Console;

namespace SpatialAudio.Cli.Commands;

/// <summary><c>spatial render IN.wav OUT.wav --device DIR</c>: stereo in, one WAV channel per driver out.</summary>
internal static class RenderCommand
{
    public static Command Create(CliIo io)
    {
        var input = new Argument<string>("input") { Description = "Stereo WAV to render." };
        var output = new Argument<string>("output") { Description = "N-channel WAV, one channel per driver in device order (float32, WAVE_FORMAT_EXTENSIBLE)." };
        var device = new Option<string>("--device") { Description = "Device folder (device.json + measurements).", Required = true };
        var design = new Option<string?>("--design") { Description = "Folder written by `spatial design`; default: designed on the fly and cached." };
        var preset = new Option<string>("--preset") { Description = "spatial | ctc | matrix | bypass.", DefaultValueFactory = _ => "spatial" };
        var block = new Option<int>("--block") { Description = "Processing block in frames (latency vs CPU), power of two 32..4096.", DefaultValueFactory = _ => 256 };
        var gain = new Option<double>("--gain") { Description = "Master gain, dB.", DefaultValueFactory = _ => 0.0 };
        var binaural = new Option<string?>("--binaural") { Description = "Also write what a listener would hear over headphones (measured KEMAR HRTFs) to this stereo WAV." };
        var listener = new Option<string>("--listener") { Description = "Listener head position x,y,z in meters, device frame (default 2,0,0: on axis at 2 m).", DefaultValueFactory = _ => "2,0,0" };
        var room = new Option<string?>("--room") { Description = "With --binaural: auralize in a shoebox room L,W,H (m); the device stands 0.5 m from the x = 0 wall, centred, 1 m high, facing +x." };
        var absorption = new Option<double>("--absorption") { Description = "With --room: absorption coefficient of every surface, 0.01..0.99.", DefaultValueFactory = _ => 0.25 };
        var ultrasound = new Option<bool>("--ultrasound") { Description = "Output at 96 kHz with the ultrasonic sensing probe on the device's probe drivers (music given headroom for it)." };
        var carrier = new Option<double>("--carrier") { Description = "Probe carrier, Hz (32000..46000).", DefaultValueFactory = _ => 38000.0 };
        var probeLevel = new Option<double>("--probe-level") { Description = "Probe peak level, dBFS (the detector is trained for the default).", DefaultValueFactory = _ => Spatial.Sensing.Probe.ProbeGenerator.DefaultLevelDbfs };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var command = new Command("render", "Render a stereo WAV through a device's render matrix: one output channel per driver.")
        {
            input, output, device, design, preset, block, gain, binaural, listener, room, absorption, ultrasound, carrier, probeLevel, json,
        };
        command.SetAction(result =>
        {
            var io2 = io;
            var inputPath = result.GetValue(input)!;
            var outputPath = result.GetValue(output)!;
            CommonOptions.RequireFile(inputPath, "Input");
            CommonOptions.RequireDistinct(inputPath, outputPath);
            var binauralPath = result.GetValue(binaural);
            if (binauralPath is not null)
            {
                CommonOptions.RequireDistinct(inputPath, binauralPath);
                CommonOptions.RequireDistinct(outputPath, binauralPath);
            }

            var acoustics = LoadDevice(result.GetValue(device)!);
            var roomSettings = result.GetValue(room) is { } roomText ? ParseRoom(roomText, result.GetValue(absorption)) : null;
            if (roomSettings is not null && binauralPath is null)
            {
                throw new CliException("--room describes the room of the headphone preview: give --binaural too.");
            }

            ProbeSettings? probe = null;
            if (result.GetValue(ultrasound))
            {
                if (binauralPath is not null)
                {
                    throw new CliException("--binaural and --ultrasound cannot be combined (the headphone preview is of the music at the device rate).");
                }

                if (acoustics.Device.ProbeDriverIds.Count == 0)
                {
                    throw new CliException($"device '{acoustics.Device.Name}' has no sensing.probe_drivers: nothing can emit the probe.");
                }

                probe = new ProbeSettings(result.GetValue(carrier), result.GetValue(probeLevel));
            }

            var matrix = LoadPreset(io2, result.GetValue(device)!, result.GetValue(design), result.GetValue(preset)!, acoustics);
            var summary = Render(io2, inputPath, outputPath, matrix, acoustics, new RendererOptions { BlockSize = result.GetValue(block), GainDb = result.GetValue(gain) },
                binauralPath, ParseListener(result.GetValue(listener)!), probe, roomSettings);
            if (result.GetValue(json))
            {
                io2.Out.WriteLine(JsonSerializer.Serialize(summary, JsonOutput.Indented));
            }
            else
            {
                Print(io2, summary);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The room of <c>--room</c>: the shoebox and where the device stands in it.</summary>
    internal sealed record RoomSettings(ShoeboxRoom Room, RoomPlacement Placement);

    private static RoomSettings ParseRoom(string text, double absorption)
    {
        var parts = text.Split(',');
        if (parts.Length != 3 || !parts.All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v is >= 2 and <= 50))
        {
            throw new CliException($"--room {text}: expected L,W,H in meters, each 2..50, e.g. 5,4,2.7.");
        }

        if (!(absorption is >= 0.01 and <= 0.99))
        {
            throw new CliException($"--absorption {absorption}: must lie in 0.01..0.99.");
        }

        var size = parts.Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var room = new ShoeboxRoom(new Vector3D(size[0], size[1], size[2]), AbsorptionSpectrum.Uniform(absorption));
        return new RoomSettings(room, new RoomPlacement(new Vector3D(0.5, size[1] / 2, 1.0), 0));
    }

    /// <summary>The ultrasonic probe of <c>--ultrasound</c>.</summary>
    internal sealed record ProbeSettings(double CarrierHz, double LevelDbfs)
    {
        /// <summary>Output rate with the probe on.</summary>
        public const int SampleRateHz = 96000;
    }

    /// <summary>What one render did.</summary>
    internal sealed record RenderSummary(
        string Output, string Preset, double DurationSeconds, double RealTimeFactor, double LatencyMs, int BlockSize, int SampleRateHz, double? ProbeCarrierHz,
        string[] Drivers, double[] PeakDbfs, double[] LoudnessLufs, double LimiterMaxReductionDb, long NonFiniteInputSamples, string? Binaural);

    internal static DeviceAcoustics LoadDevice(string deviceFolder)
    {
        var path = Directory.Exists(deviceFolder) ? Path.Combine(deviceFolder, MeasuredDevice.DeviceFileName) : deviceFolder;
        if (!File.Exists(path))
        {
            throw new CliException($"{path}: device description not found (give a device folder with device.json, e.g. measurements/studio5).");
        }

        var device = DeviceFile.Load(path);
        return MeasuredDevice.Load(path, device.SampleRateHz);
    }

    /// <summary>The preset from <paramref name="designFolder"/>, or from the cached on-the-fly design of the device.</summary>
    internal static RenderMatrix LoadPreset(CliIo io, string deviceFolder, string? designFolder, string preset, DeviceAcoustics acoustics)
    {
        if (!RenderMatrixDesigner.PresetNames.Contains(preset))
        {
            throw new CliException($"--preset {preset}: expected one of {string.Join(", ", RenderMatrixDesigner.PresetNames)}.");
        }

        designFolder ??= CachedDesign(io, deviceFolder);
        var matrix = RenderMatrix.Load(Path.Combine(designFolder, preset));
        if (!matrix.DriverIds.SequenceEqual(acoustics.Device.Drivers.Select(d => d.Id)) || matrix.SampleRateHz != acoustics.Device.SampleRateHz)
        {
            throw new CliException($"{Path.Combine(designFolder, preset)}: render matrix is for drivers [{string.Join(", ", matrix.DriverIds)}] at {matrix.SampleRateHz} Hz, the device has [{string.Join(", ", acoustics.Device.Drivers.Select(d => d.Id))}] at {acoustics.Device.SampleRateHz} Hz.");
        }

        return matrix;
    }

    /// <summary>
    /// The device's design folder in the user cache (<c>$XDG_CACHE_HOME/spatialaudio/designs</c>), designed now when the
    /// device description or its measurements changed (key: hash of device.json and the measurement files' sizes and times).
    /// </summary>
    internal static string CachedDesign(CliIo io, string deviceFolder)
    {
        var devicePath = Directory.Exists(deviceFolder) ? Path.Combine(deviceFolder, MeasuredDevice.DeviceFileName) : deviceFolder;
        var folder = Path.GetDirectoryName(Path.GetFullPath(devicePath))!;
        var key = new StringBuilder(File.ReadAllText(devicePath));
        foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(file);
            key.Append(CultureInfo.InvariantCulture, $"|{info.Name}:{info.Length}:{info.LastWriteTimeUtc.Ticks}");
        }

        key.Append("|designer-v1");
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..16].ToLowerInvariant();
        var cacheRoot = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        var cached = Path.Combine(cacheRoot, "spatialaudio", "designs", $"{Path.GetFileName(folder)}-{hash}");
        if (!File.Exists(Path.Combine(cached, "spatial", RenderMatrix.DescriptionFileName)))
        {
            io.Error.WriteLine($"No design given: designing {Path.GetFileName(folder)} once, cached in {cached}");
            DesignCommand.DesignInto(io, devicePath, cached, new DesignOptions(), force: true);
        }

        return cached;
    }

    internal static Vector3D ParseListener(string text)
    {
        var parts = text.Split(',');
        if (parts.Length != 3 || !parts.All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            throw new CliException($"--listener {text}: expected x,y,z in meters, e.g. 2,0,0.");
        }

        var v = parts.Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return new Vector3D(v[0], v[1], v[2]);
    }

    /// <summary>Streams <paramref name="inputPath"/> through the renderer into <paramref name="outputPath"/> (and the binaural preview).</summary>
    internal static RenderSummary Render(CliIo io, string inputPath, string outputPath, RenderMatrix matrix, DeviceAcoustics acoustics,
        RendererOptions options, string? binauralPath, Vector3D listener, ProbeSettings? probe = null, RoomSettings? room = null)
    {
        using var reader = WavReader.Open(inputPath);
        if (reader.Format.Channels != 2)
        {
            throw new CliException($"{inputPath}: {reader.Format.Channels} channel(s); the renderer needs a stereo file.");
        }

        Spatial.Sensing.Probe.ProbeGenerator[] probes = [];
        int[] probeChannels = [];
        if (probe is not null)
        {
            try
            {
                probes = [.. acoustics.Device.ProbeDriverIds.Select(_ => new Spatial.Sensing.Probe.ProbeGenerator(ProbeSettings.SampleRateHz, probe.CarrierHz, probe.LevelDbfs) { Enabled = true })];
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new CliException($"--carrier/--probe-level: {e.Message}");
            }

            probeChannels = [.. acoustics.Device.ProbeDriverIds.Select(acoustics.Device.IndexOf)];

            // Headroom: the music's limiter ceiling leaves room for the probe, plus 2 dB for the 48 -> 96 kHz
            // conversion's inter-sample peaks, so music + probe stay below the ceiling.
            var musicCeiling = (Math.Pow(10, options.CeilingDb / 20) - probes[0].Amplitude) * Math.Pow(10, -2.0 / 20);
            options = options with { CeilingDb = 20 * Math.Log10(musicCeiling) };
        }

        var renderer = new SpatialRenderer(reader, matrix, options, new Spatial.Upmix.LrcUpmixer(matrix.SampleRateHz));
        ISampleSource stream = probe is null ? renderer : new Filters.Resampling.ResamplingSampleSource(renderer, ProbeSettings.SampleRateHz);
        var drivers = renderer.Format.Channels;
        var rate = stream.Format.SampleRateHz;
        var probeBuffer = new float[options.BlockSize];
        BinauralAuralizer? auralizer = null;
        WavWriter? ears = null;
        if (binauralPath is not null)
        {
            var kemar = RenderMatrixDesigner.TryKemar(rate)
                ?? throw new CliException($"--binaural needs the measured KEMAR HRTFs: {SofaHeadModel.DebianKemarPath} not found (apt-get install libmysofa1).");
            var pose = ListenerPose.FacingDevice(listener);
            if (room is null)
            {
                auralizer = new BinauralAuralizer(acoustics, pose, kemar, rate, options.BlockSize);
            }
            else
            {
                double[][][] responses = [];
                try
                {
                    io.WithProgress("Room responses (image sources to order 2 + diffuse tail)", _ =>
                        responses = RoomEarResponses.Build(acoustics, room.Room, room.Placement, pose, kemar, rate));
                }
                catch (ArgumentException e)
                {
                    throw new CliException($"--room: {e.Message.Split(" (Parameter", 2)[0]}.");
                }

                auralizer = new BinauralAuralizer(responses, options.BlockSize);
            }
        }

        var frames = options.BlockSize;
        var interleaved = new float[frames * drivers];
        var planar = new float[frames * drivers];
        var earPlanar = new float[2 * frames];
        var earInterleaved = new float[2 * frames];
        var peak = new float[drivers];
        var meters = Enumerable.Range(0, drivers).Select(_ => new LoudnessMeter(rate, 1)).ToArray();
        var mono = new float[frames];
        var expected = (reader.FileFormat.FrameCount ?? 0) * (double)rate / reader.Format.SampleRateHz;
        var minGain = 1.0;
        long written = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            io.WithProgress($"Rendering {Path.GetFileName(inputPath)} ({matrix.Preset})", progress =>
            {
                using var writer = WavWriter.Create(outputPath, stream.Format, WavEncoding.IeeeFloat32);
                ears = binauralPath is null ? null : WavWriter.Create(binauralPath, new AudioFormat(rate, 2), WavEncoding.IeeeFloat32);
                int read;
                while ((read = stream.Read(interleaved)) > 0)
                {
                    var count = read / drivers;
                    for (var p = 0; p < probes.Length; p++)
                    {
                        probes[p].WriteTo(probeBuffer.AsSpan(0, count));
                        for (var n = 0; n < count; n++)
                        {
                            interleaved[(n * drivers) + probeChannels[p]] += probeBuffer[n];
                        }
                    }

                    writer.Write(interleaved.AsSpan(0, read));
                    for (var d = 0; d < drivers; d++)
                    {
                        for (var n = 0; n < count; n++)
                        {
                            var v = interleaved[(n * drivers) + d];
                            mono[n] = v;
                            peak[d] = MathF.Max(peak[d], MathF.Abs(v));
                        }

                        meters[d].ProcessInterleaved(mono.AsSpan(0, count));
                    }

                    if (auralizer is not null)
                    {
                        interleaved.AsSpan(read).Clear();
                        Interleaving.Deinterleave(interleaved, drivers, planar);
                        auralizer.Process(planar, earPlanar);
                        Interleaving.Interleave(earPlanar, 2, earInterleaved);
                        ears!.Write(earInterleaved.AsSpan(0, 2 * count));
                    }

                    minGain = Math.Min(minGain, renderer.TakeLimiterMinimumGain());
                    written += count;
                    progress(expected > 0 ? Math.Min(1, written / expected) : 0);
                }

                if (auralizer is not null)
                {
                    // Flush the acoustic tail (propagation delay + ear responses) into the headphone preview.
                    Array.Clear(planar);
                    for (var flushed = 0; flushed < auralizer.ImpulseLength; flushed += frames)
                    {
                        auralizer.Process(planar, earPlanar);
                        Interleaving.Interleave(earPlanar, 2, earInterleaved);
                        ears!.Write(earInterleaved);
                    }
                }

                writer.Complete();
                ears?.Complete();
            });
        }
        finally
        {
            ears?.Dispose();
        }

        var elapsed = clock.Elapsed.TotalSeconds;
        var duration = written / (double)rate;
        return new RenderSummary(
            outputPath, matrix.Preset, Math.Round(duration, 3), Math.Round(duration / Math.Max(elapsed, 1e-9), 1), Math.Round(renderer.LatencySeconds * 1000, 2), options.BlockSize,
            rate, probe?.CarrierHz,
            [.. matrix.DriverIds], [.. peak.Select(p => Math.Round(20 * Math.Log10(Math.Max(p, 1e-10)), 2))],
            [.. meters.Select(m => double.IsFinite(m.IntegratedLoudness) ? Math.Round(m.IntegratedLoudness, 2) : -999)],
            Math.Round(Math.Max(0, -20 * Math.Log10(minGain)), 2), renderer.NonFiniteSamples, binauralPath);
    }

    internal static void Print(CliIo io, RenderSummary s)
    {
        var table = new Table().AddColumns("driver", "peak dBFS", "loudness LUFS");
        for (var d = 0; d < s.Drivers.Length; d++)
        {
            table.AddRow(s.Drivers[d], s.PeakDbfs[d].ToString("0.0", CultureInfo.InvariantCulture), s.LoudnessLufs[d].ToString("0.0", CultureInfo.InvariantCulture));
        }

        io.Console.Write(table);
        io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{s.Output}: preset {s.Preset}, {s.SampleRateHz} Hz{(s.ProbeCarrierHz is null ? "" : $" with the {s.ProbeCarrierHz:0} Hz probe")}, {s.DurationSeconds:0.00} s, {s.RealTimeFactor:0}x real time, latency {s.LatencyMs:0.0} ms (block {s.BlockSize}), limiter max reduction {s.LimiterMaxReductionDb:0.0} dB{(s.NonFiniteInputSamples > 0 ? $", {s.NonFiniteInputSamples} non-finite input samples silenced" : "")}{(s.Binaural is null ? "" : $"; headphone preview {s.Binaural}")}"));
    }
}
