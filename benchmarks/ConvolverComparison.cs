using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using SpatialAudio.Filters.Convolution;

namespace SpatialAudio.Benchmarks;

/// <summary>
/// Our partitioned convolver against BruteFIR (FFTW-based) on identical data, both pinned to one core:
/// <c>dotnet run -c Release --project benchmarks -- brutefir [--short] [--core N] [--block 256,1024]</c>.
/// </summary>
/// <remarks>
/// Writes 3 x 7 random 4096-tap filters and 3 channels of noise (60 s at 48 kHz; 10 s with --short) as raw float32
/// files, runs <c>taskset -c N brutefir -nodefault config</c> (its startup and FFTW planning measured with a
/// 1-block input and subtracted), runs our convolver on the same data in this process with the same affinity,
/// checks that both outputs agree, and prints x real time, the ratio and GFLOP/s for each block size.
/// </remarks>
public static class ConvolverComparison
{
    private const int Inputs = 3;
    private const int Outputs = 7;
    private const int FilterLength = 4096;
    private const int SampleRateHz = 48000;

    /// <summary>Runs the comparison; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        var seconds = args.Contains("--short") ? 10 : 60;
        var core = int.Parse(OptionValue(args, "--core") ?? "1", CultureInfo.InvariantCulture);
        var blocks = (OptionValue(args, "--block") ?? "256,1024").Split(',').Select(int.Parse).ToArray();
        var dir = Path.Combine(Path.GetTempPath(), "spatialaudio-brutefir");
        Directory.CreateDirectory(dir);

        var rng = new Random(42);
        var firs = RandomFilters(Inputs, Outputs, FilterLength, rng);
        // A whole number of the largest block, so both programs process exactly the same frames.
        var frames = seconds * SampleRateHz / ConvolverFilters.MaxBlockSize * ConvolverFilters.MaxBlockSize;
        var duration = (double)frames / SampleRateHz;
        var interleavedIn = new float[frames * Inputs];
        for (var n = 0; n < interleavedIn.Length; n++) interleavedIn[n] = (float)(rng.NextDouble() - 0.5);
        WriteRaw(Path.Combine(dir, "input.raw"), interleavedIn);
        WriteRaw(Path.Combine(dir, "tiny.raw"), interleavedIn.AsSpan(0, 4096 * Inputs));
        for (var i = 0; i < Inputs; i++)
        {
            for (var o = 0; o < Outputs; o++) WriteRaw(Path.Combine(dir, $"coeff_{i}_{o}.raw"), firs[i, o]);
        }

        SetAffinity(core);
        Console.WriteLine($"3x7 convolver, {FilterLength}-tap filters, {duration:F2} s of 3-channel noise at 48 kHz, pinned to core {core}");
        Console.WriteLine("block | BruteFIR x RT | ours x RT | ours/BruteFIR | BruteFIR GFLOP/s | ours GFLOP/s | ours vs BruteFIR output");
        foreach (var blockSize in blocks)
        {
            var brute = RunBruteFir(dir, blockSize, frames, core);
            var (oursSeconds, ours) = RunOurs(firs, interleavedIn, frames, blockSize);
            var flops = ConvolverBenchmarks.FlopsPerBlock(blockSize) * (frames / blockSize);
            var bruteRt = brute.Seconds > 0 ? duration / brute.Seconds : double.NaN;
            var oursRt = duration / oursSeconds;
            var (errorDb, delay) = brute.Output is null ? (double.NaN, 0) : Compare(ours, brute.Output, frames, blockSize);
            Console.WriteLine(
                $"{blockSize,5} | {bruteRt,13:F1} | {oursRt,9:F1} | {oursRt / bruteRt,13:F2} | {flops / brute.Seconds / 1e9,16:F2} | {flops / oursSeconds / 1e9,12:F2} | {errorDb:F1} dB (BruteFIR delay {delay} frames)");
        }

        return 0;
    }

    internal static float[]?[,] RandomFilters(int inputs, int outputs, int length, Random rng)
    {
        // Decaying noise, like a measured room/driver response, scaled so outputs stay near unity.
        var firs = new float[]?[inputs, outputs];
        for (var i = 0; i < inputs; i++)
        {
            for (var o = 0; o < outputs; o++)
            {
                var h = new float[length];
                for (var k = 0; k < length; k++) h[k] = (float)((rng.NextDouble() - 0.5) * 0.1 * Math.Exp(-3.0 * k / length));
                firs[i, o] = h;
            }
        }

        return firs;
    }

    private static (double Seconds, float[] Interleaved) RunOurs(float[]?[,] firs, float[] interleavedIn, int frames, int blockSize)
    {
        var convolver = new PartitionedConvolver(Inputs, Outputs, blockSize, FilterLength, new ConvolverFilters(blockSize, firs));
        var planarIn = new float[Inputs * blockSize];
        var planarOut = new float[Outputs * blockSize];
        var interleavedOut = new float[frames * Outputs];
        var blockCount = frames / blockSize;

        // Warm-up: run the timed routine itself until .NET's tiered JIT has replaced the quick tier-0 code (it
        // recompiles hot methods in the background after ~100 ms), then start from silence like BruteFIR does.
        var warmUpBlocks = Math.Min(blockCount, 48000 / blockSize);
        for (var round = 0; round < 5; round++)
        {
            ProcessBlocks(convolver, interleavedIn, interleavedOut, planarIn, planarOut, warmUpBlocks, blockSize);
            Thread.Sleep(100);
        }

        convolver.Reset();
        var watch = Stopwatch.StartNew();
        ProcessBlocks(convolver, interleavedIn, interleavedOut, planarIn, planarOut, blockCount, blockSize);
        return (watch.Elapsed.TotalSeconds, interleavedOut);
    }

    /// <summary>Deinterleave, convolve, interleave: the edge conversion is timed too, as BruteFIR's I/O conversion is.</summary>
    private static void ProcessBlocks(PartitionedConvolver convolver, float[] interleavedIn, float[] interleavedOut,
        float[] planarIn, float[] planarOut, int blockCount, int blockSize)
    {
        for (var k = 0; k < blockCount; k++)
        {
            var at = k * blockSize;
            for (var n = 0; n < blockSize; n++)
            {
                var src = (at + n) * Inputs;
                for (var i = 0; i < Inputs; i++) planarIn[(i * blockSize) + n] = interleavedIn[src + i];
            }

            convolver.Process(planarIn, planarOut);
            for (var n = 0; n < blockSize; n++)
            {
                var dst = (at + n) * Outputs;
                for (var o = 0; o < Outputs; o++) interleavedOut[dst + o] = planarOut[(o * blockSize) + n];
            }
        }
    }

    private static (double Seconds, float[]? Output) RunBruteFir(string dir, int blockSize, int frames, int core)
    {
        var wisdom = Path.Combine(dir, $"fftw-wisdom-{blockSize}");
        var tinyConfig = WriteConfig(dir, blockSize, "tiny.raw", "tiny-out.raw", wisdom, "tiny");
        var fullConfig = WriteConfig(dir, blockSize, "input.raw", "output.raw", wisdom, "full");

        // First tiny run creates the FFTW wisdom; the second measures startup + planning from wisdom.
        RunTimed(tinyConfig, core);
        var startup = RunTimed(tinyConfig, core);
        var full = RunTimed(fullConfig, core);
        if (full < 0)
        {
            return (double.NaN, null);
        }

        var output = ReadRaw(Path.Combine(dir, "output.raw"));
        Console.WriteLine($"  BruteFIR block {blockSize}: wall {full:F2} s, startup (1-block input) {startup:F2} s, output {output.Length / Outputs} frames of {frames}");
        return (full - startup, output);
    }

    private static double RunTimed(string config, int core)
    {
        var start = new ProcessStartInfo("taskset", ["-c", core.ToString(CultureInfo.InvariantCulture), "brutefir", "-nodefault", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(config),
        };
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        process.WaitForExit();
        var seconds = watch.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            Console.Error.WriteLine($"brutefir failed ({process.ExitCode}): {stdout.Result}{stderr.Result}");
            return -1;
        }

        return seconds;
    }

    private static string WriteConfig(string dir, int blockSize, string input, string output, string wisdom, string name)
    {
        var c = new StringBuilder();
        c.AppendLine("float_bits: 32;");
        c.AppendLine($"sampling_rate: {SampleRateHz};");
        c.AppendLine($"filter_length: {blockSize},{FilterLength / blockSize};");
        c.AppendLine("overflow_warnings: false;");
        c.AppendLine("show_progress: false;");
        c.AppendLine("max_dither_table_size: 0;");
        c.AppendLine("allow_poll_mode: false;");
        c.AppendLine("modules_path: \".\";");
        c.AppendLine("powersave: false;");
        c.AppendLine("monitor_rate: false;");
        c.AppendLine("lock_memory: false;");
        c.AppendLine("sdf_length: -1;");
        c.AppendLine($"convolver_config: \"{wisdom}\";");
        for (var i = 0; i < Inputs; i++)
        {
            for (var o = 0; o < Outputs; o++)
            {
                c.AppendLine($"coeff \"c{i}_{o}\" {{ filename: \"{Path.Combine(dir, $"coeff_{i}_{o}.raw")}\"; format: \"FLOAT_LE\"; attenuation: 0.0; blocks: -1; skip: 0; shared_mem: false; }};");
            }
        }

        c.AppendLine($"input {string.Join(", ", Enumerable.Range(0, Inputs).Select(i => $"\"in{i}\""))} {{");
        c.AppendLine($"  device: \"file\" {{ path: \"{Path.Combine(dir, input)}\"; }};");
        c.AppendLine($"  sample: \"FLOAT_LE\"; channels: {Inputs}; delay: {string.Join(",", Enumerable.Repeat(0, Inputs))}; maxdelay: -1; mute: {string.Join(",", Enumerable.Repeat("false", Inputs))};");
        c.AppendLine("};");
        c.AppendLine($"output {string.Join(", ", Enumerable.Range(0, Outputs).Select(o => $"\"out{o}\""))} {{");
        c.AppendLine($"  device: \"file\" {{ path: \"{Path.Combine(dir, output)}\"; }};");
        c.AppendLine($"  sample: \"FLOAT_LE\"; channels: {Outputs}; delay: {string.Join(",", Enumerable.Repeat(0, Outputs))}; maxdelay: -1; mute: {string.Join(",", Enumerable.Repeat("false", Outputs))}; dither: false; merge: false;");
        c.AppendLine("};");
        for (var i = 0; i < Inputs; i++)
        {
            for (var o = 0; o < Outputs; o++)
            {
                c.AppendLine($"filter \"f{i}_{o}\" {{ from_inputs: \"in{i}\"; to_outputs: \"out{o}\"; coeff: \"c{i}_{o}\"; process: 0; delay: 0; crossfade: false; }};");
            }
        }

        var path = Path.Combine(dir, $"brutefir-{name}-{blockSize}.conf");
        File.WriteAllText(path, c.ToString());
        return path;
    }

    private static (double ErrorDb, int Delay) Compare(float[] ours, float[] brute, int frames, int blockSize)
    {
        // BruteFIR's file I/O adds a whole number of blocks of delay; find it, then compare the overlap.
        var best = (ErrorDb: double.PositiveInfinity, Delay: 0);
        for (var d = 0; d <= 4 * blockSize; d += blockSize)
        {
            var count = Math.Min(frames - d, (brute.Length / Outputs) - d);
            if (count <= blockSize)
            {
                continue;
            }

            double error = 0, energy = 0;
            for (var n = 0; n < count * Outputs; n++)
            {
                double reference = ours[n];
                var diff = brute[n + (d * Outputs)] - reference;
                error += diff * diff;
                energy += reference * reference;
            }

            var db = 10 * Math.Log10(error / energy);
            if (db < best.ErrorDb)
            {
                best = (db, d);
            }
        }

        return best;
    }

    private static void SetAffinity(int core)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
        {
            Process.GetCurrentProcess().ProcessorAffinity = (nint)(1L << core);
        }
    }

    private static string? OptionValue(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static void WriteRaw(string path, ReadOnlySpan<float> samples) =>
        File.WriteAllBytes(path, MemoryMarshal.AsBytes(samples).ToArray());

    private static float[] ReadRaw(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();
}
