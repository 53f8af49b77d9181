using BenchmarkDotNet.Running;

namespace SpatialAudio.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project benchmarks -- --filter '*'</c>; add <c>--short</c> for a quick run.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks the arguments select.</summary>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "brutefir") { Environment.ExitCode = ConvolverComparison.Run(args[1..]); return; }
        var shortRun = args.Contains("--short");
        var rest = args.Where(a => a != "--short").ToArray();
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest, BenchmarkConfig.Create(shortRun));
    }
}
