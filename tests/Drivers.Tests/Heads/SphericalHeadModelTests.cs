namespace SpatialAudio.Drivers.Tests.Heads;

using System.Numerics;
using MathNet.Numerics;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Heads;

public sealed class SphericalHeadModelTests
{
    private const double A = SphericalHeadModel.DefaultRadiusMeters;
    private const double C = SphericalHeadModel.DefaultSpeedOfSoundMetersPerSecond;

    private static readonly SphericalHeadModel Sphere = new();

    // Far enough that 1/rho corrections are below 1e-4 (rho ~ 11000).
    private const double FarMeters = 1000.0;

    [Theory]
    [InlineData(0.5, 1.5, 0.0)]
    [InlineData(0.5, 5.0, 90.0)]
    [InlineData(3.0, 1.5, 45.0)]
    [InlineData(3.0, 20.0, 135.0)]
    [InlineData(10.0, 2.0, 180.0)]
    [InlineData(10.0, 8.0, 100.0)]
    public void Series_MatchesDirectSumOfSphericalHankelFunctions(double mu, double rho, double thetaDeg)
    {
        var expected = DirectPointSourceSeries(mu, rho, Math.Cos(thetaDeg * Math.PI / 180));

        var actual = SphericalHeadModel.Series(mu, rho, Math.Cos(thetaDeg * Math.PI / 180));

        Assert.True((actual - expected).Magnitude < 1e-9 * expected.Magnitude, $"{actual} vs {expected}");
    }

    [Theory]
    [InlineData(0.2, 0.0)]
    [InlineData(1.0, 60.0)]
    [InlineData(4.0, 120.0)]
    [InlineData(12.0, 180.0)]
    public void PlaneWave_MatchesRayleighScatteringSolution(double mu, double thetaDeg)
    {
        var cosTheta = Math.Cos(thetaDeg * Math.PI / 180);
        var expected = RayleighPlaneWave(mu, cosTheta);

        var actual = SphericalHeadModel.Series(mu, double.PositiveInfinity, cosTheta);

        Assert.True((actual - expected).Magnitude < 1e-9 * expected.Magnitude, $"{actual} vs {expected}");
    }

    [Theory]
    [InlineData(2.0, 30.0)]
    [InlineData(6.0, 150.0)]
    public void DistantSource_ConvergesToThePlaneWave(double mu, double thetaDeg)
    {
        var cosTheta = Math.Cos(thetaDeg * Math.PI / 180);
        var planeWave = SphericalHeadModel.Series(mu, double.PositiveInfinity, cosTheta);

        var errors = new[] { 10.0, 100.0, 1000.0, 10000.0 }
            .Select(rho => (SphericalHeadModel.Series(mu, rho, cosTheta) - planeWave).Magnitude / planeWave.Magnitude)
            .ToArray();

        // The near-field correction falls as 1/rho: each decade of distance gains about a decade of accuracy.
        Assert.True(errors[3] < 1e-3, string.Join(", ", errors));
        for (var i = 1; i < errors.Length; i++)
        {
            Assert.True(errors[i] < 0.2 * errors[i - 1], string.Join(", ", errors));
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(90.0)]
    [InlineData(180.0)]
    public void AtDc_PlaneWaveResponseIsOne_TheHeadIsTransparent(double thetaDeg)
    {
        var h = new Complex[3];
        Sphere.Response(thetaDeg, double.PositiveInfinity, [0.0, 0.01, 1.0], h);

        // First order in mu the surface leads/lags the center by (3/2)(a/c) cos theta: |H - 1| ~ 1.5 mu |cos theta|.
        var muPerHz = 2 * Math.PI * A / C;
        Assert.Equal(Complex.One, h[0]);
        Assert.True((h[1] - Complex.One).Magnitude < 1.6 * muPerHz * 0.01);
        Assert.True((h[2] - Complex.One).Magnitude < 1.6 * muPerHz * 1.0);
        Assert.True((h[1] - Complex.One).Magnitude < 0.011 * (h[2] - Complex.One).Magnitude + 1e-15, "the error falls linearly with frequency");
    }

    [Theory]
    [InlineData(1.2, 0.0)]
    [InlineData(2.0, 90.0)]
    [InlineData(3.0, 180.0)]
    public void AtVeryLowFrequency_NearSourceTendsToTheIncompressibleLimit(double rho, double thetaDeg)
    {
        // Small-argument limit of the series: h_m(mu rho)/h_m'(mu) -> -mu / ((m+1) rho^(m+1)), so
        // H -> sum_m (2m+1)/(m+1) rho^-m P_m(cos theta) (potential flow around a rigid sphere).
        var x = Math.Cos(thetaDeg * Math.PI / 180);
        var expected = 0.0;
        for (var m = 0; m < 400; m++)
        {
            expected += (2.0 * m + 1) / (m + 1) * Math.Pow(rho, -m) * SpecialFunctionsLegendre(m, x);
        }

        var nearlyDc = SphericalHeadModel.Series(1e-7, rho, x);
        var dc = SphericalHeadModel.Series(0.0, rho, x);

        Assert.Equal(expected, nearlyDc.Real, 6);
        Assert.Equal(0.0, nearlyDc.Imaginary, 5);
        Assert.Equal(expected, dc.Real, 9);
    }

    [Fact]
    public void HighFrequencyItdAt90Deg_IsWithin5PercentOfWoodworth()
    {
        // Woodworth's (a/c)(theta + sin theta) is the ray (creeping-wave) delay, i.e. the high-frequency limit; the
        // interaural group delay over 2..5 kHz (mu = 3.2..8) measures exactly that. The low-frequency ITD is ~1.5x larger.
        var woodworth = A / C * ((Math.PI / 2) + 1);

        var itd = InterauralAnalysis.ItdGroupDelaySeconds(Sphere, FarMeters * Vector3D.FromSpherical(90, 0), 2000, 5000);

        Assert.InRange(itd, 0.95 * woodworth, 1.05 * woodworth);
    }

    [Theory]
    [InlineData(30.0)]
    [InlineData(60.0)]
    [InlineData(90.0)]
    public void LowFrequencyItd_IsKuhnsThreeTimesAOverCSinTheta(double azimuthDeg)
    {
        var kuhn = 3 * A / C * Math.Sin(azimuthDeg * Math.PI / 180);

        var itd = InterauralAnalysis.ItdPhaseDelaySeconds(Sphere, FarMeters * Vector3D.FromSpherical(azimuthDeg, 0), 100);

        Assert.InRange(itd, 0.97 * kuhn, 1.03 * kuhn);
    }

    [Fact]
    public void IldAt90Deg_GrowsWithFrequencyFromZero()
    {
        var source = FarMeters * Vector3D.FromSpherical(90, 0);
        var bands = new[] { 200.0, 500, 1000, 2000 }.Select(f => InterauralAnalysis.IldThirdOctaveDb(Sphere, source, f)).ToArray();

        Assert.InRange(bands[0], 0.0, 0.5);       // transparent head at 200 Hz (mu = 0.32)
        Assert.InRange(bands[2], 2.0, 6.0);       // "several dB" at 1 kHz
        for (var i = 1; i < bands.Length; i++)
        {
            Assert.True(bands[i] > bands[i - 1], string.Join(", ", bands));
        }
    }

    [Fact]
    public void IldAbove3kHz_ExceedsTenDbBeforeTheBrightSpot()
    {
        // At exactly 90 deg the far ear sits on the bright spot, so the largest ILD is found between 50 and 80 deg.
        var largest = new[] { 50.0, 60, 70, 80 }
            .Max(az => InterauralAnalysis.IldDb(Sphere, FarMeters * Vector3D.FromSpherical(az, 0), 3000, 6000));

        Assert.True(largest > 10, $"{largest} dB");
    }

    [Fact]
    public void Antipode_ShowsTheBrightSpot_AndTheFacingPointDoublesPressure()
    {
        var frequencies = Enumerable.Range(0, 71).Select(i => 3000.0 + (100 * i)).ToArray();
        double MeanPowerDb(double thetaDeg)
        {
            var h = new Complex[frequencies.Length];
            Sphere.Response(thetaDeg, double.PositiveInfinity, frequencies, h);
            return 10 * Math.Log10(h.Average(z => z.Magnitude * z.Magnitude));
        }

        var facing = MeanPowerDb(0);
        var shadow = MeanPowerDb(150);
        var antipode = MeanPowerDb(180);

        Assert.InRange(facing, 5.0, 6.5);         // rigid-surface pressure doubling: +6 dB
        Assert.True(antipode > shadow + 6, $"antipode {antipode} dB, 150 deg {shadow} dB");
    }

    [Fact]
    public void FacingEar_LeadsTheCenterByAOverC_AtHighFrequencies()
    {
        // e^{+i omega t}: a lead is a positive phase slope. The facing point is a/c closer to the source.
        var frequencies = Enumerable.Range(0, 101).Select(i => 8000.0 + (50 * i)).ToArray();
        var h = new Complex[frequencies.Length];
        Sphere.FarFieldResponse(Ear.Left, new Vector3D(0, 1, 0), frequencies, h);

        var slope = (Unwrap(h)[^1] - Unwrap(h)[0]) / (2 * Math.PI * (frequencies[^1] - frequencies[0]));

        Assert.InRange(slope, 0.9 * A / C, 1.1 * A / C);
    }

    [Theory]
    [InlineData(30.0, 0.0, 1.0)]
    [InlineData(75.0, 20.0, 0.5)]
    [InlineData(140.0, -30.0, 3.0)]
    public void LeftEarAtPlusPhi_EqualsRightEarAtMinusPhi(double azimuthDeg, double elevationDeg, double distance)
    {
        var frequencies = new[] { 100.0, 1000.0, 5000.0, 15000.0 };
        var left = new Complex[4];
        var right = new Complex[4];

        Sphere.Response(Ear.Left, distance * Vector3D.FromSpherical(azimuthDeg, elevationDeg), frequencies, left);
        Sphere.Response(Ear.Right, distance * Vector3D.FromSpherical(-azimuthDeg, elevationDeg), frequencies, right);

        for (var k = 0; k < 4; k++)
        {
            Assert.True((left[k] - right[k]).Magnitude < 1e-12, $"{left[k]} vs {right[k]}");
        }
    }

    [Theory]
    [InlineData(20.0)]
    [InlineData(60.0)]
    public void FrontAndBackMirrorImages_GiveTheSameResponse_OnlyThetaMatters(double azimuthDeg)
    {
        var frequencies = new[] { 500.0, 3000.0, 9000.0 };
        var front = new Complex[3];
        var back = new Complex[3];

        Sphere.Response(Ear.Right, 2.0 * Vector3D.FromSpherical(azimuthDeg, 0), frequencies, front);
        Sphere.Response(Ear.Right, 2.0 * Vector3D.FromSpherical(180 - azimuthDeg, 0), frequencies, back);

        for (var k = 0; k < 3; k++)
        {
            Assert.True((front[k] - back[k]).Magnitude < 1e-12);
        }
    }

    [Fact]
    public void EarsSlightlyBack_MakeFrontAndBackDiffer()
    {
        var model = new SphericalHeadModel(leftEarAzimuthDeg: 100, rightEarAzimuthDeg: -100);
        var frequencies = new[] { 3000.0 };
        var front = new Complex[1];
        var back = new Complex[1];

        model.Response(Ear.Left, 2.0 * Vector3D.FromSpherical(30, 0), frequencies, front);
        model.Response(Ear.Left, 2.0 * Vector3D.FromSpherical(150, 0), frequencies, back);

        Assert.True(back[0].Magnitude > front[0].Magnitude, "the ear 10 degrees back faces a rear source more directly");
        Assert.Equal(Math.Cos(100 * Math.PI / 180), model.LeftEarDirection.X, 12);
    }

    [Fact]
    public void SynthesizedImpulseResponse_TransformsBackToTheResponse()
    {
        const double rate = 48000;
        const int length = 1024;
        const double lead = 0.002;
        var source = 1.5 * Vector3D.FromSpherical(-40, 10);
        var ir = HeadModels.ImpulseResponse(Sphere, Ear.Right, source, rate, length, lead);
        var frequencies = new[] { 187.5, 1500.0, 6000.0, 15000.0 };
        var expected = new Complex[4];
        Sphere.Response(Ear.Right, source, frequencies, expected);

        for (var k = 0; k < frequencies.Length; k++)
        {
            var dft = Complex.Zero;
            for (var n = 0; n < length; n++)
            {
                dft += ir[n] * Complex.Exp(new Complex(0, -2 * Math.PI * frequencies[k] * n / rate));
            }

            var actual = dft * Complex.Exp(new Complex(0, 2 * Math.PI * frequencies[k] * lead));
            Assert.True((actual - expected[k]).Magnitude < 1e-3 * Math.Max(1, expected[k].Magnitude), $"{frequencies[k]} Hz: {actual} vs {expected[k]}");
        }
    }

    [Fact]
    public void SourceInsideTheSphere_IsRejectedNamingTheParameter()
    {
        var h = new Complex[1];

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Sphere.Response(Ear.Left, new Vector3D(0.05, 0, 0), [1000.0], h));

        Assert.Equal("sourceInHeadFrame", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Sphere.Response(Ear.Left, new Vector3D(1, 0, 0), [-1.0], h));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SphericalHeadModel(radiusMeters: 8.75));
    }

    // h_m = j_m - i y_m (outgoing for e^{+i omega t}); h_m' = h_{m-1} - (m+1)/x h_m;
    // H = -(rho/mu) e^{+i mu rho} sum (2m+1) P_m h_m(mu rho) / h_m'(mu).
    private static Complex DirectPointSourceSeries(double mu, double rho, double x)
    {
        Complex Hankel(int m, double z) => new(SpecialFunctions.SphericalBesselJ(m, z), -SpecialFunctions.SphericalBesselY(m, z));
        var sum = Complex.Zero;
        for (var m = 0; m < 120; m++)
        {
            var derivative = m == 0 ? -Hankel(1, mu) : Hankel(m - 1, mu) - ((m + 1) / mu * Hankel(m, mu));

            var term = (2 * m + 1) * SpecialFunctionsLegendre(m, x) * Hankel(m, mu * rho) / derivative;
            sum += term;
            if (m > mu * rho + 20 && term.Magnitude < 1e-16 * sum.Magnitude)
            {
                break;
            }
        }

        return -(rho / mu) * Complex.Exp(new Complex(0, mu * rho)) * sum;
    }

    // Plane wave e^{i(omega t - k.x)} travelling away from the source direction, plus the rigid-sphere scattered wave,
    // evaluated on the surface: sum (2m+1) (-i)^m P_m(cos gamma) [j_m - j_m' h_m / h_m'], gamma from the propagation
    // direction, so cos gamma = -cos theta.
    private static Complex RayleighPlaneWave(double mu, double cosTheta)
    {
        double J(int m, double z) => SpecialFunctions.SphericalBesselJ(m, z);
        Complex H(int m, double z) => new(J(m, z), -SpecialFunctions.SphericalBesselY(m, z));
        double JPrime(int m, double z) => m == 0 ? -J(1, z) : J(m - 1, z) - ((m + 1) / z * J(m, z));
        Complex HPrime(int m, double z) => m == 0 ? -H(1, z) : H(m - 1, z) - ((m + 1) / z * H(m, z));
        var sum = Complex.Zero;
        for (var m = 0; m < 80; m++)
        {
            var radial = J(m, mu) - (JPrime(m, mu) * H(m, mu) / HPrime(m, mu));
            var term = (2 * m + 1) * Complex.Pow(new Complex(0, -1), m) * SpecialFunctionsLegendre(m, -cosTheta) * radial;
            sum += term;
            if (m > mu + 20 && term.Magnitude < 1e-16 * sum.Magnitude)
            {
                break;
            }
        }

        return sum;
    }

    private static double SpecialFunctionsLegendre(int m, double x)
    {
        // Explicit sum P_m(x) = 2^-m sum_k (-1)^k C(m,k) C(2m-2k,m) x^(m-2k) is unstable for large m; use Bonnet's
        // recursion written out independently here.
        double p0 = 1, p1 = x;
        if (m == 0)
        {
            return p0;
        }

        for (var n = 1; n < m; n++)
        {
            var p2 = (((2 * n) + 1) * x * p1 - (n * p0)) / (n + 1);
            p0 = p1;
            p1 = p2;
        }

        return p1;
    }

    private static double[] Unwrap(Complex[] h)
    {
        var result = new double[h.Length];
        result[0] = h[0].Phase;
        for (var k = 1; k < h.Length; k++)
        {
            result[k] = result[k - 1] + Math.IEEERemainder(h[k].Phase - result[k - 1], 2 * Math.PI);
        }

        return result;
    }
}
