using BenchmarkDotNet.Attributes;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Spatial.Sensing.Detection;
using SpatialAudio.Spatial.Sensing.Pipeline;
using SpatialAudio.Spatial.Sensing.Simulation;

namespace SpatialAudio.Benchmarks;

/// <summary>
/// The sensing stream for 2 microphones at 96 kHz with the playback reference (distortion cancellation on) and the fan
/// canceller: front end, features, detector, presence logic. One operation = one 10 ms block (960 frames); % of a core =
/// time per operation / 10 ms. Input: 8 s of a simulated walk with music in a room with a fan (the comb runs from about
/// 1 s on), looped. <see cref="LongLattice"/> = true is the front end the committed detector runs behind since the
/// twenty-sixth session (the 96-tap lattice music canceller); false, the one before (the 24-tap inverse-QR canceller).
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

    /// <summary>The committed detector's front end: fast start, 96 taps per regressor, lattice form (what
    /// <c>train --fast-start --canceller-taps 96 --lattice-canceller</c> records).</summary>
    [Params(false, true)]
    public bool LongLattice { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Vector3D driver = new(0, 0, 0.03);
        Vector3D[] micPositions = [new(-0.03, 0.057, 0.1), new(-0.03, -0.057, 0.1)];
        var seed = 42;
        while (!SceneLibrary.Create(SceneKind.Walk, seed, driver, micPositions, seconds: 8).Actors.OfType<RotatingFan>().Any())
        {
            seed++;
        }

        var scene = SceneLibrary.Create(SceneKind.Walk, seed, driver, micPositions, seconds: 8, music: true)
            with { MusicStartSeconds = 0 };   // music throughout: the distortion canceller always adapts
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

        // The weights do not change the cost; a random ensemble of the committed shape (6 x 64-32-16-3) keeps it
        // self-contained.
        var model = DetectorModel.Ensemble([.. Enumerable.Range(1, 6).Select(s => DetectorModel.Random([MotionFeatures.Count, 32, 16, 3], s))]);
        model = new DetectorModel(model.Sizes, model.Weights, model.Biases) { FrontEnd = new() { ["fan_canceller"] = true } };
        if (LongLattice)
        {
            model = model.WithFrontEnd(new() { ["fan_canceller"] = true, ["fast_start"] = true, ["canceller_taps"] = 96, ["lattice_canceller"] = true });
        }

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
