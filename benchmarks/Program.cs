using BenchmarkDotNet.Running;

namespace SpatialAudio.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project benchmarks -- --filter '*'</c>; add <c>--short</c> for a quick run;
/// <c>-- brutefir</c> runs the BruteFIR comparison.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks the arguments select.</summary>
    public static void Main(string[] args)
    {
        // `brutefir` is not a BenchmarkDotNet run: it times BruteFIR and our convolver on the same files, same core.
        if (args.Length > 0 && args[0] == "brutefir")
        {
            Environment.ExitCode = ConvolverComparison.Run(args[1..]);
            return;
        }

        var shortRun = args.Contains("--short");
        var rest = args.Where(a => a != "--short").ToArray();
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest, BenchmarkConfig.Create(shortRun));
    }
}
