using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SpatialAudio.Filters.Loudness;
using SpatialAudio.Filters.Wav;
using Spectre.Console;

namespace SpatialAudio.Cli.Commands;

/// <summary><c>spatial info FILE.wav</c>: format, peaks, true peak and BS.1770 loudness of a WAV file, streamed.</summary>
internal static class InfoCommand
{
    public static Command Create(CliIo io)
    {
        var files = new Argument<string[]>("files") { Description = "WAV files to measure.", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "One JSON object per file on stdout instead of a table." };
        var command = new Command("info", "Show a WAV file's format, sample and true peaks (dBTP) and ITU-R BS.1770-4 loudness (LUFS).")
        {
            files, json,
        };
        command.SetAction(result => Run(io, result.GetValue(files)!, result.GetValue(json)));
        return command;
    }

    /// <summary>What <c>spatial info</c> measures for one file.</summary>
    internal sealed record FileInfoReport(
        string File, int SampleRateHz, int Channels, string Encoding, string ChannelMask, long Frames, double DurationSeconds,
        double IntegratedLufs, double LoudnessRangeLu, double TruePeakDbtp, double SamplePeakDbfs, double[] ChannelTruePeaksDbtp);

    internal static FileInfoReport Measure(string path)
    {
        CommonOptions.RequireFile(path, "Input");
        using var reader = WavReader.Open(path);
        var format = reader.Format;
        var loudness = new LoudnessMeter(format.SampleRateHz, format.Channels);
        var peaks = new TruePeakMeter(format.SampleRateHz, format.Channels);
        var buffer = new float[4096 * format.Channels];
        long frames = 0;
        int read;
        while ((read = reader.Read(buffer)) > 0)
        {
            var block = buffer.AsSpan(0, read);
            loudness.ProcessInterleaved(block);
            peaks.ProcessInterleaved(block);
            frames += read / format.Channels;
        }

        var channelPeaks = new double[format.Channels];
        for (var c = 0; c < channelPeaks.Length; c++)
        {
            channelPeaks[c] = 20 * Math.Log10(peaks.GetTruePeak(c));
        }

        return new FileInfoReport(path, format.SampleRateHz, format.Channels, reader.FileFormat.Encoding.ToString(),
            reader.FileFormat.ChannelMask.ToString(), frames, frames / (double)format.SampleRateHz,
            loudness.IntegratedLoudness, loudness.LoudnessRange, peaks.TruePeakDbtp, peaks.SamplePeakDbfs, channelPeaks);
    }

    private static int Run(CliIo io, string[] paths, bool json)
    {
        var reports = paths.Select(Measure).ToList();
        if (json)
        {
            foreach (var report in reports)
            {
                io.Out.WriteLine(JsonSerializer.Serialize(report, JsonOutput.Options));
            }

            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("file", "format", "duration", "integrated", "LRA", "true peak", "sample peak");
        foreach (var r in reports)
        {
            table.AddRow(
                Markup.Escape(r.File),
                Markup.Escape($"{r.SampleRateHz} Hz, {r.Channels} ch, {r.Encoding}"),
                Fmt($"{r.DurationSeconds:0.###} s"),
                Fmt($"{r.IntegratedLufs:0.0} LUFS"),
                Fmt($"{r.LoudnessRangeLu:0.0} LU"),
                Fmt($"{r.TruePeakDbtp:0.00} dBTP"),
                Fmt($"{r.SamplePeakDbfs:0.00} dBFS"));
        }

        io.Console.Write(table);
        return ExitCodes.Success;
    }

    private static string Fmt(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
