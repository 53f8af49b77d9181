namespace SpatialAudio.Filters.Tests.Convolution;

using SpatialAudio.Filters.Convolution;
using SpatialAudio.Filters.Simd;
using static SpatialAudio.Filters.Tests.Convolution.ConvolutionReference;

public sealed class DirectFormFirTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(33)]
    [InlineData(100)]
    [InlineData(257)]
    public void MatchesDirectConvolution_ForRandomBlockSizes(int length)
    {
        var rng = new Random(length);
        var h = Noise(length, rng);
        var x = Noise(3000, rng);
        var fir = new DirectFormFir(h, channelCount: 1);
        var y = ProcessInRandomBlocks(fir, 0, x, rng);
        Assert.True(ErrorDb(y, Convolve(x, h)) < -100);
    }

    [Fact]
    public void DoubleCoefficients_AreUsedAsDesigned()
    {
        var rng = new Random(3);
        var hd = new double[40];
        for (var k = 0; k < hd.Length; k++) hd[k] = rng.NextDouble() - 0.5;
        var h = hd.Select(v => (float)v).ToArray();
        var x = Noise(1000, rng);
        var fir = new DirectFormFir(hd, channelCount: 1);
        var y = new float[x.Length];
        fir.Process(0, x, y);
        Assert.True(ErrorDb(y, Convolve(x, h)) < -100);
    }

    [Fact]
    public void BlockwiseOutput_EqualsOneShotOutput()
    {
        var rng = new Random(5);
        var h = Noise(75, rng);
        var x = Noise(5000, rng);
        var oneShot = new float[x.Length];
        new DirectFormFir(h, 1).Process(0, x, oneShot);
        var blockwise = ProcessInRandomBlocks(new DirectFormFir(h, 1), 0, x, rng);
        for (var n = 0; n < x.Length; n++)
        {
            Assert.Equal(oneShot[n], blockwise[n], 1e-5f);
        }
    }

    [Fact]
    public void Channels_KeepIndependentHistories()
    {
        var rng = new Random(8);
        var h = Noise(50, rng);
        var x0 = Noise(2000, rng);
        var x1 = Noise(2000, rng);
        var fir = new DirectFormFir(h, channelCount: 2);
        var y0 = new float[x0.Length];
        var y1 = new float[x1.Length];
        for (var start = 0; start < x0.Length; start += 100)
        {
            fir.Process(0, x0.AsSpan(start, 100), y0.AsSpan(start, 100));
            fir.Process(1, x1.AsSpan(start, 100), y1.AsSpan(start, 100));
        }

        Assert.True(ErrorDb(y0, Convolve(x0, h)) < -100);
        Assert.True(ErrorDb(y1, Convolve(x1, h)) < -100);
    }

    [Fact]
    public void InPlaceProcessing_GivesTheSameOutput()
    {
        var rng = new Random(9);
        var h = Noise(300, rng);
        var x = Noise(1500, rng);
        var buffer = (float[])x.Clone();
        var fir = new DirectFormFir(h, 1);
        for (var start = 0; start < buffer.Length; start += 500)
        {
            fir.Process(0, buffer.AsSpan(start, 500), buffer.AsSpan(start, 500));
        }

        Assert.True(ErrorDb(buffer, Convolve(x, h)) < -100);
    }

    [Theory]
    [Trait("Category", "Simd")]
    [InlineData(SimdTier.Vector128)]
    [InlineData(SimdTier.Vector256)]
    [InlineData(SimdTier.Vector512)]
    public void SimdTier_MatchesScalar(SimdTier tier)
    {
        foreach (var length in new[] { 1, 5, 64, 129 })
        {
            var rng = new Random(length);
            var h = Noise(length, rng);
            var x = Noise(1234, rng);
            var scalar = new float[x.Length];
            var vector = new float[x.Length];
            new DirectFormFir(h, 1, SimdTier.Scalar).Process(0, x, scalar);
            new DirectFormFir(h, 1, tier).Process(0, x, vector);
            var reference = scalar.Select(v => (double)v).ToArray();
            Assert.True(ErrorDb(vector, reference) < -120, $"length {length}");
        }
    }

    [Fact]
    public void Process_DoesNotAllocate()
    {
        var rng = new Random(1);
        var fir = new DirectFormFir(Noise(100, rng), channelCount: 2);
        var x = Noise(777, rng);
        var y = new float[x.Length];
        fir.Process(0, x, y);
        fir.Process(1, x, y);
        var allocated = Support.Allocations.OnCurrentThread(() =>
        {
            for (var k = 0; k < 200; k++)
            {
                fir.Process(k & 1, x.AsSpan(0, 1 + (k * 7 % 700)), y);
            }
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void NonFiniteBurst_OutputStaysFinite_AndRecoversWithinTheFilterLength()
    {
        var rng = new Random(11);
        const int Length = 64;
        var h = Noise(Length, rng);
        var clean = Noise(2000, rng);
        var dirty = (float[])clean.Clone();
        for (var n = 500; n < 540; n++) dirty[n] = (n % 3) switch { 0 => float.NaN, 1 => float.PositiveInfinity, _ => float.NegativeInfinity };
        var fir = new DirectFormFir(h, 1);
        var y = new float[dirty.Length];
        for (var start = 0; start < dirty.Length; start += 100)
        {
            fir.Process(0, dirty.AsSpan(start, 100), y.AsSpan(start, 100));
        }

        Assert.All(y, v => Assert.True(float.IsFinite(v)));
        var reference = Convolve(clean, h);
        var recovered = 540 + Length - 1;
        Assert.True(ErrorDb(y[recovered..], reference[recovered..]) < -100);
        Assert.True(ErrorDb(y[..500], reference[..500]) < -100);
    }

    [Fact]
    public void Constructor_RejectsInvalidArguments()
    {
        Assert.Throws<ArgumentException>(() => new DirectFormFir(ReadOnlySpan<float>.Empty, 1));
        Assert.Throws<ArgumentException>(() => new DirectFormFir([1f, float.NaN], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DirectFormFir([1f], 0));
    }

    private static float[] ProcessInRandomBlocks(DirectFormFir fir, int channel, float[] x, Random rng)
    {
        var y = new float[x.Length];
        for (var start = 0; start < x.Length;)
        {
            var count = Math.Min(x.Length - start, rng.Next(0, 600));
            fir.Process(channel, x.AsSpan(start, count), y.AsSpan(start, count));
            start += count;
        }

        return y;
    }
}
