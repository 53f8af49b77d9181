namespace SpatialAudio.Drivers.Tests.Paths;

using System.Numerics;
using SpatialAudio.Drivers.Acoustics;
using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Directivity;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Heads;
using SpatialAudio.Drivers.Paths;
using SpatialAudio.Drivers.Tests.Acoustics;

public sealed class AcousticPathsTests
{
    private const double SampleRateHz = 48_000.0;

    private static readonly AirConditions Air = AirConditions.Standard;

    private static DriverDescription Driver(Vector3D position, double axisAzimuthDeg = 0.0, double axisElevationDeg = 0.0, string id = "d") =>
        new(id, DriverRole.Mid, position, axisAzimuthDeg, axisElevationDeg, 0.05, null);

    [Theory]
    [InlineData(1.0, 0.0, 0.0)]
    [InlineData(2.0, -0.7, 0.3)]
    [InlineData(0.4, 3.1, -1.2)]
    public void OmniPath_HasDelayRoverC_Spreading1overR_AndIsoAirAbsorption(double x, double y, double z)
    {
        var driver = Driver(new Vector3D(0.02, -0.08, 0.01));
        var point = new Vector3D(x, y, z);
        var r = Math.Sqrt(Math.Pow(x - 0.02, 2) + Math.Pow(y + 0.08, 2) + Math.Pow(z - 0.01, 2));
        double[] f = [0.0, 100.0, 1000.0, 8000.0, 20_000.0];
        var h = new Complex[f.Length];

        AcousticPaths.DriverToPoint(driver, OmniDirectivity.Instance, point, f, Air, h);

        for (var k = 0; k < f.Length; k++)
        {
            var expected = Complex.FromPolarCoordinates(Math.Pow(10.0, -Air.AbsorptionDbPerMeter(f[k]) * r / 20.0) / r, -2.0 * Math.PI * f[k] * r / Air.SpeedOfSoundMetersPerSecond);
            Assert.Equal(0.0, Complex.Abs(h[k] - expected), 1e-12);
        }
    }

    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(2.345, 0.5)]
    [InlineData(3.2, -1.1)]
    public void OmniImpulseResponse_PeaksAtRoverCPlusLead_Within005Samples_WithLevel1overR(double x, double y)
    {
        var driver = Driver(Vector3D.Zero);
        var point = new Vector3D(x, y, 0.0);
        var r = point.Length;
        const double lead = 40.0;

        var ir = AcousticPaths.DriverToPointImpulseResponse(driver, OmniDirectivity.Instance, point, Air, SampleRateHz, 2048, lead);

        var expectedPosition = (r / Air.SpeedOfSoundMetersPerSecond * SampleRateHz) + lead;
        var (position, _) = SignalMeasure.Peak(ir, (int)expectedPosition - 10, (int)expectedPosition + 10);
        Assert.Equal(expectedPosition, position, 0.05);
        var atOneKilohertz = SignalMeasure.Dtft(ir, 1000.0, SampleRateHz);
        var level = Math.Pow(10.0, -Air.AbsorptionDbPerMeter(1000.0) * r / 20.0) / r;
        Assert.Equal(level, Complex.Abs(atOneKilohertz), 1e-4 * level);

        // Nothing before the kernel's pre-ringing: the lead keeps t < 0 quiet.
        Assert.All(ir[..Math.Max(0, (int)expectedPosition - 34)], v => Assert.True(Math.Abs(v) < 1e-5 / r));
    }

    [Fact]
    public void OmniImpulseResponse_MatchesTheTransferFunctionTimesTheLead()
    {
        var driver = Driver(new Vector3D(0, 0.1, 0));
        var point = new Vector3D(1.5, -0.2, 0.3);
        const double lead = 64.0;

        var ir = AcousticPaths.DriverToPointImpulseResponse(driver, new TiltedDirectivity(), point, Air, SampleRateHz, 1024, lead);

        foreach (var f in new[] { 200.0, 3000.0, 12_000.0 })
        {
            var h = new Complex[1];
            AcousticPaths.DriverToPoint(driver, new TiltedDirectivity(), point, [f], Air, h);
            var expected = h[0] * Complex.FromPolarCoordinates(1.0, -2.0 * Math.PI * f * lead / SampleRateHz);
            Assert.Equal(0.0, Complex.Abs(SignalMeasure.Dtft(ir, f, SampleRateHz) - expected), 2e-4 * Complex.Abs(expected));
        }
    }

    [Fact]
    public void Directivity_IsAskedForTheAngleBetweenTheDriverAxisAndThePoint()
    {
        var driver = Driver(new Vector3D(0.05, 0.1, 0.0), axisAzimuthDeg: 30.0, axisElevationDeg: 15.0);
        var point = new Vector3D(2.0, -1.0, 0.1);
        var h = new Complex[1];
        var omni = new Complex[1];

        AcousticPaths.DriverToPoint(driver, new AngleProbeDirectivity(), point, [1000.0], Air, h);
        AcousticPaths.DriverToPoint(driver, OmniDirectivity.Instance, point, [1000.0], Air, omni);

        var angles = h[0] / omni[0];
        var toPoint = (point - driver.PositionMeters).Normalized();
        var offAxis = Math.Acos(Vector3D.Dot(toPoint, driver.Axis));
        var probed = Math.Acos(Math.Cos(angles.Imaginary * Math.PI / 180) * Math.Cos(angles.Real * Math.PI / 180));
        Assert.Equal(offAxis, probed, 1e-9);

        // The point is below the driver's (tilted-up) axis and to its right.
        Assert.True(angles.Imaginary < 0);
        Assert.True(angles.Real < 0);
    }

    [Fact]
    public void OmniPaths_AreReciprocal()
    {
        var a = new Vector3D(0.03, -0.12, 0.02);
        var b = new Vector3D(1.7, 0.6, -0.3);
        double[] f = [50.0, 700.0, 5000.0, 19_000.0];
        var ab = new Complex[f.Length];
        var ba = new Complex[f.Length];

        AcousticPaths.DriverToPoint(Driver(a, 20.0), OmniDirectivity.Instance, b, f, Air, ab);
        AcousticPaths.DriverToPoint(Driver(b, -140.0, 30.0), OmniDirectivity.Instance, a, f, Air, ba);
        var irAb = AcousticPaths.DriverToPointImpulseResponse(Driver(a), OmniDirectivity.Instance, b, Air, SampleRateHz, 512);
        var irBa = AcousticPaths.DriverToPointImpulseResponse(Driver(b), OmniDirectivity.Instance, a, Air, SampleRateHz, 512);

        for (var k = 0; k < f.Length; k++)
        {
            Assert.Equal(0.0, Complex.Abs(ab[k] - ba[k]), 1e-15);
        }

        for (var n = 0; n < irAb.Length; n++)
        {
            Assert.Equal(irAb[n], irBa[n], 1e-7);
        }
    }

    [Fact]
    public void FrequencyAboveTheDirectivityRange_IsRejected()
    {
        var h = new Complex[1];

        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            AcousticPaths.DriverToPoint(Driver(Vector3D.Zero), new TiltedDirectivity(), new Vector3D(1, 0, 0), [25_000.0], Air, h));
        Assert.Equal("frequenciesHz", error.ParamName);
    }

    [Theory]
    [InlineData(-0.08)]
    [InlineData(-0.25)]
    public void SphereHead_DefaultPose_DriverAtNegativeDeviceY_LeftEarLeadsAndIsLouderAtHighFrequency(double y)
    {
        var head = new SphericalHeadModel();
        var driver = Driver(new Vector3D(0, y, 0));
        var pose = ListenerPose.Default;

        var left = AcousticPaths.DriverToEarImpulseResponse(driver, OmniDirectivity.Instance, pose, head, Ear.Left, Air, SampleRateHz, 1024);
        var right = AcousticPaths.DriverToEarImpulseResponse(driver, OmniDirectivity.Instance, pose, head, Ear.Right, Air, SampleRateHz, 1024);
        var itd = InterauralAnalysis.ItdCrossCorrelationSeconds(Array.ConvertAll(left, v => (float)v), Array.ConvertAll(right, v => (float)v), SampleRateHz);

        // A rigid sphere's ITD for a small azimuth lies between the high-frequency (Woodworth) 2 (a/c) sin(azimuth) and
        // the low-frequency (Kuhn) 3 (a/c) sin(azimuth); the cross-correlation below 1.5 kHz sits in between.
        var azimuth = Math.Atan2(-y, 2.0);
        var aOverC = head.RadiusMeters / head.SpeedOfSoundMetersPerSecond * Math.Sin(azimuth);
        Assert.True(itd > 0, $"ITD {itd * 1e6:0.0} us: the left ear must lead");
        Assert.InRange(itd, 0.9 * 2.0 * aOverC, 1.1 * 3.0 * aOverC);

        var band = Enumerable.Range(0, 25).Select(i => 4000.0 + (250.0 * i)).ToArray();
        var hl = new Complex[band.Length];
        var hr = new Complex[band.Length];
        AcousticPaths.DriverToEar(driver, OmniDirectivity.Instance, pose, head, Ear.Left, band, Air, hl);
        AcousticPaths.DriverToEar(driver, OmniDirectivity.Instance, pose, head, Ear.Right, band, Air, hr);
        var ildDb = 10.0 * Math.Log10(hl.Sum(v => v.Magnitude * v.Magnitude) / hr.Sum(v => v.Magnitude * v.Magnitude));
        Assert.True(ildDb > 0.3, $"ILD {ildDb:0.00} dB over 4..10 kHz: the left ear must be louder");
    }

    [Fact]
    public void EarPath_IsThePathToTheHeadCenterTimesTheHrtfOfTheDriverPositionInTheHeadFrame()
    {
        var head = new ProbeHeadModel();
        var driver = Driver(new Vector3D(0, -0.1, 0.05), 10.0);
        double[] f = [20.0, 5000.0];
        var ear = new Complex[f.Length];
        var center = new Complex[f.Length];

        AcousticPaths.DriverToEar(driver, new CardioidDirectivity(), ListenerPose.Default, head, Ear.Right, f, Air, ear);
        AcousticPaths.DriverToPoint(driver, new CardioidDirectivity(), ListenerPose.Default.PositionMeters, f, Air, center);

        // Facing the device from 2 m: the driver is 2 m ahead, 0.1 m to the listener's left, 0.05 m up.
        var expectedSource = new Vector3D(2.0, 0.1, 0.05);
        Assert.Equal(0.0, (head.LastSource - expectedSource).Length, 1e-12);
        Assert.Equal(Ear.Right, head.LastEar);
        for (var k = 0; k < f.Length; k++)
        {
            var expected = center[k] * ProbeHeadModel.Value(f[k]);
            Assert.Equal(0.0, Complex.Abs(ear[k] - expected), 1e-12);
        }
    }

    [Fact]
    public void EarImpulseResponse_MatchesTheEarTransferFunctionTimesTheLead()
    {
        var head = new SphericalHeadModel();
        var driver = Driver(new Vector3D(0, 0.15, 0));
        const double lead = 64.0;

        var ir = AcousticPaths.DriverToEarImpulseResponse(driver, OmniDirectivity.Instance, ListenerPose.Default, head, Ear.Right, Air, SampleRateHz, 1024, lead);

        foreach (var f in new[] { 300.0, 2500.0, 9000.0, 16_000.0 })
        {
            var h = new Complex[1];
            AcousticPaths.DriverToEar(driver, OmniDirectivity.Instance, ListenerPose.Default, head, Ear.Right, [f], Air, h);
            var expected = h[0] * Complex.FromPolarCoordinates(1.0, -2.0 * Math.PI * f * lead / SampleRateHz);
            Assert.Equal(0.0, Complex.Abs(SignalMeasure.Dtft(ir, f, SampleRateHz) - expected), 1e-3 * Complex.Abs(expected));
        }
    }

    /// <summary>A head that remembers what it was asked and answers 0.5 e^{-i2πf 0.1 ms}.</summary>
    private sealed class ProbeHeadModel : IHeadModel
    {
        public string Name => "probe";

        public double MaxFrequencyHz => 24_000.0;

        public Vector3D LastSource { get; private set; }

        public Ear LastEar { get; private set; }

        public static Complex Value(double frequencyHz) => Complex.FromPolarCoordinates(0.5, -2.0 * Math.PI * frequencyHz * 1e-4);

        public void Response(Ear ear, Vector3D sourceInHeadFrame, ReadOnlySpan<double> frequenciesHz, Span<Complex> destination)
        {
            LastSource = sourceInHeadFrame;
            LastEar = ear;
            for (var k = 0; k < frequenciesHz.Length; k++)
            {
                destination[k] = Value(frequenciesHz[k]);
            }
        }
    }
}
