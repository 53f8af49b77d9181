using SpatialAudio.Spatial.Upmix;

namespace SpatialAudio.Spatial.Tests.Upmix;

/// <summary>The float per-bin kernel of <see cref="LrcUpmixer"/>, vector and scalar paths, against a plain double
/// implementation of the same formulas. test.sh re-runs these with AVX-512, AVX and all intrinsics disabled.</summary>
[Trait("Category", "Simd")]
public sealed class LrcGainKernelTests
{
    private const int Bins = 513;

    [Theory]
    [InlineData(true, 2.0)]
    [InlineData(false, 2.0)]
    [InlineData(true, 1.5)]
    [InlineData(false, 3.0)]
    [InlineData(true, 4.0)]
    [InlineData(false, 4.0)]
    public void Gains_MatchTheDoubleReference_OverManyFrames(bool vectorized, double exponent)
    {
        var (bandLow, bandHigh) = Bands(Bins);
        const float alpha = 0.75f, alphaFast = 0.3f, attack = 4f;
        var rng = new Random(11);
        var bias = bandLow.Zip(bandHigh, (lo, hi) => 0.3f / (hi - lo + 1)).ToArray();
        var reference = new Reference(Bins, alpha, alphaFast, attack, exponent, bias, bandLow, bandHigh);
        var p = new float[4][];
        var band = new float[4][];
        for (var i = 0; i < 4; i++)
        {
            p[i] = new float[Bins];
            band[i] = new float[Bins];
        }

        var prefix = new double[4 * (Bins + 1)];
        var (gains, betaRe, betaIm, reC, imC) = (new float[Bins], new float[Bins], new float[Bins], new float[Bins], new float[Bins]);
        for (var frame = 0; frame < 60; frame++)
        {
            var (reL, imL, reR, imR) = Spectra(rng, frame);
            LrcGainKernel.AccumulateSpectra(reL, imL, reR, imR, alpha, alphaFast, attack, p[0], p[1], p[2], p[3], vectorized);
            LrcGainKernel.BandSums(p[0], p[1], p[2], p[3], bandLow, bandHigh, prefix, band[0], band[1], band[2], band[3]);
            LrcGainKernel.Gains(band[0], band[1], band[2], band[3], bias, exponent, gains, betaRe, betaIm, vectorized);
            LrcGainKernel.Centre(reL, imL, reR, imR, gains, betaRe, betaIm, reC, imC, vectorized);
            reference.Update(reL, imL, reR, imR);

            for (var k = 0; k < Bins; k++)
            {
                Assert.InRange(gains[k], reference.Gains[k] - 1e-4, reference.Gains[k] + 1e-4);
                var scale = 1e-4 * Math.Max(1, Math.Abs(reference.BetaRe[k]) + Math.Abs(reference.BetaIm[k]));
                Assert.InRange(betaRe[k], reference.BetaRe[k] - scale, reference.BetaRe[k] + scale);
                Assert.InRange(betaIm[k], reference.BetaIm[k] - scale, reference.BetaIm[k] + scale);
                var (cr, ci) = reference.Centre(reL[k], imL[k], reR[k], imR[k], k);
                var tolerance = 1e-4 * (1 + Math.Abs(reL[k]) + Math.Abs(imL[k]) + Math.Abs(reR[k]) + Math.Abs(imR[k]));
                Assert.InRange(reC[k], cr - tolerance, cr + tolerance);
                Assert.InRange(imC[k], ci - tolerance, ci + tolerance);
            }
        }

        Assert.Contains(gains, g => g is > 0.05f and < 0.95f);   // the frames exercise partial gains, not just 0 and 1
    }

    [Fact]
    public void VectorAndScalarUpmixers_AgreeOnNoise()
    {
        const int n = 24000;
        var rng = new Random(12);
        var center = new float[n];
        var left = new float[n];
        var right = new float[n];
        for (var t = 0; t < n; t++)
        {
            var c = (float)(rng.NextDouble() - 0.5);
            center[t] = c;
            left[t] = c + (0.7f * (float)(rng.NextDouble() - 0.5));
            right[t] = c + (0.7f * (float)(rng.NextDouble() - 0.5));
        }

        var outputs = new List<float[]>();
        foreach (var vectorized in new[] { true, false })
        {
            var upmixer = new LrcUpmixer(48000, 1024, 25, 4, 0, vectorized);
            var (l, r, c) = (new float[n], new float[n], new float[n]);
            upmixer.Process(left, right, l, r, c);
            outputs.Add(c);
        }

        for (var t = 0; t < n; t++)
        {
            Assert.InRange(outputs[0][t], outputs[1][t] - 1e-4f, outputs[1][t] + 1e-4f);
        }
    }

    [Fact]
    public void SilenceAfterSignal_DecaysToExactZero_NoDenormals()
    {
        var p = new float[4][];
        for (var i = 0; i < 4; i++)
        {
            p[i] = new float[Bins];
        }

        var (reL, imL, reR, imR) = Spectra(new Random(13), 0);
        LrcGainKernel.AccumulateSpectra(reL, imL, reR, imR, 0.75f, 0.3f, 4f, p[0], p[1], p[2], p[3], true);
        var zero = new float[Bins];
        for (var frame = 0; frame < 2000; frame++)
        {
            LrcGainKernel.AccumulateSpectra(zero, zero, zero, zero, 0.75f, 0.3f, 4f, p[0], p[1], p[2], p[3], frame % 2 == 0);
        }

        Assert.All(p, spectrum => Assert.All(spectrum, v => Assert.Equal(0f, v)));
    }

    private static (int[] Low, int[] High) Bands(int bins)
    {
        var width = Math.Pow(2, 1.0 / 12);
        var low = new int[bins];
        var high = new int[bins];
        for (var k = 0; k < bins; k++)
        {
            low[k] = Math.Max(0, Math.Min(k - 1, (int)Math.Floor(k / width)));
            high[k] = Math.Min(bins - 1, Math.Max(k + 1, (int)Math.Ceiling(k * width)));
        }

        return (low, high);
    }

    /// <summary>A centre shared by L and R plus independent sides, with a spectral tilt of 60 dB over the bins (the
    /// treble is quiet next to the bass, as in music) and silent bins at the top.</summary>
    private static (float[] ReL, float[] ImL, float[] ReR, float[] ImR) Spectra(Random rng, int frame)
    {
        var (reL, imL, reR, imR) = (new float[Bins], new float[Bins], new float[Bins], new float[Bins]);
        var sideLevel = 0.3 + (0.5 * ((frame / 10) % 3));
        for (var k = 0; k < Bins - 8; k++)
        {
            var tilt = Math.Pow(10, -3.0 * k / Bins);
            double G() => (rng.NextDouble() - 0.5) * tilt;
            var (cr, ci) = (G(), G());
            reL[k] = (float)(cr + (sideLevel * G()));
            imL[k] = (float)(ci + (sideLevel * G()));
            reR[k] = (float)(cr + (sideLevel * G()));
            imR[k] = (float)(ci + (sideLevel * G()));
        }

        return (reL, imL, reR, imR);
    }

    /// <summary>The gain formula written out plainly in double (the upmixer's implementation before vectorization).</summary>
    private sealed class Reference(int bins, double alpha, double alphaFast, double attack, double exponent, float[] bias, int[] bandLow, int[] bandHigh)
    {
        private readonly double[] pMM = new double[bins], pSS = new double[bins], pMSr = new double[bins], pMSi = new double[bins];

        public double[] Gains { get; } = new double[bins];

        public double[] BetaRe { get; } = new double[bins];

        public double[] BetaIm { get; } = new double[bins];

        public void Update(float[] reL, float[] imL, float[] reR, float[] imR)
        {
            for (var k = 0; k < bins; k++)
            {
                double mr = 0.5 * (reL[k] + reR[k]), mi = 0.5 * (imL[k] + imR[k]);
                double sr = 0.5 * (reL[k] - reR[k]), si = 0.5 * (imL[k] - imR[k]);
                var side = (sr * sr) + (si * si);
                var a = side > attack * pSS[k] ? alphaFast : alpha;
                pMM[k] = (a * pMM[k]) + ((1 - a) * ((mr * mr) + (mi * mi)));
                pSS[k] = (a * pSS[k]) + ((1 - a) * side);
                pMSr[k] = (a * pMSr[k]) + ((1 - a) * ((mr * sr) + (mi * si)));
                pMSi[k] = (a * pMSi[k]) + ((1 - a) * ((mi * sr) - (mr * si)));
            }

            for (var k = 0; k < bins; k++)
            {
                double mm = 0, ss = 0, msr = 0, msi = 0;
                for (var j = bandLow[k]; j <= bandHigh[k]; j++)
                {
                    mm += pMM[j];
                    ss += pSS[j];
                    msr += pMSr[j];
                    msi += pMSi[j];
                }

                if (mm <= 1e-20)
                {
                    Gains[k] = BetaRe[k] = BetaIm[k] = 0;
                    continue;
                }

                var inverse = ss > 1e-20 ? 1 / ss : 0;
                var projection = ((msr * msr) + (msi * msi)) * inverse;   // |E[M S*]|^2 / E|S|^2
                var coherence = projection / mm;
                var w = coherence > 0 ? Math.Max(0, 1 - (bias[k] / coherence)) : 0;
                BetaRe[k] = w * msr * inverse;
                BetaIm[k] = w * msi * inverse;

                // E|M - beta S|^2 = E|M|^2 - 2 Re(beta* E[M S*]) + |beta|^2 E|S|^2.
                var residual = Math.Max(mm - (((2 * w) - (w * w)) * projection), 1e-30);
                var g = Math.Clamp(Math.Max(mm - ss, 0) / residual, 0, 1);
                Gains[k] = Math.Pow(g, exponent);
            }
        }

        public (double Re, double Im) Centre(float reL, float imL, float reR, float imR, int k)
        {
            double mr = 0.5 * (reL + reR), mi = 0.5 * (imL + imR);
            double sr = 0.5 * (reL - reR), si = 0.5 * (imL - imR);
            var cr = mr - ((BetaRe[k] * sr) - (BetaIm[k] * si));
            var ci = mi - ((BetaRe[k] * si) + (BetaIm[k] * sr));
            return (Gains[k] * cr, Gains[k] * ci);
        }
    }
}
