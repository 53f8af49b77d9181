namespace SpatialAudio.Filters.Tests.Loudness;

using SpatialAudio.Filters.Iir;
using SpatialAudio.Filters.Loudness;
using SpatialAudio.Filters.Tests.Iir;

public sealed class TruePeakMeterTests
{
    [Fact]
    public void Interpolator_MeetsItsStatedSpecs()
    {
        var h = TruePeakMeter.InterpolatorTaps();
        Assert.Equal(127, h.Length);

        // Frequencies relative to the input rate fs; the filter runs at 4 fs.
        for (var f = 0.0; f <= 0.4167; f += 0.002)
        {
            var db = Dsp.Db(TransferFunction.Evaluate(h, [], 2.0 * Math.PI * f / 4.0).Magnitude);
            Assert.True(Math.Abs(db) < 0.01, $"passband {f} fs: {db} dB");
        }

        for (var f = 0.5833; f <= 2.0; f += 0.002)
        {
            var db = Dsp.Db(TransferFunction.Evaluate(h, [], 2.0 * Math.PI * f / 4.0).Magnitude);
            Assert.True(db < -70.0, $"stopband {f} fs: {db} dB");
        }
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void QuarterRateSineAt45Degrees_ReadsItsTruePeak_AboveTheSamplePeakByThreeDb(double amplitude)
    {
        // x[n] = A cos(pi n / 2 + pi / 4): every sample is +/-A cos(45 deg), the continuous peak is A. Faded in over
        // 10 ms, because a sine switched on abruptly is broadband and its reconstruction overshoots at the onset.
        var meter = new TruePeakMeter(48000.0, 1);
        var x = Enumerable.Range(0, 4800).Select(n => (float)(Math.Min(1.0, 0.5 - (0.5 * Math.Cos(Math.PI * n / 480.0)) + (n >= 480 ? 1 : 0))
            * amplitude * Math.Cos((Math.PI * n / 2) + (Math.PI / 4)))).ToArray();
        meter.Process(x, 0);
        Assert.Equal(Dsp.Db(amplitude * Math.Cos(Math.PI / 4)), meter.SamplePeakDbfs, 4);
        Assert.Equal(Dsp.Db(amplitude), meter.TruePeakDbtp, 0.2);
    }

    [Theory]
    [InlineData(997.0, 0.7)]
    [InlineData(5000.0, 0.25)]
    [InlineData(19000.0, 0.5)]
    public void Sine_TruePeakIsItsAmplitude_Within0p2Db_AndNeverBelowSamplePeakMinusRipple(double frequencyHz, double amplitude)
    {
        var meter = new TruePeakMeter(48000.0, 2);
        // A 10 ms raised-cosine fade-in: a sine switched on abruptly is broadband and its true onset overshoots.
        var x = Enumerable.Range(0, 9600).Select(n => (float)(Math.Min(1.0, 0.5 - (0.5 * Math.Cos(Math.PI * n / 480.0)) + (n >= 480 ? 1 : 0))
            * amplitude * Math.Sin((2 * Math.PI * frequencyHz * n / 48000.0) + 0.3))).ToArray();
        var interleaved = x.SelectMany(v => new[] { 0f, v }).ToArray();
        meter.ProcessInterleaved(interleaved);
        Assert.Equal(Dsp.Db(amplitude), Dsp.Db(meter.GetTruePeak(1)), 0.2);
        Assert.Equal(0.0, meter.GetTruePeak(0));
        Assert.True(meter.TruePeakDbtp >= meter.SamplePeakDbfs - 0.01);
    }

    [Fact]
    public void BlockSizes_AndLayouts_DoNotChangeTheReading_AndNothingIsAllocated()
    {
        var x = Dsp.Noise(2 * 5000, 3);
        var oneShot = new TruePeakMeter(44100.0, 2);
        oneShot.ProcessPlanar(x, 5000);
        var blocks = new TruePeakMeter(44100.0, 2);
        var rng = new Random(2);
        for (var start = 0; start < 5000;)
        {
            var length = Math.Min(rng.Next(1, 1500), 5000 - start);
            blocks.Process(x.AsSpan(start, length), 0);
            blocks.Process(x.AsSpan(5000 + start, length), 1);
            start += length;
        }

        Assert.Equal(oneShot.GetTruePeak(0), blocks.GetTruePeak(0), 6);
        Assert.Equal(oneShot.GetTruePeak(1), blocks.GetTruePeak(1), 6);

        var allocated = Support.Allocations.OnCurrentThread(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                blocks.ProcessPlanar(x, 5000);
                blocks.ProcessInterleaved(x);
            }
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void NonFiniteBurst_IsIgnored_AndTheMeterKeepsWorking()
    {
        var meter = new TruePeakMeter(48000.0, 1);
        var x = Enumerable.Range(0, 480).Select(n => (float)(0.5 * Math.Sin(2 * Math.PI * 1000.0 * n / 48000.0))).ToArray();
        meter.Process(x, 0);
        var burst = (float[])x.Clone();
        burst[10] = float.PositiveInfinity;
        burst[11] = float.NaN;
        meter.Process(burst, 0);
        meter.Process(x, 0);
        Assert.Equal(Dsp.Db(0.5), meter.TruePeakDbtp, 0.2);
    }
}
