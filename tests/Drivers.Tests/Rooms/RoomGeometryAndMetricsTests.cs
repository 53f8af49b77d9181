namespace SpatialAudio.Drivers.Tests.Rooms;

using SpatialAudio.Drivers.Acoustics;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Rooms;

public sealed class RoomGeometryAndMetricsTests
{
    [Fact]
    public void Placement_YawNinety_TurnsDeviceForwardIntoRoomPlusY()
    {
        var device = new RoomPlacement(new Vector3D(1, 2, 0.8), 90);

        var onAxis = device.ToRoom(new Vector3D(2, 0, 0));
        var deviceLeft = device.ToRoomDirection(new Vector3D(0, 1, 0));

        Assert.True(Vector3D.Distance(new Vector3D(1, 4, 0.8), onAxis) < 1e-12);
        Assert.True(Vector3D.Distance(new Vector3D(-1, 0, 0), deviceLeft) < 1e-12);
    }

    [Fact]
    public void Placement_LocalAndRoomTransforms_AreInverse()
    {
        var head = new RoomPlacement(new Vector3D(3.1, 1.7, 1.2), -137.5);
        var point = new Vector3D(0.3, -1.9, 0.4);

        Assert.True(Vector3D.Distance(point, head.ToLocal(head.ToRoom(point))) < 1e-12);
        Assert.Equal(point.Length, head.ToRoomDirection(point).Length, 12);
    }

    [Fact]
    public void AbsorptionSpectrum_InterpolatesInLogFrequency_AndHoldsOutside()
    {
        var spectrum = AbsorptionSpectrum.Octaves(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8);

        Assert.Equal(0.1, spectrum.CoefficientAt(50), 12);
        Assert.Equal(0.45, spectrum.CoefficientAt(Math.Sqrt(1000.0 * 2000.0)), 12);
        Assert.Equal(0.8, spectrum.CoefficientAt(40000), 12);
        Assert.Equal(Math.Sqrt(0.2), spectrum.ReflectionFactorAt(40000), 12);
    }

    [Fact]
    public void AbsorptionSpectrum_RejectsCoefficientsOutsideZeroToOne()
    {
        Assert.Equal("coefficients", Assert.Throws<ArgumentOutOfRangeException>(() => AbsorptionSpectrum.Uniform(1.2)).ParamName);
    }

    [Fact]
    public void SabineAndEyring_MatchTheTextbookFormulas()
    {
        var room = new ShoeboxRoom(new Vector3D(5, 4, 2.7), AbsorptionSpectrum.Uniform(0.2));
        var air = AirConditions.Standard;
        const double volume = 54.0;
        const double surface = 2 * ((5 * 4) + (5 * 2.7) + (4 * 2.7));

        // The familiar 0.161 V / A is 24 ln10 / c at c = 343.2 m/s.
        Assert.Equal(0.161 * volume / (0.2 * surface), room.SabineReverberationTimeSeconds(1000, air, includeAir: false), 0.002);
        Assert.Equal(0.161 * volume / (-surface * Math.Log(0.8)), room.EyringReverberationTimeSeconds(1000, air, includeAir: false), 0.002);

        // Air adds 4mV to the absorption area, m = α ln10 / 10 per meter.
        var m = air.AbsorptionDbPerMeter(8000) * Math.Log(10) / 10;
        Assert.Equal(0.161 * volume / ((0.2 * surface) + (4 * m * volume)), room.SabineReverberationTimeSeconds(8000, air), 0.002);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.8)]
    public void SchroederDecay_OfExponentialNoise_GivesItsDecayTime(double t60)
    {
        const double fs = 8000;
        var random = new Random(7);
        var h = new double[(int)(2 * t60 * fs)];
        for (var n = 0; n < h.Length; n++)
        {
            h[n] = (random.NextDouble() - 0.5) * Math.Pow(10, -3.0 * n / fs / t60);
        }

        Assert.Equal(t60, ReverberationMetrics.T20Seconds(h, fs), t60 * 0.03);
        Assert.Equal(t60, ReverberationMetrics.T30Seconds(h, fs), t60 * 0.03);
    }

    [Fact]
    public void DecayTime_IsNaN_WhenTheCurveNeverReachesTheLowerLevel()
    {
        double[] h = [1.0, 0.9, 0.8];

        Assert.True(double.IsNaN(ReverberationMetrics.T30Seconds(h, 48000)));
    }

    [Fact]
    public void DirectToReverberant_OfTwoPulses_IsTheirEnergyRatio()
    {
        var h = new double[1000];
        h[100] = 1.0;
        h[400] = 0.5;
        h[700] = -0.5;

        Assert.Equal(10 * Math.Log10(1.0 / 0.5), ReverberationMetrics.DirectToReverberantRatioDb(h, 48000, 100 / 48000.0), 12);
    }
}
