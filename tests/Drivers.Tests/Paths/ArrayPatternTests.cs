namespace SpatialAudio.Drivers.Tests.Paths;

using System.Numerics;
using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Directivity;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Paths;

public sealed class ArrayPatternTests
{
    private const double C = 343.0;

    private static DriverDescription Driver(Vector3D position, double axisAzimuthDeg = 0.0, double axisElevationDeg = 0.0) =>
        new("d", DriverRole.Mid, position, axisAzimuthDeg, axisElevationDeg, 0.0, null);

    private static ArrayPattern Omnis(params Vector3D[] positions) =>
        new(positions.Select(p => Driver(p)).ToArray(), positions.Select(_ => (IDirectivity)OmniDirectivity.Instance).ToArray(), C);

    private static Complex[][] Ones(int drivers, int bins) =>
        Enumerable.Range(0, drivers).Select(_ => Enumerable.Repeat(Complex.One, bins).ToArray()).ToArray();

    // J0(x) = (1/π) ∫0^π cos(x sin t) dt, trapezoidal rule (spectrally accurate for this periodic integrand).
    private static double BesselJ0(double x)
    {
        const int n = 2000;
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            sum += Math.Cos(x * Math.Sin(Math.PI * (i + 0.5) / n));
        }

        return sum / n;
    }

    [Theory]
    [InlineData(500.0)]
    [InlineData(2000.0)]
    [InlineData(5000.0)]
    public void TwoOmnisSpacedD_EqualWeights_Give2CosInTheHorizontalPlane(double frequencyHz)
    {
        const double d = 0.1;
        var pattern = Omnis(new Vector3D(0, d / 2, 0), new Vector3D(0, -d / 2, 0));
        var azimuths = Enumerable.Range(0, 73).Select(i => (i * 5.0) - 180.0).ToArray();

        var grid = pattern.Grid(azimuths, [0.0], [frequencyHz], Ones(2, 1));

        for (var a = 0; a < azimuths.Length; a++)
        {
            var expected = Math.Abs(2.0 * Math.Cos(Math.PI * frequencyHz * d * Math.Sin(azimuths[a] * Math.PI / 180.0) / C));
            Assert.Equal(expected, grid[0, a, 0].Magnitude, 1e-12);
        }
    }

    [Theory]
    [InlineData(1000.0)]
    [InlineData(4000.0)]
    public void EndFireDelayAndSum_MatchesTheAnalyticPattern(double frequencyHz)
    {
        const double d = 0.05;
        var pattern = Omnis(new Vector3D(d / 2, 0, 0), new Vector3D(-d / 2, 0, 0));
        var weights = pattern.DelayAndSumWeights(0.0, 0.0, [frequencyHz]);
        var value = new Complex[1];

        for (var az = -180.0; az <= 180.0; az += 7.5)
        {
            pattern.Response(az, 0.0, [frequencyHz], weights, value);
            var expected = Math.Abs(Math.Cos(Math.PI * frequencyHz * d * (Math.Cos(az * Math.PI / 180.0) - 1.0) / C));
            Assert.Equal(expected, value[0].Magnitude, 1e-12);
        }

        pattern.Response(0.0, 0.0, [frequencyHz], weights, value);
        Assert.Equal(0.0, Complex.Abs(value[0] - Complex.One), 1e-12);
    }

    [Fact]
    public void DelayAndSum_SteersALineArrayToItsTarget_InPhase()
    {
        var positions = Enumerable.Range(0, 4).Select(i => new Vector3D(0.01 * i, (i - 1.5) * 0.04, 0.005 * i)).ToArray();
        var pattern = Omnis(positions);
        double[] f = [700.0, 3000.0, 6000.0];
        var weights = pattern.DelayAndSumWeights(30.0, 10.0, f);
        var target = new Complex[f.Length];
        var elsewhere = new Complex[f.Length];

        pattern.Response(30.0, 10.0, f, weights, target);
        pattern.Response(-40.0, 0.0, f, weights, elsewhere);

        var u = Vector3D.FromSpherical(-40.0, 0.0);
        var u0 = Vector3D.FromSpherical(30.0, 10.0);
        for (var b = 0; b < f.Length; b++)
        {
            Assert.Equal(0.0, Complex.Abs(target[b] - Complex.One), 1e-12);
            var expected = positions.Aggregate(Complex.Zero, (sum, r) => sum + (0.25 * Complex.Exp(new Complex(0, 2 * Math.PI * f[b] * Vector3D.Dot(u - u0, r) / C))));
            Assert.Equal(0.0, Complex.Abs(elsewhere[b] - expected), 1e-12);
        }
    }

    [Fact]
    public void SingleOmni_HasZeroDirectivityIndex_WhereverItSits()
    {
        double[] f = [100.0, 3000.0, 15_000.0];
        foreach (var position in new[] { Vector3D.Zero, new Vector3D(0.1, -0.05, 0.02) })
        {
            var pattern = Omnis(position);

            var di = pattern.DirectivityIndexDb(f, Ones(1, f.Length));
            var horizontal = pattern.HorizontalDirectivityIndexDb(f, Ones(1, f.Length));

            Assert.All(di, v => Assert.Equal(0.0, v, 1e-10));
            Assert.All(horizontal, v => Assert.Equal(0.0, v, 1e-10));
        }
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.25)]
    [InlineData(1.0)]
    [InlineData(2.3)]
    public void TwoOmniBroadsideArray_HasTheAnalyticDirectivityIndex(double spacingWavelengths)
    {
        // |P|² = 2 + 2 cos(kd cos ψ), ψ from the array axis: sphere mean 2 + 2 sin(kd)/(kd), horizontal mean 2 + 2 J0(kd).
        const double f = 2000.0;
        var d = spacingWavelengths * C / f;
        var pattern = Omnis(new Vector3D(0, d / 2, 0), new Vector3D(0, -d / 2, 0));
        var kd = 2.0 * Math.PI * spacingWavelengths;

        var di = pattern.DirectivityIndexDb([f], Ones(2, 1))[0];
        var horizontal = pattern.HorizontalDirectivityIndexDb([f], Ones(2, 1))[0];

        Assert.Equal(10.0 * Math.Log10(4.0 / (2.0 + (2.0 * Math.Sin(kd) / kd))), di, 1e-9);
        Assert.Equal(10.0 * Math.Log10(4.0 / (2.0 + (2.0 * BesselJ0(kd)))), horizontal, 1e-9);
    }

    [Fact]
    public void HalfWavelengthPair_DirectivityIndexIs3Db()
    {
        const double f = 1000.0;
        var d = C / f / 2.0;
        var pattern = Omnis(new Vector3D(0, d / 2, 0), new Vector3D(0, -d / 2, 0));

        Assert.Equal(10.0 * Math.Log10(2.0), pattern.DirectivityIndexDb([f], Ones(2, 1))[0], 1e-9);
    }

    [Theory]
    [InlineData(90.0, 0.0)]
    [InlineData(-30.0, 0.0)]
    [InlineData(0.0, 90.0)]
    public void RotatedCardioid_PointsAlongItsAxis_WithDi477Db(double axisAzimuthDeg, double axisElevationDeg)
    {
        // Cardioid (1 + cos γ)/2: sphere mean of its square is 1/3 (DI = 10 log10 3); along a horizontal axis the circle
        // mean is 3/8 (DI_h = 10 log10 8/3).
        var pattern = new ArrayPattern([Driver(new Vector3D(0.0, 0.0, 0.0), axisAzimuthDeg, axisElevationDeg)], [new CardioidDirectivity()], C);
        double[] f = [1000.0];
        var weights = Ones(1, 1);
        var value = new Complex[1];

        pattern.Response(axisAzimuthDeg, axisElevationDeg, f, weights, value);
        Assert.Equal(1.0, value[0].Real, 1e-12);
        pattern.Response(axisAzimuthDeg + 180.0, -axisElevationDeg, f, weights, value);
        Assert.Equal(0.0, value[0].Magnitude, 1e-12);

        var di = pattern.DirectivityIndexDb(f, weights, axisAzimuthDeg, axisElevationDeg, quadratureOrder: 4)[0];
        Assert.Equal(10.0 * Math.Log10(3.0), di, 1e-10);
        if (axisElevationDeg == 0.0)
        {
            Assert.Equal(10.0 * Math.Log10(8.0 / 3.0), pattern.HorizontalDirectivityIndexDb(f, weights, axisAzimuthDeg)[0], 1e-10);
        }
    }

    [Fact]
    public void Grid_EqualsPointwiseResponses()
    {
        var pattern = new ArrayPattern(
            [Driver(new Vector3D(0, 0.05, 0), 20.0), Driver(new Vector3D(0.01, -0.05, 0.02), -20.0, 5.0)],
            [new CardioidDirectivity(), new TiltedDirectivity()],
            C);
        double[] f = [300.0, 5000.0];
        var weights = new[] { new[] { new Complex(1, 0.5), new Complex(-0.3, 0.2) }, new[] { new Complex(0.7, 0), new Complex(0.1, -1) } };
        double[] azimuths = [-90.0, 0.0, 45.0];
        double[] elevations = [-30.0, 0.0, 60.0];

        var grid = pattern.Grid(azimuths, elevations, f, weights);

        var value = new Complex[f.Length];
        for (var e = 0; e < elevations.Length; e++)
        {
            for (var a = 0; a < azimuths.Length; a++)
            {
                pattern.Response(azimuths[a], elevations[e], f, weights, value);
                for (var b = 0; b < f.Length; b++)
                {
                    Assert.Equal(value[b], grid[e, a, b]);
                }
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(40)]
    public void GaussLegendre_IntegratesPolynomialsUpToDegree2nMinus1Exactly(int order)
    {
        var (nodes, weights) = ArrayPattern.GaussLegendre(order);

        Assert.Equal(2.0, weights.Sum(), 1e-13);
        for (var degree = 0; degree < 2 * order; degree++)
        {
            var integral = nodes.Zip(weights, (x, w) => w * Math.Pow(x, degree)).Sum();
            var expected = degree % 2 == 1 ? 0.0 : 2.0 / (degree + 1);
            Assert.Equal(expected, integral, 1e-12);
        }
    }
    [Theory]
    [InlineData(300.0)]
    [InlineData(2500.0)]
    public void DiffuseFieldCoherence_OfOmnis_IsTheSincOfTheirDistance(double frequencyHz)
    {
        Vector3D[] positions = [new(0, -0.08, 0), new(-0.04, 0.07, 0.02), new(-0.09, 0, 0.1)];
        var pattern = Omnis(positions);

        var gamma = pattern.DiffuseFieldCoherence([frequencyHz])[0];

        var k = 2 * Math.PI * frequencyHz / C;
        for (var p = 0; p < 3; p++)
        {
            for (var q = 0; q < 3; q++)
            {
                var x = k * (positions[p] - positions[q]).Length;
                var expected = x == 0 ? 1.0 : Math.Sin(x) / x;
                Assert.Equal(expected, gamma[p, q].Real, 1e-9);
                Assert.Equal(0.0, gamma[p, q].Imaginary, 1e-9);
            }
        }
    }

    [Theory]
    [InlineData(700.0)]
    [InlineData(3000.0)]
    public void DiffuseFieldCoherence_OfDirectiveTurnedDrivers_GivesTheSpherePowerOfABruteForceIntegral(double frequencyHz)
    {
        // Pistons facing -60, +60 degrees and up, weighted arbitrarily: W^H Γ W must equal the mean of |P|^2 over the sphere,
        // here integrated by the midpoint rule on a fine (elevation, azimuth) grid with the cos(elevation) area element.
        var drivers = new[]
        {
            new DriverDescription("l", DriverRole.Mid, new Vector3D(-0.044, -0.076, 0), -60, 0, 0.05, null),
            new DriverDescription("r", DriverRole.Mid, new Vector3D(-0.044, 0.076, 0), 60, 0, 0.05, null),
            new DriverDescription("t", DriverRole.Mid, new Vector3D(-0.0875, 0, 0.1), 0, 90, 0.05, null),
        };
        var model = new PistonDriverModel(DriverRole.Mid, 0.05, 0.175);
        var pattern = new ArrayPattern(drivers, [model, model, model], C);
        Complex[] w = [new(0.7, -0.2), new(-0.3, 0.5), new(1.1, 0.4)];
        var weights = w.Select(v => new[] { v }).ToArray();

        var gamma = pattern.DiffuseFieldCoherence([frequencyHz])[0];
        var closed = 0.0;
        for (var p = 0; p < 3; p++)
        {
            for (var q = 0; q < 3; q++)
            {
                closed += (Complex.Conjugate(w[p]) * gamma[p, q] * w[q]).Real;
            }
        }

        const int rings = 360;
        const int azimuths = 720;
        double sum = 0, area = 0;
        var value = new Complex[1];
        for (var i = 0; i < rings; i++)
        {
            var elevation = -90.0 + ((i + 0.5) * 180.0 / rings);
            var cos = Math.Cos(elevation * Math.PI / 180);
            for (var j = 0; j < azimuths; j++)
            {
                pattern.Response((j + 0.5) * 360.0 / azimuths, elevation, [frequencyHz], weights, value);
                sum += cos * value[0].Magnitude * value[0].Magnitude;
                area += cos;
            }
        }

        var brute = sum / area;
        Assert.Equal(brute, closed, brute * 1e-4);
        var di = pattern.DirectivityIndexDb([frequencyHz], weights)[0];
        var axis = new Complex[1];
        pattern.Response(0, 0, [frequencyHz], weights, axis);
        Assert.Equal(10 * Math.Log10(axis[0].Magnitude * axis[0].Magnitude / brute), di, 1e-3);
    }
}
