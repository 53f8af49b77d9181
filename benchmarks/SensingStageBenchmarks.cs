using BenchmarkDotNet.Attributes;
using SpatialAudio.Spatial.Sensing.Detection;
using SpatialAudio.Spatial.Sensing.FrontEnd;

namespace SpatialAudio.Benchmarks;

/// <summary>
/// Where the sensing stream's time goes (<see cref="SensingBenchmarks"/> times it whole): the front end with and
/// without the playback reference (the difference is the two music-distortion cancellers and the reference's
/// decimation), the time-domain canceller alone for one block's 30 baseband samples, and one detector frame, float and
/// int8 (a frame comes every 21.3 ms, so about half a frame per 10 ms block), the time-domain canceller with its output
/// guard, the same filter as a least-squares lattice (24 and 96 taps), and the fan canceller for one block of two microphones, locked on a fan (its period estimates, every 512
/// samples, amortized over the blocks). Inputs are noise and a bass-heavy music stand-in: the costs do not depend on the content while the cancellers adapt.
/// </summary>
public class SensingStageBenchmarks
{
    private const int Block = 960;
    private const int Blocks = 100;
    private readonly float[] mics = new float[2 * Block * Blocks];
    private readonly float[] music = new float[Block * Blocks];
    private readonly float[] baseband = new float[2 * 30];
    private readonly float[] features = new float[MotionFeatures.Count];
    private readonly float[] probabilities = new float[3];
    private DopplerFrontEnd withReference = null!, withoutReference = null!;
    private IDistortionCanceller canceller = null!, guardedCanceller = null!, longCanceller = null!, lattice = null!, longLattice = null!;
    private PeriodicClutterCanceller fans = null!;
    private readonly float[][] fanRe = [new float[FanSamples], new float[FanSamples]], fanIm = [new float[FanSamples], new float[FanSamples]];
    private readonly float[][] blockRe = [new float[30], new float[30]], blockIm = [new float[30], new float[30]];
    private readonly float[] blockU = new float[30], blockV = new float[30];
    private int fanAt;
    private const int FanSamples = 3000 * 10;
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
        guardedCanceller = new DistortionCanceller(2, guardSamples: DistortionCanceller.DefaultGuardSamples);
        longCanceller = new DistortionCanceller(2, LongTaps);
        lattice = new LatticeDistortionCanceller(2);
        longLattice = new LatticeDistortionCanceller(2, LongTaps, shortTaps: DistortionCanceller.DefaultTaps);   // as the front end builds it
        model = DetectorModel.Ensemble([.. Enumerable.Range(1, 6).Select(seed => DetectorModel.Random([MotionFeatures.Count, 32, 16, 3], seed))]);
        quantized = new QuantizedDetector(model);

        // A three-harmonic fan echo at 63 Hz blade-pass, locked on before timing.
        for (var n = 0; n < FanSamples; n++)
        {
            for (var m = 0; m < 2; m++)
            {
                double r = 1e-3 * (random.NextDouble() - 0.5), q = 1e-3 * (random.NextDouble() - 0.5);
                for (var h = -3; h <= 3; h++)
                {
                    r += h == 0 ? 0 : Math.Cos((2 * Math.PI * h * n / 47.37) + h + m) / Math.Abs(h);
                    q += h == 0 ? 0 : Math.Sin((2 * Math.PI * h * n / 47.37) + h + m) / Math.Abs(h);
                }

                fanRe[m][n] = (float)r;
                fanIm[m][n] = (float)q;
            }
        }

        fans = new PeriodicClutterCanceller(2, 3000);
        for (var i = 0; i < 100; i++)
        {
            FanCancellerPerBlock();
        }

        if (fans.PeriodSamples == 0)
        {
            throw new InvalidOperationException("the fan canceller did not lock on the benchmark's fan");
        }
    }

    [Benchmark]
    public int FrontEndWithReference() => withReference.Process(mics.AsSpan(2 * Block * Next(), 2 * Block), music.AsSpan(Block * block, Block));

    [Benchmark]
    public float FanCancellerPerBlock()
    {
        fanAt = fanAt + 30 > FanSamples ? 0 : fanAt;
        for (var m = 0; m < 2; m++)
        {
            fanRe[m].AsSpan(fanAt, 30).CopyTo(blockRe[m]);
            fanIm[m].AsSpan(fanAt, 30).CopyTo(blockIm[m]);
        }

        fanAt += 30;
        fans.Process(blockRe, blockIm, 30);
        return blockRe[0][0];
    }

    [Benchmark]
    public int FrontEndWithoutReference() => withoutReference.Process(mics.AsSpan(2 * Block * Next(), 2 * Block), []);

    [Benchmark]
    public float TimeDomainCancellerPerBlock() => CancelOneBlock(canceller);

    /// <summary>The same with the output guard (<c>distortion_guard</c> models): two more running sums per microphone.</summary>
    [Benchmark]
    public float GuardedTimeDomainCancellerPerBlock() => CancelOneBlock(guardedCanceller);

    /// <summary>The same with 96 taps per regressor (32 ms, <c>--canceller-taps 96</c>): what the longer canceller the
    /// notebook measured (twenty-third session) costs in this inverse-QR form, whose update grows with the square.</summary>
    [Benchmark]
    public float LongTimeDomainCancellerPerBlock() => CancelOneBlock(longCanceller);

    /// <summary>The least-squares lattice (<c>--lattice-canceller</c>), 24 taps: the same filter, linear in its taps.</summary>
    [Benchmark]
    public float LatticeCancellerPerBlock() => CancelOneBlock(lattice);

    /// <summary>The lattice with 96 taps per regressor and the 24-tap order kept for onsets, as the front end builds it
    /// for <c>--lattice-canceller --canceller-taps 96</c>.</summary>
    [Benchmark]
    public float LongLatticeCancellerPerBlock() => CancelOneBlock(longLattice);

    private const int LongTaps = 96;

    private float CancelOneBlock(IDistortionCanceller canceller)
    {
        var at = Next() * 30 % (music.Length - 30);
        for (var i = 0; i < 30; i++)
        {
            blockRe[0][i] = baseband[2 * i];
            blockIm[0][i] = baseband[(2 * i) + 1];
            blockRe[1][i] = blockIm[0][i];
            blockIm[1][i] = blockRe[0][i];
            blockU[i] = music[at + i] * 10;
            blockV[i] = music[at + i] * music[at + i] * 400;
        }

        canceller.ProcessBlock(blockU, blockV, blockRe, blockIm, 30, learnFrom: 0);   // as the front end calls it
        return blockRe[0][0];
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
