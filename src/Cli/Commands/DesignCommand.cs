using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Measurements;
using SpatialAudio.Spatial.Design;
using SpatialAudio.Spatial.Design.Assembly;
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
        var presets = new Option<string>("--presets") { Description = $"Comma-separated presets to write (default: all of {string.Join(", ", RenderMatrixDesigner.PresetNames)})." };
        var force = new Option<bool>("--force") { Description = "Replace the output folder if it exists." };
        var json = new Option<bool>("--json") { Description = "Print metrics.json to stdout instead of the summary table." };
        var command = new Command("design", "Design the render matrices (spatial, ctc, matrix, bypass) for a device and write the design report.")
        {
            device, output, firLength, presets, force, json,
        };
        command.SetAction(result => Run(io, result.GetValue(device)!, result.GetValue(output)!, result.GetValue(firLength), result.GetValue(presets), result.GetValue(force), result.GetValue(json)));
        return command;
    }

    /// <summary>Designs and writes everything into <paramref name="outputFolder"/> (temp sibling + rename).</summary>
    public static DesignResult DesignInto(CliIo io, string deviceFolder, string outputFolder, DesignOptions options, bool force, IReadOnlyCollection<string>? presets = null)
    {
        var devicePath = Directory.Exists(deviceFolder) ? Path.Combine(deviceFolder, MeasuredDevice.DeviceFileName) : deviceFolder;
        if (!File.Exists(devicePath))
        {
            throw new CliException($"{devicePath}: device description not found (give a device folder with device.json, e.g. measurements/studio5).");
        }

        var description = DeviceFile.Load(devicePath);
        CheckMeasurements(devicePath, description);
        try
        {
            options = DesignBrief.Apply(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(devicePath))!, DesignBrief.FileName), options);
        }
        catch (InvalidDataException e)
        {
            throw new CliException(e.Message);
        }

        var target = Path.GetFullPath(outputFolder).TrimEnd(Path.DirectorySeparatorChar);
        if ((Directory.Exists(target) || File.Exists(target)) && !force)
        {
            throw new CliException($"{target}: output folder already exists (use --force to replace it).");
        }

        DesignResult? result = null;
        io.WithProgress($"Designing {Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(devicePath)))}", progress =>
        {
            var acoustics = MeasuredDevice.Load(devicePath, description.SampleRateHz);
            result = RenderMatrixDesigner.Design(acoustics, options, new Progress(progress));
        });
        var design = result!;

        var parent = Path.GetDirectoryName(target) ?? ".";
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(target)}.tmp-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(temp);
            foreach (var preset in design.Presets.Values.Where(p => presets is null || presets.Contains(p.Preset)))
            {
                var folder = Path.Combine(temp, preset.Preset);
                Directory.CreateDirectory(folder);
                preset.WriteInto(folder);
            }

            File.WriteAllText(Path.Combine(temp, "metrics.json"), design.Metrics.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            File.WriteAllText(Path.Combine(temp, "report.html"), DesignReport.Html(design));
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

        return design;
    }

    private static int Run(CliIo io, string deviceFolder, string outputFolder, int firLength, string? presetList, bool force, bool json)
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

        var presets = ParsePresets(presetList);
        var result = DesignInto(io, deviceFolder, outputFolder, options, force, presets);
        if (json)
        {
            io.Out.WriteLine(result.Metrics.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Success;
        }

        PrintSummary(io, result, outputFolder, presets);
        return ExitCodes.Success;
    }

    /// <summary>The presets named by <c>--presets</c> (null: all).</summary>
    internal static IReadOnlyCollection<string>? ParsePresets(string? list)
    {
        if (string.IsNullOrWhiteSpace(list))
        {
            return null;
        }

        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var name in names)
        {
            if (!RenderMatrixDesigner.PresetNames.Contains(name))
            {
                throw new CliException($"--presets: unknown preset '{name}' (expected one or more of {string.Join(", ", RenderMatrixDesigner.PresetNames)}).");
            }
        }

        return names.Length == 0 ? throw new CliException("--presets: no preset named.") : names;
    }

    /// <summary>
    /// Checks every driver measurement before the (long) design: it must be measured at least at the device rate (a lower
    /// rate leaves the top of the band unmeasured; higher rates are converted) and cover the horizontal plane from -90 to
    /// +90 degrees around the driver's axis (the listener, the beam nulls at +/-90 degrees and the listening region all lie
    /// there). Drivers without a measurement are modelled as omnidirectional point sources.
    /// </summary>
    internal static void CheckMeasurements(string devicePath, DeviceDescription device)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(devicePath)) ?? ".";
        foreach (var driver in device.Drivers.Where(d => d.MeasurementPath is not null))
        {
            var path = Path.Combine(folder, driver.MeasurementPath!);
            DriverMeasurement measurement;
            try
            {
                measurement = MeasurementFile.Load(path);
            }
            catch (ArgumentException e)
            {
                throw new DeviceFileException(path, "measurement", e.Message, e);
            }

            if (measurement.SampleRateHz < device.SampleRateHz)
            {
                throw new CliException($"{path}: measured at {measurement.SampleRateHz} Hz, below the device rate {device.SampleRateHz} Hz (sample-rate mismatch: the band above {measurement.SampleRateHz / 2} Hz is unmeasured); measure at {device.SampleRateHz} Hz or more.");
            }

            var horizontal = measurement.Points.Where(p => Math.Abs(p.Angle.ElevationDeg) < 1e-6).Select(p => p.Angle.AzimuthDeg).ToArray();
            if (horizontal.Length == 0 || horizontal.Min() > -90 + 1e-6 || horizontal.Max() < 90 - 1e-6)
            {
                var range = horizontal.Length == 0 ? "no horizontal-plane points" : string.Create(CultureInfo.InvariantCulture, $"azimuth {horizontal.Min():0.#}..{horizontal.Max():0.#} deg");
                throw new CliException($"{path}: driver '{driver.Id}' measurements do not cover the needed angles ({range}; the design needs the horizontal plane from -90 to +90 deg).");
            }
        }
    }

    /// <summary>Prints the summary table of <paramref name="result"/> (only <paramref name="presets"/> when given).</summary>
    public static void PrintSummary(CliIo io, DesignResult result, string outputFolder, IReadOnlyCollection<string>? presets = null)
    {
        var table = new Table().AddColumns("preset", "sep. sphere dB", "sep. KEMAR dB", "sep. region dB", "min band dB", "null depth dB", "DI dB", "gain over matrix dB", "truncation dB", "headroom dB");
        var written = RenderMatrixDesigner.PresetNames.Where(n => presets is null || presets.Contains(n)).ToArray();
        foreach (var name in written)
        {
            var m = result.Metrics["presets"]![name]!;
            table.AddRow(name, F(m["separation_sphere_db"]), F(m["separation_kemar_db"]), F(m["separation_region_mean_db"]),
                F(m["separation_sphere_min_band_db"]), F(m["beam"]!["null_depth_db"]), F(m["beam"]!["directivity_index_db"]), F(m["filters"]!["max_gain_over_matrix_db"]),
                F(m["filters"]!["truncation_error_db"]), F(m["filters"]!["headroom_gain_db"]));
        }

        io.Console.Write(table);
        var latency = result.Metrics["latency_ms"]!.GetValue<double>();
        io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFullPath(outputFolder)}: {written.Length} presets, FIR {result.Context.Options.FirLength} taps, latency {latency:0.##} ms, designed in {result.DesignSeconds:0.0} s; open report.html"));
    }

    private static string F(System.Text.Json.Nodes.JsonNode? node) =>
        node is null ? "-" : node.GetValue<double>().ToString("0.0", CultureInfo.InvariantCulture);

    private sealed class Progress(Action<double> report) : IProgress<(string Stage, double Fraction)>
    {
        public void Report((string Stage, double Fraction) value) => report(value.Fraction);
    }
}
