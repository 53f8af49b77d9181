namespace SpatialAudio.Filters.Tests.Fft;

using SpatialAudio.Filters.Fft;
using SpatialAudio.Filters.Simd;

public sealed class RealFftTests
{
    public static TheoryData<int> AllSizes => ComplexFftTests.AllSizes;

    [Theory]
    [MemberData(nameof(AllSizes))]
    public void Forward_MatchesDoubleReference_WithinOneInHundredThousand(int size)
    {
        var x = FftReference.Noise(size, size);
        var (refRe, refIm) = FftReference.Spectrum(x, new float[size]);
        var fft = new RealFft(size);
        var re = new float[fft.BinCount];
        var im = new float[fft.BinCount];

        fft.Forward(x, re, im);

        Assert.True(FftReference.RelativeError(re, im, refRe[..(size / 2 + 1)], refIm[..(size / 2 + 1)]) <= 1e-5);
        Assert.Equal(0f, im[0]);
        Assert.Equal(0f, im[size / 2]);
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(65536)]
    public void Forward_LargeSizes_MatchDirectDftOnRandomBins(int size)
    {
        var x = FftReference.Noise(size, 17);
        var fft = new RealFft(size);
        var re = new float[fft.BinCount];
        var im = new float[fft.BinCount];
        fft.Forward(x, re, im);

        var rng = new Random(5);
        double err = 0, norm = 0;
        foreach (var k in new[] { 0, 1, size / 4, size / 2 - 1, size / 2 }.Concat(Enumerable.Range(0, 10).Select(_ => rng.Next(size / 2 + 1))))
        {
            var (r, m) = FftReference.DirectBin(x, new float[size], k);
            err += ((re[k] - r) * (re[k] - r)) + ((im[k] - m) * (im[k] - m));
            norm += (r * r) + (m * m);
        }

        Assert.True(Math.Sqrt(err / norm) <= 1e-5);
    }

    [Theory]
    [MemberData(nameof(AllSizes))]
    public void Inverse_OfForward_ReturnsInput(int size)
    {
        var x = FftReference.Noise(size, 3);
        var fft = new RealFft(size);
        var re = new float[fft.BinCount];
        var im = new float[fft.BinCount];
        var y = new float[size];

        fft.Forward(x, re, im);
        fft.Inverse(re, im, y);

        Assert.True(FftReference.RelativeError(y, x) <= 1e-6);
    }

    [Theory]
    [MemberData(nameof(AllSizes))]
    public void InverseUnscaled_MatchesDirectInverseDftOfHermitianSpectrum(int size)
    {
        // A random Hermitian spectrum: bins 0..N/2 given, the rest mirrored; DC and Nyquist real.
        var bins = size / 2 + 1;
        var re = FftReference.Noise(bins, 51);
        var im = FftReference.Noise(bins, 52);
        im[0] = 0f;
        im[bins - 1] = 0f;
        var fullRe = new float[size];
        var fullIm = new float[size];
        for (var k = 0; k < bins; k++)
        {
            fullRe[k] = re[k];
            fullIm[k] = im[k];
            fullRe[(size - k) % size] = re[k];
            fullIm[(size - k) % size] = -im[k];
        }

        var (refRe, refIm) = FftReference.Spectrum(fullRe, fullIm, sign: +1);
        var y = new float[size];
        new RealFft(size).InverseUnscaled(re, im, y);

        Assert.True(FftReference.RelativeError(y, new float[size], refRe, refIm) <= 1e-5);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(64)]
    [InlineData(2048)]
    public void Inverse_IgnoresImaginaryPartsOfDcAndNyquist(int size)
    {
        var fft = new RealFft(size);
        var re = FftReference.Noise(fft.BinCount, 1);
        var im = FftReference.Noise(fft.BinCount, 2);
        var y1 = new float[size];
        var y2 = new float[size];
        fft.Inverse(re, im, y1);
        im[0] = 0f;
        im[size / 2] = 0f;
        fft.Inverse(re, im, y2);
        Assert.Equal(y2, y1);
    }

    [Theory]
    [MemberData(nameof(AllSizes))]
    public void Forward_AgreesWithComplexFftOfRealSignal(int size)
    {
        var x = FftReference.Noise(size, 61);
        var real = new RealFft(size);
        var re = new float[real.BinCount];
        var im = new float[real.BinCount];
        real.Forward(x, re, im);

        var cr = (float[])x.Clone();
        var ci = new float[size];
        new ComplexFft(size).Forward(cr, ci);

        Assert.True(FftReference.RelativeError(re, cr.AsSpan(0, real.BinCount)) <= 2e-6);
        Assert.True(FftReference.RelativeError(im, ci.AsSpan(0, real.BinCount)) <= 2e-6);
    }

    [Theory]
    [MemberData(nameof(AllSizes))]
    public void Forward_PreservesEnergy_Parseval(int size)
    {
        var x = FftReference.Noise(size, 71);
        var fft = new RealFft(size);
        var re = new float[fft.BinCount];
        var im = new float[fft.BinCount];
        fft.Forward(x, re, im);

        double timeEnergy = x.Sum(v => (double)v * v);
        double freqEnergy = 0;
        for (var k = 0; k <= size / 2; k++)
        {
            var weight = k == 0 || k == size / 2 ? 1.0 : 2.0;
            freqEnergy += weight * (((double)re[k] * re[k]) + ((double)im[k] * im[k]));
        }

        Assert.Equal(1.0, freqEnergy / size / timeEnergy, 1e-5);
    }

    [Theory]
    [MemberData(nameof(AllSizes))]
    public void Packed_HoldsTheSameBinsAsUnpacked_AndRoundTrips(int size)
    {
        var x = FftReference.Noise(size, 81);
        var fft = new RealFft(size);
        var re = new float[fft.BinCount];
        var im = new float[fft.BinCount];
        var pr = new float[fft.PackedBinCount];
        var pi = new float[fft.PackedBinCount];
        fft.Forward(x, re, im);
        fft.ForwardPacked(x, pr, pi);

        Assert.Equal(re[..(size / 2)], pr);
        Assert.Equal(re[size / 2], pi[0]);
        Assert.Equal(im[1..(size / 2)], pi[1..]);

        var fromPacked = new float[size];
        var fromFull = new float[size];
        fft.InverseUnscaledPacked(pr, pi, fromPacked);
        fft.InverseUnscaled(re, im, fromFull);
        Assert.Equal(fromFull, fromPacked);
        for (var t = 0; t < size; t++)
        {
            Assert.Equal(x[t], fromPacked[t] / size, 1e-5f);
        }
    }

    [Theory]
    [InlineData(16)]
    [InlineData(1024)]
    [InlineData(4096)]
    public void RepeatedCalls_DoNotAllocate(int size)
    {
        var fft = new RealFft(size);
        var x = FftReference.Noise(size, 1);
        var re = new float[fft.BinCount];
        var im = new float[fft.BinCount];
        var pr = new float[fft.PackedBinCount];
        var pi = new float[fft.PackedBinCount];
        var y = new float[size];
        // Warm up past tiered compilation (its tier-up must not count as an allocation of ours).
        for (var i = 0; i < 100; i++)
        {
            fft.Forward(x, re, im);
            fft.Inverse(re, im, y);
            fft.InverseUnscaled(re, im, y);
            fft.ForwardPacked(x, pr, pi);
            fft.InverseUnscaledPacked(pr, pi, y);
        }

        var allocated = Support.Allocations.OnCurrentThread(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                fft.Forward(x, re, im);
                fft.Inverse(re, im, y);
                fft.InverseUnscaled(re, im, y);
                fft.ForwardPacked(x, pr, pi);
                fft.InverseUnscaledPacked(pr, pi, y);
            }
        });
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(48)]
    [InlineData(131072)]
    public void UnsupportedSize_Throws(int size)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new RealFft(size));
        Assert.Equal("size", e.ParamName);
    }

    [Fact]
    public void WrongLength_Throws()
    {
        var fft = new RealFft(32);
        var e = Assert.Throws<ArgumentException>(() => fft.Forward(new float[32], new float[16], new float[17]));
        Assert.Equal("real", e.ParamName);
    }

    [Theory]
    [Trait("Category", "Simd")]
    [MemberData(nameof(TierCases))]
    public void EveryTier_MatchesScalar(SimdTier tier, int size)
    {
        var x = FftReference.Noise(size, 91);
        var scalar = new RealFft(size, SimdTier.Scalar);
        var vector = new RealFft(size, tier);
        Assert.Equal(tier, vector.Tier);
        var sr = new float[size / 2 + 1];
        var si = new float[size / 2 + 1];
        var vr = new float[size / 2 + 1];
        var vi = new float[size / 2 + 1];
        scalar.Forward(x, sr, si);
        vector.Forward(x, vr, vi);
        Assert.True(FftReference.RelativeError(vr, sr) <= 1e-6);
        Assert.True(FftReference.RelativeError(vi, si) <= 1e-6);

        var ys = new float[size];
        var yv = new float[size];
        scalar.Inverse(sr, si, ys);
        vector.Inverse(sr, si, yv);
        Assert.True(FftReference.RelativeError(yv, ys) <= 1e-6);

        var pr = new float[size / 2];
        var pi = new float[size / 2];
        var qr = new float[size / 2];
        var qi = new float[size / 2];
        scalar.ForwardPacked(x, pr, pi);
        vector.ForwardPacked(x, qr, qi);
        Assert.True(FftReference.RelativeError(qr, pr) <= 1e-6);
        Assert.True(FftReference.RelativeError(qi, pi) <= 1e-6);
        scalar.InverseUnscaledPacked(pr, pi, ys);
        vector.InverseUnscaledPacked(pr, pi, yv);
        Assert.True(FftReference.RelativeError(yv, ys) <= 1e-6);
    }

    public static TheoryData<SimdTier, int> TierCases() => ComplexFftTests.TierCases();
}
