using BenchmarkDotNet.Attributes;
using SpatialAudio.Filters.Resampling;

namespace SpatialAudio.Benchmarks;

/// <summary>Stereo polyphase conversion of one block; x real time = block duration / measured mean.</summary>
public class ResamplerBenchmarks
{
    private const int Channels = 2;
    private PolyphaseResampler resampler = null!;
    private float[][] inputs = null!;
    private float[] output = null!;
    private int next;

    /// <summary>Rate pair "in->out" in Hz: the renderer's up/down paths and the common 44.1 -> 48 conversion.</summary>
    [Params("48000->96000", "96000->48000", "44100->48000")]
    public string Rates { get; set; } = "48000->96000";

    /// <summary>1024 frames = 21.3 ms at 48 kHz, 23.2 ms at 44.1 kHz, 10.7 ms at 96 kHz: a typical device period.</summary>
    [Params(1024)]
    public int BlockFrames { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var parts = Rates.Split("->");
        var inputRate = int.Parse(parts[0]);
        resampler = new PolyphaseResampler(inputRate, int.Parse(parts[1]), Channels);

        // Several distinct noise blocks, cycled, so the history never settles into a trivial pattern.
        var rng = new Random(1);
        inputs = new float[8][];
        for (var b = 0; b < inputs.Length; b++)
        {
            inputs[b] = new float[Channels * BlockFrames];
            for (var i = 0; i < inputs[b].Length; i++)
            {
                inputs[b][i] = (float)(rng.NextDouble() - 0.5);
            }
        }

        output = new float[Channels * resampler.MaxOutputFrameCount(BlockFrames)];
    }

    [Benchmark]
    public int Process()
    {
        next = (next + 1) & 7;
        return resampler.Process(inputs[next], output);
    }
}
