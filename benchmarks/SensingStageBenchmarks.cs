using BenchmarkDotNet.Attributes;
using SpatialAudio.Spatial.Sensing.Detection;
using SpatialAudio.Spatial.Sensing.FrontEnd;

namespace SpatialAudio.Benchmarks;

/// <summary>
/// Where the sensing stream's time goes (<see cref="SensingBenchmarks"/> times it whole): the front end with and
/// without the playback reference (the difference is the two music-distortion cancellers and the reference's
/// decimation), the time-domain canceller alone for one block's 30 baseband samples, and one detector frame, float and
/// int8 (a frame comes every 21.3 ms, so about half a frame per 10 ms block). Inputs are noise and a bass-heavy music
/// stand-in: the costs do not depend on the content while the cancellers adapt.
/// </summary>
public class SensingStageBenchmarks
{
    private const int Block = 960;
    private const int Blocks = 100;
    private readonly float[] mics = new float[2 * Block * Blocks];
    private readonly float[] music = new float[Block * Blocks];
    private readonly float[] baseband = new float[2 * 30];
    private readonly float[] re = new float[2], im = new float[2];
    private readonly float[] features = new float[MotionFeatures.Count];
    private readonly float[] probabilities = new float[3];
    private DopplerFrontEnd withReference = null!, withoutReference = null!;
    private DistortionCanceller canceller = null!;
    private DetectorModel model = null!;
    private QuantizedDetector quantized = null!;
    private int block;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        double bass = 0;
        for (var i = 0; i < music.Length; i++)
        {
            bass = (0.995 * bass) + (0.02 * (random.NextDouble() - 0.5));
            music[i] = (float)bass;
            mics[2 * i] = (float)((0.1 * Math.Cos(2 * Math.PI * 40000.0 * i / 96000)) + (1e-3 * (random.NextDouble() - 0.5)));
            mics[(2 * i) + 1] = mics[2 * i] * 0.9f;
        }

        for (var i = 0; i < baseband.Length; i++)
        {
            baseband[i] = (float)(random.NextDouble() - 0.5);
        }

        for (var i = 0; i < features.Length; i++)
        {
            features[i] = (float)(random.NextDouble() - 0.3);
        }

        withReference = new DopplerFrontEnd(96000, 2, 40000, withReference: true);
        withoutReference = new DopplerFrontEnd(96000, 2, 40000, withReference: false);
        canceller = new DistortionCanceller(2);
        model = DetectorModel.Ensemble([.. Enumerable.Range(1, 6).Select(seed => DetectorModel.Random([MotionFeatures.Count, 32, 16, 3], seed))]);
        quantized = new QuantizedDetector(model);
    }

    [Benchmark]
    public int FrontEndWithReference() => withReference.Process(mics.AsSpan(2 * Block * Next(), 2 * Block), music.AsSpan(Block * block, Block));

    [Benchmark]
    public int FrontEndWithoutReference() => withoutReference.Process(mics.AsSpan(2 * Block * Next(), 2 * Block), []);

    [Benchmark]
    public float TimeDomainCancellerPerBlock()
    {
        var at = Next() * 30 % (music.Length - 30);
        for (var i = 0; i < 30; i++)
        {
            re[0] = baseband[2 * i];
            im[0] = baseband[(2 * i) + 1];
            re[1] = im[0];
            im[1] = re[0];
            canceller.Process(music[at + i] * 10, music[at + i] * music[at + i] * 400, re, im);
        }

        return re[0];
    }

    [Benchmark]
    public float DetectorFrameFloat()
    {
        model.Predict(features, probabilities);
        return probabilities[2];
    }

    [Benchmark]
    public float DetectorFrameInt8()
    {
        quantized.Predict(features, probabilities);
        return probabilities[2];
    }

    private int Next()
    {
        block = (block + 1) % Blocks;
        return block;
    }
}
