using BenchmarkDotNet.Attributes;
using SpatialAudio.Filters.Iir;

namespace SpatialAudio.Benchmarks;

/// <summary>Biquad cascade bank: 8 channels x 4 sections, planar.</summary>
public class IirBenchmarks
{
    private const int Channels = 8;
    private BiquadCascade cascade = null!;
    private BiquadCoefficients[] sections = null!;
    private float[] input = null!;
    private float[] output = null!;
    private double[] naiveState = null!;

    /// <summary>256 frames = 5.3 ms at 48 kHz (a typical device buffer); 1024 = 21 ms (a file-rendering block).</summary>
    [Params(256, 1024)]
    public int Frames { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        sections =
        [
            BiquadDesign.HighPass(40.0, 48000.0, 0.7071),
            BiquadDesign.Peaking(1000.0, 48000.0, 6.0, 2.0),
            BiquadDesign.LowShelf(200.0, 48000.0, -4.0, 0.7071),
            BiquadDesign.LowPass(12000.0, 48000.0, 0.9),
        ];
        cascade = new BiquadCascade(Channels, sections);
        var rng = new Random(1);
        input = new float[Channels * Frames];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (float)(rng.NextDouble() - 0.5);
        }

        output = new float[input.Length];
        naiveState = new double[Channels * sections.Length * 4];
    }

    /// <summary>Sample-outer, section-inner DF1 with coefficients read per sample: the straightforward loop.</summary>
    [Benchmark(Baseline = true)]
    public void NaiveSampleOuter()
    {
        for (var c = 0; c < Channels; c++)
        {
            var x = input.AsSpan(c * Frames, Frames);
            var y = output.AsSpan(c * Frames, Frames);
            for (var n = 0; n < Frames; n++)
            {
                double v = x[n];
                for (var s = 0; s < sections.Length; s++)
                {
                    var st = naiveState.AsSpan(((c * sections.Length) + s) * 4, 4);
                    var k = sections[s];
                    var o = (k.B0 * v) + (k.B1 * st[0]) + (k.B2 * st[1]) - (k.A1 * st[2]) - (k.A2 * st[3]);
                    st[1] = st[0];
                    st[0] = v;
                    st[3] = st[2];
                    st[2] = o;
                    v = o;
                }

                y[n] = (float)v;
            }
        }
    }

    /// <summary>The bank: section-outer, register-resident coefficients and state.</summary>
    [Benchmark]
    public void BiquadCascadePlanar() => cascade.ProcessPlanar(input, output, Frames);
}
