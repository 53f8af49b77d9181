using System.Numerics;
using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Directivity;
using SpatialAudio.Drivers.Measurements;

namespace SpatialAudio.Drivers.Tests.Directivity;

public sealed class MeasuredDirectivityTests
{
    private static readonly PistonDriverModel Mid = new(DriverRole.Mid, 0.08, 0.3);
    private static readonly DriverMeasurement Sampled = PolarSampler.Sample(Mid, "mid", 96000, 1024, 32);
    private static readonly MeasuredDirectivity Measured = new(Sampled);

    private static double Db(Complex value) => 20 * Math.Log10(value.Magnitude);

    private static Complex At(IDirectivity directivity, double az, double el, double f)
    {
        var result = new Complex[1];
        directivity.Response(az, el, [f], result);
        return result[0];
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(30, 0)]
    [InlineData(-60, 0)]
    [InlineData(120, 0)]
    [InlineData(180, 0)]
    [InlineData(0, 45)]
    [InlineData(0, -90)]
    [InlineData(180, 30)]
    public void AtMeasuredDirections_ReproducesTheModel(double az, double el)
    {
        foreach (var f in new[] { 500.0, 1000, 3000, 7000, 15000, 30000 })
        {
            var model = At(Mid, az, el, f);
            // Below -30 dB re on-axis the 1024-sample truncation of the sampled IRs shows; above it the set is exact.
            if (Db(model) < Db(Mid.OnAxis(f)) - 30)
            {
                continue;
            }

            var measured = At(Measured, az, el, f);
            Assert.InRange(Db(measured) - Db(model), -0.3, 0.3);
            Assert.InRange(Math.IEEERemainder(measured.Phase - model.Phase, 2 * Math.PI), -0.03, 0.03);
        }
    }

    [Theory]
    [InlineData(32.5)]
    [InlineData(-47.5)]
    [InlineData(77.5)]
    [InlineData(152.5)]
    public void BetweenMeasuredAngles_MagnitudeLiesBetweenTheNeighbours_AndNearTheAnalyticValue(double az)
    {
        for (var f = 500.0; f <= 24000; f *= 1.1)
        {
            var below = Db(At(Measured, az - 2.5, 0, f));
            var above = Db(At(Measured, az + 2.5, 0, f));
            var middle = Db(At(Measured, az, 0, f));
            Assert.InRange(middle, Math.Min(below, above) - 1e-9, Math.Max(below, above) + 1e-9);
            var onAxis = Db(Mid.OnAxis(f));
            if (Math.Min(below, above) > onAxis - 20)
            {
                Assert.InRange(middle - Db(At(Mid, az, 0, f)), -1.0, 1.0);
            }
        }
    }

    [Fact]
    public void ComplexAveragingWouldNotch_InterpolationDoesNot()
    {
        // Two neighbours whose phases differ by nearly pi (a delay of half a period): averaging the complex values
        // cancels; the log-magnitude/phase interpolation keeps the level.
        var frequencies = new[] { 1000.0, 2000.0 };
        MeasurementPoint Point(double az, double phase) => MeasurementPoint.FromSpectrum(new MeasurementAngle(az, 0), frequencies,
            [Complex.FromPolarCoordinates(1, phase), Complex.FromPolarCoordinates(1, phase)]);
        var set = new DriverMeasurement("d", 48000, 0, [Point(0, 0), Point(10, 3.0), Point(-10, -3.0), Point(180, 0)]);
        var directivity = new MeasuredDirectivity(set);
        var value = At(directivity, 5, 0, 1500);
        Assert.Equal(1.0, value.Magnitude, 1e-12);
        Assert.Equal(1.5, value.Phase, 1e-12);
    }

    [Theory]
    [InlineData(30, 30)]
    [InlineData(-100, 20)]
    [InlineData(150, -60)]
    [InlineData(45, 89)]
    [InlineData(0, -45)]
    [InlineData(-170, 10)]
    [InlineData(90, 0)]
    [InlineData(180, 80)]
    public void OffPlaneDirections_BlendThePlanesByCosSquaredAndSinSquaredOfTheRoll(double az, double el)
    {
        // Horizontal plane: ln|H| = -theta/50, phase 0.01 theta; vertical: ln|H| = -theta/20, phase 0.02 theta
        // (theta = the point's off-axis angle in degrees), exactly linear between the 5-degree points.
        var frequencies = new[] { 100.0, 1000, 10000 };
        var points = new List<MeasurementPoint>();
        void Add(double pointAz, double pointEl, bool vertical)
        {
            var theta = OffAxisDeg(pointAz, pointEl);
            var value = vertical ? Complex.FromPolarCoordinates(Math.Exp(-theta / 20), 0.02 * theta) : Complex.FromPolarCoordinates(Math.Exp(-theta / 50), 0.01 * theta);
            points.Add(MeasurementPoint.FromSpectrum(new MeasurementAngle(pointAz, pointEl), frequencies, [value, value, value]));
        }

        foreach (var angle in PolarSampler.StandardAngles)
        {
            Add(angle.AzimuthDeg, angle.ElevationDeg, vertical: angle.ElevationDeg != 0);
        }

        var directivity = new MeasuredDirectivity(new DriverMeasurement("d", 48000, 0, points));
        var d = Direction(az, el);
        var thetaDeg = Math.Acos(d.X) * 180 / Math.PI;
        var psi = Math.Atan2(d.Z, d.Y);
        var wH = Math.Cos(psi) * Math.Cos(psi);
        var wV = Math.Sin(psi) * Math.Sin(psi);
        var value = At(directivity, az, el, 1000);
        Assert.Equal(-thetaDeg * ((wH / 50) + (wV / 20)), Math.Log(value.Magnitude), 1e-9);
        Assert.Equal(thetaDeg * ((0.01 * wH) + (0.02 * wV)), value.Phase, 1e-9);
    }

    [Fact]
    public void ResampledTo48kHz_KeepsTheResponseInTheAudioBand()
    {
        var at48 = new MeasuredDirectivity(Sampled, 48000);
        Assert.Equal(48000, at48.SampleRateHz);
        Assert.Equal(24000, at48.MaxFrequencyHz);
        foreach (var az in new[] { 0.0, 45, 135 })
        {
            foreach (var f in new[] { 300.0, 1000, 5000, 12000, 16000 })
            {
                var original = At(Measured, az, 0, f);
                var converted = At(at48, az, 0, f);
                if (Db(original) < Db(Mid.OnAxis(f)) - 30)
                {
                    continue;
                }

                Assert.True(Math.Abs(Db(converted) - Db(original)) < 0.05, $"{az} deg {f} Hz: {Db(converted) - Db(original)} dB");
                Assert.InRange(Math.IEEERemainder(converted.Phase - original.Phase, 2 * Math.PI), -0.01, 0.01);
            }
        }
    }

    [Fact]
    public void WithoutAVerticalPlane_TheHorizontalStandsIn()
    {
        var horizontalOnly = new DriverMeasurement("mid", Sampled.SampleRateHz, Sampled.TimeZeroSample,
            Sampled.Points.Where(p => p.Angle.ElevationDeg == 0).ToList());
        var directivity = new MeasuredDirectivity(horizontalOnly);
        Assert.False(directivity.HasVerticalPlane);
        Assert.Equal(At(directivity, 30, 0, 5000), At(directivity, 0, 30, 5000));
    }

    [Fact]
    public void Response_RejectsFrequenciesAboveTheDataAndBadElevations()
    {
        var destination = new Complex[1];
        Assert.Throws<ArgumentOutOfRangeException>(() => Measured.Response(0, 0, [50000], destination));
        Assert.Throws<ArgumentOutOfRangeException>(() => Measured.Response(0, 91, [1000], destination));
        Assert.Throws<ArgumentException>(() => Measured.Response(0, 0, [1000, 2000], destination));
    }

    private static (double X, double Y, double Z) Direction(double az, double el)
    {
        var a = az * Math.PI / 180;
        var e = el * Math.PI / 180;
        return (Math.Cos(e) * Math.Cos(a), Math.Cos(e) * Math.Sin(a), Math.Sin(e));
    }

    private static double OffAxisDeg(double az, double el) => Math.Acos(Math.Clamp(Direction(az, el).X, -1, 1)) * 180 / Math.PI;
}
