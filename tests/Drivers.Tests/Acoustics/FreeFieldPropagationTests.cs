namespace SpatialAudio.Drivers.Tests.Acoustics;

using System.Numerics;
using SpatialAudio.Drivers.Acoustics;

public sealed class FreeFieldPropagationTests
{
    [Theory]
    [InlineData(1.0, 48000)]
    [InlineData(2.345, 48000)]
    [InlineData(3.1, 44100)]
    [InlineData(0.777, 96000)]
    [InlineData(5.0, 192000)]
    public void ImpulsePeak_LandsAtTheGeometricDelay(double distance, double sampleRate)
    {
        var air = AirConditions.Standard;
        var expected = distance / air.SpeedOfSoundMetersPerSecond * sampleRate;
        var length = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)expected + 256);
        var h = FreeFieldPropagation.ImpulseResponse(distance, sampleRate, length, air);

        var (position, _) = SignalMeasure.Peak(h, 40, length - 40);

        Assert.InRange(position, expected - 0.05, expected + 0.05);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(4.0)]
    public void LowFrequencyLevel_IsOneOverDistance(double distance)
    {
        var air = new AirConditions(20, 50);
        var h = FreeFieldPropagation.ImpulseResponse(distance, 48000, 4096, air);

        // The DC gain (sum of the taps) carries no air absorption: exactly 1/r re. 1 m. At 1 kHz air takes
        // 4.66 dB/km (ISO 9613-1 Table 1), a 0.02 dB loss over 4 m that the tolerance below resolves.
        Assert.Equal(1.0 / distance, h.Sum(), 1e-4 / distance);
        var expected1k = Math.Pow(10.0, -4.66e-3 * distance / 20.0) / distance;
        Assert.Equal(expected1k, SignalMeasure.Dtft(h, 1000.0, 48000).Magnitude, 2e-5 / distance);
    }

    [Fact]
    public void UltrasonicTone_LosesAlphaTimesDistance()
    {
        var air = AirConditions.Standard;
        const double distance = 5.0;
        var h = FreeFieldPropagation.ImpulseResponse(distance, 192000, 8192, air);

        var gainDb = 20.0 * Math.Log10(SignalMeasure.Dtft(h, 40_000.0, 192000).Magnitude * distance);

        Assert.Equal(-air.AbsorptionDbPerMeter(40_000.0) * distance, gainDb, 0.02);
    }

    [Fact]
    public void ImpulseResponse_HasTheTransferFunctionsPhase()
    {
        var air = new AirConditions(25, 30);
        const double distance = 1.7;
        var h = FreeFieldPropagation.ImpulseResponse(distance, 48000, 2048, air);
        double[] frequencies = [200.0, 2000.0, 9000.0, 17000.0];
        var expected = new Complex[frequencies.Length];

        FreeFieldPropagation.TransferFunction(distance, frequencies, air, expected);

        for (var i = 0; i < frequencies.Length; i++)
        {
            var measured = SignalMeasure.Dtft(h, frequencies[i], 48000);
            Assert.True((measured - expected[i]).Magnitude < 2e-3 * expected[i].Magnitude, $"{frequencies[i]} Hz: {measured} vs {expected[i]}");
        }
    }

    [Fact]
    public void TransferFunction_IsDelaySpreadingAndAbsorption()
    {
        var air = AirConditions.Standard;
        const double distance = 3.0;
        double[] frequencies = [0.0, 1000.0, 40000.0];
        var h = new Complex[3];

        FreeFieldPropagation.TransferFunction(distance, frequencies, air, h);

        var c = air.SpeedOfSoundMetersPerSecond;
        Assert.Equal(1.0 / 3.0, h[0].Real, 12);
        var expected = Complex.FromPolarCoordinates(Math.Pow(10, -air.AbsorptionDbPerMeter(1000) * 3 / 20) / 3, -2 * Math.PI * 1000 * 3 / c);
        Assert.True((h[1] - expected).Magnitude < 1e-12);
        Assert.Equal(-air.AbsorptionDbPerMeter(40000) * 3, 20 * Math.Log10(h[2].Magnitude * 3), 9);
    }

    [Fact]
    public void ArrivalPastTheEnd_GivesSilence()
    {
        var h = FreeFieldPropagation.ImpulseResponse(10.0, 48000, 256, AirConditions.Standard);

        Assert.All(h, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void InvalidArguments_NameTheParameter()
    {
        var air = AirConditions.Standard;
        Assert.Equal("distanceMeters", Assert.Throws<ArgumentOutOfRangeException>(() => FreeFieldPropagation.ImpulseResponse(0.0, 48000, 64, air)).ParamName);
        Assert.Equal("sampleRateHz", Assert.Throws<ArgumentOutOfRangeException>(() => FreeFieldPropagation.ImpulseResponse(1.0, 0, 64, air)).ParamName);
        Assert.Equal("lengthSamples", Assert.Throws<ArgumentOutOfRangeException>(() => FreeFieldPropagation.ImpulseResponse(1.0, 48000, 0, air)).ParamName);
    }
}
