using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace SpatialAudio.Benchmarks;

/// <summary>One config for every benchmark: memory diagnoser always on, a short job for quick runs.</summary>
public static class BenchmarkConfig
{
    /// <summary>Builds the config; <paramref name="shortRun"/> trades precision for a run of a few minutes.</summary>
    public static IConfig Create(bool shortRun)
    {
        var job = shortRun
            ? Job.ShortRun.WithWarmupCount(2).WithIterationCount(5).WithLaunchCount(1)
            : Job.Default;
        return DefaultConfig.Instance
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Min)   // on a shared machine the minimum is the figure least disturbed by others
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}
