using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SpatialAudio.Filters.Simd;

namespace SpatialAudio.Filters.Fft;

/// <summary>
/// A real-input FFT plan for one power-of-two size N: N real samples to N/2 + 1 complex bins (DC .. Nyquist),
/// the spectrum held as split real and imaginary spans.
/// </summary>
/// <remarks>
/// <para>Scaling as <see cref="ComplexFft"/>: forward unscaled, <see cref="Inverse"/> scales by 1/N,
/// <see cref="InverseUnscaled"/> does not. The inverse ignores the imaginary parts of the DC and Nyquist bins
/// (they are zero for the spectrum of a real signal).</para>
/// <para>Threading: a plan owns scratch memory; use one plan per thread. Nothing is allocated after construction.</para>
/// <para>Algorithm: the even and odd samples form one N/2-point complex signal z[n] = x[2n] + i x[2n+1]; its FFT
/// (<see cref="ComplexFft"/>'s kernel) is split into the spectrum of x by a vectorized pass that pairs bin k with
/// bin N/2 - k. The inverse runs the same steps backwards.</para>
/// </remarks>
public sealed class RealFft
{
    private readonly int size;
    private readonly int half;
    private readonly FftKernel kernel;

    // 0.5 W^k and W^k, W = e^(-2 pi i / N), k = 0 .. N/2 - 1.
    private readonly float[] halfCos;
    private readonly float[] halfSin;
    private readonly float[] cos;
    private readonly float[] sin;
    private readonly float[] scratchReal;
    private readonly float[] scratchImag;

    /// <summary>Creates a plan for <paramref name="size"/> real samples on this machine's best SIMD tier.</summary>
    /// <param name="size">A power of two, <see cref="ComplexFft.MinSize"/>..<see cref="ComplexFft.MaxSize"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is not a supported power of two.</exception>
    public RealFft(int size)
        : this(size, SimdCapabilities.Best)
    {
    }

    /// <summary>Creates a plan on an explicit SIMD tier (tests compare tiers with it).</summary>
    internal RealFft(int size, SimdTier tier)
    {
        ComplexFft.ValidateSize(size, nameof(size));
        this.size = size;
        half = size / 2;
        Tier = tier;
        kernel = new FftKernel(half, tier);
        halfCos = new float[half];
        halfSin = new float[half];
        cos = new float[half];
        sin = new float[half];
        for (var k = 0; k < half; k++)
        {
            var angle = -2.0 * Math.PI * k / size;
            cos[k] = (float)Math.Cos(angle);
            sin[k] = (float)Math.Sin(angle);
            halfCos[k] = (float)(0.5 * Math.Cos(angle));
            halfSin[k] = (float)(0.5 * Math.Sin(angle));
        }

        scratchReal = new float[half];
        scratchImag = new float[half];
    }

    /// <summary>Number of real samples N.</summary>
    public int Size => size;

    /// <summary>Number of complex bins, N/2 + 1.</summary>
    public int BinCount => half + 1;

    /// <summary>Number of bins in the packed layout, N/2.</summary>
    public int PackedBinCount => half;

    /// <summary>The SIMD tier this plan runs on.</summary>
    public SimdTier Tier { get; }

    /// <summary>Forward transform.</summary>
    /// <param name="input">N real samples; left unchanged.</param>
    /// <param name="real">Real parts of bins 0..N/2, length <see cref="BinCount"/>.</param>
    /// <param name="imag">Imaginary parts of bins 0..N/2, length <see cref="BinCount"/>.</param>
    public void Forward(ReadOnlySpan<float> input, Span<float> real, Span<float> imag)
    {
        CheckLength(input.Length, size, nameof(input));
        CheckLength(real.Length, BinCount, nameof(real));
        CheckLength(imag.Length, BinCount, nameof(imag));
        real[half] = ForwardCore(input, real, imag);
        imag[0] = 0f;
        imag[half] = 0f;
    }

    /// <summary>Inverse transform, scaled by 1/N.</summary>
    /// <param name="real">Real parts of bins 0..N/2, length <see cref="BinCount"/>; left unchanged.</param>
    /// <param name="imag">Imaginary parts of bins 0..N/2, length <see cref="BinCount"/>; left unchanged.</param>
    /// <param name="output">N real samples.</param>
    public void Inverse(ReadOnlySpan<float> real, ReadOnlySpan<float> imag, Span<float> output)
    {
        CheckLength(real.Length, BinCount, nameof(real));
        CheckLength(imag.Length, BinCount, nameof(imag));
        CheckLength(output.Length, size, nameof(output));
        InverseCore(real, imag, real[half], output, 1f / size);
    }

    /// <summary>Inverse transform without the 1/N scaling.</summary>
    /// <param name="real">Real parts of bins 0..N/2, length <see cref="BinCount"/>; left unchanged.</param>
    /// <param name="imag">Imaginary parts of bins 0..N/2, length <see cref="BinCount"/>; left unchanged.</param>
    /// <param name="output">N real samples.</param>
    public void InverseUnscaled(ReadOnlySpan<float> real, ReadOnlySpan<float> imag, Span<float> output)
    {
        CheckLength(real.Length, BinCount, nameof(real));
        CheckLength(imag.Length, BinCount, nameof(imag));
        CheckLength(output.Length, size, nameof(output));
        InverseCore(real, imag, real[half], output, 1f);
    }

    /// <summary>
    /// Forward transform into the packed layout: N/2 bins, with the (real) Nyquist value stored in
    /// <c>imag[0]</c> where the (zero) imaginary part of DC would be. Power-of-two bin counts suit SIMD loops.
    /// </summary>
    /// <param name="input">N real samples; left unchanged.</param>
    /// <param name="real">Real parts of bins 0..N/2-1, length N/2.</param>
    /// <param name="imag">Imaginary parts of bins 1..N/2-1 at their index; Re X[N/2] at index 0. Length N/2.</param>
    public void ForwardPacked(ReadOnlySpan<float> input, Span<float> real, Span<float> imag)
    {
        CheckLength(input.Length, size, nameof(input));
        CheckLength(real.Length, half, nameof(real));
        CheckLength(imag.Length, half, nameof(imag));
        imag[0] = ForwardCore(input, real, imag);
    }

    /// <summary>Inverse of <see cref="ForwardPacked"/> without the 1/N scaling.</summary>
    /// <param name="real">Packed real parts, length N/2; left unchanged.</param>
    /// <param name="imag">Packed imaginary parts (Nyquist at index 0), length N/2; left unchanged.</param>
    /// <param name="output">N real samples.</param>
    public void InverseUnscaledPacked(ReadOnlySpan<float> real, ReadOnlySpan<float> imag, Span<float> output)
    {
        CheckLength(real.Length, half, nameof(real));
        CheckLength(imag.Length, half, nameof(imag));
        CheckLength(output.Length, size, nameof(output));
        InverseCore(real, imag, imag[0], output, 1f);
    }

    private static void CheckLength(int length, int expected, string paramName)
    {
        if (length != expected)
        {
            throw new ArgumentException($"Expected {expected} values, got {length}.", paramName);
        }
    }

    /// <summary>Writes bins 0..N/2-1 (imag[0] = 0) and returns the real Nyquist value.</summary>
    private float ForwardCore(ReadOnlySpan<float> input, Span<float> real, Span<float> imag)
    {
        ref var x = ref MemoryMarshal.GetReference(input);
        ref var re = ref MemoryMarshal.GetReference(real);
        ref var im = ref MemoryMarshal.GetReference(imag);
        return Tier switch
        {
            SimdTier.Vector512 => ForwardCore<Vector512Ops, Vector512<float>>(ref x, ref re, ref im),
            SimdTier.Vector256 => ForwardCore<Vector256Ops, Vector256<float>>(ref x, ref re, ref im),
            SimdTier.Vector128 => ForwardCore<Vector128Ops, Vector128<float>>(ref x, ref re, ref im),
            _ => ForwardCore<ScalarOps, float>(ref x, ref re, ref im),
        };
    }

    /// <summary>Reads bins 1..N/2-1 of real/imag, Re X[0] from real[0] and Re X[N/2] from <paramref name="nyquist"/>.</summary>
    private void InverseCore(ReadOnlySpan<float> real, ReadOnlySpan<float> imag, float nyquist, Span<float> output, float scale)
    {
        ref var re = ref MemoryMarshal.GetReference(real);
        ref var im = ref MemoryMarshal.GetReference(imag);
        ref var y = ref MemoryMarshal.GetReference(output);
        switch (Tier)
        {
            case SimdTier.Vector512:
                InverseCore<Vector512Ops, Vector512<float>>(ref re, ref im, nyquist, ref y, scale);
                break;
            case SimdTier.Vector256:
                InverseCore<Vector256Ops, Vector256<float>>(ref re, ref im, nyquist, ref y, scale);
                break;
            case SimdTier.Vector128:
                InverseCore<Vector128Ops, Vector128<float>>(ref re, ref im, nyquist, ref y, scale);
                break;
            default:
                InverseCore<ScalarOps, float>(ref re, ref im, nyquist, ref y, scale);
                break;
        }
    }

    private float ForwardCore<TOps, TV>(ref float x, ref float re, ref float im)
        where TOps : IFftVectorOps<TV>
        where TV : struct
    {
        ref var zr = ref MemoryMarshal.GetArrayDataReference(scratchReal);
        ref var zi = ref MemoryMarshal.GetArrayDataReference(scratchImag);
        nint n = 0;
        for (; n + TOps.Count <= half; n += TOps.Count)
        {
            TOps.LoadUnzip(ref x, 2 * n, out var even, out var odd);
            TOps.Store(even, ref zr, n);
            TOps.Store(odd, ref zi, n);
        }

        for (; n < half; n++)
        {
            Unsafe.Add(ref zr, n) = Unsafe.Add(ref x, 2 * n);
            Unsafe.Add(ref zi, n) = Unsafe.Add(ref x, (2 * n) + 1);
        }

        kernel.Transform(scratchReal, scratchImag, scratchReal, scratchImag, inverse: false);

        re = zr + zi;
        im = 0f;
        nint k = 1;
        for (; k + TOps.Count <= half; k += TOps.Count)
        {
            SplitBins<TOps, TV>(ref zr, ref zi, ref re, ref im, k);
        }

        for (; k < half; k++)
        {
            SplitBins<ScalarOps, float>(ref zr, ref zi, ref re, ref im, k);
        }

        return zr - zi;
    }

    /// <summary>
    /// X[k] = E[k] + W^k O[k] for Count bins from k, where E = (Z[k] + conj Z[N/2-k]) / 2 and
    /// O = (Z[k] - conj Z[N/2-k]) / 2i are the spectra of the even and odd samples.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SplitBins<TOps, TV>(ref float zr, ref float zi, ref float re, ref float im, nint k)
        where TOps : IFftVectorOps<TV>
        where TV : struct
    {
        var mirror = half - k - TOps.Count + 1;
        var ar = TOps.Load(ref zr, k);
        var ai = TOps.Load(ref zi, k);
        var br = TOps.Reverse(TOps.Load(ref zr, mirror));
        var bi = TOps.Reverse(TOps.Load(ref zi, mirror));
        var sumR = TOps.Add(ar, br);
        var difR = TOps.Subtract(ar, br);
        var sumI = TOps.Add(ai, bi);
        var difI = TOps.Subtract(ai, bi);
        var wr = TOps.Load(ref MemoryMarshal.GetArrayDataReference(halfCos), k);
        var wi = TOps.Load(ref MemoryMarshal.GetArrayDataReference(halfSin), k);
        var oneHalf = TOps.Broadcast(0.5f);
        var xr = TOps.MultiplyAdd(wr, sumI, TOps.MultiplyAdd(wi, difR, TOps.Multiply(oneHalf, sumR)));
        var xi = TOps.MultiplyAdd(wi, sumI, TOps.MultiplySubtract(oneHalf, difI, TOps.Multiply(wr, difR)));
        TOps.Store(xr, ref re, k);
        TOps.Store(xi, ref im, k);
    }

    private void InverseCore<TOps, TV>(ref float re, ref float im, float nyquist, ref float y, float scale)
        where TOps : IFftVectorOps<TV>
        where TV : struct
    {
        ref var zr = ref MemoryMarshal.GetArrayDataReference(scratchReal);
        ref var zi = ref MemoryMarshal.GetArrayDataReference(scratchImag);

        // Z' = 2 Z, so the factor 2 of the unpacking is folded in here.
        zr = re + nyquist;
        zi = re - nyquist;
        nint k = 1;
        for (; k + TOps.Count <= half; k += TOps.Count)
        {
            MergeBins<TOps, TV>(ref re, ref im, ref zr, ref zi, k);
        }

        for (; k < half; k++)
        {
            MergeBins<ScalarOps, float>(ref re, ref im, ref zr, ref zi, k);
        }

        kernel.Transform(scratchReal, scratchImag, scratchReal, scratchImag, inverse: true);

        var gain = TOps.Broadcast(scale);
        nint n = 0;
        if (scale == 1f)
        {
            for (; n + TOps.Count <= half; n += TOps.Count)
            {
                TOps.StoreZip(TOps.Load(ref zr, n), TOps.Load(ref zi, n), ref y, 2 * n);
            }
        }
        else
        {
            for (; n + TOps.Count <= half; n += TOps.Count)
            {
                TOps.StoreZip(TOps.Multiply(TOps.Load(ref zr, n), gain), TOps.Multiply(TOps.Load(ref zi, n), gain), ref y, 2 * n);
            }
        }

        for (; n < half; n++)
        {
            Unsafe.Add(ref y, 2 * n) = Unsafe.Add(ref zr, n) * scale;
            Unsafe.Add(ref y, (2 * n) + 1) = Unsafe.Add(ref zi, n) * scale;
        }
    }

    /// <summary>
    /// 2 Z[k] = S + i D conj(W^k) for Count bins from k, with S = X[k] + conj X[N/2-k] and D = X[k] - conj X[N/2-k].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MergeBins<TOps, TV>(ref float re, ref float im, ref float zr, ref float zi, nint k)
        where TOps : IFftVectorOps<TV>
        where TV : struct
    {
        var mirror = half - k - TOps.Count + 1;
        var ar = TOps.Load(ref re, k);
        var ai = TOps.Load(ref im, k);
        var br = TOps.Reverse(TOps.Load(ref re, mirror));
        var bi = TOps.Reverse(TOps.Load(ref im, mirror));
        var sr = TOps.Add(ar, br);
        var si = TOps.Subtract(ai, bi);
        var dr = TOps.Subtract(ar, br);
        var di = TOps.Add(ai, bi);
        var c = TOps.Load(ref MemoryMarshal.GetArrayDataReference(cos), k);
        var sn = TOps.Load(ref MemoryMarshal.GetArrayDataReference(sin), k);
        TOps.Store(TOps.MultiplyAdd(dr, sn, TOps.Subtract(sr, TOps.Multiply(di, c))), ref zr, k);
        TOps.Store(TOps.MultiplyAdd(dr, c, TOps.MultiplyAdd(di, sn, si)), ref zi, k);
    }
}
