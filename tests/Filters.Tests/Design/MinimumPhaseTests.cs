using System.Numerics;
using SpatialAudio.Filters.Design;

namespace SpatialAudio.Filters.Tests.Design;

public sealed class MinimumPhaseTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(-0.3)]
    [InlineData(0.9)]
    public void LinearPhaseProductOfReciprocalZeros_MapsToTheDoubledInsideZero(double a)
    {
        // -a + (1 + a^2) z^-1 - a z^-2 = -a (1 - a z^-1)(1 - z^-1 / a): zeros at a and 1/a.
        // Same magnitude, both zeros inside: (1 - a z^-1)^2 = 1 - 2a z^-1 + a^2 z^-2.
        var h = MinimumPhase.FromFir([-a, 1 + (a * a), -a]);
        Assert.Equal(1.0, h[0], 8);
        Assert.Equal(-2 * a, h[1], 8);
        Assert.Equal(a * a, h[2], 8);
    }

    private static (double[] Mixed, double[] Expected) MixedPhaseFir()
    {
        // Zeros in conjugate pairs, some outside the unit circle; the minimum-phase equivalent reflects those to
        // 1/conj(z) and scales by |z| each, which keeps the magnitude.
        var zeros = new List<Complex>();
        var reflected = new List<Complex>();
        var gain = 1.0;
        foreach (var (r, angle) in new[] { (1.6, 0.4), (0.7, 1.1), (2.2, 2.0), (0.5, 2.7), (1.3, 0.05) })
        {
            var z = Complex.FromPolarCoordinates(r, angle);
            zeros.Add(z);
            zeros.Add(Complex.Conjugate(z));
            var inside = r > 1 ? 1 / Complex.Conjugate(z) : z;
            reflected.Add(inside);
            reflected.Add(Complex.Conjugate(inside));
            gain *= r > 1 ? r * r : 1;
        }

        var mixed = Reference.PolynomialFromZeros(zeros).Select(c => c.Real).ToArray();
        var expected = Reference.PolynomialFromZeros(reflected).Select(c => gain * c.Real).ToArray();
        return (mixed, expected);
    }

    [Fact]
    public void MixedPhaseFir_MapsToTheFirWithItsOutsideZerosReflected()
    {
        var (mixed, expected) = MixedPhaseFir();
        var h = MinimumPhase.FromFir(mixed);
        for (var n = 0; n < expected.Length; n++)
        {
            Assert.Equal(expected[n], h[n], 8);
        }
    }

    [Fact]
    public void FromMagnitudeOnAGrid_GivesTheSameMinimumPhaseFir()
    {
        var (mixed, expected) = MixedPhaseFir();
        var magnitude = Enumerable.Range(0, 4097).Select(k => Reference.Dtft(mixed, k, 8192).Magnitude).ToArray();
        var h = MinimumPhase.FromMagnitude(magnitude, expected.Length);
        for (var n = 0; n < expected.Length; n++)
        {
            Assert.Equal(expected[n], h[n], 8);
        }
    }

    [Fact]
    public void LinearPhaseLowPass_KeepsItsMagnitudeWithin0_01DbAndConcentratesEnergyAtTheStart()
    {
        var linear = WindowedSinc.LowPass(6_000, 48_000, 63, 6.0);
        var minimum = MinimumPhase.FromFir(linear);

        foreach (var f in Reference.Grid(0, 24_000, 1000))
        {
            var expectedDb = Reference.MagnitudeDb(linear, f, 48_000);
            if (expectedDb > -50)
            {
                Assert.True(Math.Abs(Reference.MagnitudeDb(minimum, f, 48_000) - expectedDb) <= 0.01, $"{f} Hz");
            }
        }

        // Partial energy: the minimum-phase filter has at least as much energy in its first k taps as any filter with
        // the same magnitude; here, the linear-phase one.
        double energyMin = 0, energyLin = 0, total = linear.Sum(x => x * x);
        for (var k = 0; k < linear.Length; k++)
        {
            energyMin += minimum[k] * minimum[k];
            energyLin += linear[k] * linear[k];
            Assert.True(energyMin >= energyLin - (1e-6 * total), $"partial energy at {k}");
        }

        Assert.Equal(total, energyMin, 6);
    }
}
