using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SpatialAudio.Spatial.Upmix;

/// <summary>
/// The per-bin work of <see cref="LrcUpmixer"/> in float: the smoothed spectra, the centre gains and the centre
/// spectrum. Each step has a <see cref="Vector{T}"/> path and a scalar path with the same arithmetic.
/// </summary>
/// <remarks>
/// The frequency smoothing (a sum over a band of bins per bin) runs on double prefix sums: a float prefix sum loses
/// the quiet treble bins against the loud bass bins summed before them. The vector path runs when
/// <see cref="Vector.IsHardwareAccelerated"/> (width <see cref="Vector{T}.Count"/>: 256 bits with AVX2/AVX-512, 128 with
/// SSE) unless the caller asks for scalar; tests compare both with a double reference.
/// </remarks>
internal static class LrcGainKernel
{
    /// <summary>Smoothed powers below this are flushed to zero (no denormals in the feedback path).</summary>
    private const float Floor = 1e-30f;

    /// <summary>Gains at or below this (-200 dB) are zero: their powers would be denormal and slow the centre spectrum
    /// and its inverse FFT down several times.</summary>
    private const float GainFloor = 1e-10f;

    /// <summary>Whether <paramref name="vectorized"/> can run on vectors on this machine.</summary>
    public static bool UseVectors(bool vectorized) => vectorized && Vector.IsHardwareAccelerated;

    /// <summary>
    /// Updates the time-smoothed spectra with one frame: p = a p + (1 - a) x for x in |M|^2, |S|^2, Re M S*,
    /// Im M S*, where M = (L + R)/2 and S = (L - R)/2; a = <paramref name="alphaFast"/> in a bin whose |S|^2 exceeds
    /// <paramref name="attackThreshold"/> times its smoothed value (an onset), else <paramref name="alpha"/>.
    /// </summary>
    public static void AccumulateSpectra(
        ReadOnlySpan<float> reL, ReadOnlySpan<float> imL, ReadOnlySpan<float> reR, ReadOnlySpan<float> imR, float alpha,
        float alphaFast, float attackThreshold, Span<float> pMM, Span<float> pSS, Span<float> pMSr, Span<float> pMSi, bool vectorized)
    {
        var n = pMM.Length;
        var k = 0;
        if (UseVectors(vectorized))
        {
            var a = new Vector<float>(alpha);
            var aFast = new Vector<float>(alphaFast);
            var threshold = new Vector<float>(attackThreshold);
            var quarter = new Vector<float>(0.25f);   // the halves of M and S
            var floor = new Vector<float>(Floor);
            ref var rl = ref MemoryMarshal.GetReference(reL);
            ref var il = ref MemoryMarshal.GetReference(imL);
            ref var rr = ref MemoryMarshal.GetReference(reR);
            ref var ir = ref MemoryMarshal.GetReference(imR);
            ref var mm = ref MemoryMarshal.GetReference(pMM);
            ref var ss = ref MemoryMarshal.GetReference(pSS);
            ref var msr = ref MemoryMarshal.GetReference(pMSr);
            ref var msi = ref MemoryMarshal.GetReference(pMSi);
            for (; k <= n - Vector<float>.Count; k += Vector<float>.Count)
            {
                var i = (nuint)k;
                var lr = Vector.LoadUnsafe(ref rl, i);
                var li = Vector.LoadUnsafe(ref il, i);
                var rrv = Vector.LoadUnsafe(ref rr, i);
                var riv = Vector.LoadUnsafe(ref ir, i);
                var mr = lr + rrv;
                var mi = li + riv;
                var sr = lr - rrv;
                var si = li - riv;
                var side = quarter * ((sr * sr) + (si * si));
                var oldSs = Vector.LoadUnsafe(ref ss, i);
                var ak = Vector.ConditionalSelect(Vector.GreaterThan(side, threshold * oldSs), aFast, a);
                var wv = quarter * (Vector<float>.One - ak);
                Flush((ak * Vector.LoadUnsafe(ref mm, i)) + (wv * ((mr * mr) + (mi * mi))), floor).StoreUnsafe(ref mm, i);
                Flush((ak * oldSs) + ((Vector<float>.One - ak) * side), floor).StoreUnsafe(ref ss, i);
                Flush((ak * Vector.LoadUnsafe(ref msr, i)) + (wv * ((mr * sr) + (mi * si))), floor).StoreUnsafe(ref msr, i);
                Flush((ak * Vector.LoadUnsafe(ref msi, i)) + (wv * ((mi * sr) - (mr * si))), floor).StoreUnsafe(ref msi, i);
            }
        }

        for (; k < n; k++)
        {
            var mr = reL[k] + reR[k];
            var mi = imL[k] + imR[k];
            var sr = reL[k] - reR[k];
            var si = imL[k] - imR[k];
            var side = 0.25f * ((sr * sr) + (si * si));
            var ak = side > attackThreshold * pSS[k] ? alphaFast : alpha;
            var ws = 0.25f * (1 - ak);
            pMM[k] = Flush((ak * pMM[k]) + (ws * ((mr * mr) + (mi * mi))));
            pSS[k] = Flush((ak * pSS[k]) + ((1 - ak) * side));
            pMSr[k] = Flush((ak * pMSr[k]) + (ws * ((mr * sr) + (mi * si))));   // Re(M S*)
            pMSi[k] = Flush((ak * pMSi[k]) + (ws * ((mi * sr) - (mr * si))));   // Im(M S*)
        }
    }

    /// <summary>
    /// Sums each spectrum over the band bandLow[k]..bandHigh[k] (inclusive) of every bin k, through double prefix sums
    /// (<paramref name="prefix"/>: 4 x (bins + 1) scratch).
    /// </summary>
    public static void BandSums(
        ReadOnlySpan<float> pMM, ReadOnlySpan<float> pSS, ReadOnlySpan<float> pMSr, ReadOnlySpan<float> pMSi,
        ReadOnlySpan<int> bandLow, ReadOnlySpan<int> bandHigh, Span<double> prefix,
        Span<float> bandMM, Span<float> bandSS, Span<float> bandMSr, Span<float> bandMSi)
    {
        var n = pMM.Length;
        var stride = n + 1;
        var prefixMM = prefix[..stride];
        var prefixSS = prefix.Slice(stride, stride);
        var prefixMSr = prefix.Slice(2 * stride, stride);
        var prefixMSi = prefix.Slice(3 * stride, stride);

        // Four independent dependency chains.
        double mm = 0, ss = 0, msr = 0, msi = 0;
        prefixMM[0] = prefixSS[0] = prefixMSr[0] = prefixMSi[0] = 0;
        for (var k = 0; k < n; k++)
        {
            mm += pMM[k];
            ss += pSS[k];
            msr += pMSr[k];
            msi += pMSi[k];
            prefixMM[k + 1] = mm;
            prefixSS[k + 1] = ss;
            prefixMSr[k + 1] = msr;
            prefixMSi[k + 1] = msi;
        }

        for (var k = 0; k < n; k++)
        {
            int lo = bandLow[k], hi = bandHigh[k] + 1;
            bandMM[k] = (float)(prefixMM[hi] - prefixMM[lo]);
            bandSS[k] = (float)(prefixSS[hi] - prefixSS[lo]);
            bandMSr[k] = (float)(prefixMSr[hi] - prefixMSr[lo]);
            bandMSi[k] = (float)(prefixMSi[hi] - prefixMSi[lo]);
        }
    }

    /// <summary>
    /// The centre gain and side projection per bin from the band-smoothed spectra: beta = w E[M S*] / E|S|^2 with the
    /// shrinkage w = max(0, 1 - bias / coh^2), coh^2 = |E[M S*]|^2 / (E|M|^2 E|S|^2), and
    /// g = clamp((E|M|^2 - E|S|^2) / E|M - beta S|^2, 0, 1) ^ <paramref name="exponent"/>.
    /// </summary>
    public static void Gains(
        ReadOnlySpan<float> mmBand, ReadOnlySpan<float> ssBand, ReadOnlySpan<float> msrBand, ReadOnlySpan<float> msiBand,
        ReadOnlySpan<float> bias, double exponent, Span<float> gains, Span<float> betaRe, Span<float> betaIm, bool vectorized)
    {
        var n = gains.Length;
        var k = 0;
        // Whole exponents by multiplication (TensorPrimitives.Pow costs more than the rest of the kernel).
        var power = exponent is 1 or 2 or 3 or 4 ? (int)exponent : 0;
        if (UseVectors(vectorized))
        {
            var tiny = new Vector<float>(1e-20f);
            var floor = new Vector<float>(Floor);
            var one = Vector<float>.One;
            var gainFloor = new Vector<float>(GainFloor);
            ref var mmRef = ref MemoryMarshal.GetReference(mmBand);
            ref var ssRef = ref MemoryMarshal.GetReference(ssBand);
            ref var msrRef = ref MemoryMarshal.GetReference(msrBand);
            ref var msiRef = ref MemoryMarshal.GetReference(msiBand);
            ref var biasRef = ref MemoryMarshal.GetReference(bias);
            ref var gRef = ref MemoryMarshal.GetReference(gains);
            ref var brRef = ref MemoryMarshal.GetReference(betaRe);
            ref var biRef = ref MemoryMarshal.GetReference(betaIm);
            for (; k <= n - Vector<float>.Count; k += Vector<float>.Count)
            {
                var i = (nuint)k;
                var mm = Vector.LoadUnsafe(ref mmRef, i);
                var ss = Vector.LoadUnsafe(ref ssRef, i);
                var msr = Vector.LoadUnsafe(ref msrRef, i);
                var msi = Vector.LoadUnsafe(ref msiRef, i);
                var valid = Vector.GreaterThan(mm, tiny);
                var inverse = Vector.ConditionalSelect(Vector.GreaterThan(ss, tiny), one / ss, Vector<float>.Zero);
                var projection = ((msr * msr) + (msi * msi)) * inverse;
                var w = Vector.Max(projection - (Vector.LoadUnsafe(ref biasRef, i) * mm), Vector<float>.Zero) / Vector.Max(projection, floor);
                var br = w * msr * inverse;
                var bi = w * msi * inverse;
                var residual = Vector.Max(mm - (((w + w) - (w * w)) * projection), floor);
                var g = Power(Vector.Min(Vector.Max(mm - ss, Vector<float>.Zero) / residual, one), power);

                Vector.ConditionalSelect(valid & Vector.GreaterThan(g, gainFloor), g, Vector<float>.Zero).StoreUnsafe(ref gRef, i);
                Vector.ConditionalSelect(valid, br, Vector<float>.Zero).StoreUnsafe(ref brRef, i);
                Vector.ConditionalSelect(valid, bi, Vector<float>.Zero).StoreUnsafe(ref biRef, i);
            }
        }

        for (; k < n; k++)
        {
            var mm = mmBand[k];
            if (!(mm > 1e-20f))
            {
                gains[k] = betaRe[k] = betaIm[k] = 0;
                continue;
            }

            var ss = ssBand[k];
            var inverse = ss > 1e-20f ? 1 / ss : 0;
            var projection = ((msrBand[k] * msrBand[k]) + (msiBand[k] * msiBand[k])) * inverse;
            var w = Math.Max(projection - (bias[k] * mm), 0) / Math.Max(projection, Floor);
            var br = w * msrBand[k] * inverse;
            var bi = w * msiBand[k] * inverse;
            var residual = Math.Max(mm - (((w + w) - (w * w)) * projection), Floor);
            var g = Power(Math.Min(Math.Max(mm - ss, 0) / residual, 1), power);
            gains[k] = g > GainFloor ? g : 0;
            betaRe[k] = br;
            betaIm[k] = bi;
        }

        if (power == 0)
        {
            System.Numerics.Tensors.TensorPrimitives.Pow(gains, (float)exponent, gains);
        }
    }

    /// <summary>The centre spectrum C = g (M - beta S) per bin.</summary>
    public static void Centre(
        ReadOnlySpan<float> reL, ReadOnlySpan<float> imL, ReadOnlySpan<float> reR, ReadOnlySpan<float> imR,
        ReadOnlySpan<float> gains, ReadOnlySpan<float> betaRe, ReadOnlySpan<float> betaIm,
        Span<float> reC, Span<float> imC, bool vectorized)
    {
        var n = gains.Length;
        var k = 0;
        if (UseVectors(vectorized))
        {
            var half = new Vector<float>(0.5f);
            ref var rl = ref MemoryMarshal.GetReference(reL);
            ref var il = ref MemoryMarshal.GetReference(imL);
            ref var rr = ref MemoryMarshal.GetReference(reR);
            ref var ir = ref MemoryMarshal.GetReference(imR);
            ref var gRef = ref MemoryMarshal.GetReference(gains);
            ref var brRef = ref MemoryMarshal.GetReference(betaRe);
            ref var biRef = ref MemoryMarshal.GetReference(betaIm);
            ref var rc = ref MemoryMarshal.GetReference(reC);
            ref var ic = ref MemoryMarshal.GetReference(imC);
            for (; k <= n - Vector<float>.Count; k += Vector<float>.Count)
            {
                var i = (nuint)k;
                var lr = Vector.LoadUnsafe(ref rl, i);
                var li = Vector.LoadUnsafe(ref il, i);
                var rrv = Vector.LoadUnsafe(ref rr, i);
                var riv = Vector.LoadUnsafe(ref ir, i);
                var br = Vector.LoadUnsafe(ref brRef, i);
                var bi = Vector.LoadUnsafe(ref biRef, i);
                var gh = half * Vector.LoadUnsafe(ref gRef, i);
                var mr = lr + rrv;
                var mi = li + riv;
                var sr = lr - rrv;
                var si = li - riv;
                (gh * (mr - ((br * sr) - (bi * si)))).StoreUnsafe(ref rc, i);
                (gh * (mi - ((br * si) + (bi * sr)))).StoreUnsafe(ref ic, i);
            }
        }

        for (; k < n; k++)
        {
            // C = g (M - beta S): remove the part of mid that follows the side, then keep what L and R share.
            var mr = reL[k] + reR[k];
            var mi = imL[k] + imR[k];
            var sr = reL[k] - reR[k];
            var si = imL[k] - imR[k];
            var gh = 0.5f * gains[k];
            reC[k] = gh * (mr - ((betaRe[k] * sr) - (betaIm[k] * si)));
            imC[k] = gh * (mi - ((betaRe[k] * si) + (betaIm[k] * sr)));
        }
    }

    // g^power for power 1..4 (0: left to the caller); the same products in both paths.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Power(Vector<float> g, int power) => power switch
    {
        2 => g * g,
        3 => g * g * g,
        4 => (g * g) * (g * g),
        _ => g,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Power(float g, int power) => power switch
    {
        2 => g * g,
        3 => g * g * g,
        4 => (g * g) * (g * g),
        _ => g,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Flush(Vector<float> value, Vector<float> floor) =>
        Vector.ConditionalSelect(Vector.GreaterThan(Vector.Abs(value), floor), value, Vector<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Flush(float value) => Math.Abs(value) > Floor ? value : 0;
}
