namespace SpatialAudio.Filters.Tests.Iir;

using SpatialAudio.Filters.Iir;

public sealed class BiquadCascadeTests
{
    private const double Fs = 48000.0;

    private static BiquadCoefficients[] Chain() =>
    [
        BiquadDesign.HighPass(40.0, Fs, 0.7071),
        BiquadDesign.Peaking(1000.0, Fs, 6.0, 2.0),
        BiquadDesign.LowShelf(200.0, Fs, -4.0, 0.7071),
        BiquadDesign.LowPass(12000.0, Fs, 0.9),
    ];

    /// <summary>Direct-form I in double, sample by sample: the obviously correct reference.</summary>
    private static double[] Reference(BiquadCoefficients[] sections, float[] input)
    {
        var y = input.Select(v => (double)v).ToArray();
        foreach (var c in sections)
        {
            double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
            for (var n = 0; n < y.Length; n++)
            {
                var x = y[n];
                var o = (c.B0 * x) + (c.B1 * x1) + (c.B2 * x2) - (c.A1 * y1) - (c.A2 * y2);
                x2 = x1;
                x1 = x;
                y2 = y1;
                y1 = o;
                y[n] = o;
            }
        }

        return y;
    }

    [Fact]
    public void Cascade_MatchesDoublePrecisionReference()
    {
        var sections = Chain();
        var input = Dsp.Noise(20000, 1);
        var output = new float[input.Length];
        new BiquadCascade(1, sections).Process(input, output, 0);
        var reference = Reference(sections, input);
        for (var n = 0; n < input.Length; n++)
        {
            Assert.True(Math.Abs(output[n] - reference[n]) < 1e-5, $"sample {n}: {output[n]} vs {reference[n]}");
        }
    }

    [Fact]
    public void BlockWise_EqualsOneShot_ForRandomBlockSizes_AndInPlace()
    {
        var sections = Chain();
        var input = Dsp.Noise(10000, 2);
        var oneShot = new float[input.Length];
        new BiquadCascade(1, sections).Process(input, oneShot, 0);

        var blockWise = (float[])input.Clone();
        var filter = new BiquadCascade(1, sections);
        var rng = new Random(3);
        for (var start = 0; start < blockWise.Length;)
        {
            var length = Math.Min(rng.Next(0, 300), blockWise.Length - start);
            var span = blockWise.AsSpan(start, length);
            filter.Process(span, span, 0);
            start += length;
        }

        Assert.Equal(oneShot, blockWise);

        var sampleWise = new float[input.Length];
        filter.Reset();
        for (var n = 0; n < input.Length; n++)
        {
            filter.Process(input.AsSpan(n, 1), sampleWise.AsSpan(n, 1), 0);
        }

        Assert.Equal(oneShot, sampleWise);
    }

    [Fact]
    public void Channels_AreIndependent_AndPlanarEqualsPerChannel()
    {
        const int frames = 777;
        var sections = Chain();
        var planar = Dsp.Noise(3 * frames, 4);
        var bank = new BiquadCascade(3, sections);
        bank.SetCoefficients(2, [.. sections.Reverse()]);
        var output = new float[planar.Length];
        bank.ProcessPlanar(planar, output, frames);

        for (var c = 0; c < 3; c++)
        {
            var single = new BiquadCascade(1, c == 2 ? [.. sections.Reverse()] : sections);
            var expected = new float[frames];
            single.Process(planar.AsSpan(c * frames, frames), expected, 0);
            Assert.Equal(expected, output.AsSpan(c * frames, frames).ToArray());
        }
    }

    [Fact]
    public void Retune_KeepsState_Reset_ClearsIt()
    {
        var sections = Chain();
        var input = Dsp.Noise(4000, 5);
        var continuous = new float[input.Length];
        new BiquadCascade(1, sections).Process(input, continuous, 0);

        var retuned = new float[input.Length];
        var filter = new BiquadCascade(1, sections);
        filter.Process(input.AsSpan(0, 2000), retuned.AsSpan(0, 2000), 0);
        filter.SetCoefficients(sections); // same coefficients: nothing may change
        filter.Process(input.AsSpan(2000), retuned.AsSpan(2000), 0);
        Assert.Equal(continuous, retuned);

        filter.Reset();
        var afterReset = new float[2000];
        filter.Process(input.AsSpan(2000), afterReset, 0);
        var fresh = new float[2000];
        new BiquadCascade(1, sections).Process(input.AsSpan(2000), fresh, 0);
        Assert.Equal(fresh, afterReset);
    }

    [Fact]
    public void Retune_ToOtherCoefficients_ContinuesFromDirectFormIHistory()
    {
        // DF1 state is the past inputs/outputs of each section, so after a retune the output is the new recursion
        // run on that same history: a double reference that switches coefficients at the same sample.
        var a = Chain();
        var b = new[] { BiquadDesign.LowPass(500.0, Fs, 0.7), BiquadDesign.Peaking(3000.0, Fs, -6.0, 1.0), BiquadCoefficients.Identity, BiquadDesign.HighPass(100.0, Fs, 0.5) };
        var input = Dsp.Noise(3000, 6);
        var output = new float[input.Length];
        var filter = new BiquadCascade(1, a);
        filter.Process(input.AsSpan(0, 1500), output.AsSpan(0, 1500), 0);
        filter.SetCoefficients(b);
        filter.Process(input.AsSpan(1500), output.AsSpan(1500), 0);

        var y = input.Select(v => (double)v).ToArray();
        for (var s = 0; s < a.Length; s++)
        {
            double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
            for (var n = 0; n < y.Length; n++)
            {
                var c = n < 1500 ? a[s] : b[s];
                var x = y[n];
                var o = (c.B0 * x) + (c.B1 * x1) + (c.B2 * x2) - (c.A1 * y1) - (c.A2 * y2);
                x2 = x1;
                x1 = x;
                y2 = y1;
                y1 = o;
                y[n] = o;
            }
        }

        for (var n = 0; n < y.Length; n++)
        {
            Assert.True(Math.Abs(output[n] - y[n]) < 1e-5, $"sample {n}: {output[n]} vs {y[n]}");
        }
    }

    [Fact]
    public void Process_DoesNotAllocate()
    {
        var filter = new BiquadCascade(8, Chain());
        var input = Dsp.Noise(8 * 256, 7);
        var output = new float[input.Length];
        filter.ProcessPlanar(input, output, 256);
        var allocated = Support.Allocations.OnCurrentThread(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                filter.ProcessPlanar(input, output, 256);
                filter.Process(input.AsSpan(0, 256), output.AsSpan(0, 256), 3);
            }
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void OnSilenceAfterSignal_OutputAndStateDecayToExactZero()
    {
        // A high-Q low-frequency section rings longest; with denormal-range input it must still reach exact zero.
        var filter = new BiquadCascade(1, [BiquadDesign.Peaking(30.0, Fs, 12.0, 8.0), BiquadDesign.HighPass(20.0, Fs, 0.7071)]);
        var block = new float[512];
        block[0] = 1f;
        block[1] = 1e-40f; // a float denormal on the input
        filter.Process(block, block, 0);
        var silent = new float[512];
        var reachedZero = false;
        for (var i = 0; i < 20000 && !reachedZero; i++)
        {
            Array.Clear(silent);
            filter.Process(silent, silent, 0);
            Assert.All(silent, v => Assert.True(v == 0f || float.IsNormal(v), $"denormal output {v}"));
            reachedZero = silent.All(v => v == 0f);
        }

        Assert.True(reachedZero);
        Array.Clear(silent);
        filter.Process(silent, silent, 0);
        Assert.All(silent, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void OnDenormalInput_OutputHasNoDenormals()
    {
        var filter = new BiquadCascade(1, Chain());
        var input = Enumerable.Range(0, 4096).Select(i => (i % 3 - 1) * 1e-39f).ToArray();
        var output = new float[input.Length];
        filter.Process(input, output, 0);
        Assert.All(output, v => Assert.True(v == 0f || float.IsNormal(v)));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void AfterNonFiniteBurst_OutputIsFinite_AndEqualsFreshFilter(float poison)
    {
        var sections = Chain();
        var filter = new BiquadCascade(1, sections);
        var burst = Dsp.Noise(256, 8);
        burst[100] = poison;
        filter.Process(burst, burst, 0);

        var next = Dsp.Noise(1024, 9);
        var output = new float[next.Length];
        filter.Process(next, output, 0);
        var fresh = new float[next.Length];
        new BiquadCascade(1, sections).Process(next, fresh, 0);
        Assert.All(output, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(fresh, output);
    }

    [Fact]
    public void Construction_AndSetup_ValidateArguments()
    {
        Assert.Equal("channelCount", Assert.Throws<ArgumentOutOfRangeException>(() => new BiquadCascade(0, 1)).ParamName);
        Assert.Equal("sectionCount", Assert.Throws<ArgumentOutOfRangeException>(() => new BiquadCascade(1, 0)).ParamName);
        var bank = new BiquadCascade(2, 2);
        Assert.Equal("sections", Assert.Throws<ArgumentException>(() => bank.SetCoefficients([BiquadCoefficients.Identity])).ParamName);
        Assert.Equal("sections", Assert.Throws<ArgumentException>(() => bank.SetCoefficients([BiquadCoefficients.Identity, new(double.NaN, 0, 0, 0, 0)])).ParamName);
        Assert.Equal("channel", Assert.Throws<ArgumentOutOfRangeException>(() => bank.SetCoefficients(2, [BiquadCoefficients.Identity, BiquadCoefficients.Identity])).ParamName);
    }
}
