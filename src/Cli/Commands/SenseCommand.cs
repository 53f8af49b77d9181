using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SpatialAudio.Drivers.Devices;
using SpatialAudio.Filters.Audio;
using SpatialAudio.Filters.Fft;
using SpatialAudio.Filters.Wav;
using SpatialAudio.Spatial.Sensing.Calibration;
using SpatialAudio.Spatial.Sensing.Detection;
using SpatialAudio.Spatial.Sensing.Evaluation;
using SpatialAudio.Spatial.Sensing.FrontEnd;
using SpatialAudio.Spatial.Sensing.Pipeline;
using SpatialAudio.Spatial.Sensing.Probe;
using SpatialAudio.Spatial.Sensing.Simulation;

namespace SpatialAudio.Cli.Commands;

/// <summary>
/// <c>spatial sense MICS.wav</c> (presence events as JSON lines) and its tools: <c>simulate</c>, <c>train</c>, <c>evaluate</c>.
/// </summary>
internal static class SenseCommand
{
    /// <summary>Where the versioned detector lives, relative to the repository root.</summary>
    public const string DefaultModel = "models/sensing/detector.json";

    public static Command Create(CliIo io)
    {
        var input = new Argument<string?>("mics") { Description = "Microphone recording (one channel per microphone, >= 68 kHz, 96 kHz typical).", Arity = ArgumentArity.ZeroOrOne };
        var playback = new Option<string?>("--playback") { Description = "The playback reference (mono or stereo WAV, same rate and length): enables music-distortion cancellation." };
        var carrier = new Option<double?>("--carrier") { Description = "Probe carrier, Hz; found in the recording when not given." };
        var model = ModelOption();
        var int8 = new Option<bool>("--int8") { Description = "Run the int8-quantized detector." };
        var lowPower = new Option<bool>("--low-power") { Description = "Report the low-power emission schedule (emission on/off events)." };
        var (walkThreshold, minorThreshold, sensitiveThreshold) = ThresholdOptions();
        var command = new Command("sense", "Detect motion and presence from ultrasonic microphone recordings; JSON lines on stdout.")
        {
            input, playback, carrier, model, int8, lowPower, walkThreshold, minorThreshold, sensitiveThreshold,
        };
        command.Subcommands.Add(Simulate(io));
        command.Subcommands.Add(Train(io));
        command.Subcommands.Add(Evaluate(io));
        command.Subcommands.Add(Sweep(io));
        command.Subcommands.Add(Calibrate(io));
        command.Subcommands.Add(CalibrateScenes(io));
        command.Subcommands.Add(EnsembleModels(io));
        command.SetAction(result =>
        {
            var path = result.GetValue(input) ?? throw new CliException("give MICS.wav (or a subcommand: simulate, train, evaluate).");
            var detector = LoadModel(result.GetValue(model));
            var options = Thresholds(result.GetValue(walkThreshold), result.GetValue(minorThreshold), result.GetValue(sensitiveThreshold), detector.PresenceDefaults) with { LowPower = result.GetValue(lowPower) };
            return Sense(io, path, result.GetValue(playback), result.GetValue(carrier), detector, result.GetValue(int8), options);
        });
        return command;
    }

    // Motion onsets later than the start-up: without it every person appears in a scene's first 7 s.
    private static Option<double> LeadInOption(string purpose) => new("--lead-in")
    {
        Description = $"Longest still lead-in before the people in the labelled scenes, s (each scene draws its own, 0..this; 0 = onsets in the first seconds after start-up){purpose}.",
        DefaultValueFactory = _ => 0,
    };

    private static double LeadIn(ParseResult result, Option<double> option) =>
        result.GetValue(option) is var s && s >= 0 && s <= MaxLeadInSeconds ? s
            : throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--lead-in {result.GetValue(option)}: give 0..{MaxLeadInSeconds} s."));

    private const double MaxLeadInSeconds = 600;

    // The probe level of simulated scenes: what a device at another level would see (the detection range grows with it).
    private static Option<string> SongsOption() => new("--songs")
    {
        Description = "Music the simulated scenes play: demo (excerpts of the one demo clip, the scene sets' music) or varied (a synthesized song per scene: tempo, key, bass line, kick and arrangement drawn from its seed; music the detector never heard).",
        DefaultValueFactory = _ => "demo",
    };

    private static MusicSource Songs(ParseResult result, Option<string> option, bool orMixed = false) => result.GetValue(option)!.ToLowerInvariant() switch
    {
        "demo" => MusicSource.Demo,
        "varied" => MusicSource.Varied,
        var other => throw new CliException($"--songs {other}: use demo{(orMixed ? ", varied or mixed" : " or varied")}."),
    };

    private static Option<double> ProbeLevelOption() => new("--probe-level")
    {
        Description = string.Create(CultureInfo.InvariantCulture, $"Probe peak level of the simulated scenes, dBFS ({MinProbeLevelDbfs:0}..{MaxProbeLevelDbfs:0}; the scene sets use {Scene.DefaultProbeLevelDbfs:0})."),
        DefaultValueFactory = _ => Scene.DefaultProbeLevelDbfs,
    };

    private static double ProbeLevel(ParseResult result, Option<double> option) =>
        result.GetValue(option) is var level && level >= MinProbeLevelDbfs && level <= MaxProbeLevelDbfs ? level
            : throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"--probe-level {result.GetValue(option)}: give {MinProbeLevelDbfs:0}..{MaxProbeLevelDbfs:0} dBFS (the range self-calibration chooses from)."));

    private const double MinProbeLevelDbfs = -60, MaxProbeLevelDbfs = -6;

    private static Option<string?> ModelOption() => new("--model") { Description = $"Detector model (default: {DefaultModel} of this repository)." };

    private static int Sense(CliIo io, string path, string? playbackPath, double? carrierHz, DetectorModel model, bool int8, PresenceOptions options)
    {
        CommonOptions.RequireFile(path, "Recording");
        using var reader = WavReader.Open(path);
        var format = reader.Format;
        var rate = format.SampleRateHz;
        if (rate < 2 * (ProbeGenerator.MinCarrierHz + 2000))
        {
            throw new CliException($"{path}: {rate} Hz leaves no room for a carrier of {ProbeGenerator.MinCarrierHz:0} Hz or more; record at 96 kHz.");
        }

        WavReader? reference = null;
        if (playbackPath is not null)
        {
            CommonOptions.RequireFile(playbackPath, "Playback reference");
            reference = WavReader.Open(playbackPath);
            if (reference.Format.SampleRateHz != rate)
            {
                reference.Dispose();
                throw new CliException($"{playbackPath}: {reference.Format.SampleRateHz} Hz; the recording is at {rate} Hz (resample the reference first).");
            }

            var a = reader.FileFormat.FrameCount ?? 0;
            var b = reference.FileFormat.FrameCount ?? 0;
            if (Math.Abs(a - b) > rate / 10)
            {
                reference.Dispose();
                throw new CliException($"{playbackPath}: {b} frames; the recording has {a} (they must cover the same time).");
            }
        }

        using var referenceScope = reference;
        var carrier = carrierHz ?? FindCarrier(path);
        if (carrierHz is { } given && !(given >= ProbeGenerator.MinCarrierHz && given <= (rate / 2.0) - 2000))
        {
            throw new CliException($"--carrier {given:0}: must lie in {ProbeGenerator.MinCarrierHz:0}..{(rate / 2.0) - 2000:0} Hz at {rate} Hz.");
        }

        var mics = format.Channels;
        var pipeline = new SensingPipeline(rate, mics, carrier, model, reference is not null,
            options, useQuantized: int8);
        const int block = 4800;
        var interleaved = new float[block * mics];
        var refChannels = reference?.Format.Channels ?? 0;
        var refInterleaved = new float[block * Math.Max(1, refChannels)];
        var mono = new float[block];
        var events = new SensingEvent[256];
        long clipped = 0, samples = 0;
        var wasEmitting = true;
        Line(io, new JsonObject { ["t"] = 0, ["event"] = "start", ["carrier_hz"] = Math.Round(carrier, 1), ["mics"] = mics, ["sample_rate_hz"] = rate, ["reference"] = reference is not null });
        while (true)
        {
            var read = reader.Read(interleaved) / mics;
            if (read == 0)
            {
                break;
            }

            for (var i = 0; i < read * mics; i++)
            {
                if (Math.Abs(interleaved[i]) >= 0.999f)
                {
                    clipped++;
                }
            }

            samples += read * mics;
            var playback = Span<float>.Empty;
            if (reference is not null)
            {
                var got = reference.Read(refInterleaved.AsSpan(0, read * refChannels)) / refChannels;
                mono.AsSpan(0, read).Clear();
                for (var i = 0; i < got; i++)
                {
                    var sum = 0f;
                    for (var c = 0; c < refChannels; c++)
                    {
                        sum += refInterleaved[(i * refChannels) + c];
                    }

                    mono[i] = sum / refChannels;
                }

                playback = mono.AsSpan(0, read);
            }

            var count = pipeline.Process(interleaved.AsSpan(0, read * mics), playback, events);
            for (var e = 0; e < count; e++)
            {
                Line(io, EventJson(events[e]));
            }

            if (options.LowPower && pipeline.EmissionWanted != wasEmitting)
            {
                wasEmitting = pipeline.EmissionWanted;
                Line(io, new JsonObject { ["t"] = Math.Round(pipeline.Seconds, 3), ["event"] = wasEmitting ? "emission_on" : "emission_off" });
            }
        }

        if (clipped > samples / 10000)
        {
            var message = $"{path}: {clipped} of {samples} samples at full scale: the recording clipped, so motion may have been missed";
            io.Error.WriteLine($"warning: {message}");
            Line(io, new JsonObject { ["t"] = Math.Round(pipeline.Seconds, 3), ["event"] = "warning", ["message"] = message });
        }

        Line(io, new JsonObject { ["t"] = Math.Round(pipeline.Seconds, 3), ["event"] = "end", ["present"] = pipeline.Tracker.Present });
        return ExitCodes.Success;
    }

    private static JsonObject EventJson(SensingEvent e) => e.Kind switch
    {
        SensingEventKind.Motion => new JsonObject
        {
            ["t"] = Math.Round(e.Seconds, 3), ["event"] = "motion", ["kind"] = e.Major ? "major" : "minor", ["confidence"] = Math.Round(e.Confidence, 3),
        },
        SensingEventKind.PresenceOn => new JsonObject { ["t"] = Math.Round(e.Seconds, 3), ["event"] = "presence", ["present"] = true },
        _ => new JsonObject { ["t"] = Math.Round(e.Seconds, 3), ["event"] = "presence", ["present"] = false },
    };

    private static void Line(CliIo io, JsonObject json) => io.Out.WriteLine(json.ToJsonString());

    /// <summary>The strongest steady tone in 30..(Nyquist - 1 kHz) of the first 2 s, averaged over channels and frames.</summary>
    /// <remarks>65536-point frames (1.5 Hz bins at 96 kHz) and a parabolic fit on the log power put the carrier within
    /// about 0.1 Hz: the static echo must sit well inside the front end's 1.6 Hz DC blocker.</remarks>
    internal static double FindCarrier(string path)
    {
        var data = WavFile.ReadAll(path);
        var rate = data.Format.SampleRateHz;
        var n = data.FrameCount >= 65536 ? 65536 : 8192;
        var fft = new RealFft(n);
        var power = new double[(n / 2) + 1];
        var frame = new float[n];
        var re = new float[(n / 2) + 1];
        var im = new float[(n / 2) + 1];
        var frames = 0;
        foreach (var channel in data.Channels)
        {
            for (var start = 0; start + n <= Math.Max(n, Math.Min(channel.Length, 2 * rate)) && start + n <= channel.Length; start += n / 2, frames++)
            {
                for (var i = 0; i < n; i++)
                {
                    frame[i] = channel[start + i] * (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * i / n)));
                }

                fft.Forward(frame, re, im);
                for (var k = 0; k < power.Length; k++)
                {
                    power[k] += (re[k] * re[k]) + (im[k] * im[k]);
                }
            }
        }

        if (frames == 0)
        {
            throw new CliException($"{path}: too short to find the carrier (needs {n} frames); give --carrier.");
        }

        var low = (int)Math.Ceiling(30000.0 * n / rate);
        var high = (int)Math.Floor(((rate / 2.0) - 1000) * n / rate);
        var band = power.AsSpan(low, high - low + 1).ToArray();
        var peak = Array.IndexOf(band, band.Max());
        var sorted = band.Order().ToArray();
        var median = sorted[sorted.Length / 2];
        if (!(band[peak] > 1000 * median && band[peak] > 0))
        {
            throw new CliException($"{path}: no probe carrier found in 30..{(rate / 2.0) - 1000:0} Hz (strongest tone only {10 * Math.Log10(band[peak] / Math.Max(1e-300, median)):0} dB above the band's median; 30 dB needed). Is the probe on? Give --carrier if it is.");
        }

        var top = low + peak;
        var offset = 0.0;
        if (top > 0 && top + 1 < power.Length)
        {
            double a = Math.Log(power[top - 1] + 1e-300), b = Math.Log(power[top]), c = Math.Log(power[top + 1] + 1e-300);
            var denominator = a - (2 * b) + c;
            offset = denominator < 0 ? Math.Clamp(0.5 * (a - c) / denominator, -0.5, 0.5) : 0;
        }

        return (top + offset) * (double)rate / n;
    }

    // The presence thresholds, for trying another operating point than PresenceOptions' (e.g. fewer false alarms).
    private static (Option<float?> Walk, Option<float?> Minor, Option<float?> Sensitive) ThresholdOptions()
    {
        var defaults = new PresenceOptions();
        return (
            new Option<float?>("--walk-threshold") { Description = string.Create(CultureInfo.InvariantCulture, $"Presence threshold for walking, p(major) on one frame (default: the model's presence.walk_threshold, else PresenceOptions, {defaults.MajorThreshold}).") },
            new Option<float?>("--minor-threshold") { Description = string.Create(CultureInfo.InvariantCulture, $"Threshold for a small movement, p(any motion), normal mode (default: PresenceOptions, {defaults.MinorThreshold}).") },
            new Option<float?>("--sensitive-threshold") { Description = string.Create(CultureInfo.InvariantCulture, $"The same in high sensitivity after a walk-in (default: PresenceOptions, {defaults.SensitiveMinorThreshold}).") });
    }

    /// <summary>Refuses a given threshold outside (0, 1).</summary>
    private static void CheckThresholds(float? walk, float? minor, float? sensitive)
    {
        foreach (var (name, value) in new[] { ("--walk-threshold", walk), ("--minor-threshold", minor), ("--sensitive-threshold", sensitive) })
        {
            if (value is { } p && !(p > 0 && p < 1))
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{name}: a probability between 0 and 1 (exclusive), not {p}."));
            }
        }
    }

    /// <summary>The presence thresholds to run with: each given one replaces the model's default; each must be in (0, 1).</summary>
    private static PresenceOptions Thresholds(float? walk, float? minor, float? sensitive, PresenceOptions defaults)
    {
        CheckThresholds(walk, minor, sensitive);
        return defaults with
        {
            MajorThreshold = walk ?? defaults.MajorThreshold,
            MinorThreshold = minor ?? defaults.MinorThreshold,
            SensitiveMinorThreshold = sensitive ?? defaults.SensitiveMinorThreshold,
        };
    }

    // "0.9,0.95" -> [0.9, 0.95]; null when the option is not given.
    private static float[]? WalkThresholdList(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var values = new List<float>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!float.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || !(p > 0 && p < 1))
            {
                throw new CliException($"--walk-thresholds {text}: '{part}' is not a probability between 0 and 1 (exclusive); give a comma-separated list such as 0.9,0.95,0.98.");
            }

            values.Add(p);
        }

        return [.. values];
    }

    // `evaluate --without music,fan,...`: the scene parts to take out.
    private static SceneParts PartsList(string? text)
    {
        var parts = SceneParts.None;
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            parts |= part.ToLowerInvariant() switch
            {
                "music" => SceneParts.Music,
                "fan" => SceneParts.Fan,
                "curtain" => SceneParts.Curtain,
                "hvac" => SceneParts.Hvac,
                _ => throw new CliException($"--without {text}: '{part}' is not a scene part; give a comma-separated list of music, fan, curtain, hvac."),
            };
        }

        return parts;
    }

    private static string PartsName(SceneParts parts) => parts == SceneParts.None ? "nothing" : parts.ToString().ToLowerInvariant();

    // One threshold's row of `evaluate --walk-thresholds`.
    private static JsonNode SweepRow(float threshold, SensingFigures f)
    {
        return new JsonObject
        {
            ["walk_threshold"] = threshold,
            ["major_detected"] = $"{f.MajorDetected}/{f.MajorEvents}",
            ["major_detection_rate_95ci"] = MajorRateInterval(f),
            ["major_within_300ms"] = $"{f.MajorWithinTarget}/{f.MajorEvents}",
            ["minor_high_sensitivity_detected"] = $"{f.MinorDetected}/{f.MinorEvents}",
            ["latency_median_ms"] = LatencyMs(f, f.LatencySeconds.Median),
            ["latency_p95_ms"] = LatencyMs(f, f.LatencySeconds.P95),
            ["latency_p95_ms_95ci"] = P95Interval(f),
            ["false_alarms_start_up"] = f.StartUpFalseAlarms.FalseAlarms,
            ["false_alarms_steady_state"] = f.SteadyState.FalseAlarms,
            ["false_alarms_per_24h"] = PerDay(f),
            ["false_alarms_per_24h_95ci"] = PerDayInterval(f),
            ["empty_rooms_with_false_alarms"] = $"{f.RoomsWithFalseAlarms}/{f.StartUpFalseAlarms.StartUps}",
            ["spurious_events_in_labelled_scenes"] = f.SpuriousEvents,
        };
    }

    // The text form of a sweep: the set, then one line per threshold.
    private static string SweepTable(JsonObject table)
    {
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{table["scene_set"]}, lead-in {table["lead_in_s"]} s, probe {table["probe_level_dbfs"]} dBFS, {table["thresholds"]}"),
            "walk p   walks      95 % interval  <= 300 ms  small moves  latency median / p95 (95 % interval), ms  false alarms: start-up + steady, per 24 h (interval), rooms; events while nobody moved",
        };
        foreach (var row in table["walk_threshold_sweep"]!.AsArray())
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{row!["walk_threshold"],-8} {row["major_detected"],-10} {row["major_detection_rate_95ci"],-14} {row["major_within_300ms"],-10} {row["minor_high_sensitivity_detected"],-12} {row["latency_median_ms"]?.ToString() ?? "-",6} / {row["latency_p95_ms"]?.ToString() ?? "-",6} ({row["latency_p95_ms_95ci"]?.ToString() ?? "-"})   {row["false_alarms_start_up"]} + {row["false_alarms_steady_state"]}, {row["false_alarms_per_24h"]?.ToString() ?? "-"} ({row["false_alarms_per_24h_95ci"]?.ToString() ?? "-"}), {row["empty_rooms_with_false_alarms"]}; {row["spurious_events_in_labelled_scenes"]}"));
        }

        return string.Join(Environment.NewLine, lines);
    }

    // The figures that both the plain evaluation and a threshold sweep print, formatted once.
    private static string MajorRateInterval(SensingFigures f) =>
        string.Create(CultureInfo.InvariantCulture, $"{f.MajorDetectionInterval.Low:0.000}..{f.MajorDetectionInterval.High:0.000}");

    private static double? LatencyMs(SensingFigures f, double seconds) => f.MajorDetected > 0 ? Math.Round(1000 * seconds, 1) : null;   // no walk found: no latency

    private static string? P95Interval(SensingFigures f) =>
        f.MajorDetected > 0 ? string.Create(CultureInfo.InvariantCulture, $"{Ms(f.LatencyP95Interval.Low)}..{Ms(f.LatencyP95Interval.High)}") : null;

    private static bool WatchedEmpty(SensingFigures f) => f.EmptyHours.WithMusic + f.EmptyHours.WithoutMusic > 0;   // --empty-hours 0: no rate to give

    private static double? PerDay(SensingFigures f) => WatchedEmpty(f) ? Math.Round(f.FalseAlarmsPerDay, 1) : null;

    private static string? PerDayInterval(SensingFigures f) =>
        WatchedEmpty(f) ? string.Create(CultureInfo.InvariantCulture, $"{f.FalseAlarmsPerDayInterval.Low:0.#}..{f.FalseAlarmsPerDayInterval.High:0.#}") : null;

    private static string Ms(double seconds) => double.IsFinite(seconds) ? (1000 * seconds).ToString("0", CultureInfo.InvariantCulture) : "unbounded";

    private static DetectorModel LoadModel(string? path)
    {
        var resolved = path ?? CommonOptions.FindInRepository(DefaultModel)
            ?? throw new CliException($"no detector model: {DefaultModel} not found above the current folder; give --model or run 'spatial sense train'.");
        try
        {
            return DetectorModel.Load(resolved);
        }
        catch (FileNotFoundException)
        {
            throw new CliException($"{resolved}: detector model not found.");
        }
    }

    private static SensingGeometry Geometry(string? devicePath)
    {
        var folder = devicePath ?? (CommonOptions.FindInRepository("measurements/studio5/device.json") is { } f ? Path.GetDirectoryName(f)! : throw new CliException("give --device (a device folder with device.json)."));
        var file = Directory.Exists(folder) ? Path.Combine(folder, "device.json") : folder;
        if (!File.Exists(file))
        {
            throw new CliException($"{file}: device description not found.");
        }

        try
        {
            return SensingGeometry.FromDevice(DeviceFile.Load(file));
        }
        catch (ArgumentException ex)
        {
            throw new CliException($"{file}: {ex.Message}");
        }
    }

    private static Command Simulate(CliIo io)
    {
        var output = new Argument<string>("output") { Description = "Folder for mics.wav (96 kHz float, one channel per microphone), playback.wav and labels.json." };
        var kind = new Option<string>("--kind") { Description = "walk | walk-then-minor | minor | empty.", DefaultValueFactory = _ => "walk" };
        var seed = new Option<int>("--seed") { Description = "Scene seed (room, unit, people, distractors).", DefaultValueFactory = _ => 1 };
        var seconds = new Option<double>("--seconds") { Description = "Length, s (0 = the kind's default).", DefaultValueFactory = _ => 0 };
        var music = new Option<string>("--music") { Description = "on | off | random.", DefaultValueFactory = _ => "random" };
        var device = new Option<string?>("--device") { Description = "Device folder (default: measurements/studio5)." };
        var probeLevel = ProbeLevelOption();
        var leadIn = LeadInOption(" (as `sense evaluate --lead-in` draws it, so a scene it lists renders the same)");
        var songs = SongsOption();
        var command = new Command("simulate", "Simulate a multichannel microphone recording at 96 kHz with ground-truth motion labels.")
        {
            output, kind, seed, seconds, music, device, probeLevel, leadIn, songs,
        };
        command.SetAction(result =>
        {
            var folder = result.GetValue(output)!;
            var sceneKind = ParseKind(result.GetValue(kind)!);
            bool? withMusic = result.GetValue(music) switch
            {
                "on" => true,
                "off" => false,
                "random" => null,
                var other => throw new CliException($"--music {other}: use on, off or random."),
            };
            var level = ProbeLevel(result, probeLevel);
            var sceneLeadIn = LeadIn(result, leadIn);
            var geometry = Geometry(result.GetValue(device));
            var scene = SceneLibrary.Create(sceneKind, result.GetValue(seed), geometry.ProbeDriverMeters, geometry.MicMeters,
                seconds: result.GetValue(seconds), music: withMusic, maxLeadInSeconds: sceneLeadIn) with { ProbeLevelDbfs = level, Music = Songs(result, songs) };
            var simulator = new SceneSimulator(scene);
            float[][] mics = [];
            float[] playback = [];
            io.WithProgress($"Simulating {scene.DurationSeconds:0.#} s ({sceneKind}, seed {result.GetValue(seed)})", progress =>
                (mics, playback) = simulator.RenderAll(fraction => progress(fraction)));

            Directory.CreateDirectory(folder);
            WavFile.Write(Path.Combine(folder, "mics.wav"), scene.SampleRateHz, mics, WavEncoding.IeeeFloat32);
            WavFile.Write(Path.Combine(folder, "playback.wav"), scene.SampleRateHz, new[] { playback }, WavEncoding.IeeeFloat32);
            var labels = new JsonObject
            {
                ["kind"] = result.GetValue(kind), ["seed"] = result.GetValue(seed), ["seconds"] = scene.DurationSeconds,
                ["carrier_hz"] = scene.CarrierHz, ["probe_level_dbfs"] = scene.ProbeLevelDbfs, ["mics"] = new JsonArray([.. geometry.MicIds.Select(id => (JsonNode)id)]),
                ["music_dbfs"] = scene.MusicLevelDbfs, ["music_start_s"] = scene.MusicStartSeconds,
                ["songs"] = scene.Music == MusicSource.Demo ? "demo" : "varied", ["hvac_dbfs"] = scene.HvacNoiseDbfs,
                ["actors"] = new JsonArray([.. scene.Actors.Select(a => (JsonNode)a.GetType().Name)]),
                ["labels"] = new JsonArray([.. scene.Labels.Select(l => (JsonNode)new JsonObject
                {
                    ["start"] = Math.Round(l.StartSeconds, 3), ["end"] = Math.Round(l.EndSeconds, 3),
                    ["kind"] = l.Kind == MotionKind.Major ? "major" : "minor", ["distance_m"] = Math.Round(l.DistanceMeters, 2),
                })]),
                ["clipped_samples"] = simulator.ClippedSamples,
            };
            File.WriteAllText(Path.Combine(folder, "labels.json"), labels.ToJsonString(JsonOutput.Indented));
            io.Out.WriteLine($"{folder}: mics.wav ({mics.Length} mics), playback.wav, labels.json ({scene.Labels.Count} labelled motions)");
            return ExitCodes.Success;
        });
        return command;
    }

    // The front-end choices a model records (front_end.KEY): an ensemble's members must agree on each.
    private static readonly (string Key, string Name, Func<DetectorModel, JsonNode> Value)[] FrontEndChoices =
    [
        ("fan_canceller", "the fan canceller", m => m.FanCanceller),
        ("distortion_guard", "the distortion canceller's output guard", m => m.DistortionGuard),
        ("fast_start", "the fast start", m => m.FastStart),
        ("canceller_taps", "the music canceller's taps", m => m.CancellerTaps),
        ("lattice_canceller", "the music canceller's lattice form", m => m.LatticeCanceller),
        ("lattice_power_floor", "the lattice's powers' floor", m => m.LatticePowerFloor),
    ];

    // A pair of options that turn one front-end choice on or off against the model's: null when neither is given.
    private static bool? OnOrOff(ParseResult result, Option<bool> on, Option<bool> off)
    {
        if (result.GetValue(on) && result.GetValue(off))
        {
            throw new CliException($"{on.Name} and {off.Name}: give one of them.");
        }

        return result.GetValue(on) ? true : result.GetValue(off) ? false : null;
    }

    // The time-domain music canceller's length: 8..128 taps per regressor (its cost grows with the square).
    private const int MinCancellerTaps = 8, MaxCancellerTaps = 128;

    private static Option<int?> CancellerTapsOption(string description) => new("--canceller-taps") { Description = description };

    private static int? CancellerTaps(ParseResult result, Option<int?> option)
    {
        var taps = result.GetValue(option);
        if (taps is { } n && n is < MinCancellerTaps or > MaxCancellerTaps)
        {
            throw new CliException($"--canceller-taps {n}: give {MinCancellerTaps}..{MaxCancellerTaps}.");
        }

        return taps;
    }

    private static Option<double?> LatticePowerFloorOption(string description) => new("--lattice-power-floor") { Description = description };

    // The lattice's powers' floor, checked against the lattice's range and against a front end without the lattice.
    private static double LatticePowerFloor(ParseResult result, Option<double?> option, bool lattice, double fallback)
    {
        if (result.GetValue(option) is not { } floor)
        {
            return lattice ? fallback : LatticeDistortionCanceller.DefaultPowerFloor;
        }

        if (!LatticeDistortionCanceller.IsPowerFloor(floor))
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"--lattice-power-floor {floor}: give {LatticeDistortionCanceller.MinPowerFloor:R}..{LatticeDistortionCanceller.MaxPowerFloor:R}."));
        }

        return lattice ? floor : throw new CliException("--lattice-power-floor goes with the lattice canceller (--lattice-canceller, or a model trained behind it).");
    }

    // The lattice's powers' floor after lattice_canceller, listed only when it is not the default, so the figures of every
    // earlier front end read as before.
    private static JsonObject WithFloor(JsonObject figures, double floor)
    {
        if (floor != LatticeDistortionCanceller.DefaultPowerFloor)
        {
            figures.Insert(figures.IndexOf("lattice_canceller") + 1, "lattice_power_floor", floor);
        }

        return figures;
    }

    private static Command EnsembleModels(CliIo io)
    {
        var inputs = new Argument<string[]>("models") { Description = "Detector models (JSON) with the same inputs and depth, behind the same front end.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Where to write the combined model.", Required = true };
        var command = new Command("ensemble", "Combine detector models into one that averages their members' logits (each model counts as many members as it has).") { inputs, output };
        command.SetAction(result =>
        {
            var paths = result.GetValue(inputs)!;
            var models = paths.Select(LoadModel).ToArray();
            foreach (var (_, name, value) in FrontEndChoices)
            {
                var values = models.Select(m => value(m).ToJsonString()).ToArray();
                if (values.Distinct().Count() > 1)
                {
                    throw new CliException($"{string.Join(", ", paths.Select((p, i) => $"{p} ({values[i]})"))}: {name} differs, and an ensemble has one front end.");
                }
            }

            // A model that is itself an ensemble of N counts N times, so every member weighs the same.
            var members = models.Select(m => m.Training["ensemble"] is JsonValue n && n.TryGetValue<int>(out var count) && count > 0 ? count : 1).ToArray();
            DetectorModel combined;
            try
            {
                combined = DetectorModel.Ensemble(models, [.. members.Select(n => (double)n)]);
            }
            catch (ArgumentException ex)
            {
                throw new CliException($"{string.Join(", ", paths)}: {ex.Message}.");
            }

            var training = new JsonObject
            {
                ["model"] = combined.ToString(),
                ["ensemble"] = members.Sum(),
                ["ensemble_of"] = new JsonArray([.. paths.Select((path, i) => (JsonNode)new JsonObject
                {
                    ["path"] = path,
                    ["members"] = members[i],
                    ["training"] = JsonNode.Parse(models[i].Training.ToJsonString()),
                })]),
            };
            var path = result.GetValue(output)!;
            var frontEnd = new JsonObject(FrontEndChoices.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value(models[0]))));
            combined.WithTraining(training).WithFrontEnd(frontEnd).Save(path);
            io.Out.WriteLine($"{path}: {combined} averaging the logits of {members.Sum()} members ({string.Join(" + ", members)}).");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Sweep(CliIo io)
    {
        var output = new Argument<string>("output") { Description = "Where to write the calibration signal (96 kHz mono float)." };
        var level = new Option<double>("--level") { Description = "Chirp peak level, dBFS.", DefaultValueFactory = _ => -20.0 };
        var command = new Command("sweep", "Write the self-calibration signal: 0.5 s silence, a 1 s 30..46 kHz chirp, 0.3 s silence.") { output, level };
        command.SetAction(result =>
        {
            var path = result.GetValue(output)!;
            WavFile.Write(path, 96000, new[] { SelfCalibration.Sweep(96000, result.GetValue(level)) }, WavEncoding.IeeeFloat32);
            io.Out.WriteLine($"{path}: play it through the probe driver and record the microphones from the same instant, then run 'spatial sense calibrate RECORDING.wav'.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Calibrate(CliIo io)
    {
        var input = new Argument<string>("recording") { Description = "The microphones' recording of the sweep (one channel per microphone, 96 kHz, starting with the sweep)." };
        var level = new Option<double>("--level") { Description = "Level the sweep was played at, dBFS.", DefaultValueFactory = _ => -20.0 };
        var range = new Option<double>("--range") { Description = "Target detection range, m.", DefaultValueFactory = _ => 5.0 };
        var distance = new Option<double>("--driver-to-mic") { Description = "Probe driver to microphone distance, m.", DefaultValueFactory = _ => 0.1 };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var command = new Command("calibrate", "Choose the carrier and the lowest probe level for this unit and room from a recorded sweep.") { input, level, range, distance, json };
        command.SetAction(result =>
        {
            var path = result.GetValue(input)!;
            CommonOptions.RequireFile(path, "Recording");
            var data = WavFile.ReadAll(path);
            if (data.Format.SampleRateHz != 96000)
            {
                throw new CliException($"{path}: {data.Format.SampleRateHz} Hz; the sweep is at 96 kHz.");
            }

            CalibrationResult calibration;
            try
            {
                calibration = SelfCalibration.Analyze(data.Channels, SelfCalibration.Sweep(96000, result.GetValue(level)), 96000,
                    new CalibrationOptions { TargetRangeMeters = result.GetValue(range), DriverToMicMeters = result.GetValue(distance) });
            }
            catch (ArgumentException ex)
            {
                throw new CliException($"{path}: {ex.Message}");
            }

            if (result.GetValue(json))
            {
                io.Out.WriteLine(new JsonObject
                {
                    ["carrier_hz"] = calibration.CarrierHz, ["level_dbfs"] = Math.Round(calibration.LevelDbfs, 1), ["range_m"] = calibration.RangeMeters,
                }.ToJsonString(JsonOutput.Indented));
            }
            else
            {
                io.Out.WriteLine($"carrier {calibration.CarrierHz:0} Hz, probe level {calibration.LevelDbfs:0.0} dBFS, range {calibration.RangeMeters:0.0} m"
                    + (calibration.RangeMeters < result.GetValue(range) ? " (short of the target even at -6 dBFS: the room is too noisy or the unit too weak)" : ""));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CalibrateScenes(CliIo io)
    {
        var scenes = new Option<int>("--scenes") { Description = "Scenes per labelled kind (walk, walk-then-minor, minor), as in train and evaluate.", DefaultValueFactory = _ => 25 };
        var empty = new Option<int>("--empty") { Description = "Empty rooms.", DefaultValueFactory = _ => 120 };
        var seed = new Option<int>("--seed") { Description = "First seed (training 100000, validation 500000, evaluation 900000).", DefaultValueFactory = _ => 500000 };
        var device = new Option<string?>("--device") { Description = "Device folder (default: measurements/studio5)." };
        var json = new Option<bool>("--json") { Description = "One JSON object per scene." };
        var command = new Command("calibrate-scenes", "Run the self-calibration on the simulated units and rooms of a scene plan: the carrier and level each would emit at, against the scenes' own.")
        {
            scenes, empty, seed, device, json,
        };
        command.SetAction(result =>
        {
            if (result.GetValue(scenes) < 0 || result.GetValue(empty) < 0 || result.GetValue(scenes) + result.GetValue(empty) == 0)
            {
                throw new CliException("--scenes and --empty must be 0 or more, not both 0.");
            }

            var geometry = Geometry(result.GetValue(device));
            var plan = SensingEvaluation.Plan(result.GetValue(seed), result.GetValue(scenes), result.GetValue(empty));
            var rows = new (Scene Scene, CalibrationResult Calibration)[plan.Count];
            io.WithProgress($"Calibrating {plan.Count} simulated units and rooms", progress =>
            {
                var done = 0;
                Parallel.For(0, plan.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
                {
                    var scene = SceneLibrary.Create(plan[i].Kind, plan[i].Seed, geometry.ProbeDriverMeters, geometry.MicMeters);
                    rows[i] = (scene, SceneCalibration.Run(scene));
                    progress((double)Interlocked.Increment(ref done) / plan.Count);
                });
            });

            foreach (var (scene, c) in rows)
            {
                var onScene = c.LevelAt(scene.CarrierHz);
                if (result.GetValue(json))
                {
                    io.Out.WriteLine(new JsonObject
                    {
                        ["seed"] = scene.Seed, ["hvac_dbfs"] = scene.HvacNoiseDbfs is { } h ? Math.Round(h, 1) : null,
                        ["carrier_hz"] = c.CarrierHz, ["level_dbfs"] = Math.Round(c.LevelDbfs, 1), ["range_m"] = c.RangeMeters,
                        ["scene_carrier_hz"] = scene.CarrierHz, ["scene_level_dbfs"] = Math.Round(scene.ProbeLevelDbfs, 1),
                        ["level_on_scene_carrier_dbfs"] = Math.Round(onScene, 1),
                    }.ToJsonString());
                }
                else
                {
                    io.Out.WriteLine($"{scene.Seed}  HVAC {(scene.HvacNoiseDbfs is { } h ? $"{h,5:0.0} dBFS" : "none      ")}  calibration: {c.CarrierHz:0} Hz at {c.LevelDbfs,5:0.0} dBFS (range {c.RangeMeters:0.0} m); "
                        + $"on the scene's {scene.CarrierHz:0} Hz it would emit {onScene,5:0.0} dBFS, the scene emits {scene.ProbeLevelDbfs:0.0} dBFS");
                }
            }

            if (!result.GetValue(json))
            {
                var levels = rows.Select(r => r.Calibration.LevelDbfs).Order().ToArray();
                var excess = rows.Select(r => r.Scene.ProbeLevelDbfs - r.Calibration.LevelAt(r.Scene.CarrierHz)).Order().ToArray();
                var carriers = rows.Select(r => r.Calibration.CarrierHz).Order().ToArray();
                io.Out.WriteLine($"calibrated level, dBFS: min {levels[0]:0.0}, quartiles {Quantile(levels, 0.25):0.0} / {Quantile(levels, 0.5):0.0} / {Quantile(levels, 0.75):0.0}, max {levels[^1]:0.0}");
                io.Out.WriteLine($"calibrated carrier, Hz: min {carriers[0]:0}, quartiles {Quantile(carriers, 0.25):0} / {Quantile(carriers, 0.5):0} / {Quantile(carriers, 0.75):0}, max {carriers[^1]:0}; "
                    + $"{carriers.Count(f => f <= 33000)} of {carriers.Length} at 33 kHz or below");
                io.Out.WriteLine($"scene level over what calibration asks on the scene's carrier, dB: min {excess[0]:0.0}, quartiles {Quantile(excess, 0.25):0.0} / {Quantile(excess, 0.5):0.0} / {Quantile(excess, 0.75):0.0}, max {excess[^1]:0.0}");
            }

            return ExitCodes.Success;
        });
        return command;

        static double Quantile(double[] sorted, double q) => sorted[(int)Math.Round(q * (sorted.Length - 1))];
    }

    private static Option<bool> NoCacheOption() =>
        new("--no-cache") { Description = "Simulate every scene again instead of reusing $XDG_CACHE_HOME/spatialaudio/sensing." };

    private static string? CacheFolder(bool disabled)
    {
        if (disabled)
        {
            return null;
        }

        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "spatialaudio", "sensing");
    }

    // The scene kinds' names on the command line, both ways.
    private static readonly (string Name, SceneKind Kind)[] KindNames =
        [("walk", SceneKind.Walk), ("walk-then-minor", SceneKind.WalkThenMinor), ("minor", SceneKind.Minor), ("empty", SceneKind.Empty)];

    private static SceneKind ParseKind(string text) =>
        KindNames.FirstOrDefault(k => k.Name == text) is { Name: not null } found ? found.Kind
            : throw new CliException($"--kind {text}: use walk, walk-then-minor, minor or empty.");

    private static string KindName(SceneKind kind) => KindNames.First(k => k.Kind == kind).Name;

    // The text form of `evaluate --list`: one line per late walk, per missed small movement, per empty-room event and per
    // event while nobody moved.
    private static string Listing(SensingFigures f, Func<LateWalk, (EchoShift Torso, EchoShift Strongest)> early)
    {
        var lines = new List<string>
        {
            "",
            string.Create(CultureInfo.InvariantCulture, $"{f.LateWalks.Count} walks missed or later than {1000 * SensingFigures.LatencyTargetSeconds:0} ms (kind, seed, onset, closest distance, music, latency;"),
            string.Create(CultureInfo.InvariantCulture, $"  in the walk's first {1000 * SensingFigures.LatencyTargetSeconds:0} ms, its largest Doppler shift: the torso's, and any point's with that echo's level re the probe at 1 m):"),
        };
        lines.AddRange(f.LateWalks.Select(w =>
        {
            var (torso, strongest) = early(w);
            return string.Create(CultureInfo.InvariantCulture,
                $"  {KindName(w.Kind),-15} {w.Seed,7} {w.OnsetSeconds,7:0.00} s {w.ClosestMeters,4:0.0} m  {Music(w.MusicFromSeconds),-19}  {(w.LatencySeconds is { } l ? $"{1000 * l:0} ms" : "missed"),-7}"
                + $"  torso {torso.ShiftHz,4:0} Hz, any {strongest.ShiftHz,4:0} Hz at {strongest.LevelDb:0} dB");
        }));
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"{f.MissedSmallMoves.Count} small movements missed in high sensitivity (seed, onset, length, closest distance, music):"));
        lines.AddRange(f.MissedSmallMoves.Select(m => string.Create(CultureInfo.InvariantCulture,
            $"  {m.Seed,7} {m.OnsetSeconds,7:0.00} s {m.DurationSeconds,5:0.00} s {m.ClosestMeters,4:0.0} m  {Music(m.MusicFromSeconds)}")));
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"{f.RoomAlarms.Count} motion events in the empty rooms (seed, time, kind, confidence, music, when the fan canceller last locked on):"));
        lines.AddRange(f.RoomAlarms.Select(a => string.Create(CultureInfo.InvariantCulture,
            $"  {a.Seed,7} {a.Seconds,8:0.00} s  {(a.Major ? "major" : "minor")}  {a.Confidence:0.0000}  {Music(a.MusicFromSeconds),-19}{FanLock(a)}")));
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"{f.SpuriousAlarms.Count} motion events in the labelled scenes while nobody moved (scene, seed, time, kind, confidence, music, when the fan canceller last locked on):"));
        lines.AddRange(f.SpuriousAlarms.Select(a => string.Create(CultureInfo.InvariantCulture,
            $"  {KindName(a.Kind),-15} {a.Seed,7} {a.Seconds,8:0.00} s  {(a.Major ? "major" : "minor")}  {a.Confidence:0.0000}  {Music(a.MusicFromSeconds),-19}{FanLock(a)}")));
        return string.Join(Environment.NewLine, lines.Select(l => l.TrimEnd()));
    }

    // `evaluate --baseline`: each count as the two totals, the movements that changed sides, and the sign test on them.
    private static JsonObject PairedJson(string baselinePath, SensingFigures candidate, SensingFigures baseline, PairedFigures paired)
    {
        static JsonObject Row(int candidateCount, int baselineCount, int events, PairedCount c) => new()
        {
            ["model"] = $"{candidateCount}/{events}", ["baseline"] = $"{baselineCount}/{events}", ["lost"] = c.Lost, ["gained"] = c.Gained,
            ["net_loss"] = c.NetLoss, ["sign_test_p"] = Math.Round(c.SignTestP, 4),
        };

        return new JsonObject
        {
            ["baseline_model"] = baselinePath,
            ["walks_found"] = Row(candidate.MajorDetected, baseline.MajorDetected, candidate.MajorEvents, paired.WalksFound),
            ["walks_within_300ms"] = Row(candidate.MajorWithinTarget, baseline.MajorWithinTarget, candidate.MajorEvents, paired.WalksWithinTarget),
            ["small_movements_high_sensitivity"] = Row(candidate.MinorDetected, baseline.MinorDetected, candidate.MinorEvents, paired.SmallMovesFound),
            ["baseline_false_alarms"] = baseline.FalseAlarms.WithMusic + baseline.FalseAlarms.WithoutMusic,
            ["baseline_start_up_false_alarms"] = baseline.StartUpFalseAlarms.FalseAlarms,
            ["baseline_steady_state_false_alarms"] = baseline.SteadyState.FalseAlarms,
            ["baseline_spurious_events_in_labelled_scenes"] = baseline.SpuriousEvents,
        };
    }

    private static string PairedTable(JsonObject paired)
    {
        var lines = new List<string>
        {
            "",
            $"paired with the baseline {paired["baseline_model"]} (its own front end and thresholds), on the same movements:",
            "  count                              model     baseline  lost  gained  net loss  sign test p (one-sided)",
        };
        foreach (var name in new[] { "walks_found", "walks_within_300ms", "small_movements_high_sensitivity" })
        {
            var row = paired[name]!.AsObject();
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-34} {row["model"],-9} {row["baseline"],-9} {row["lost"],4}  {row["gained"],6}  {row["net_loss"],8}  {row["sign_test_p"]}"));
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"  baseline's false alarms {paired["baseline_false_alarms"]} (in the first 30 s of the rooms {paired["baseline_start_up_false_alarms"]}, after them {paired["baseline_steady_state_false_alarms"]}), events while nobody moved {paired["baseline_spurious_events_in_labelled_scenes"]}"));
        return string.Join(Environment.NewLine, lines);
    }

    // "music from 6.84 s" rather than "music yes": half the scenes with music start it mid-scene, and whether an event came
    // before the music, at its start or under it tells different stories.
    private static string Music(double? from) =>
        from is { } t ? string.Create(CultureInfo.InvariantCulture, $"music from {t:0.00} s") : "no music";

    private static double? Round(double? seconds) => seconds is { } t ? Math.Round(t, 3) : null;

    private static string FanLock(RoomAlarm a) =>
        a.FanLockSeconds is { } t ? string.Create(CultureInfo.InvariantCulture, $"  fan locked {t:0.00} s") : "";

    private static Command Train(CliIo io)
    {
        var output = new Option<string>("--out") { Description = "Where to write the model.", DefaultValueFactory = _ => DefaultModel };
        var previous = new Option<string?>("--previous") { Description = "The model being replaced: report the negative flip rate against it, and (with --congruent) train to keep its correct decisions." };
        var congruent = new Option<double>("--congruent") { Description = "Positive-congruent training weight (0 = plain training; 2 is a good start).", DefaultValueFactory = _ => 0 };
        var alpha = new Option<double>("--congruent-alpha") { Description = "With --congruent: distillation on every frame, relative to the frames the previous model got right.", DefaultValueFactory = _ => 0.5 };
        var ensemble = new Option<int>("--ensemble") { Description = "Train this many models (seeds --seed, --seed + 1, ...) and combine them into one (their logits averaged).", DefaultValueFactory = _ => 1 };
        var warmStart = new Option<bool>("--warm-start") { Description = "Start from --previous's weights (same --hidden shape): fine-tune rather than retrain." };
        var emptyWeight = new Option<double>("--empty-weight") { Description = "Weight of no-motion frames over class balance (more: fewer false alarms).", DefaultValueFactory = _ => 1.0 };
        var scenes = new Option<int>("--scenes") { Description = "Training scenes per labelled kind (walk, walk-then-minor, minor); two thirds as many empty rooms.", DefaultValueFactory = _ => 60 };
        var evalScenes = new Option<int>("--eval-scenes") { Description = "Evaluation scenes per kind (fixed seeds, disjoint from training).", DefaultValueFactory = _ => 25 };
        var seed = new Option<int>("--seed") { Description = "Initialization and shuffling seed.", DefaultValueFactory = _ => 1 };
        var sceneSeed = new Option<int>("--scene-seed") { Description = "Which training scenes: set N (1..35) starts at seed 100000 + 10000 (N - 1).", DefaultValueFactory = _ => 1 };
        var hidden = new Option<string>("--hidden") { Description = "Hidden layer widths, comma-separated.", DefaultValueFactory = _ => "24,16" };
        var device = new Option<string?>("--device") { Description = "Device folder (default: measurements/studio5)." };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON." };
        var noCache = NoCacheOption();
        var leadIn = LeadInOption(" (training scenes only: so the detector learns walks met by a running device, not only just after a start-up)");
        var longRooms = new Option<int>("--long-rooms") { Description = "Also train on this many long empty rooms (their own seeds), so the detector sees a running device's still room, not only start-ups.", DefaultValueFactory = _ => 0 };
        var roomSeconds = new Option<double>("--room-seconds") { Description = "With --long-rooms: their length, s.", DefaultValueFactory = _ => 300 };
        var hardRooms = new Option<int>("--hard-negative-rooms")
        {
            Description = "Then simulate this many more empty rooms (--room-seconds long, their own seeds), take the frames there the trained detector calls motion, and train again with them added (bootstrapping).",
            DefaultValueFactory = _ => 0,
        };
        var hardWeight = new Option<double>("--hard-negative-weight") { Description = "With --hard-negative-rooms: training weight of each hard negative frame.", DefaultValueFactory = _ => 4 };
        var probeLevel = ProbeLevelOption();
        var trainFanCanceller = new Option<bool>("--fan-canceller")
        {
            Description = "Train on the front end with its periodic-clutter (fan) canceller; the model records it, and the pipeline and evaluate then run the same front end.",
        };
        var trainGuard = new Option<bool>("--distortion-guard")
        {
            Description = "Train on the front end whose time-domain music canceller runs with its output guard (it never subtracts more than its prediction's share of the signal); the model records it, and the pipeline and evaluate then run the same front end.",
        };
        var trainFastStart = new Option<bool>("--fast-start")
        {
            Description = "Train on the front end whose start settles as a low-power wake-up does (fast static-echo filter, music cancellers paused for 0.3 s); the model records it, and the pipeline and evaluate then run the same front end.",
        };
        var trainTaps = CancellerTapsOption("Train on the front end whose time-domain music canceller has N taps per regressor (default 24 = 8 ms); the model records it, and the pipeline and evaluate then run the same front end.");
        var trainFloor = LatticePowerFloorOption("Train on the front end whose lattice canceller's prediction-error powers leak towards this floor (default 1e-12; 1e-2 removed the lattice's residue bursts on validation, docs/sensing-notebook.md); the model records it.");
        var trainLattice = new Option<bool>("--lattice-canceller")
        {
            Description = "Train on the front end whose time-domain music canceller is the least-squares lattice (the same filter at a cost linear in its taps); the model records it, and the pipeline and evaluate then run the same front end.",
        };
        var earlyWalk = new Option<double>("--early-walk-weight")
        {
            Description = "Training weight of a walk's frames in its first 0.4 s (the ones the 300 ms latency target is about), instead of 1.",
            DefaultValueFactory = _ => 1,
        };
        var trainSongs = new Option<string>("--songs")
        {
            Description = "Music the training scenes play: demo (excerpts of the one demo clip, the scene sets' music), varied (a synthesized song per scene) or mixed (even seeds the demo clip, odd seeds a song of their own).",
            DefaultValueFactory = _ => "demo",
        };
        var command = new Command("train", "Train the motion detector on simulated scenes and report error and flip rates on the fixed evaluation set.")
        {
            output, previous, congruent, alpha, warmStart, ensemble, emptyWeight, scenes, evalScenes, seed, sceneSeed, hidden, device, json, noCache, leadIn, longRooms, roomSeconds, hardRooms, hardWeight,
            probeLevel, trainFanCanceller, trainGuard, trainFastStart, trainTaps, trainLattice, trainFloor, earlyWalk, trainSongs,
        };
        command.SetAction(result =>
        {
            var level = ProbeLevel(result, probeLevel);
            var geometry = Geometry(result.GetValue(device));
            var old = result.GetValue(previous) is { } p ? LoadModel(p) : null;
            var weight = result.GetValue(congruent);
            if (weight > 0 && old is null)
            {
                throw new CliException("--congruent needs --previous (the model whose correct decisions to keep).");
            }

            if (result.GetValue(warmStart) && old is null)
            {
                throw new CliException("--warm-start needs --previous (the model to start from).");
            }

            var perKind = result.GetValue(scenes);
            var trainLeadIn = LeadIn(result, leadIn);
            var trainFans = result.GetValue(trainFanCanceller);
            var (roomCount, room) = (result.GetValue(longRooms), result.GetValue(roomSeconds));
            var (hardCount, hardFrameWeight) = (result.GetValue(hardRooms), result.GetValue(hardWeight));
            if (roomCount < 0 || hardCount < 0
                || ((roomCount > 0 || hardCount > 0) && !(room > SensingFigures.StartUpWindowSeconds && room <= MaxRoomSeconds)))
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture,
                    $"--long-rooms {roomCount} --hard-negative-rooms {hardCount} --room-seconds {room}: give 0 or more rooms of more than {SensingFigures.StartUpWindowSeconds} s and at most {MaxRoomSeconds} s."));
            }

            if (hardCount > 0 && !(hardFrameWeight > 0 && hardFrameWeight <= 1000))
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--hard-negative-weight {hardFrameWeight}: give a weight in (0, 1000]."));
            }

            if (result.GetValue(sceneSeed) is < 1 or > SensingEvaluation.MaxTrainingSet)
            {
                throw new CliException($"--scene-seed {result.GetValue(sceneSeed)}: give 1..{SensingEvaluation.MaxTrainingSet} (higher sets would reach the validation, holdout and evaluation seeds).");
            }

            var earlyWeight = result.GetValue(earlyWalk);
            if (!(earlyWeight is > 0 and <= 100))
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--early-walk-weight {earlyWeight}: give a weight in (0, 100]."));
            }

            var trainSeed = result.GetValue(seed);
            IReadOnlyList<SceneRun> train = [], eval = [];
            var trainPlan = SensingEvaluation.Plan(SensingEvaluation.TrainingSetSeedBase(result.GetValue(sceneSeed)), perKind, Math.Max(1, perKind * 2 / 3));
            var evalPlan = SensingEvaluation.Plan(SensingEvaluation.EvaluationSeedBase, result.GetValue(evalScenes), Math.Max(1, result.GetValue(evalScenes) * 2 / 3));
            var cache = CacheFolder(result.GetValue(noCache));
            var songsName = result.GetValue(trainSongs)!.ToLowerInvariant();
            Func<int, MusicSource> musicOf = SensingEvaluation.MixedSongs;
            if (songsName != "mixed")
            {
                var only = Songs(result, trainSongs, orMixed: true);
                musicOf = _ => only;
            }

            var variant = new SceneVariant(ProbeLevelDbfs: level, CancelFans: trainFans, GuardDistortion: result.GetValue(trainGuard),
                FastStart: result.GetValue(trainFastStart), CancellerTaps: CancellerTaps(result, trainTaps) ?? DistortionCanceller.DefaultTaps,
                LatticeCanceller: result.GetValue(trainLattice),
                LatticePowerFloor: LatticePowerFloor(result, trainFloor, result.GetValue(trainLattice), LatticeDistortionCanceller.DefaultPowerFloor));
            IReadOnlyList<SceneRun> Simulate(IReadOnlyList<(SceneKind, int)> plan, SceneVariant how, Action<double> progress) =>
                SceneRunCache.GetOrSimulate(cache, plan, geometry, how, musicOf, progress);
            io.WithProgress($"Simulating {trainPlan.Count} training scenes", progress => train = Simulate(trainPlan, variant with { MaxLeadInSeconds = trainLeadIn }, progress));
            if (roomCount > 0)
            {
                var roomPlan = Enumerable.Range(trainPlan[0].Seed + SensingEvaluation.LongRoomSeedOffset, roomCount).Select(s => (SceneKind.Empty, s)).ToList();
                IReadOnlyList<SceneRun> roomRuns = [];
                io.WithProgress(string.Create(CultureInfo.InvariantCulture, $"Simulating {roomCount} empty rooms of {room:0.#} s"),
                    progress => roomRuns = Simulate(roomPlan, variant with { Seconds = room }, progress));
                train = [.. train, .. roomRuns];
            }

            io.WithProgress($"Simulating {evalPlan.Count} evaluation scenes", progress => eval = Simulate(evalPlan, variant, progress));
            var trainFrames = SensingEvaluation.Frames(train, (float)earlyWeight);
            var evalFrames = SensingEvaluation.Frames(eval);
            DetectorModel model = null!;
            int[] widths;
            try
            {
                widths = [.. result.GetValue(hidden)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(w => int.Parse(w, CultureInfo.InvariantCulture))];
            }
            catch (FormatException)
            {
                throw new CliException($"--hidden {result.GetValue(hidden)}: give layer widths such as 24,16.");
            }

            if (widths.Length == 0 || widths.Any(w => w is < 1 or > 1024))
            {
                throw new CliException($"--hidden {result.GetValue(hidden)}: give 1..1024 units per layer, e.g. 24,16.");
            }

            var options = new TrainingOptions { Seed = trainSeed, Previous = old, CongruenceWeight = weight, CongruenceAlpha = result.GetValue(alpha), Hidden = widths, EmptyRoomWeight = result.GetValue(emptyWeight), WarmStart = result.GetValue(warmStart) };
            if (options.WarmStart && !old!.Sizes.SequenceEqual([MotionFeatures.Count, .. widths, 3]))
            {
                throw new CliException($"--warm-start: the previous model is {old}, not {MotionFeatures.Count}-{string.Join("-", widths)}-3; give --hidden {string.Join(",", old.Sizes.Skip(1).SkipLast(1))}.");
            }

            var members = result.GetValue(ensemble);
            if (members is < 1 or > 8)
            {
                throw new CliException($"--ensemble {members}: give 1..8 models.");
            }

            if (members > 1 && options.WarmStart)
            {
                throw new CliException("--warm-start trains one model from --previous; it cannot be combined with --ensemble.");
            }

            DetectorModel TrainMembers(FrameSet frames)
            {
                DetectorModel combined = null!;
                io.WithProgress($"Training {(members == 1 ? "" : $"{members} models ")}on {frames.ScoredCount} frames",
                    progress => combined = DetectorTrainer.TrainEnsemble(frames, options, members, progress));
                return combined;
            }

            model = TrainMembers(trainFrames);
            var hardFrames = 0;
            if (hardCount > 0)
            {
                // Bootstrapping: the first model's mistakes in rooms it has not seen, added to the data for a second round.
                var hardPlan = Enumerable.Range(trainPlan[0].Seed + SensingEvaluation.LongRoomSeedOffset + roomCount, hardCount).Select(s => (SceneKind.Empty, s)).ToList();
                IReadOnlyList<SceneRun> hardRuns = [];
                io.WithProgress(string.Create(CultureInfo.InvariantCulture, $"Simulating {hardCount} empty rooms of {room:0.#} s for hard negatives"),
                    progress => hardRuns = Simulate(hardPlan, variant with { Seconds = room }, progress));
                var hard = DetectorTrainer.HardNegatives(model, SensingEvaluation.Frames(hardRuns), HardNegativeProbability, (float)hardFrameWeight);
                hardFrames = hard.Count;
                io.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{hard.Count} hard negative frames (motion probability >= {HardNegativeProbability}) in {hardCount * room / 3600:0.#} h of new rooms; training again with them"));
                trainFrames = FrameSet.Concat([trainFrames, hard]);
                model = TrainMembers(trainFrames);
            }

            var figures = new JsonObject
            {
                ["model"] = model.ToString(),
                ["train_frames"] = trainFrames.ScoredCount,
                ["eval_frames"] = evalFrames.ScoredCount,
                ["train_error_rate"] = Math.Round(DetectorTrainer.ErrorRate(model, trainFrames), 4),
                ["eval_error_rate"] = Math.Round(DetectorTrainer.ErrorRate(model, evalFrames), 4),
                ["congruence_weight"] = weight,
                ["congruence_alpha"] = result.GetValue(alpha),
                ["warm_start"] = options.WarmStart,
                ["ensemble"] = result.GetValue(ensemble),
                ["empty_weight"] = result.GetValue(emptyWeight),
                ["seed"] = trainSeed,
                ["train_seed_base"] = trainPlan[0].Seed,
                ["train_lead_in_s"] = trainLeadIn,
                ["train_long_rooms"] = roomCount,
                ["train_room_seconds"] = roomCount > 0 || hardCount > 0 ? room : null,
                ["hard_negative_rooms"] = hardCount,
                ["hard_negative_weight"] = hardCount > 0 ? hardFrameWeight : null,
                ["hard_negative_frames"] = hardFrames,
                ["eval_seed_base"] = evalPlan[0].Seed,
                ["probe_level_dbfs"] = level,
                ["fan_canceller"] = trainFans,
                ["distortion_guard"] = variant.GuardDistortion,
                ["fast_start"] = variant.FastStart,
                ["canceller_taps"] = variant.CancellerTaps,
                ["lattice_canceller"] = variant.LatticeCanceller,
                ["lattice_power_floor"] = variant.LatticePowerFloor != LatticeDistortionCanceller.DefaultPowerFloor ? variant.LatticePowerFloor : null,
                ["early_walk_weight"] = earlyWeight,
                ["songs"] = songsName,
            };
            if (old is not null)
            {
                figures["previous_eval_error_rate"] = Math.Round(DetectorTrainer.ErrorRate(old, evalFrames), 4);
                figures["negative_flip_rate"] = Math.Round(DetectorTrainer.NegativeFlipRate(old, model, evalFrames), 4);
            }

            var saved = model.WithTraining(figures);
            var outPath = result.GetValue(output)!;
            saved.Save(outPath);
            if (result.GetValue(json))
            {
                io.Out.WriteLine(figures.ToJsonString(JsonOutput.Indented));
            }
            else
            {
                io.Out.WriteLine($"{outPath}: {model}; error rate {figures["eval_error_rate"]} on {evalFrames.ScoredCount} evaluation frames (train {figures["train_error_rate"]})"
                    + (old is null ? "" : $"; previous model {figures["previous_eval_error_rate"]}, negative flip rate {figures["negative_flip_rate"]}"));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    // A no-motion frame the first round gives at least this motion probability is a hard negative: its arg max is motion.
    private const double HardNegativeProbability = 0.5;

    // Longest empty room: the simulator keeps a scene's frames in memory while it runs.
    private const double MaxRoomSeconds = 3600;

    private static Command Evaluate(CliIo io)
    {
        var model = ModelOption();
        var scenes = new Option<int>("--scenes") { Description = "Evaluation scenes per labelled kind.", DefaultValueFactory = _ => 25 };
        var emptyHours = new Option<double>("--empty-hours") { Description = "Hours of empty room (fan, curtain, HVAC; half with music).", DefaultValueFactory = _ => 0.5 };
        var roomSeconds = new Option<double>("--room-seconds")
        {
            Description = "Length of each empty room, s: each is one start-up of the pipeline. The default rooms are all start-up; longer ones (their own seeds) add a steady state, reported apart.",
            DefaultValueFactory = _ => SensingFigures.StartUpWindowSeconds,
        };
        var device = new Option<string?>("--device") { Description = "Device folder (default: measurements/studio5)." };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON." };
        var noCache = NoCacheOption();
        var lowPower = new Option<bool>("--low-power") { Description = "Instead: the low-power mode in a closed loop on simulated visits (walk in, stay with small movements, walk out); presence held, emission duty cycle, leave-to-off time." };
        var sessions = new Option<int>("--sessions") { Description = "With --low-power: sessions (seeds 700000+; each 1-2 min of stay plus the presence timeout).", DefaultValueFactory = _ => 6 };
        var sleep = new Option<double?>("--sleep") { Description = "With --low-power: emission-off time between bursts, s (default: PresenceOptions)." };
        var burst = new Option<double?>("--burst") { Description = "With --low-power: confirming burst length, s (default: PresenceOptions)." };
        var timeout = new Option<double?>("--presence-timeout") { Description = "With --low-power: no motion for this long ends presence, s (default: PresenceOptions)." };
        var stay = new Option<double>("--stay") { Description = "With --low-power: longest stay, s (stays are drawn from half of it to all of it).", DefaultValueFactory = _ => 120 };
        var validation = new Option<bool>("--validation") { Description = "Use the validation scenes (seeds 500000+), where thresholds are chosen, instead of the evaluation scenes (900000+)." };
        var holdout = new Option<bool>("--holdout") { Description = "Use the holdout scenes (seeds 600000+), a third set for a candidate after validation and evaluation have judged many, instead of the evaluation scenes." };
        var (walkThreshold, minorThreshold, sensitiveThreshold) = ThresholdOptions();
        var leadIn = LeadInOption(": walks and small movements met by a running device, not only after a start-up");
        var probeLevel = ProbeLevelOption();
        var list = new Option<bool>("--list")
        {
            Description = string.Create(CultureInfo.InvariantCulture,
                $"Also list the walks missed or detected later than {1000 * SensingFigures.LatencyTargetSeconds:0} ms, the small movements missed in high sensitivity, and every motion event in the empty rooms (seed, time, distance, music): the scenes to render with `sense simulate --seed` and look at."),
        };
        var sweep = new Option<string?>("--walk-thresholds")
        {
            Description = "Instead of one walking threshold, a comma-separated list (e.g. 0.9,0.95,0.98): one row of walks, latency and false alarms per threshold, the detector run once (the trade-off to choose a threshold on, with --validation).",
        };
        var without = new Option<string?>("--without")
        {
            Description = "Take these out of every scene, comma-separated (music, fan, curtain, hvac), the scenes otherwise the same: what each costs the detector. A diagnosis, not the target figures.",
        };
        var fanCanceller = new Option<bool>("--fan-canceller")
        {
            Description = "Run the front end with its periodic-clutter (fan) canceller even when the model does not ask for it (the committed detector does: front_end.fan_canceller).",
        };
        var noFanCanceller = new Option<bool>("--no-fan-canceller")
        {
            Description = "Run the front end without the fan canceller even when the model asks for it: the front end before the fifteenth session, to compare.",
        };
        var guard = new Option<bool>("--distortion-guard")
        {
            Description = "Run the time-domain music canceller with its output guard even when the model does not ask for it (front_end.distortion_guard).",
        };
        var noGuard = new Option<bool>("--no-distortion-guard")
        {
            Description = "Run the time-domain music canceller without its output guard even when the model asks for it, to compare.",
        };
        var fastStart = new Option<bool>("--fast-start")
        {
            Description = "Settle the front end's start as a low-power wake-up does even when the model does not ask for it (front_end.fast_start).",
        };
        var noFastStart = new Option<bool>("--no-fast-start")
        {
            Description = "Start the front end as before the twenty-third session even when the model asks for the fast start, to compare.",
        };
        var taps = CancellerTapsOption("Run the time-domain music canceller with N taps per regressor whatever the model asks for (front_end.canceller_taps; default 24 = 8 ms), to measure a longer one.");
        var lattice = new Option<bool>("--lattice-canceller")
        {
            Description = "Run the time-domain music canceller as the least-squares lattice even when the model does not ask for it (front_end.lattice_canceller).",
        };
        var floorOption = LatticePowerFloorOption("Run the lattice canceller with its prediction-error powers leaking towards this floor whatever the model asks for (front_end.lattice_power_floor; default 1e-12), to measure another.");
        var noLattice = new Option<bool>("--no-lattice-canceller")
        {
            Description = "Run the time-domain music canceller as the inverse-QR RLS even when the model asks for the lattice, to compare.",
        };
        var songs = SongsOption();
        var baseline = new Option<string?>("--baseline")
        {
            Description = "Also run this model (e.g. models/sensing/detector.json) on the same scenes, behind its own front end and at its own thresholds, and count in pairs: the walks, walks within 300 ms and small movements it finds and the model does not (lost), the reverse (gained), and a one-sided sign test on them.",
        };
        var command = new Command("evaluate", "Measure detection rate, latency, false alarms and int8 agreement on the fixed evaluation scenes.")
        {
            model, scenes, emptyHours, roomSeconds, device, json, noCache, lowPower, sessions, sleep, burst, timeout, stay, validation, holdout, walkThreshold, minorThreshold, sensitiveThreshold,
            leadIn, probeLevel, list, sweep, without, fanCanceller, noFanCanceller, guard, noGuard, fastStart, noFastStart, taps, lattice, noLattice, floorOption, songs, baseline,
        };
        command.SetAction(result =>
        {
            var (walkGiven, minorGiven, sensitiveGiven) = (result.GetValue(walkThreshold), result.GetValue(minorThreshold), result.GetValue(sensitiveThreshold));
            var thresholdsGiven = walkGiven is not null || minorGiven is not null || sensitiveGiven is not null;
            CheckThresholds(walkGiven, minorGiven, sensitiveGiven);   // before anything is loaded or simulated
            var sweepThresholds = WalkThresholdList(result.GetValue(sweep));
            if (sweepThresholds is not null && (result.GetValue(walkThreshold) is not null || result.GetValue(list) || result.GetValue(lowPower) || result.GetValue(baseline) is not null))
            {
                throw new CliException("--walk-thresholds replaces --walk-threshold, and goes without --list, --baseline and --low-power.");
            }

            var evalLeadIn = LeadIn(result, leadIn);
            var level = ProbeLevel(result, probeLevel);
            var removed = PartsList(result.GetValue(without));
            var music = Songs(result, songs);
            var cancelFansAsked = OnOrOff(result, fanCanceller, noFanCanceller);
            var guardAsked = OnOrOff(result, guard, noGuard);
            var fastStartAsked = OnOrOff(result, fastStart, noFastStart);
            var latticeAsked = OnOrOff(result, lattice, noLattice);

            if (result.GetValue(validation) && result.GetValue(holdout))
            {
                throw new CliException("--validation and --holdout: give one of them.");
            }

            if (result.GetValue(lowPower) && (thresholdsGiven || result.GetValue(validation) || result.GetValue(holdout) || evalLeadIn > 0 || level != Scene.DefaultProbeLevelDbfs || result.GetValue(list)
                || removed != SceneParts.None || cancelFansAsked is not null || guardAsked is not null || fastStartAsked is not null || result.GetValue(taps) is not null || latticeAsked is not null || result.GetValue(floorOption) is not null || music != MusicSource.Demo || result.GetValue(baseline) is not null))
            {
                throw new CliException("--validation, --holdout, --lead-in, --probe-level, --without, --fan-canceller, --no-fan-canceller, --distortion-guard, --no-distortion-guard, --fast-start, --no-fast-start, --canceller-taps, --lattice-canceller, --no-lattice-canceller, --lattice-power-floor, --songs, --list, --baseline and the thresholds go with the scene evaluation, not --low-power.");
            }

            var detector = LoadModel(result.GetValue(model));
            var options = Thresholds(walkGiven, minorGiven, sensitiveGiven, detector.PresenceDefaults);
            var baselineModel = result.GetValue(baseline) is { } baselinePath ? LoadModel(baselinePath) : null;
            var cancelFans = cancelFansAsked ?? detector.FanCanceller;   // by default, the front end the model asks for
            var guardDistortion = guardAsked ?? detector.DistortionGuard;
            var startFast = fastStartAsked ?? detector.FastStart;
            var cancellerTaps = CancellerTaps(result, taps) ?? detector.CancellerTaps;
            var latticeCanceller = latticeAsked ?? detector.LatticeCanceller;
            var latticeFloor = LatticePowerFloor(result, floorOption, latticeCanceller, detector.LatticePowerFloor);
            var geometry = Geometry(result.GetValue(device));
            if (result.GetValue(lowPower))
            {
                return SenseLowPower.Evaluate(io, detector, geometry, result.GetValue(sessions), result.GetValue(sleep), result.GetValue(burst), result.GetValue(timeout), result.GetValue(stay), result.GetValue(json));
            }

            if (result.GetValue(sleep) is not null || result.GetValue(burst) is not null || result.GetValue(timeout) is not null)
            {
                throw new CliException("--sleep, --burst and --presence-timeout go with --low-power.");
            }

            var room = result.GetValue(roomSeconds);
            if (!(room >= SensingFigures.StartUpWindowSeconds && room <= MaxRoomSeconds))
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--room-seconds {room}: give {SensingFigures.StartUpWindowSeconds}..{MaxRoomSeconds} s."));
            }

            if (!(result.GetValue(emptyHours) >= 0))
            {
                throw new CliException("--empty-hours must be 0 or more.");
            }

            var emptyScenes = (int)Math.Ceiling(result.GetValue(emptyHours) * 3600 / room);
            var defaultRooms = room == SceneLibrary.DefaultSeconds(SceneKind.Empty);
            var (seedBase, setName) = result.GetValue(validation) ? (SensingEvaluation.ValidationSeedBase, "validation")
                : result.GetValue(holdout) ? (SensingEvaluation.HoldoutSeedBase, "holdout") : (SensingEvaluation.EvaluationSeedBase, "evaluation");
            var plan = SensingEvaluation.Plan(seedBase, result.GetValue(scenes), defaultRooms ? emptyScenes : 0);
            var longRooms = defaultRooms ? [] : Enumerable.Range(seedBase + SensingEvaluation.LongRoomSeedOffset, emptyScenes).Select(s => (SceneKind.Empty, s)).ToList();
            var cache = CacheFolder(result.GetValue(noCache));
            var variant = new SceneVariant(ProbeLevelDbfs: level, Removed: removed, CancelFans: cancelFans, Music: music, GuardDistortion: guardDistortion,
                FastStart: startFast, CancellerTaps: cancellerTaps, LatticeCanceller: latticeCanceller, LatticePowerFloor: latticeFloor);
            IReadOnlyList<SceneRun> Simulate(SceneVariant v, string whose)
            {
                IReadOnlyList<SceneRun> labelled = [], rooms = [];
                io.WithProgress($"Simulating {plan.Count} {setName} scenes{whose}", progress => labelled = SceneRunCache.GetOrSimulate(cache, plan, geometry, v with { MaxLeadInSeconds = evalLeadIn }, progress));
                if (longRooms.Count > 0)
                {
                    io.WithProgress(string.Create(CultureInfo.InvariantCulture, $"Simulating {longRooms.Count} empty rooms of {room:0.#} s{whose}"),
                        progress => rooms = SceneRunCache.GetOrSimulate(cache, longRooms, geometry, v with { Seconds = room }, progress));
                }

                return [.. labelled, .. rooms];
            }

            var runs = Simulate(variant, "");

            if (sweepThresholds is not null)
            {
                var rows = SensingEvaluation.Sweep(runs, detector, [.. sweepThresholds.Select(t => options with { MajorThreshold = t })]);
                var table = WithFloor(new JsonObject
                {
                    ["scene_set"] = string.Create(CultureInfo.InvariantCulture, $"{setName} (seeds {seedBase}+)"),
                    ["lead_in_s"] = evalLeadIn,
                    ["probe_level_dbfs"] = level,
                    ["without"] = PartsName(removed),
                    ["songs"] = music == MusicSource.Demo ? "demo" : "varied",
                    ["fan_canceller"] = cancelFans,
                    ["distortion_guard"] = guardDistortion,
                    ["fast_start"] = startFast,
                    ["canceller_taps"] = cancellerTaps,
                    ["lattice_canceller"] = latticeCanceller,
                    ["thresholds"] = string.Create(CultureInfo.InvariantCulture, $"small movement {options.MinorThreshold}, high sensitivity {options.SensitiveMinorThreshold}"),
                    ["walk_threshold_sweep"] = new JsonArray([.. sweepThresholds.Zip(rows, SweepRow)]),
                }, latticeFloor);
                io.Out.WriteLine(result.GetValue(json) ? table.ToJsonString(JsonOutput.Indented) : SweepTable(table));
                return ExitCodes.Success;
            }

            var f = SensingEvaluation.Figures(runs, detector, options);
            var figures = WithFloor(new JsonObject
            {
                ["scene_set"] = string.Create(CultureInfo.InvariantCulture, $"{setName} (seeds {seedBase}+)"),
                ["lead_in_s"] = evalLeadIn,
                ["probe_level_dbfs"] = level,
                ["without"] = PartsName(removed),
                ["songs"] = music == MusicSource.Demo ? "demo" : "varied",
                ["fan_canceller"] = cancelFans,
                ["distortion_guard"] = guardDistortion,
                ["fast_start"] = startFast,
                ["canceller_taps"] = cancellerTaps,
                ["lattice_canceller"] = latticeCanceller,
                ["thresholds"] = string.Create(CultureInfo.InvariantCulture, $"walk {options.MajorThreshold}, small movement {options.MinorThreshold}, high sensitivity {options.SensitiveMinorThreshold}"),
                ["major_detected"] = $"{f.MajorDetected}/{f.MajorEvents}",
                ["major_detection_rate"] = Math.Round((double)f.MajorDetected / Math.Max(1, f.MajorEvents), 4),
                ["major_detection_rate_95ci"] = MajorRateInterval(f),
                ["major_within_300ms"] = $"{f.MajorWithinTarget}/{f.MajorEvents}",
                ["minor_high_sensitivity_detected"] = $"{f.MinorDetected}/{f.MinorEvents}",
                ["minor_high_sensitivity_rate"] = Math.Round((double)f.MinorDetected / Math.Max(1, f.MinorEvents), 4),
                ["minor_normal_mode_detected"] = $"{f.MinorNormalMode.Detected}/{f.MinorNormalMode.Events}",
                ["latency_median_ms"] = LatencyMs(f, f.LatencySeconds.Median),
                ["latency_p95_ms"] = LatencyMs(f, f.LatencySeconds.P95),
                ["latency_p95_ms_95ci"] = P95Interval(f),
                ["empty_hours_with_music"] = Math.Round(f.EmptyHours.WithMusic, 4),   // 0.36 s: a room splits where its music starts
                ["empty_hours_without_music"] = Math.Round(f.EmptyHours.WithoutMusic, 4),
                ["false_alarms_with_music"] = f.FalseAlarms.WithMusic,
                ["false_alarms_without_music"] = f.FalseAlarms.WithoutMusic,
                ["false_alarms_per_24h"] = PerDay(f),
                ["false_alarms_per_24h_95ci"] = PerDayInterval(f),
                ["start_ups"] = f.StartUpFalseAlarms.StartUps,
                ["start_up_window_s"] = SensingFigures.StartUpWindowSeconds,
                ["start_up_false_alarms"] = f.StartUpFalseAlarms.FalseAlarms,
                ["steady_state_hours"] = Math.Round(f.SteadyState.Hours, 3),
                ["steady_state_false_alarms"] = f.SteadyState.FalseAlarms,
                ["steady_state_false_alarms_per_24h"] = f.SteadyState.Hours > 0 ? Math.Round(f.SteadyStatePerDay.Rate, 1) : null,
                ["steady_state_false_alarms_per_24h_95ci"] = f.SteadyState.Hours > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"{f.SteadyStatePerDay.Low:0.#}..{f.SteadyStatePerDay.High:0.#}") : null,
                ["false_wake_ups_start_up"] = f.FalseWakeUps.StartUp,
                ["false_wake_ups_steady_state"] = f.FalseWakeUps.SteadyState,
                ["empty_rooms_with_false_alarms"] = $"{f.RoomsWithFalseAlarms}/{f.StartUpFalseAlarms.StartUps}",
                ["spurious_events_in_labelled_scenes"] = f.SpuriousEvents,
                ["frame_error_rate"] = Math.Round(f.FrameErrorRate, 4),
                ["int8_agreement_argmax"] = Math.Round(f.Int8Agreement, 5),
                ["int8_agreement_decisions"] = Math.Round(f.Int8DecisionAgreement, 5),
                ["walks_classified_major"] = $"{f.MajorClassified}/{f.MajorEvents}",
            }, latticeFloor);
            JsonObject? paired = null;
            if (baselineModel is not null)
            {
                // The baseline behind its own front end: the scenes, music and lead-in stay the candidate's.
                var baseVariant = variant with
                {
                    CancelFans = baselineModel.FanCanceller, GuardDistortion = baselineModel.DistortionGuard, FastStart = baselineModel.FastStart,
                    CancellerTaps = baselineModel.CancellerTaps, LatticeCanceller = baselineModel.LatticeCanceller,
                    LatticePowerFloor = baselineModel.LatticeCanceller ? baselineModel.LatticePowerFloor : LatticeDistortionCanceller.DefaultPowerFloor,
                };
                var b = SensingEvaluation.Figures(baseVariant == variant ? runs : Simulate(baseVariant, " behind the baseline's front end"), baselineModel);
                paired = PairedJson(result.GetValue(baseline)!, f, b, PairedFigures.Compare(f, b));
                if (result.GetValue(json))
                {
                    figures["paired"] = paired;
                }
            }

            (EchoShift, EchoShift) early(LateWalk w) => EchoDoppler.EarlyWalk(w.Kind, w.Seed, geometry, evalLeadIn, SensingFigures.LatencyTargetSeconds);
            if (result.GetValue(list) && result.GetValue(json))
            {
                figures["late_walks"] = new JsonArray([.. f.LateWalks.Select(w =>
                {
                    var (torso, strongest) = early(w);
                    return (JsonNode)new JsonObject
                    {
                        ["kind"] = KindName(w.Kind), ["seed"] = w.Seed, ["onset_s"] = Math.Round(w.OnsetSeconds, 3), ["closest_m"] = Math.Round(w.ClosestMeters, 2),
                        ["music"] = w.WithMusic, ["music_from_s"] = Round(w.MusicFromSeconds), ["latency_ms"] = w.LatencySeconds is { } l ? Math.Round(1000 * l, 1) : null,
                        ["early_shift_hz_torso"] = Math.Round(torso.ShiftHz, 1), ["early_shift_hz"] = Math.Round(strongest.ShiftHz, 1),
                        ["early_level_db"] = Math.Round(strongest.LevelDb, 1),
                    };
                })]);
                figures["missed_small_movements"] = new JsonArray([.. f.MissedSmallMoves.Select(m => (JsonNode)new JsonObject
                {
                    ["seed"] = m.Seed, ["onset_s"] = Math.Round(m.OnsetSeconds, 3), ["duration_s"] = Math.Round(m.DurationSeconds, 3),
                    ["closest_m"] = Math.Round(m.ClosestMeters, 2), ["music"] = m.WithMusic, ["music_from_s"] = Round(m.MusicFromSeconds),
                })]);
                figures["room_alarms"] = new JsonArray([.. f.RoomAlarms.Select(a => (JsonNode)new JsonObject
                {
                    ["seed"] = a.Seed, ["t"] = Math.Round(a.Seconds, 3), ["kind"] = a.Major ? "major" : "minor",
                    ["confidence"] = Math.Round(a.Confidence, 4), ["music"] = a.WithMusic, ["music_from_s"] = Round(a.MusicFromSeconds),
                    ["fan_locked_t"] = a.FanLockSeconds is { } t ? Math.Round(t, 3) : null,
                })]);
                figures["spurious_events"] = new JsonArray([.. f.SpuriousAlarms.Select(a => (JsonNode)new JsonObject
                {
                    ["scene"] = KindName(a.Kind), ["seed"] = a.Seed, ["t"] = Math.Round(a.Seconds, 3), ["kind"] = a.Major ? "major" : "minor",
                    ["confidence"] = Math.Round(a.Confidence, 4), ["music"] = a.WithMusic, ["music_from_s"] = Round(a.MusicFromSeconds),
                    ["fan_locked_t"] = a.FanLockSeconds is { } t ? Math.Round(t, 3) : null,
                })]);
            }

            io.Out.WriteLine(result.GetValue(json) ? figures.ToJsonString(JsonOutput.Indented)
                : string.Join(Environment.NewLine, figures.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key,-36} {kv.Value}"))));
            if (paired is not null && !result.GetValue(json))
            {
                io.Out.WriteLine(PairedTable(paired));
            }

            if (result.GetValue(list) && !result.GetValue(json))
            {
                io.Out.WriteLine(Listing(f, early));
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
