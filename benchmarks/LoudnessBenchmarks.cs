using BenchmarkDotNet.Attributes;
using SpatialAudio.Filters.Loudness;

namespace SpatialAudio.Benchmarks;

/// <summary>Loudness and true-peak metering of a stereo interleaved block.</summary>
public class LoudnessBenchmarks
{
    private LoudnessMeter loudness = null!;
    private TruePeakMeter truePeak = null!;
    private float[] block = null!;

    /// <summary>1024 frames = 21 ms at 48 kHz (a file-analysis block).</summary>
    [Params(1024)]
    public int Frames { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        loudness = new LoudnessMeter(48000.0, 2);
        truePeak = new TruePeakMeter(48000.0, 2);
        var rng = new Random(1);
        block = Enumerable.Range(0, 2 * Frames).Select(_ => (float)(0.2 * (rng.NextDouble() - 0.5))).ToArray();
    }

    /// <summary>BS.1770-4 meter: K-weighting, 100 ms steps, gating histograms.</summary>
    [Benchmark(Baseline = true)]
    public void LoudnessInterleaved() => loudness.ProcessInterleaved(block);

    /// <summary>4x polyphase true-peak meter.</summary>
    [Benchmark]
    public void TruePeakInterleaved() => truePeak.ProcessInterleaved(block);
}
