using System.Numerics;
using MathNet.Numerics.IntegralTransforms;
using SpatialAudio.Filters.Audio;

namespace SpatialAudio.Filters.Tests.Audio;

public sealed class SampleSourceTests
{
    private static readonly AudioFormat Stereo48k = new(48000, 2);

    [Fact]
    public void ArraySource_ServesItsSamples_AndMeetsTheContract()
    {
        var samples = Enumerable.Range(0, 3 * 2001).Select(i => (float)i).ToArray();
        SampleSourceContract.Verify(() => new ArraySampleSource(new AudioFormat(44100, 3), samples));
        Assert.Equal(samples, SampleSourceContract.ReadWith(new ArraySampleSource(new AudioFormat(44100, 3), samples), _ => 10));
    }

    [Fact]
    public void ArraySource_FromPlanar_Interleaves_AndRewinds()
    {
        var source = ArraySampleSource.FromPlanar(48000, [1f, 2f, 3f], [-1f, -2f, -3f]);
        Assert.Equal(Stereo48k, source.Format);
        Assert.Equal(3, source.FrameCount);
        Assert.Equal([1f, -1f, 2f, -2f, 3f, -3f], SampleSourceContract.ReadWith(source, _ => 2));
        source.FramePosition = 2;
        var buffer = new float[4];
        Assert.Equal(2, source.Read(buffer));
        Assert.Equal([3f, -3f], buffer[..2]);
        Assert.Throws<ArgumentException>(() => ArraySampleSource.FromPlanar(48000, [1f], [1f, 2f]));
        Assert.Throws<ArgumentException>(() => source.Read(new float[3]));
    }

    [Fact]
    public void Sine_MatchesTheAnalyticSignal_InEveryChannel()
    {
        var format = new AudioFormat(48000, 3);
        var samples = SampleSourceContract.ReadWith(SignalGenerator.Sine(format, 1234.5, 0.7, 480_000), _ => 4096);
        Assert.Equal(3 * 480_000, samples.Length);
        for (var n = 0; n < 480_000; n += 7)
        {
            var expected = 0.7 * Math.Sin(2 * Math.PI * 1234.5 * n / 48000);
            for (var c = 0; c < 3; c++)
            {
                Assert.Equal(expected, samples[(3 * n) + c], 1e-6);
            }
        }
    }

    [Fact]
    public void Generators_MeetTheSourceContract()
    {
        SampleSourceContract.Verify(() => SignalGenerator.Sine(Stereo48k, 440, 0.5, 3001));
        SampleSourceContract.Verify(() => SignalGenerator.WhiteNoise(new AudioFormat(48000, 5), 0.5, 9, 3001));
        SampleSourceContract.Verify(() => SignalGenerator.PinkNoise(Stereo48k, 0.1, 9, 3001));
    }

    [Fact]
    public void WhiteNoise_IsUniformZeroMeanAndIndependentPerChannel_AndSeeded()
    {
        const int frames = 200_000;
        var samples = SampleSourceContract.ReadWith(SignalGenerator.WhiteNoise(Stereo48k, 0.5, 11, frames), _ => 1000);
        var left = Enumerable.Range(0, frames).Select(i => (double)samples[2 * i]).ToArray();
        var right = Enumerable.Range(0, frames).Select(i => (double)samples[(2 * i) + 1]).ToArray();
        Assert.All(samples, v => Assert.InRange(v, -0.5f, 0.5f));
        Assert.InRange(left.Average(), -0.005, 0.005);
        Assert.InRange(Math.Sqrt(left.Select(v => v * v).Average()), 0.5 / Math.Sqrt(3) * 0.99, 0.5 / Math.Sqrt(3) * 1.01);
        Assert.InRange(MathNet.Numerics.Statistics.Correlation.Pearson(left, right), -0.01, 0.01);
        Assert.InRange(MathNet.Numerics.Statistics.Correlation.Pearson(left[1..], left[..^1]), -0.01, 0.01);

        var again = SampleSourceContract.ReadWith(SignalGenerator.WhiteNoise(Stereo48k, 0.5, 11, frames), _ => 777);
        Assert.Equal(samples, again);
        var other = SampleSourceContract.ReadWith(SignalGenerator.WhiteNoise(Stereo48k, 0.5, 12, frames), _ => 777);
        Assert.NotEqual(samples, other);
    }

    [Fact]
    public void PinkNoise_HasEqualPowerPerOctave_AndTheRequestedRms()
    {
        const int sampleRate = 48000;
        const int frames = 1 << 19;
        var samples = SampleSourceContract.ReadWith(SignalGenerator.PinkNoise(new AudioFormat(sampleRate, 1), 0.1, 5, frames), _ => 4096);
        var rms = Math.Sqrt(samples.Select(v => (double)v * v).Average());
        Assert.InRange(rms, 0.097, 0.103);

        // Welch PSD (Hann, 50% overlap) with MathNet's FFT, then the power in each octave band.
        const int segment = 8192;
        var psd = new double[(segment / 2) + 1];
        var window = MathNet.Numerics.Window.Hann(segment);
        var buffer = new Complex[segment];
        for (var start = 0; start + segment <= frames; start += segment / 2)
        {
            for (var i = 0; i < segment; i++)
            {
                buffer[i] = samples[start + i] * window[i];
            }

            Fourier.Forward(buffer, FourierOptions.NoScaling);
            for (var k = 0; k < psd.Length; k++)
            {
                psd[k] += buffer[k].Magnitude * buffer[k].Magnitude;
            }
        }

        double BandPowerDb(double lowHz) =>
            10 * Math.Log10(Enumerable.Range(0, psd.Length)
                .Where(k => k * (double)sampleRate / segment >= lowHz && k * (double)sampleRate / segment < 2 * lowHz)
                .Sum(k => psd[k]));

        var bands = new[] { 62.5, 125, 250, 500, 1000, 2000, 4000, 8000 }.Select(BandPowerDb).ToArray();
        var mean = bands.Average();
        Assert.All(bands, b => Assert.InRange(b, mean - 1, mean + 1));

        // White noise would gain 3 dB per octave, +21 dB from the first band to the last.
        Assert.InRange(bands[^1] - bands[0], -1.5, 1.5);
    }

    [Fact]
    public void ReadAll_ReturnsPlanarChannels_AndRefusesEndlessSources()
    {
        var planar = ArraySampleSource.FromPlanar(48000, [1f, 2f, 3f, 4f, 5f], [6f, 7f, 8f, 9f, 10f]).ReadAll();
        Assert.Equal([1f, 2f, 3f, 4f, 5f], planar[0]);
        Assert.Equal([6f, 7f, 8f, 9f, 10f], planar[1]);
        Assert.Equal(5, ArraySampleSource.FromPlanar(48000, [1f, 2f, 3f, 4f, 5f]).ReadAll(maxFrames: 5)[0].Length);
        Assert.Throws<InvalidOperationException>(() => SignalGenerator.Sine(Stereo48k, 100, 0.1).ReadAll(maxFrames: 10_000));
    }

    [Fact]
    public void Generators_RejectBadParameters()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SignalGenerator.Sine(Stereo48k, 24001, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignalGenerator.Sine(Stereo48k, -1, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignalGenerator.WhiteNoise(Stereo48k, double.NaN, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignalGenerator.PinkNoise(Stereo48k, -1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignalGenerator.PinkNoise(Stereo48k, 1, 1, -5));
    }
}
