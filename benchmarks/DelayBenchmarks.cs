using BenchmarkDotNet.Attributes;
using SpatialAudio.Filters.Delays;

namespace SpatialAudio.Benchmarks;

/// <summary>Fractional and integer delays on one channel.</summary>
public class DelayBenchmarks
{
    private FarrowDelay farrow = null!;
    private ThiranAllPass thiran = null!;
    private IntegerDelayLine integer = null!;
    private float[] input = null!;
    private float[] output = null!;
    private float[] delays = null!;

    /// <summary>256 frames = 5.3 ms at 48 kHz; 1024 = 21 ms.</summary>
    [Params(256, 1024)]
    public int Frames { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        farrow = new FarrowDelay(1, 3, 4096);
        thiran = new ThiranAllPass(1, 4, 4.3);
        integer = new IntegerDelayLine(1, 4096);
        integer.SetDelay(1234);
        var rng = new Random(1);
        input = Enumerable.Range(0, Frames).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        output = new float[Frames];
        delays = Enumerable.Range(0, Frames).Select(n => 1000.0f + (0.01f * n)).ToArray();
    }

    /// <summary>Integer delay (ring copy): the cheapest delay, as a reference.</summary>
    [Benchmark(Baseline = true)]
    public void IntegerDelay() => integer.Process(input, output, 0);

    /// <summary>Cubic Farrow with a delay ramp (Doppler trajectory per block).</summary>
    [Benchmark]
    public void FarrowCubicRamp() => farrow.ProcessRamp(input, output, 1000.0, 1002.5, 0);

    /// <summary>Cubic Farrow with a delay per sample.</summary>
    [Benchmark]
    public void FarrowCubicPerSample() => farrow.Process(input, output, delays, 0);

    /// <summary>Fourth-order Thiran all-pass (fixed fractional delay).</summary>
    [Benchmark]
    public void Thiran4() => thiran.Process(input, output, 0);
}
