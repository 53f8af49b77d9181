namespace SpatialAudio.Filters.Tests.Fft;

using SpatialAudio.Filters.Fft;
using SpatialAudio.Filters.Simd;

public sealed class ComplexFftTests
{
    public static TheoryData<int> AllSizes => [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536];

    public static TheoryData<int> SmallSizes => [16, 32, 64, 128, 256, 512, 1024];

    [Theory]
    [MemberData(nameof(AllSizes))]
    public void Forward_MatchesDoubleReference_WithinOneInHundredThousand(int size)
    {
        var re = FftReference.Noise(size, size);
        var im = FftReference.Noise(size, size + 1);
        var (refRe, refIm) = FftReference.Spectrum(re, im);
        var fft = new ComplexFft(size);
        var outRe = new float[size];
        var outIm = new float[size];

        fft.Forward(re, im, outRe, outIm);

        Assert.True(FftReference.RelativeError(outRe, outIm, refRe, refIm) <= 1e-5);
    }

    [Theory]
    [InlineData(2048)]
    [InlineData(65536)]
    public void Forward_LargeSizes_MatchDirectDftOnRandomBins(int size)
    {
        var re = FftReference.Noise(size, 7);
        var im = FftReference.Noise(size, 8);
        var fft = new ComplexFft(size);
        var outRe = (float[])re.Clone();
        var outIm = (float[])im.Clone();
        fft.Forward(outRe, outIm);

        var rng = new Random(3);
        double err = 0, norm = 0;
        for (var i = 0; i < 12; i++)
        {
            var k = rng.Next(size);
            var (r, m) = FftReference.DirectBin(re, im, k);
            err += ((outRe[k] - r) * (outRe[k] - r)) + ((outIm[k] - m) * (outIm[k] - m));
            norm += (r * r) + (m * m);
        }

        Assert.True(Math.Sqrt(err / norm) <= 1e-5);
    }

    [Theory]
    [MemberData(nameof(AllSizes))]
    public void InverseUnscaled_MatchesDoubleReferenceWithPositiveExponent(int size)
    {
        var re = FftReference.Noise(size, 11);
        var im = FftReference.Noise(size, 12);
        var (refRe, refIm) = FftReference.Spectrum(re, im, sign: +1);
        var fft = new ComplexFft(size);
        var outRe = new float[size];
        var outIm = new float[size];

        fft.InverseUnscaled(re, im, outRe, outIm);

        Assert.True(FftReference.RelativeError(outRe, outIm, refRe, refIm) <= 1e-5);
    }

    [Theory]
    [MemberData(nameof(AllSizes))]
    public void InverseOfForward_ReturnsInput(int size)
    {
        var re = FftReference.Noise(size, 21);
        var im = FftReference.Noise(size, 22);
        var fft = new ComplexFft(size);
        var r = (float[])re.Clone();
        var i = (float[])im.Clone();

        fft.Forward(r, i);
        fft.Inverse(r, i);

        Assert.True(FftReference.RelativeError(r, re) <= 1e-6);
        Assert.True(FftReference.RelativeError(i, im) <= 1e-6);
    }

    [Theory]
    [InlineData(64, 5)]
    [InlineData(1024, 100)]
    [InlineData(8192, 1234)]
    public void CosineAtBinK_GivesHalfNAtKAndMinusK(int size, int bin)
    {
        var re = new float[size];
        var im = new float[size];
        for (var t = 0; t < size; t++)
        {
            re[t] = (float)Math.Cos(2 * Math.PI * bin * t / size);
        }

        new ComplexFft(size).Forward(re, im);

        for (var k = 0; k < size; k++)
        {
            var expected = k == bin || k == size - bin ? size / 2.0 : 0.0;
            Assert.Equal(expected, re[k], size * 2e-6);
            Assert.Equal(0.0, im[k], size * 2e-6);
        }
    }

    [Theory]
    [MemberData(nameof(SmallSizes))]
    public void Forward_IsLinear(int size)
    {
        var fft = new ComplexFft(size);
        var (xr, xi) = (FftReference.Noise(size, 1), FftReference.Noise(size, 2));
        var (yr, yi) = (FftReference.Noise(size, 3), FftReference.Noise(size, 4));
        var sr = new float[size];
        var si = new float[size];
        for (var t = 0; t < size; t++)
        {
            sr[t] = (2f * xr[t]) - (0.5f * yr[t]);
            si[t] = (2f * xi[t]) - (0.5f * yi[t]);
        }

        fft.Forward(xr, xi);
        fft.Forward(yr, yi);
        fft.Forward(sr, si);

        var er = new float[size];
        var ei = new float[size];
        for (var k = 0; k < size; k++)
        {
            er[k] = (2f * xr[k]) - (0.5f * yr[k]);
            ei[k] = (2f * xi[k]) - (0.5f * yi[k]);
        }

        Assert.True(FftReference.RelativeError(sr, er) <= 1e-6);
        Assert.True(FftReference.RelativeError(si, ei) <= 1e-6);
    }

    [Theory]
    [MemberData(nameof(AllSizes))]
    public void Forward_PreservesEnergy_Parseval(int size)
    {
        var re = FftReference.Noise(size, 5);
        var im = FftReference.Noise(size, 6);
        double timeEnergy = 0;
        for (var t = 0; t < size; t++)
        {
            timeEnergy += ((double)re[t] * re[t]) + ((double)im[t] * im[t]);
        }

        new ComplexFft(size).Forward(re, im);
        double freqEnergy = 0;
        for (var k = 0; k < size; k++)
        {
            freqEnergy += ((double)re[k] * re[k]) + ((double)im[k] * im[k]);
        }

        Assert.Equal(1.0, freqEnergy / size / timeEnergy, 1e-5);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(128)]
    [InlineData(2048)]
    public void OutOfPlace_EqualsInPlace_AndLeavesInputUnchanged(int size)
    {
        var re = FftReference.Noise(size, 9);
        var im = FftReference.Noise(size, 10);
        var keepRe = (float[])re.Clone();
        var keepIm = (float[])im.Clone();
        var fft = new ComplexFft(size);
        var outRe = new float[size];
        var outIm = new float[size];

        fft.Forward(re, im, outRe, outIm);
        var inRe = (float[])re.Clone();
        var inIm = (float[])im.Clone();
        fft.Forward(inRe, inIm);

        Assert.Equal(keepRe, re);
        Assert.Equal(keepIm, im);
        Assert.Equal(inRe, outRe);
        Assert.Equal(inIm, outIm);

        fft.Inverse(outRe, outIm, inRe, inIm);
        fft.Inverse(outRe, outIm);
        Assert.Equal(inRe, outRe);
        Assert.Equal(inIm, outIm);
    }

    [Fact]
    public void PartlyOverlappingOutput_Throws()
    {
        var fft = new ComplexFft(16);
        var buffer = new float[48];
        Assert.Throws<ArgumentException>(() => fft.Forward(buffer.AsSpan(0, 16), buffer.AsSpan(16, 16), buffer.AsSpan(8, 16), buffer.AsSpan(32, 16)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(100)]
    [InlineData(131072)]
    public void UnsupportedSize_Throws(int size)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ComplexFft(size));
        Assert.Equal("size", e.ParamName);
    }

    [Fact]
    public void WrongLength_Throws()
    {
        var fft = new ComplexFft(32);
        Assert.Throws<ArgumentException>(() => fft.Forward(new float[32], new float[16]));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(2048)]
    public void RepeatedCalls_DoNotAllocate(int size)
    {
        var fft = new ComplexFft(size);
        var re = FftReference.Noise(size, 1);
        var im = FftReference.Noise(size, 2);
        var outRe = new float[size];
        var outIm = new float[size];
        // Warm up past tiered compilation (its tier-up must not count as an allocation of ours).
        for (var i = 0; i < 100; i++)
        {
            fft.Forward(re, im, outRe, outIm);
            fft.Inverse(outRe, outIm);
            fft.InverseUnscaled(re, im, outRe, outIm);
        }

        var allocated = Support.Allocations.OnCurrentThread(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                fft.Forward(re, im, outRe, outIm);
                fft.Inverse(outRe, outIm);
                fft.InverseUnscaled(re, im, outRe, outIm);
            }
        });
        Assert.Equal(0, allocated);
    }

    [Theory]
    [Trait("Category", "Simd")]
    [MemberData(nameof(TierCases))]
    public void EveryTier_MatchesScalar(SimdTier tier, int size)
    {
        var re = FftReference.Noise(size, 31);
        var im = FftReference.Noise(size, 32);
        var scalar = new ComplexFft(size, SimdTier.Scalar);
        var vector = new ComplexFft(size, tier);
        Assert.Equal(tier, vector.Tier);
        var sr = new float[size];
        var si = new float[size];
        var vr = new float[size];
        var vi = new float[size];

        scalar.Forward(re, im, sr, si);
        vector.Forward(re, im, vr, vi);
        Assert.True(FftReference.RelativeError(vr, sr) <= 1e-6);
        Assert.True(FftReference.RelativeError(vi, si) <= 1e-6);

        scalar.Inverse(re, im, sr, si);
        vector.Inverse(re, im, vr, vi);
        Assert.True(FftReference.RelativeError(vr, sr) <= 1e-6);
        Assert.True(FftReference.RelativeError(vi, si) <= 1e-6);
    }

    [Theory]
    [Trait("Category", "Simd")]
    [MemberData(nameof(TierCases))]
    public void EveryTier_MatchesDoubleReference(SimdTier tier, int size)
    {
        var re = FftReference.Noise(size, 41);
        var im = FftReference.Noise(size, 42);
        var (refRe, refIm) = FftReference.Spectrum(re, im);
        var fft = new ComplexFft(size, tier);

        fft.Forward(re, im);

        Assert.True(FftReference.RelativeError(re, im, refRe, refIm) <= 1e-5);
    }

    public static TheoryData<SimdTier, int> TierCases()
    {
        var data = new TheoryData<SimdTier, int>();
        foreach (var tier in SimdCapabilities.All)
        {
            // Sizes with even and odd pass counts, below and above every vector width, and a large one.
            foreach (var size in new[] { 16, 32, 64, 128, 256, 512, 1024, 2048, 16384 })
            {
                data.Add(tier, size);
            }
        }

        return data;
    }
}
