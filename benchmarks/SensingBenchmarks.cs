using BenchmarkDotNet.Attributes;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Spatial.Sensing.Detection;
using SpatialAudio.Spatial.Sensing.Pipeline;
using SpatialAudio.Spatial.Sensing.Simulation;

namespace SpatialAudio.Benchmarks;

/// <summary>
/// The sensing stream for 2 microphones at 96 kHz with the playback reference (distortion cancellation on): front end,
/// features, detector, presence logic. One operation = one 10 ms block (960 frames); % of a core = time per operation /
/// 10 ms. Input: 8 s of a simulated walk with music, looped.
/// </summary>
public class SensingBenchmarks
{
    private const int Block = 960;
    private SensingPipeline pipeline = null!;
    private float[] mics = null!;
    private float[] playback = null!;
    private readonly SensingEvent[] events = new SensingEvent[64];
    private int position;

    [Params(false, true)]
    public bool Quantized { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var scene = SceneLibrary.Create(SceneKind.Walk, 42, new Vector3D(0, 0, 0.03), [new Vector3D(-0.03, 0.057, 0.1), new Vector3D(-0.03, -0.057, 0.1)],
            seconds: 8, music: true) with { MusicStartSeconds = 0 };   // music throughout: the canceller always adapts
        var simulator = new SceneSimulator(scene);
        var frames = (int)simulator.TotalFrames / Block * Block;
        mics = new float[2 * frames];
        playback = new float[frames];
        var block = new[] { new float[SceneSimulator.BlockSize], new float[SceneSimulator.BlockSize] };
        var reference = new float[SceneSimulator.BlockSize];
        int n, at = 0;
        while ((n = simulator.Render(block, reference)) > 0 && at < frames)
        {
            for (var i = 0; i < n && at + i < frames; i++)
            {
                mics[2 * (at + i)] = block[0][i];
                mics[(2 * (at + i)) + 1] = block[1][i];
                playback[at + i] = reference[i];
            }

            at += n;
        }

        // The weights do not change the cost; a random ensemble of the committed shape (6 x 62-32-16-3) keeps it self-contained.
        var model = DetectorModel.Ensemble([.. Enumerable.Range(1, 6).Select(seed => DetectorModel.Random([MotionFeatures.Count, 32, 16, 3], seed))]);
        pipeline = new SensingPipeline(96000, 2, scene.CarrierHz, model, withReference: true, useQuantized: Quantized);
    }

    [Benchmark]
    public int ProcessBlock()
    {
        if (position + Block > playback.Length)
        {
            position = 0;
        }

        var count = pipeline.Process(mics.AsSpan(2 * position, 2 * Block), playback.AsSpan(position, Block), events);
        position += Block;
        return count;
    }
}
