using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SpatialAudio.Filters.Audio;
using SpatialAudio.Filters.Wav;
using SpatialAudio.Spatial.Upmix;
using Spectre.Console;

namespace SpatialAudio.Cli.Commands;

/// <summary><c>spatial upmix IN.wav OUT.wav</c> (L', R', C as three channels) and <c>spatial upmix --evaluate</c>.</summary>
internal static class UpmixCommand
{
    public static Command Create(CliIo io)
    {
        var input = new Argument<string?>("input") { Description = "Stereo WAV.", Arity = ArgumentArity.ZeroOrOne };
        var output = new Argument<string?>("output") { Description = "Three-channel WAV: L', R', C (float32, WAVE_FORMAT_EXTENSIBLE).", Arity = ArgumentArity.ZeroOrOne };
        var evaluate = new Option<bool>("--evaluate") { Description = "Instead of a file: measure the upmixer on built-in mixes with known parts and print the figures." };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON." };
        var command = new Command("upmix", "Split stereo into L', R' and C (adaptive centre extraction; L' + C and R' + C give back L and R).")
        {
            input, output, evaluate, json,
        };
        command.SetAction(result =>
        {
            if (result.GetValue(evaluate))
            {
                return Evaluate(io, result.GetValue(json));
            }

            var inputPath = result.GetValue(input) ?? throw new CliException("give IN.wav and OUT.wav, or --evaluate.");
            var outputPath = result.GetValue(output) ?? throw new CliException("give OUT.wav (three channels: L', R', C).");
            return Upmix(io, inputPath, outputPath);
        });
        return command;
    }

    private static int Upmix(CliIo io, string inputPath, string outputPath)
    {
        CommonOptions.RequireFile(inputPath, "Input");
        CommonOptions.RequireDistinct(inputPath, outputPath);
        using var reader = WavReader.Open(inputPath);
        if (reader.Format.Channels != 2)
        {
            throw new CliException($"{inputPath}: {reader.Format.Channels} channel(s); upmix needs a stereo file.");
        }

        var rate = reader.Format.SampleRateHz;
        var upmixer = new LrcUpmixer(rate);
        const int block = 4096;
        var interleaved = new float[2 * block];
        var planar = new[] { new float[block], new float[block] };
        var outs = new[] { new float[block], new float[block], new float[block] };
        var total = reader.FileFormat.FrameCount ?? 0;
        long done = 0;
        io.WithProgress($"Upmixing {Path.GetFileName(inputPath)}", progress =>
        {
            using var writer = WavWriter.Create(outputPath, new AudioFormat(rate, 3), WavEncoding.IeeeFloat32);
            var skip = upmixer.LatencySamples;     // drop the latency so the output lines up with the input
            var flush = upmixer.LatencySamples;
            while (true)
            {
                var read = reader.Read(interleaved) / 2;
                var frames = read;
                if (read == 0)
                {
                    if (flush <= 0)
                    {
                        break;
                    }

                    frames = Math.Min(block, flush);
                    flush -= frames;
                    Array.Clear(interleaved);
                }

                Interleaving.Deinterleave(interleaved.AsSpan(0, 2 * frames), planar, 0);
                upmixer.Process(planar[0].AsSpan(0, frames), planar[1].AsSpan(0, frames), outs[0].AsSpan(0, frames), outs[1].AsSpan(0, frames), outs[2].AsSpan(0, frames));
                var from = Math.Min(skip, frames);
                skip -= from;
                writer.WritePlanar(outs, from, frames - from);
                done += read;
                progress(total > 0 ? (double)done / total : 0);
            }

            writer.Complete();
        });

        io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{outputPath}: {done} frames, 3 ch (L', R', C), {rate} Hz; L' + C = L and R' + C = R."));
        return ExitCodes.Success;
    }

    private static int Evaluate(CliIo io, bool json)
    {
        var figures = new[] { UpmixEvaluation.DemoClipMix(), UpmixEvaluation.NoiseMix() };
        var pumping = UpmixEvaluation.SteadyToneModulationDb();
        if (json)
        {
            io.Out.WriteLine(JsonSerializer.Serialize(new { Mixes = figures, SteadyToneModulationDb = Math.Round(pumping, 3) }, JsonOutput.Indented));
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("mix", "passive leakage dB", "adaptive leakage dB", "improvement dB (>= 15)", "centre suppression in L'/R' dB (>= 15)", "reconstruction error dB (<= -60)");
        foreach (var f in figures)
        {
            table.AddRow(f.Mix, F(f.PassiveLeakageDb), F(f.LeakageDb), F(f.LeakageImprovementDb), F(f.CenterSuppressionDb), F(f.ReconstructionErrorDb));
        }

        io.Console.Write(table);
        io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Steady centred 1 kHz tone under side noise: level modulation in C {pumping:0.000} dB peak to peak (pumping)."));
        return ExitCodes.Success;
    }

    private static string F(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
}
