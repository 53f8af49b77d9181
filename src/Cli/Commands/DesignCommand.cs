using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using SpatialAudio.Drivers.Measurements;
using SpatialAudio.Spatial.Design;
using SpatialAudio.Spatial.Design.Report;

namespace SpatialAudio.Cli.Commands;

/// <summary><c>spatial design --device DIR --out DIR</c>: render matrices for every preset, report.html, metrics.json.</summary>
internal static class DesignCommand
{
    public static Command Create(CliIo io)
    {
        var device = new Option<string>("--device") { Description = "Device folder (device.json + driver measurements), e.g. measurements/studio5.", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder (must not exist unless --force): one folder per preset, report.html, metrics.json.", Required = true };
        var firLength = new Option<int>("--fir-length") { Description = "Taps per FIR at the device rate (power of two).", DefaultValueFactory = _ => new DesignOptions().FirLength };
        var force = new Option<bool>("--force") { Description = "Replace the output folder if it exists." };
        var json = new Option<bool>("--json") { Description = "Print metrics.json to stdout instead of the summary table." };
        var command = new Command("design", "Design the render matrices (spatial, ctc, matrix, bypass) for a device and write the design report.")
        {
            device, output, firLength, force, json,
        };
        command.SetAction(result => Run(io, result.GetValue(device)!, result.GetValue(output)!, result.GetValue(firLength), result.GetValue(force), result.GetValue(json)));
        return command;
    }

    /// <summary>Designs and writes everything into <paramref name="outputFolder"/> (temp sibling + rename).</summary>
    public static DesignResult DesignInto(CliIo io, string deviceFolder, string outputFolder, DesignOptions options, bool force)
    {
        var devicePath = Directory.Exists(deviceFolder) ? Path.Combine(deviceFolder, MeasuredDevice.DeviceFileName) : deviceFolder;
        if (!File.Exists(devicePath))
        {
            throw new CliException($"{devicePath}: device description not found (give a device folder with device.json, e.g. measurements/studio5).");
        }

        var target = Path.GetFullPath(outputFolder).TrimEnd(Path.DirectorySeparatorChar);
        if ((Directory.Exists(target) || File.Exists(target)) && !force)
        {
            throw new CliException($"{target}: output folder already exists (use --force to replace it).");
        }

        DesignResult? result = null;
        io.WithProgress($"Designing {Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(devicePath)))}", progress =>
        {
            var peek = Drivers.Devices.DeviceFile.Load(devicePath);
            var acoustics = MeasuredDevice.Load(devicePath, peek.SampleRateHz);
            result = RenderMatrixDesigner.Design(acoustics, options, new Progress(progress));
        });

        var parent = Path.GetDirectoryName(target) ?? ".";
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(target)}.tmp-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(temp);
            foreach (var preset in result!.Presets.Values)
            {
                var folder = Path.Combine(temp, preset.Preset);
                Directory.CreateDirectory(folder);
                preset.WriteInto(folder);
            }

            File.WriteAllText(Path.Combine(temp, "metrics.json"), result.Metrics.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            File.WriteAllText(Path.Combine(temp, "report.html"), DesignReport.Html(result));
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }
            else if (File.Exists(target))
            {
                throw new CliException($"{target}: is a file, not a folder.");
            }

            Directory.Move(temp, target);
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }

        return result;
    }

    private static int Run(CliIo io, string deviceFolder, string outputFolder, int firLength, bool force, bool json)
    {
        var options = new DesignOptions { FirLength = firLength, GridFftLength = Math.Max(new DesignOptions().GridFftLength, 4 * firLength) };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CliException($"--fir-length: {e.Message}");
        }

        var result = DesignInto(io, deviceFolder, outputFolder, options, force);
        if (json)
        {
            io.Out.WriteLine(result.Metrics.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Success;
        }

        PrintSummary(io, result, outputFolder);
        return ExitCodes.Success;
    }

    public static void PrintSummary(CliIo io, DesignResult result, string outputFolder)
    {
        var table = new Table().AddColumns("preset", "sep. sphere dB", "sep. KEMAR dB", "sep. region dB", "min band dB", "null depth dB", "DI dB", "gain over matrix dB");
        foreach (var name in RenderMatrixDesigner.PresetNames)
        {
            var m = result.Metrics["presets"]![name]!;
            table.AddRow(name, F(m["separation_sphere_db"]), F(m["separation_kemar_db"]), F(m["separation_region_mean_db"]),
                F(m["separation_sphere_min_band_db"]), F(m["beam"]!["null_depth_db"]), F(m["beam"]!["directivity_index_db"]), F(m["filters"]!["max_gain_over_matrix_db"]));
        }

        io.Console.Write(table);
        var latency = result.Metrics["latency_ms"]!.GetValue<double>();
        io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFullPath(outputFolder)}: {result.Presets.Count} presets, FIR {result.Context.Options.FirLength} taps, latency {latency:0.##} ms, designed in {result.DesignSeconds:0.0} s; open report.html"));
    }

    private static string F(System.Text.Json.Nodes.JsonNode? node) =>
        node is null ? "-" : node.GetValue<double>().ToString("0.0", CultureInfo.InvariantCulture);

    private sealed class Progress(Action<double> report) : IProgress<(string Stage, double Fraction)>
    {
        public void Report((string Stage, double Fraction) value) => report(value.Fraction);
    }
}
