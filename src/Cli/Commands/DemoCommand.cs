using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SpatialAudio.Filters.Convolution;
using SpatialAudio.Filters.Design;
using SpatialAudio.Filters.Fft;
using SpatialAudio.Filters.Iir;
using SpatialAudio.Filters.Loudness;
using SpatialAudio.Filters.Resampling;
using SpatialAudio.Filters.Wav;
using SpatialAudio.Spatial.Stimuli;
using Spectre.Console;

namespace SpatialAudio.Cli.Commands;

/// <summary>
/// <c>spatial demo</c>: the main job on built-in defaults. Until the renderer exists it runs the DSP core end to end
/// on a synthesized clip: a bass-managed three-driver render through the MIMO convolver, the 48 -> 96 kHz sensing-rate
/// conversion, BS.1770 loudness and true peak, and prints what it measured.
/// </summary>
internal static class DemoCommand
{
    private const int SampleRateHz = 48000;
    private const int SensingRateHz = 96000;
    private const int BlockSize = 256;
    private const int FirLength = 4096;
    private const double CrossoverHz = 250;

    public static Command Create(CliIo io)
    {
        var output = new Option<string>("--out") { Description = "Folder for the WAV files and metrics.json.", DefaultValueFactory = _ => "demo-output" };
        var seconds = new Option<double>("--seconds") { Description = "Length of the synthesized clip in seconds (0.5..600).", DefaultValueFactory = _ => 8.0 };
        var json = new Option<bool>("--json") { Description = "Print the metrics as JSON on stdout instead of a table." };
        var command = new Command("demo", "Run the DSP core end to end on a built-in clip and device layout; print the figures.")
        {
            output, seconds, json,
        };
        command.SetAction(result => Run(io, result.GetValue(output)!, result.GetValue(seconds), result.GetValue(json)));
        return command;
    }

    /// <summary>The demo's figures, also written to <c>metrics.json</c>.</summary>
    internal sealed record DemoMetrics(
        double ClipSeconds,
        double ClipIntegratedLufs,
        double ClipTruePeakDbtp,
        int ConvolverBlockSize,
        int ConvolverFirLength,
        double ConvolverRealTimeFactor,
        double CrossoverSumDeviationDb,
        double DriverTruePeakDbtp,
        double ResamplerRealTimeFactor,
        double UltrasonicResidueDb,
        string[] Files);

    private static int Run(CliIo io, string folder, double seconds, bool json)
    {
        if (!(seconds >= 0.5 && seconds <= 600))
        {
            throw new CliException($"--seconds {seconds.ToString(CultureInfo.InvariantCulture)} is outside 0.5..600.");
        }

        if (File.Exists(folder))
        {
            throw new CliException($"--out '{folder}' is a file; give a folder.");
        }

        Directory.CreateDirectory(folder);
        DemoMetrics? metrics = null;
        io.WithProgress("Running the demo", progress => metrics = Execute(folder, seconds, progress));
        var result = metrics!;
        File.WriteAllText(Path.Combine(folder, "metrics.json"), JsonSerializer.Serialize(result, JsonOutput.Indented));
        if (json)
        {
            io.Out.WriteLine(JsonSerializer.Serialize(result, JsonOutput.Options));
            return ExitCodes.Success;
        }

        Print(io, folder, result);
        return ExitCodes.Success;
    }

    private static DemoMetrics Execute(string folder, double seconds, Action<double> progress)
    {
        var clip = DemoClip.Synthesize(SampleRateHz, seconds);
        var clipPath = Path.Combine(folder, "clip.wav");
        WavFile.Write(clipPath, SampleRateHz, [clip.Left, clip.Right], WavEncoding.IeeeFloat32);
        var (clipLufs, clipPeak) = MeasureLoudness([clip.Left, clip.Right], SampleRateHz);
        progress(0.2);

        // A bass-managed three-driver layout: L and R high-passed to their own mid drivers, their sum low-passed to
        // one woofer, with Linkwitz-Riley 4th-order filters run through the MIMO convolver as 4096-tap FIRs.
        var crossover = LinkwitzRiley.Design(LinkwitzRileyOrder.LR4, CrossoverHz, SampleRateHz);
        var lowPass = ImpulseResponse(crossover.LowPass, FirLength);
        var highPass = ImpulseResponse(crossover.HighPass, FirLength);
        var halfLow = lowPass.Select(v => 0.5 * v).ToArray();
        var firs = new double[]?[2, 3];
        firs[0, 0] = highPass;
        firs[0, 2] = halfLow;
        firs[1, 1] = highPass;
        firs[1, 2] = halfLow;
        var crossoverDeviation = SumDeviationDb(lowPass, highPass);

        var drivers = Convolve(clip, new ConvolverFilters(BlockSize, firs), out var convolveSeconds);
        var driversPath = Path.Combine(folder, "drivers-48k.wav");
        WavFile.Write(driversPath, SampleRateHz, drivers, WavEncoding.IeeeFloat32);
        var (_, driverPeak) = MeasureLoudness(drivers, SampleRateHz);
        progress(0.6);

        var upsampled = Resample(drivers, out var resampleSeconds);
        var sensingPath = Path.Combine(folder, "drivers-96k.wav");
        WavFile.Write(sensingPath, SensingRateHz, upsampled, WavEncoding.IeeeFloat32);
        var residue = UltrasonicResidueDb(upsampled[0], SensingRateHz);
        progress(1.0);

        var audioSeconds = clip.FrameCount / (double)SampleRateHz;
        return new DemoMetrics(
            audioSeconds, clipLufs, clipPeak, BlockSize, FirLength,
            audioSeconds / convolveSeconds, crossoverDeviation, driverPeak,
            audioSeconds / resampleSeconds, residue,
            [clipPath, driversPath, sensingPath]);
    }

    private static (double Lufs, double TruePeakDbtp) MeasureLoudness(float[][] channels, int rate)
    {
        var loudness = new LoudnessMeter(rate, channels.Length);
        var peaks = new TruePeakMeter(rate, channels.Length);
        var frames = channels[0].Length;
        var planar = new float[channels.Length * frames];
        for (var c = 0; c < channels.Length; c++)
        {
            channels[c].CopyTo(planar, c * frames);
        }

        loudness.ProcessPlanar(planar, frames);
        peaks.ProcessPlanar(planar, frames);
        return (loudness.IntegratedLoudness, peaks.TruePeakDbtp);
    }

    private static double[] ImpulseResponse(BiquadCoefficients[] sections, int length)
    {
        var impulse = new float[length];
        impulse[0] = 1;
        var response = new float[length];
        new BiquadCascade(1, sections).Process(impulse, response, 0);
        return [.. response.Select(v => (double)v)];
    }

    /// <summary>Largest deviation of |LP + HP| from 0 dB over 20 Hz..20 kHz: the crossover must sum flat.</summary>
    private static double SumDeviationDb(double[] lowPass, double[] highPass)
    {
        var sum = lowPass.Zip(highPass, (a, b) => a + b).ToArray();
        var frequencies = Enumerable.Range(0, 200).Select(i => 20 * Math.Pow(1000, i / 199.0)).ToArray();
        return FirAnalysis.MagnitudeDb(FirAnalysis.Response(sum, frequencies, SampleRateHz)).Max(Math.Abs);
    }

    private static float[][] Convolve(DemoClip clip, ConvolverFilters filters, out double elapsedSeconds)
    {
        var convolver = new PartitionedConvolver(2, 3, BlockSize, FirLength, filters);
        var frames = clip.FrameCount;
        var outputs = new[] { new float[frames], new float[frames], new float[frames] };
        var input = new float[2 * BlockSize];
        var output = new float[3 * BlockSize];
        var watch = Stopwatch.StartNew();
        for (var start = 0; start < frames; start += BlockSize)
        {
            var count = Math.Min(BlockSize, frames - start);
            input.AsSpan().Clear();
            clip.Left.AsSpan(start, count).CopyTo(input);
            clip.Right.AsSpan(start, count).CopyTo(input.AsSpan(BlockSize));
            convolver.Process(input, output);
            for (var o = 0; o < 3; o++)
            {
                output.AsSpan(o * BlockSize, count).CopyTo(outputs[o].AsSpan(start));
            }
        }

        elapsedSeconds = watch.Elapsed.TotalSeconds;
        return outputs;
    }

    private static float[][] Resample(float[][] channels, out double elapsedSeconds)
    {
        const int block = 1024;
        var resampler = new PolyphaseResampler(SampleRateHz, SensingRateHz, channels.Length);
        var frames = channels[0].Length;
        var total = resampler.GetOutputFrameCount(frames);
        var outputs = channels.Select(_ => new float[total]).ToArray();
        var capacity = resampler.MaxOutputFrameCount(block);
        var input = new float[channels.Length * block];
        var output = new float[channels.Length * capacity];
        var written = 0;
        var watch = Stopwatch.StartNew();
        for (var start = 0; start < frames; start += block)
        {
            var count = Math.Min(block, frames - start);
            var planarIn = input.AsSpan(0, channels.Length * count);
            for (var c = 0; c < channels.Length; c++)
            {
                channels[c].AsSpan(start, count).CopyTo(planarIn.Slice(c * count, count));
            }

            var produced = resampler.Process(planarIn, output);
            for (var c = 0; c < channels.Length; c++)
            {
                output.AsSpan(c * capacity, produced).CopyTo(outputs[c].AsSpan(written));
            }

            written += produced;
        }

        elapsedSeconds = watch.Elapsed.TotalSeconds;
        return outputs;
    }

    /// <summary>Energy above 24 kHz relative to the total, Hann-windowed 8192-point frames: the sensing band must stay clean.</summary>
    private static double UltrasonicResidueDb(float[] signal, int rate)
    {
        const int size = 8192;
        var fft = new RealFft(size);
        var window = new double[size];
        Windows.HannPeriodic(window);
        var frame = new float[size];
        var re = new float[fft.BinCount];
        var im = new float[fft.BinCount];
        double total = 0, ultrasonic = 0;
        var firstUltrasonicBin = (int)Math.Ceiling(24000.0 * size / rate);
        for (var start = 0; start + size <= signal.Length; start += size / 2)
        {
            for (var n = 0; n < size; n++)
            {
                frame[n] = (float)(signal[start + n] * window[n]);
            }

            fft.Forward(frame, re, im);
            for (var k = 0; k < fft.BinCount; k++)
            {
                var power = ((double)re[k] * re[k]) + ((double)im[k] * im[k]);
                total += power;
                if (k >= firstUltrasonicBin)
                {
                    ultrasonic += power;
                }
            }
        }

        return 10 * Math.Log10(Math.Max(ultrasonic, 1e-30) / Math.Max(total, 1e-30));
    }

    private static void Print(CliIo io, string folder, DemoMetrics m)
    {
        var table = new Table().AddColumns("stage", "figure", "value");
        table.AddRow("clip", "integrated loudness (BS.1770-4)", Fmt($"{m.ClipIntegratedLufs:0.0} LUFS"));
        table.AddRow("clip", "true peak", Fmt($"{m.ClipTruePeakDbtp:0.00} dBTP"));
        table.AddRow("crossover", "LR4 250 Hz, |LP + HP| deviation 20 Hz..20 kHz", Fmt($"{m.CrossoverSumDeviationDb:0.000} dB"));
        table.AddRow("convolver", Fmt($"2 x 3 MIMO, {m.ConvolverFirLength} taps, block {m.ConvolverBlockSize}"), Fmt($"{m.ConvolverRealTimeFactor:0}x real time"));
        table.AddRow("drivers", "true peak", Fmt($"{m.DriverTruePeakDbtp:0.00} dBTP"));
        table.AddRow("resampler", "48 -> 96 kHz, 3 channels", Fmt($"{m.ResamplerRealTimeFactor:0}x real time"));
        table.AddRow("resampler", "energy above 24 kHz (sensing band)", Fmt($"{m.UltrasonicResidueDb:0.0} dB"));
        io.Console.Write(table);
        io.Out.WriteLine($"Wrote {string.Join(", ", m.Files.Select(Path.GetFileName))} and metrics.json to {Path.GetFullPath(folder)}");
    }

    private static string Fmt(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
