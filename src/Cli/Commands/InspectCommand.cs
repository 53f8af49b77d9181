using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SpatialAudio.Drivers.Heads;
using Spectre.Console;

namespace SpatialAudio.Cli.Commands;

/// <summary><c>spatial inspect ...</c>: look at the physical models the designer builds on.</summary>
internal static class InspectCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("inspect", "Inspect the models the designer uses (head models, ...).");
        command.Subcommands.Add(CreateHrtf(io));
        return command;
    }

    private static Command CreateHrtf(CliIo io)
    {
        var sofa = new Option<string>("--sofa")
        {
            Description = "AES69 SOFA file of measured HRTFs (read through libmysofa).",
            DefaultValueFactory = _ => SofaHeadModel.DebianKemarPath,
        };
        var radius = new Option<double>("--head-radius") { Description = "Rigid-sphere head radius in meters.", DefaultValueFactory = _ => 0.0875 };
        var distance = new Option<double>("--distance") { Description = "Source distance in meters for the sphere model.", DefaultValueFactory = _ => 1.4 };
        var step = new Option<double>("--step") { Description = "Azimuth step in degrees over 0..90.", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "Both tables as one JSON object on stdout." };
        var command = new Command("hrtf", "ITD and ILD over azimuth 0..90 deg: the rigid-sphere model (Duda & Martens 1998) against measured HRTFs (MIT KEMAR by default).")
        {
            sofa, radius, distance, step, json,
        };
        command.SetAction(result => RunHrtf(io, result.GetValue(sofa)!, result.GetValue(radius), result.GetValue(distance), result.GetValue(step), result.GetValue(json)));
        return command;
    }

    private static int RunHrtf(CliIo io, string sofaPath, double radiusMeters, double distanceMeters, double stepDeg, bool json)
    {
        if (!(stepDeg >= 1 && stepDeg <= 90))
        {
            throw new CliException($"--step {stepDeg.ToString(CultureInfo.InvariantCulture)} must be 1..90 degrees.");
        }

        if (!(radiusMeters is > 0.03 and < 0.2))
        {
            throw new CliException($"--head-radius {radiusMeters.ToString(CultureInfo.InvariantCulture)} m is not a plausible head radius (0.03..0.2 m).");
        }

        if (!(distanceMeters is > 0.1 and <= 100))
        {
            throw new CliException($"--distance {distanceMeters.ToString(CultureInfo.InvariantCulture)} m must be 0.1..100 m.");
        }

        CommonOptions.RequireFile(sofaPath, "SOFA file");
        var azimuths = new List<double>();
        for (var az = 0.0; az <= 90.0 + 1e-9; az += stepDeg)
        {
            azimuths.Add(az);
        }

        var sphere = InterauralAnalysis.Table(new SphericalHeadModel(radiusMeters), azimuths, distanceMeters);
        var measured = InterauralAnalysis.Table(SofaHeadModel.Open(sofaPath), azimuths);
        if (json)
        {
            io.Out.WriteLine(JsonSerializer.Serialize(new { sphere, measured }, JsonOutput.Options));
            return ExitCodes.Success;
        }

        var table = new Table().AddColumn("az");
        table.AddColumn("ITD sphere us").AddColumn("ITD measured us");
        foreach (var band in sphere.BandCentersHz)
        {
            table.AddColumn(Fmt($"ILD {band / 1000:0.##}k dB"));
        }

        for (var i = 0; i < azimuths.Count; i++)
        {
            var s = sphere.Rows[i];
            var m = measured.Rows[i];
            var cells = new List<string>
            {
                Fmt($"{azimuths[i]:0}"),
                Fmt($"{Math.Round(s.ItdCrossCorrelationSeconds * 1e6) + 0.0:0}"),
                Fmt($"{Math.Round(m.ItdCrossCorrelationSeconds * 1e6) + 0.0:0}"),
            };
            for (var b = 0; b < sphere.BandCentersHz.Length; b++)
            {
                cells.Add(Fmt($"{s.IldBandsDb[b]:0.0} / {m.IldBandsDb[b]:0.0}"));
            }

            table.AddRow([.. cells]);
        }

        io.Console.Write(table);
        io.Out.WriteLine(Fmt($"Measured: {measured.ModelName} ({sofaPath}). ILD columns: sphere / measured."));
        io.Out.WriteLine(Fmt($"ITD: cross-correlation peak of the IRs low-passed at 1.5 kHz (positive = left ear leads). ILD: 1/3-octave band level, left minus right. Sphere a = {radiusMeters} m, source at {distanceMeters} m."));
        return ExitCodes.Success;
    }

    private static string Fmt(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
