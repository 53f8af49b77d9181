using SpatialAudio.Filters.Design;
using Xunit.Abstractions;

namespace SpatialAudio.Filters.Tests.Design;

public sealed class FractionalDelayTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(23.5)]
    [InlineData(23.25)]
    [InlineData(23.0)]
    [InlineData(23.8)]
    [InlineData(24.3)]
    [InlineData(22.7)]
    public void WindowedSinc_HasGroupDelayWithin0_01SamplesOfTheTargetAcrossItsPassband(double delay)
    {
        var h = FractionalDelay.WindowedSinc(delay, 48, kaiserBeta: 7.0, bandwidth: 0.95);
        Assert.Equal(1.0, h.Sum(), 12);

        // Passband: up to 0.8 of Nyquist (19.2 kHz at 48 kHz). Reference: numerical derivative of the directly summed phase.
        var worst = 0.0;
        foreach (var f in Reference.Grid(10, 19_200, 200))
        {
            const double step = 1e-3;
            var dPhase = (Reference.Dtft(h, f + step, 48_000) / Reference.Dtft(h, f - step, 48_000)).Phase;
            var groupDelay = -dPhase / (2 * Math.PI * 2 * step / 48_000);
            worst = Math.Max(worst, Math.Abs(groupDelay - delay));
            Assert.True(Reference.MagnitudeDb(h, f, 48_000) is > -0.1 and < 0.1, $"{f} Hz magnitude");
        }

        output.WriteLine($"D = {delay}: worst group-delay error {worst:E2} samples");
        Assert.True(worst <= 0.01, $"worst group-delay error {worst}");
    }

    [Theory]
    [InlineData(1.5, 3)]
    [InlineData(2.3, 4)]
    [InlineData(3.7, 7)]
    public void Lagrange_InterpolatesPolynomialsUpToItsOrderExactly(double delay, int order)
    {
        var h = FractionalDelay.Lagrange(delay, order);
        Assert.Equal(order + 1, h.Length);

        // A polynomial input p(n) = n^k of degree <= N is reproduced at the fractional position D.
        for (var k = 0; k <= order; k++)
        {
            var moment = h.Select((c, n) => c * Math.Pow(n, k)).Sum();
            Assert.Equal(Math.Pow(delay, k), moment, 9);
        }
    }

    [Fact]
    public void Lagrange_AtAnIntegerDelay_IsAUnitImpulse()
    {
        Assert.Equal(new[] { 0.0, 0.0, 1.0, 0.0 }, FractionalDelay.Lagrange(2.0, 3));
    }

    [Fact]
    public void WindowedSinc_WithADelayOutsideTheFilter_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => FractionalDelay.WindowedSinc(40, 32, 6));
        Assert.Equal("delaySamples", e.ParamName);
    }
}
