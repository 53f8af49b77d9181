using System.Numerics;
using SpatialAudio.Filters.Design;

namespace SpatialAudio.Filters.Tests.Design;

public sealed class FrequencySamplingTests
{
    private static double[] RandomFir(int length, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => rng.NextDouble() - 0.5).ToArray();
    }

    private static Complex[] GridResponse(double[] h, int fftSize, double advanceSamples = 0)
    {
        // Direct DTFT at k fs / N, optionally with a time advance e^{+jwD} (a non-causal target).
        var grid = new Complex[(fftSize / 2) + 1];
        for (var k = 0; k < grid.Length; k++)
        {
            var w = 2 * Math.PI * k / fftSize;
            grid[k] = Reference.Dtft(h, k, fftSize) * Complex.FromPolarCoordinates(1, w * advanceSamples);
        }

        return grid;
    }

    [Theory]
    [InlineData(37, 128)]
    [InlineData(37, 120)]
    [InlineData(64, 64)]
    public void FromUniformGrid_ReproducesAKnownFirFromItsGridResponse(int length, int fftSize)
    {
        var h = RandomFir(length, length + fftSize);
        var designed = FrequencySampling.FromUniformGrid(GridResponse(h, fftSize), length);
        for (var n = 0; n < length; n++)
        {
            Assert.Equal(h[n], designed[n], 11);
        }
    }

    [Fact]
    public void FromUniformGrid_WithADelay_MakesANonCausalTargetCausal()
    {
        var h = RandomFir(21, 9);

        // Target: h advanced by 10 samples (centered on n = 0); asking for delay 10 gives h back.
        var designed = FrequencySampling.FromUniformGrid(GridResponse(h, 256, advanceSamples: 10), 21, delaySamples: 10);
        for (var n = 0; n < h.Length; n++)
        {
            Assert.Equal(h[n], designed[n], 11);
        }
    }

    [Fact]
    public void FromGrid_OnAnArbitraryLogGrid_ApproximatesASmoothTargetWithin0_1Percent()
    {
        // Target: one-pole low-pass 1 / (1 - a e^-jw) followed by a 12-sample delay; its impulse response is a^(n-12).
        const double a = 0.8;
        const double rate = 48_000;
        Complex Target(double f)
        {
            var z = Complex.FromPolarCoordinates(1, -2 * Math.PI * f / rate);
            return Complex.Pow(z, 12) / (1 - (a * z));
        }

        var frequencies = new[] { 0.0 }.Concat(Enumerable.Range(0, 600).Select(i => 5.0 * Math.Pow(24_000 / 5.0, i / 599.0))).ToArray();
        var response = frequencies.Select(Target).ToArray();
        var h = FrequencySampling.FromGrid(frequencies, response, rate, length: 128, fftSize: 4096);

        foreach (var f in Reference.Grid(0, 20_000, 300))
        {
            var error = (Reference.Dtft(h, f, rate) - Target(f)).Magnitude / Target(f).Magnitude;
            Assert.True(error < 1e-3, $"{f} Hz: relative error {error:E2}");
        }
    }

    [Fact]
    public void FromUniformGrid_WithAKaiserTaper_CentersTheTaperOnTheDelay()
    {
        // A pure delay of 40 in a 64-tap filter: the taper's peak (value 1) sits on the delay, so the impulse survives intact.
        var grid = Enumerable.Range(0, 129).Select(k => Complex.FromPolarCoordinates(1, -2 * Math.PI * k * 40 / 256.0)).ToArray();
        var h = FrequencySampling.FromUniformGrid(grid, 64, kaiserBeta: 8);
        Assert.Equal(0.0, h[39], 12);

        var shifted = FrequencySampling.FromUniformGrid(Enumerable.Repeat(Complex.One, 129).ToArray(), 64, delaySamples: 40, kaiserBeta: 8);
        Assert.Equal(1.0, shifted[40], 12);
        Assert.Equal(1.0, shifted.Sum(), 12);
    }
}
