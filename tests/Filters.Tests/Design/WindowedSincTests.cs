using SpatialAudio.Filters.Design;

namespace SpatialAudio.Filters.Tests.Design;

public sealed class WindowedSincTests
{
    private const double Rate = 48_000;

    [Theory]
    [InlineData(4_000, 5_000, 60)]
    [InlineData(10_000, 11_000, 100)]
    [InlineData(18_000, 20_000, 80)]
    public void LowPassForSpec_MeetsPassbandRippleAndStopbandAttenuationOnADenseGrid(double passHz, double stopHz, double attenuationDb)
    {
        var h = WindowedSinc.LowPassForSpec(passHz, stopHz, attenuationDb, Rate);
        AssertBand(h, 0, passHz, attenuationDb, pass: true);
        AssertBand(h, stopHz, Rate / 2, attenuationDb, pass: false);
    }

    [Theory]
    [InlineData(1_000, 2_000, 70)]
    [InlineData(15_000, 16_000, 90)]
    public void HighPassForSpec_MeetsItsSpec(double stopHz, double passHz, double attenuationDb)
    {
        var h = WindowedSinc.HighPassForSpec(stopHz, passHz, attenuationDb, Rate);
        AssertBand(h, 0, stopHz, attenuationDb, pass: false);
        AssertBand(h, passHz, Rate / 2, attenuationDb, pass: true);
    }

    [Fact]
    public void BandPassForSpec_MeetsItsSpec()
    {
        var h = WindowedSinc.BandPassForSpec(1_000, 2_000, 6_000, 7_000, 80, Rate);
        AssertBand(h, 0, 1_000, 80, pass: false);
        AssertBand(h, 2_000, 6_000, 80, pass: true);
        AssertBand(h, 7_000, Rate / 2, 80, pass: false);
    }

    [Fact]
    public void BandStopForSpec_MeetsItsSpec()
    {
        var h = WindowedSinc.BandStopForSpec(1_000, 2_000, 6_000, 7_000, 80, Rate);
        AssertBand(h, 0, 1_000, 80, pass: true);
        AssertBand(h, 2_000, 6_000, 80, pass: false);
        AssertBand(h, 7_000, Rate / 2, 80, pass: true);
    }

    [Fact]
    public void LowPass_IsSymmetricWithUnitDcGain()
    {
        var h = WindowedSinc.LowPass(5_000, Rate, 101, 8.0);
        Assert.Equal(1.0, h.Sum(), 12);
        for (var n = 0; n < h.Length; n++)
        {
            Assert.Equal(h[n], h[h.Length - 1 - n], 15);
        }
    }

    [Fact]
    public void HighPass_WithEvenLength_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => WindowedSinc.HighPass(5_000, Rate, 100, 8.0));
        Assert.Equal("length", e.ParamName);
    }

    // Kaiser's design gives about equal ripple delta = 10^(-A/20) in both bands: the stopband must meet A (the
    // ForSpec designs verify it), the passband may deviate by up to twice delta.
    private static void AssertBand(double[] h, double fromHz, double toHz, double attenuationDb, bool pass)
    {
        var delta = Math.Pow(10, -attenuationDb / 20);
        foreach (var f in Reference.Grid(fromHz, toHz, 2000))
        {
            var magnitude = Reference.Dtft(h, f, Rate).Magnitude;
            if (pass)
            {
                Assert.True(Math.Abs(magnitude - 1) <= 2 * delta, $"passband {f} Hz: {magnitude}");
            }
            else
            {
                Assert.True(20 * Math.Log10(magnitude) <= -attenuationDb + 0.05, $"stopband {f} Hz: {20 * Math.Log10(magnitude):F1} dB");
            }
        }
    }
}
