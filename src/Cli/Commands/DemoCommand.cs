using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Measurements;
using SpatialAudio.Filters.Loudness;
using SpatialAudio.Filters.Wav;
using SpatialAudio.Spatial.Design;
using SpatialAudio.Spatial.Rendering;
using SpatialAudio.Spatial.Stimuli;
using Spectre.Console;

namespace SpatialAudio.Cli.Commands;

/// <summary>
/// <c>spatial demo</c>: the main job on built-in defaults. Synthesizes a stereo clip with known parts (a centred
/// voice and bass, an instrument hard left, another hard right), designs the render matrices of the bundled
/// <c>studio5</c> device, renders the clip in every preset, writes the driver WAVs, headphone previews (measured KEMAR
/// HRTFs, listener 2 m on axis) and the design report, and prints the headline figures.
/// </summary>
internal static class DemoCommand
{
    private const string DeviceName = "studio5";

    public static Command Create(CliIo io)
    {
        var output = new Option<string>("--out") { Description = "Folder for the clip, driver WAVs, headphone previews, design report and metrics.json.", DefaultValueFactory = _ => "demo-output" };
        var seconds = new Option<double>("--seconds") { Description = "Length of the synthesized clip in seconds (0.5..600).", DefaultValueFactory = _ => 8.0 };
        var json = new Option<bool>("--json") { Description = "Print the metrics as JSON on stdout instead of tables." };
        var command = new Command("demo", "Design and render a built-in clip on the built-in studio5 device in every preset; write WAVs, headphone previews and the design report.")
        {
            output, seconds, json,
        };
        command.SetAction(result => Run(io, result.GetValue(output)!, result.GetValue(seconds), result.GetValue(json)));
        return command;
    }

    private static int Run(CliIo io, string folder, double seconds, bool json)
    {
        if (!(seconds >= 0.5 && seconds <= 600))
        {
            throw new CliException($"--seconds {seconds.ToString(CultureInfo.InvariantCulture)}: must be 0.5..600.");
        }

        Directory.CreateDirectory(folder);
        var device = FindDevice(io, folder);

        var clip = DemoClip.Synthesize(48000, seconds);
        var clipPath = Path.Combine(folder, "clip.wav");
        WavFile.Write(clipPath, clip.SampleRateHz, new[] { clip.Left, clip.Right }, WavEncoding.IeeeFloat32);

        var designFolder = Path.Combine(folder, "design");
        var design = DesignCommand.DesignInto(io, device, designFolder, new DesignOptions(), force: true);
        var acoustics = RenderCommand.LoadDevice(device);
        var haveKemar = design.Kemar is not null;
        var renders = new List<RenderCommand.RenderSummary>();
        foreach (var preset in RenderMatrixDesigner.PresetNames)
        {
            var matrix = design.Presets[preset];
            var drivers = Path.Combine(folder, $"{preset}-drivers.wav");
            var headphones = haveKemar ? Path.Combine(folder, $"{preset}-headphones.wav") : null;
            renders.Add(RenderCommand.Render(io, clipPath, drivers, matrix, acoustics, new RendererOptions(), headphones, new Vector3D(2, 0, 0)));
        }

        var previewGainsDb = haveKemar ? MatchPreviewLoudness([.. renders.Select(r => r.Binaural!)]) : null;
        var metrics = new
        {
            Device = design.Context.Acoustics.Device.Name,
            ClipSeconds = Math.Round(clip.FrameCount / (double)clip.SampleRateHz, 3),
            DesignSeconds = Math.Round(design.DesignSeconds, 2),
            LatencyMs = renders[0].LatencyMs,
            Presets = RenderMatrixDesigner.PresetNames.Select((name, i) => new
            {
                Preset = name,
                SeparationSphereDb = Value(design, name, "separation_sphere_db"),
                SeparationKemarDb = Value(design, name, "separation_kemar_db"),
                BeamNullDepthDb = design.Metrics["presets"]![name]!["beam"]!["null_depth_db"]!.GetValue<double>(),
                renders[i].RealTimeFactor,
                renders[i].LimiterMaxReductionDb,
                DriversWav = Path.GetFileName(renders[i].Output),
                HeadphonesWav = renders[i].Binaural is null ? null : Path.GetFileName(renders[i].Binaural),
                HeadphonesGainDb = previewGainsDb?[i],
            }).ToArray(),
            Report = Path.Combine("design", "report.html"),
        };
        File.WriteAllText(Path.Combine(folder, "metrics.json"), JsonSerializer.Serialize(metrics, JsonOutput.Indented) + "\n");
        if (json)
        {
            io.Out.WriteLine(JsonSerializer.Serialize(metrics, JsonOutput.Indented));
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("preset", "separation sphere dB", "separation KEMAR dB", "centre null at ±90° dB", "render x real time", "driver WAV", "headphone preview");
        foreach (var p in metrics.Presets)
        {
            table.AddRow(p.Preset, F(p.SeparationSphereDb), F(p.SeparationKemarDb), F(p.BeamNullDepthDb), F(p.RealTimeFactor), p.DriversWav, p.HeadphonesWav ?? "-");
        }

        io.Console.Write(table);
        io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFullPath(folder)}: clip.wav ({metrics.ClipSeconds:0.#} s), driver WAVs and headphone previews per preset (previews matched in loudness), design/report.html (open it), metrics.json. Latency {metrics.LatencyMs:0.0} ms."));
        if (!haveKemar)
        {
            io.Error.WriteLine("note: headphone previews need the measured KEMAR HRTFs (apt-get install libmysofa1).");
        }

        return ExitCodes.Success;
    }

    // The presets play at different levels (each keeps its own headroom), and the louder of two renderings tends to be
    // preferred in a comparison by ear: the headphone previews are brought to the integrated loudness (BS.1770) of the
    // quietest, only ever attenuated, so nothing clips. Returns the gain applied to each, dB.
    private static double[] MatchPreviewLoudness(IReadOnlyList<string> paths)
    {
        var previews = paths.Select(p => WavFile.ReadAll(p)).ToArray();
        var loudness = previews.Select(w =>
        {
            var meter = new LoudnessMeter(w.Format.SampleRateHz, w.Channels.Length);
            var planar = w.Channels.SelectMany(c => c).ToArray();
            meter.ProcessPlanar(planar, w.FrameCount);
            return meter.IntegratedLoudness;
        }).ToArray();
        var target = loudness.Where(double.IsFinite).DefaultIfEmpty(0).Min();
        var gains = new double[previews.Length];
        for (var i = 0; i < previews.Length; i++)
        {
            gains[i] = double.IsFinite(loudness[i]) ? Math.Round(target - loudness[i], 2) : 0;
            if (gains[i] == 0)
            {
                continue;
            }

            var scale = (float)Math.Pow(10, gains[i] / 20);
            foreach (var channel in previews[i].Channels)
            {
                for (var k = 0; k < channel.Length; k++)
                {
                    channel[k] *= scale;
                }
            }

            var temp = paths[i] + ".tmp";
            WavFile.Write(temp, previews[i].Format.SampleRateHz, previews[i].Channels, WavEncoding.IeeeFloat32);
            File.Move(temp, paths[i], overwrite: true);
        }

        return gains;
    }

    // The bundled device from the repository; outside a checkout, regenerated from its built-in description.
    private static string FindDevice(CliIo io, string folder)
    {
        if (CommonOptions.FindInRepository(Path.Combine("measurements", DeviceName, MeasuredDevice.DeviceFileName)) is { } found)
        {
            return Path.GetDirectoryName(found)!;
        }

        var generated = Path.Combine(folder, "measurements");
        io.Error.WriteLine($"measurements/{DeviceName} not found above the current folder: regenerating it in {generated}");
        BundledDevices.Generate(generated, DeviceName);
        return Path.Combine(generated, DeviceName);
    }

    private static double? Value(DesignResult design, string preset, string key) =>
        design.Metrics["presets"]![preset]![key]?.GetValue<double>();

    private static string F(double? value) => value?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-";
}
