using SpatialAudio.Filters.Audio;
using SpatialAudio.Filters.Resampling;

namespace SpatialAudio.Filters.Tests.Resampling;

public sealed class ResamplingSampleSourceTests
{
    private sealed class ArraySource(float[] interleaved, AudioFormat format) : ISampleSource
    {
        private int position;

        public AudioFormat Format { get; } = format;

        public int Read(Span<float> buffer)
        {
            // Deliberately odd-sized reads, still whole frames, to exercise the adapter's refill logic.
            var frames = Math.Min(buffer.Length / Format.Channels, 333);
            var count = Math.Min(frames * Format.Channels, interleaved.Length - position);
            interleaved.AsSpan(position, count).CopyTo(buffer);
            position += count;
            return count;
        }
    }

    private static float[] StereoSines(int frames, int rateHz)
    {
        var x = new float[2 * frames];
        for (var n = 0; n < frames; n++)
        {
            x[2 * n] = (float)(0.5 * Math.Sin(2 * Math.PI * 1_000 * n / rateHz));
            x[(2 * n) + 1] = (float)(0.25 * Math.Cos(2 * Math.PI * 7_000 * n / rateHz));
        }

        return x;
    }

    private static float[] ReadAll(ResamplingSampleSource source, Random rng)
    {
        var all = new List<float>();
        var buffer = new float[2 * 2000];
        int got;
        while ((got = source.Read(buffer.AsSpan(0, 2 * rng.Next(1, 2000)))) > 0)
        {
            all.AddRange(buffer.AsSpan(0, got).ToArray());
        }

        return all.ToArray();
    }

    [Theory]
    [InlineData(44_100, 96_000)]
    [InlineData(44_100, 48_000)]
    [InlineData(96_000, 48_000)]
    public void WithLatencyCompensation_OutputIsTheTimeAlignedConverterOutputOfExactLength(int inputRateHz, int outputRateHz)
    {
        const int frames = 5000;
        var input = StereoSines(frames, inputRateHz);
        var source = new ResamplingSampleSource(new ArraySource(input, new AudioFormat(inputRateHz, 2)), outputRateHz);
        Assert.Equal(new AudioFormat(outputRateHz, 2), source.Format);
        var output = ReadAll(source, new Random(1));

        // Reference: the converter on the planar whole, delay removed.
        var reference = new PolyphaseResampler(inputRateHz, outputRateHz, 2);
        var planar = new float[2 * frames];
        for (var n = 0; n < frames; n++)
        {
            planar[n] = input[2 * n];
            planar[frames + n] = input[(2 * n) + 1];
        }

        var capacity = reference.MaxOutputFrameCount(frames);
        var body = new float[2 * capacity];
        var count = reference.Process(planar, body);
        var tail = new float[2 * reference.LatencyOutputFrames];
        var tailCount = reference.Flush(tail);
        var expectedFrames = (int)((((long)frames * reference.UpFactor) + reference.DownFactor - 1) / reference.DownFactor);
        Assert.Equal(2 * expectedFrames, output.Length);

        for (var c = 0; c < 2; c++)
        {
            var full = body.AsSpan(c * capacity, count).ToArray().Concat(tail.AsSpan(c * tailCount, tailCount).ToArray()).ToArray();
            for (var m = 0; m < expectedFrames; m++)
            {
                Assert.Equal(full[m + reference.LatencyOutputFrames], output[(2 * m) + c]);
            }
        }
    }

    [Fact]
    public void WithoutLatencyCompensation_OutputIsDelayedAndCarriesTheTail()
    {
        const int frames = 3000;
        var source = new ResamplingSampleSource(new ArraySource(StereoSines(frames, 48_000), new AudioFormat(48_000, 2)), 96_000, compensateLatency: false);
        var output = ReadAll(source, new Random(2));
        Assert.Equal(2 * ((2 * frames) + source.Resampler.LatencyOutputFrames), output.Length);
        Assert.All(output.AsSpan(0, 2 * (source.Resampler.LatencyOutputFrames - 60)).ToArray(), v => Assert.True(Math.Abs(v) < 1e-3));
    }

    [Fact]
    public void Read_AllocatesNothing()
    {
        var input = StereoSines(200_000, 44_100);
        var source = new ResamplingSampleSource(new ArraySource(input, new AudioFormat(44_100, 2)), 48_000);
        var buffer = new float[2 * 512];
        var allocated = Support.Allocations.OnCurrentThread(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                source.Read(buffer);
            }
        });
        Assert.Equal(0, allocated);
    }
}
