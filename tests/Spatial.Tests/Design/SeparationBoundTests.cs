using System.Numerics;
using SpatialAudio.Spatial.Design.Crosstalk;

namespace SpatialAudio.Spatial.Tests.Design;

public sealed class SeparationBoundTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TwoDrivers_TheConvexMinimumMatchesABruteForceSearchOverEveryFeasibleFilter(int seed)
    {
        // Two drivers: every filter with b c = t is c = c_p + z n (n spans the null space of b), so a dense grid over
        // the complex z, keeping only filters inside the box, is an independent reference for min |a c|.
        var random = new Random(seed);
        Complex Draw() => Complex.FromPolarCoordinates(0.5 + random.NextDouble(), 2 * Math.PI * random.NextDouble());
        Complex[] b = [Draw(), Draw()];
        Complex[] a = [0.9 * b[0] * Complex.FromPolarCoordinates(1, 0.3), 0.9 * b[1] * Complex.FromPolarCoordinates(1, -0.25)];
        const double t = 1.0;
        var bNorm2 = (b[0].Magnitude * b[0].Magnitude) + (b[1].Magnitude * b[1].Magnitude);
        Complex[] particular = [t * Complex.Conjugate(b[0]) / bNorm2, t * Complex.Conjugate(b[1]) / bNorm2];
        Complex[] nullVector = [b[1], -b[0]];

        // The exact null (a c = 0) needs a larger gain than this ceiling: the box is active.
        var exact = particular.Zip(nullVector).Select(p => p.First + (ZeroOf(a, particular, nullVector) * p.Second)).Max(v => v.Magnitude);
        var ceiling = 0.6 * exact;
        Assert.True(ceiling > particular.Max(v => v.Magnitude), "the problem must be feasible");

        var brute = double.PositiveInfinity;
        const int steps = 1200;
        var reach = 3 * exact / nullVector.Min(v => v.Magnitude);
        for (var i = 0; i <= steps; i++)
        {
            for (var j = 0; j <= steps; j++)
            {
                var z = new Complex(reach * ((2.0 * i / steps) - 1), reach * ((2.0 * j / steps) - 1));
                var c0 = particular[0] + (z * nullVector[0]);
                var c1 = particular[1] + (z * nullVector[1]);
                if (c0.Magnitude <= ceiling && c1.Magnitude <= ceiling)
                {
                    brute = Math.Min(brute, ((a[0] * c0) + (a[1] * c1)).Magnitude);
                }
            }
        }

        var convex = SeparationBound.MinimumContralateral(b, a, ceiling, t);

        Assert.True(convex <= brute * 1.0001, $"convex {convex} vs brute force {brute}");
        Assert.True(convex >= brute * 0.98, $"convex {convex} vs brute force {brute}");
    }

    [Fact]
    public void AnyFilter_CannotSeparateEarsThatHearTheDriversAlike()
    {
        // a = b: every filter gives the same level at both ears, so the best separation is exactly 0 dB.
        Complex[] b = [new(1, 0.2), new(-0.3, 0.8), new(0.5, -0.5)];
        Assert.Equal(0.0, SeparationBound.BestSeparationDb(b, b, 10, 0.7, 1.4), 6);
    }

    [Fact]
    public void AGenerousCeiling_AllowsAnExactNull_AndAHigherCeilingNeverLowersTheBound()
    {
        Complex[] b = [new(1, 0), new(0.8, 0.3)];
        Complex[] a = [new(0.8, -0.3), new(1, 0)];
        Assert.True(SeparationBound.BestSeparationDb(b, a, 1000, 0.7, 1.4) > 80);

        var previous = double.NegativeInfinity;
        foreach (var ceiling in new[] { 0.8, 1.2, 2.0, 4.0 })
        {
            var bound = SeparationBound.BestSeparationDb(b, a, ceiling, 0.7, 1.4);
            Assert.True(bound >= previous - 1e-6, $"ceiling {ceiling}: {bound} after {previous}");
            previous = bound;
        }
    }

    [Fact]
    public void UnreachableWantedLevel_IsReported_AndBadArgumentsThrow()
    {
        Complex[] b = [new(0.1, 0), new(0.1, 0)];
        Complex[] a = [new(0.1, 0), new(-0.1, 0)];
        Assert.Equal(double.NegativeInfinity, SeparationBound.BestSeparationDb(b, a, 1, 0.7, 1.4));
        Assert.Throws<ArgumentException>(() => SeparationBound.BestSeparationDb(b, [Complex.One], 1, 0.7, 1.4));
        Assert.Throws<ArgumentOutOfRangeException>(() => SeparationBound.BestSeparationDb(b, a, 1, 1.4, 0.7));
    }

    // The z with a (c_p + z n) = 0.
    private static Complex ZeroOf(Complex[] a, Complex[] particular, Complex[] nullVector) =>
        -((a[0] * particular[0]) + (a[1] * particular[1])) / ((a[0] * nullVector[0]) + (a[1] * nullVector[1]));
}
