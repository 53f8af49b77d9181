namespace SpatialAudio.Filters.Tests.Iir;

using SpatialAudio.Filters.Iir;

public sealed class BiquadDesignTests
{
    private const double Fs = 48000.0;

    public static TheoryData<string> AllTypes => new()
    {
        "LowPass", "HighPass", "BandPassSkirt", "BandPassPeak", "Notch", "AllPass", "PeakingBoost", "PeakingCut",
        "LowShelf", "HighShelf", "LowShelfSlope", "HighShelfSlope", "FirstLowPass", "FirstHighPass", "FirstAllPass",
        "FirstLowShelf", "FirstHighShelf",
    };

    internal static BiquadCoefficients Make(string type, double f0 = 1000.0, double fs = Fs) => type switch
    {
        "LowPass" => BiquadDesign.LowPass(f0, fs, 0.9),
        "HighPass" => BiquadDesign.HighPass(f0, fs, 0.9),
        "BandPassSkirt" => BiquadDesign.BandPassConstantSkirt(f0, fs, 2.0),
        "BandPassPeak" => BiquadDesign.BandPassConstantPeak(f0, fs, 2.0),
        "Notch" => BiquadDesign.Notch(f0, fs, 2.0),
        "AllPass" => BiquadDesign.AllPass(f0, fs, 1.5),
        "PeakingBoost" => BiquadDesign.Peaking(f0, fs, 9.0, 3.0),
        "PeakingCut" => BiquadDesign.Peaking(f0, fs, -12.0, 1.0),
        "LowShelf" => BiquadDesign.LowShelf(f0, fs, 6.0, 0.7071),
        "HighShelf" => BiquadDesign.HighShelf(f0, fs, -8.0, 0.9),
        "LowShelfSlope" => BiquadDesign.LowShelfSlope(f0, fs, -5.0, 0.5),
        "HighShelfSlope" => BiquadDesign.HighShelfSlope(f0, fs, 10.0, 1.0),
        "FirstLowPass" => FirstOrderDesign.LowPass(f0, fs),
        "FirstHighPass" => FirstOrderDesign.HighPass(f0, fs),
        "FirstAllPass" => FirstOrderDesign.AllPass(f0, fs),
        "FirstLowShelf" => FirstOrderDesign.LowShelf(f0, fs, 6.0),
        "FirstHighShelf" => FirstOrderDesign.HighShelf(f0, fs, -9.0),
        _ => throw new ArgumentException(type),
    };

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void RuntimeResponse_MatchesAnalyticTransferFunction_Within0p01Db(string type)
    {
        var c = Make(type);
        var filter = new BiquadCascade(1, [c]);
        var h = Dsp.Impulse(16384);
        filter.Process(h, h, 0);
        for (var i = 1; i < 60; i++)
        {
            var f = 20.0 * Math.Pow(1000.0, i / 60.0); // 20 Hz .. 20 kHz, log spaced
            var w = 2.0 * Math.PI * f / Fs;
            var expected = Dsp.Analytic([c.B0, c.B1, c.B2], [1.0, c.A1, c.A2], w);
            var measured = Dsp.Dtft(h, w);
            if (expected.Magnitude < 1e-3)
            {
                Assert.True(measured.Magnitude < 2e-3, $"{type} at {f:F0} Hz: {measured.Magnitude}");
                continue;
            }

            Assert.True(Math.Abs(Dsp.Db(measured.Magnitude) - Dsp.Db(expected.Magnitude)) < 0.01, $"{type} at {f:F0} Hz");
            Assert.True(Math.Abs(Dsp.Wrap(measured.Phase - expected.Phase)) < 0.1 * Math.PI / 180, $"{type} phase at {f:F0} Hz");
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void AnalysisMethods_AgreeWithDirectEvaluation(string type)
    {
        var c = Make(type);
        foreach (var f in new[] { 50.0, 700.0, 1000.0, 3000.0, 15000.0 })
        {
            var w = 2.0 * Math.PI * f / Fs;
            var expected = Dsp.Analytic([c.B0, c.B1, c.B2], [1.0, c.A1, c.A2], w);
            Assert.Equal(Dsp.Db(expected.Magnitude), c.MagnitudeDb(f, Fs), 9);
            Assert.Equal(0.0, Dsp.Wrap(c.PhaseRadians(f, Fs) - expected.Phase), 9);

            if (expected.Magnitude < 1e-6)
            {
                continue; // group delay is undefined at a zero on the unit circle (the notch center)
            }

            // Group delay against the numerical derivative of the (locally unwrapped) phase.
            const double dw = 1e-5;
            var phaseUp = Dsp.Analytic([c.B0, c.B1, c.B2], [1.0, c.A1, c.A2], w + dw).Phase;
            var phaseDown = Dsp.Analytic([c.B0, c.B1, c.B2], [1.0, c.A1, c.A2], w - dw).Phase;
            var numeric = -Dsp.Wrap(phaseUp - phaseDown) / (2 * dw);
            Assert.Equal(numeric, c.GroupDelaySamples(f, Fs), 4);
        }
    }

    [Theory]
    [InlineData(9.0, 3.0)]
    [InlineData(-15.0, 0.5)]
    [InlineData(3.0, 10.0)]
    public void Peaking_GainAtCenter_EqualsGainDb_AndUnityAtDcAndNyquist(double gainDb, double q)
    {
        var c = BiquadDesign.Peaking(2500.0, Fs, gainDb, q);
        Assert.Equal(gainDb, c.MagnitudeDb(2500.0, Fs), 9);
        Assert.Equal(0.0, c.MagnitudeDb(0.0, Fs), 9);
        Assert.Equal(0.0, c.MagnitudeDb(Fs / 2, Fs), 9);
    }

    [Theory]
    [InlineData(6.0, 0.7071067811865476)]
    [InlineData(-10.0, 2.0)]
    public void Shelves_HaveGainAtTheirEnd_ZeroAtTheOther_AndHalfAtCorner(double gainDb, double q)
    {
        var low = BiquadDesign.LowShelf(300.0, Fs, gainDb, q);
        Assert.Equal(gainDb, low.MagnitudeDb(0.0, Fs), 9);
        Assert.Equal(0.0, low.MagnitudeDb(Fs / 2, Fs), 9);
        Assert.Equal(gainDb / 2, low.MagnitudeDb(300.0, Fs), 9);
        var high = BiquadDesign.HighShelf(4000.0, Fs, gainDb, q);
        Assert.Equal(0.0, high.MagnitudeDb(0.0, Fs), 9);
        Assert.Equal(gainDb, high.MagnitudeDb(Fs / 2, Fs), 9);
        Assert.Equal(gainDb / 2, high.MagnitudeDb(4000.0, Fs), 9);
        var firstLow = FirstOrderDesign.LowShelf(300.0, Fs, gainDb);
        Assert.Equal(gainDb, firstLow.MagnitudeDb(0.0, Fs), 9);
        Assert.Equal(0.0, firstLow.MagnitudeDb(Fs / 2, Fs), 9);
        Assert.Equal(gainDb / 2, firstLow.MagnitudeDb(300.0, Fs), 9);
        var firstHigh = FirstOrderDesign.HighShelf(4000.0, Fs, gainDb);
        Assert.Equal(0.0, firstHigh.MagnitudeDb(0.0, Fs), 9);
        Assert.Equal(gainDb, firstHigh.MagnitudeDb(Fs / 2, Fs), 9);
        Assert.Equal(gainDb / 2, firstHigh.MagnitudeDb(4000.0, Fs), 9);
    }

    [Fact]
    public void ShelfSlopeOne_IsButterworthQ_ForAnyGain()
    {
        foreach (var g in new[] { -12.0, 3.0, 18.0 })
        {
            Assert.Equal(1.0 / Math.Sqrt(2.0), BiquadDesign.QFromShelfSlope(g, 1.0), 12);
        }
    }

    [Theory]
    [InlineData(100.0, 0.5)]
    [InlineData(2000.0, 0.7071067811865476)]
    [InlineData(9000.0, 4.0)]
    public void LowPassAndHighPass_HaveUnityPassband_AndGainQAtCutoff(double f0, double q)
    {
        var lp = BiquadDesign.LowPass(f0, Fs, q);
        var hp = BiquadDesign.HighPass(f0, Fs, q);
        Assert.Equal(0.0, lp.MagnitudeDb(0.0, Fs), 9);
        Assert.Equal(0.0, hp.MagnitudeDb(Fs / 2, Fs), 9);
        Assert.Equal(Dsp.Db(q), lp.MagnitudeDb(f0, Fs), 9);
        Assert.Equal(Dsp.Db(q), hp.MagnitudeDb(f0, Fs), 9);
        Assert.True(lp.Response(Fs / 2, Fs).Magnitude < 1e-12);
        Assert.True(hp.Response(0.0, Fs).Magnitude < 1e-12);
    }

    [Fact]
    public void BandPasses_PeakAtCenter_WithSkirtGainQ_OrZeroDb()
    {
        var skirt = BiquadDesign.BandPassConstantSkirt(1500.0, Fs, 3.0);
        var peak = BiquadDesign.BandPassConstantPeak(1500.0, Fs, 3.0);
        Assert.Equal(Dsp.Db(3.0), skirt.MagnitudeDb(1500.0, Fs), 9);
        Assert.Equal(0.0, peak.MagnitudeDb(1500.0, Fs), 9);
        Assert.Equal(0.0, peak.PhaseRadians(1500.0, Fs), 9);
        Assert.True(peak.Response(0.0, Fs).Magnitude < 1e-12);
        Assert.True(peak.Response(Fs / 2, Fs).Magnitude < 1e-12);
    }

    [Theory]
    [InlineData(500.0, 1.0, 0.01)]
    [InlineData(5000.0, 3.0, 0.2)] // the cookbook's w0/sin(w0) warping correction is approximate far from DC
    public void Notch_RejectsCenter_PassesDcAndNyquist_AndHasMinus3DbAtBandEdges(double f0, double bandwidthOctaves, double tolerance)
    {
        var q = BiquadDesign.QFromBandwidthOctaves(bandwidthOctaves, f0, Fs);
        var notch = BiquadDesign.Notch(f0, Fs, q);
        Assert.True(notch.Response(f0, Fs).Magnitude < 1e-12);
        Assert.Equal(0.0, notch.MagnitudeDb(0.0, Fs), 9);
        Assert.Equal(0.0, notch.MagnitudeDb(Fs / 2, Fs), 9);

        // The cookbook's bandwidth is between the -3 dB points, measured in octaves of the digital frequency axis.
        var lower = Bisect(f => notch.MagnitudeDb(f, Fs) + 3.0103, 1.0, f0);
        var upper = Bisect(f => -(notch.MagnitudeDb(f, Fs) + 3.0103), f0, (Fs / 2) - 1.0);
        Assert.Equal(bandwidthOctaves, Math.Log2(upper / lower), tolerance);
    }

    [Theory]
    [InlineData(200.0, 0.7)]
    [InlineData(3000.0, 2.0)]
    public void AllPass_HasUnitMagnitude_AndMinus180DegreesAtCenter(double f0, double q)
    {
        var ap = BiquadDesign.AllPass(f0, Fs, q);
        for (var f = 10.0; f < Fs / 2; f *= 1.3)
        {
            Assert.Equal(1.0, ap.Response(f, Fs).Magnitude, 12);
        }

        Assert.Equal(Math.PI, Math.Abs(ap.PhaseRadians(f0, Fs)), 9);
    }

    [Fact]
    public void FirstOrder_LowPlusHigh_IsExactlyOne_AndAllPassIsMinus90AtBreak()
    {
        var lp = FirstOrderDesign.LowPass(800.0, Fs);
        var hp = FirstOrderDesign.HighPass(800.0, Fs);
        var ap = FirstOrderDesign.AllPass(800.0, Fs);
        foreach (var f in new[] { 0.0, 100.0, 800.0, 5000.0, 23000.0 })
        {
            var sum = lp.Response(f, Fs) + hp.Response(f, Fs);
            Assert.Equal(1.0, sum.Real, 12);
            Assert.Equal(0.0, sum.Imaginary, 12);
            Assert.Equal(1.0, ap.Response(f, Fs).Magnitude, 12);
        }

        Assert.Equal(-3.0103, lp.MagnitudeDb(800.0, Fs), 3);
        Assert.Equal(-3.0103, hp.MagnitudeDb(800.0, Fs), 3);
        Assert.Equal(-Math.PI / 2, ap.PhaseRadians(800.0, Fs), 9);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.75)]
    [InlineData(1.4)]
    public void FirstOrderAllPassForDelay_HasDcGroupDelayD(double delay)
    {
        var ap = FirstOrderDesign.AllPassForDelay(delay);
        Assert.Equal(delay, ap.GroupDelaySamples(0.0, Fs), 9);
        Assert.True(ap.IsStable);
    }

    [Fact]
    public void Designs_RejectInvalidParameters_NamingThem()
    {
        Assert.Equal("frequencyHz", Assert.Throws<ArgumentOutOfRangeException>(() => BiquadDesign.LowPass(24000.0, Fs, 0.7)).ParamName);
        Assert.Equal("frequencyHz", Assert.Throws<ArgumentOutOfRangeException>(() => BiquadDesign.LowPass(0.0, Fs, 0.7)).ParamName);
        Assert.Equal("sampleRateHz", Assert.Throws<ArgumentOutOfRangeException>(() => BiquadDesign.Notch(100.0, double.NaN, 0.7)).ParamName);
        Assert.Equal("q", Assert.Throws<ArgumentOutOfRangeException>(() => BiquadDesign.AllPass(100.0, Fs, 0.0)).ParamName);
        Assert.Equal("gainDb", Assert.Throws<ArgumentOutOfRangeException>(() => BiquadDesign.Peaking(100.0, Fs, double.PositiveInfinity, 1.0)).ParamName);
        Assert.Equal("slope", Assert.Throws<ArgumentOutOfRangeException>(() => BiquadDesign.LowShelfSlope(100.0, Fs, 12.0, 10.0)).ParamName);
        Assert.Equal("bandwidthOctaves", Assert.Throws<ArgumentOutOfRangeException>(() => BiquadDesign.QFromBandwidthOctaves(-1.0, 100.0, Fs)).ParamName);
        Assert.Equal("delaySamples", Assert.Throws<ArgumentOutOfRangeException>(() => FirstOrderDesign.AllPassForDelay(0.0)).ParamName);
    }

    [Fact]
    public void AllDesigns_AreStable()
    {
        foreach (var type in AllTypes)
        {
            foreach (var f0 in new[] { 20.0, 1000.0, 20000.0 })
            {
                Assert.True(Make(type, f0).IsStable, $"{type} at {f0}");
            }
        }
    }

    private static double Bisect(Func<double, double> f, double lo, double hi)
    {
        // f(lo) < 0 < f(hi) is not assumed; the sign change is located either way.
        var flo = f(lo);
        for (var i = 0; i < 100; i++)
        {
            var mid = 0.5 * (lo + hi);
            var fm = f(mid);
            if (Math.Sign(fm) == Math.Sign(flo))
            {
                lo = mid;
                flo = fm;
            }
            else
            {
                hi = mid;
            }
        }

        return 0.5 * (lo + hi);
    }
}
