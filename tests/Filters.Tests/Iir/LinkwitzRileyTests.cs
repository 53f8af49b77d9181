namespace SpatialAudio.Filters.Tests.Iir;

using System.Numerics;
using SpatialAudio.Filters.Iir;

public sealed class LinkwitzRileyTests
{
    private const double Fs = 48000.0;

    private static float[] ImpulseResponse(BiquadCoefficients[] sections, int length)
    {
        var h = Dsp.Impulse(length);
        new BiquadCascade(1, sections).Process(h, h, 0);
        return h;
    }

    private static Complex Analytic(BiquadCoefficients[] sections, double omega)
    {
        var h = Complex.One;
        foreach (var c in sections)
        {
            h *= Dsp.Analytic([c.B0, c.B1, c.B2], [1.0, c.A1, c.A2], omega);
        }

        return h;
    }

    [Theory]
    [InlineData(LinkwitzRileyOrder.LR2, 80.0)]
    [InlineData(LinkwitzRileyOrder.LR2, 2500.0)]
    [InlineData(LinkwitzRileyOrder.LR4, 80.0)]
    [InlineData(LinkwitzRileyOrder.LR4, 2500.0)]
    [InlineData(LinkwitzRileyOrder.LR4, 15000.0)]
    public void LowPlusHigh_MeasuredOnTheRuntime_IsFlatWithin0p01Db_AndEqualsTheAllPass(LinkwitzRileyOrder order, double crossoverHz)
    {
        var design = LinkwitzRiley.Design(order, crossoverHz, Fs);
        const int length = 32768;
        var low = ImpulseResponse(design.LowPass, length);
        var high = ImpulseResponse(design.HighPass, length);
        var sum = low.Zip(high, (a, b) => a + b).ToArray();
        for (var i = 0; i <= 80; i++)
        {
            var f = 10.0 * Math.Pow(2300.0, i / 80.0);
            var w = 2.0 * Math.PI * f / Fs;
            var measured = Dsp.Dtft(sum, w);
            Assert.True(Math.Abs(Dsp.Db(measured.Magnitude)) < 0.01, $"{f:F0} Hz: {Dsp.Db(measured.Magnitude)} dB");
            var allPass = Analytic(design.AllPass, w);
            Assert.True((measured - allPass).Magnitude < 1e-3, $"{f:F0} Hz: sum differs from the all-pass");
        }
    }

    [Theory]
    [InlineData(LinkwitzRileyOrder.LR2)]
    [InlineData(LinkwitzRileyOrder.LR4)]
    public void BothOutputs_AreMinus6DbAtCrossover_AndInPhase(LinkwitzRileyOrder order)
    {
        var design = LinkwitzRiley.Design(order, 1200.0, Fs);
        var w = 2.0 * Math.PI * 1200.0 / Fs;
        var low = Analytic(design.LowPass, w);
        var high = Analytic(design.HighPass, w);
        Assert.Equal(Dsp.Db(0.5), Dsp.Db(low.Magnitude), 9);
        Assert.Equal(Dsp.Db(0.5), Dsp.Db(high.Magnitude), 9);
        Assert.Equal(0.0, Dsp.Wrap(low.Phase - high.Phase), 9);
    }

    [Theory]
    [InlineData(LinkwitzRileyOrder.LR2)]
    [InlineData(LinkwitzRileyOrder.LR4)]
    public void Slopes_AreOrderTimes6DbPerOctave_FarFromCrossover(LinkwitzRileyOrder order)
    {
        var dbPerOctave = (int)order * Dsp.Db(2.0);
        var lowDesign = LinkwitzRiley.Design(order, 25.0, Fs);
        var highDesign = LinkwitzRiley.Design(order, 3000.0, Fs);
        var lowAt = (double f) => Dsp.Db(Analytic(lowDesign.LowPass, 2.0 * Math.PI * f / Fs).Magnitude);
        var highAt = (double f) => Dsp.Db(Analytic(highDesign.HighPass, 2.0 * Math.PI * f / Fs).Magnitude);
        Assert.Equal(-dbPerOctave, highAt(10.0) - highAt(20.0), 0.02);
        Assert.Equal(-dbPerOctave, lowAt(800.0) - lowAt(400.0), 0.05);
    }
}
