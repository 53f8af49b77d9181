using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SpatialAudio.Filters.Simd;

namespace SpatialAudio.Filters.Fft;

/// <summary>
/// The split-format complex FFT shared by <see cref="ComplexFft"/> and <see cref="RealFft"/>: any power-of-two
/// size, unscaled both ways, in place or out of place.
/// </summary>
/// <remarks>
/// <para>Algorithm: Stockham autosort, decimation in frequency, radix 4 (plus one final radix-2 pass when
/// log2 N is odd). Pass i reads x[q + s(p + k m)] and writes y[q + s(4p + k)] with stride s = 4^i and
/// m = N / (4 s); the output lands in natural order, so there is no bit-reversal pass. Passes ping-pong between
/// the caller's buffer and one scratch buffer; the last pass (m = 1, no twiddles) reads and writes the same
/// indices, so it can run in place, which lets an in-place call with an odd pass count end in the caller's buffer.</para>
/// <para>Vectorization: when s is at least the vector width, lanes run over q with one broadcast twiddle per p.
/// The first passes (s = 1, and s = 4 for 256/512-bit vectors) run lanes over j = q + s p instead, which makes the
/// loads contiguous; their twiddles come from tables expanded per j, and their outputs are transposed in registers
/// before contiguous stores.</para>
/// <para>The inverse is the forward transform with real and imaginary parts swapped on the way in and out,
/// which split storage gives for free.</para>
/// </remarks>
internal sealed class FftKernel
{
    private readonly Pass[] passes;
    private readonly float[] scratchReal;
    private readonly float[] scratchImag;

    public FftKernel(int size, SimdTier tier)
    {
        if (size < 1 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "FFT size must be a power of two.");
        }

        Size = size;
        Tier = tier;
        KernelTier = NarrowestFitting(size, tier);
        scratchReal = new float[size];
        scratchImag = new float[size];

        var list = new List<Pass>();
        var stride = 1;
        while (size / stride >= 4)
        {
            list.Add(new Pass(4, stride, size / (4 * stride)));
            stride *= 4;
        }

        if (size / stride == 2)
        {
            list.Add(new Pass(2, stride, 1));
        }

        passes = [.. list];
    }

    /// <summary>Number of complex points.</summary>
    public int Size { get; }

    /// <summary>The tier the plan was asked for.</summary>
    public SimdTier Tier { get; }

    /// <summary>The tier the passes run at: <see cref="Tier"/> narrowed until a vector fits in N/4 points.</summary>
    public SimdTier KernelTier { get; }

    public static void Scale(Span<float> real, Span<float> imag, float factor)
    {
        System.Numerics.Tensors.TensorPrimitives.Multiply(real, factor, real);
        System.Numerics.Tensors.TensorPrimitives.Multiply(imag, factor, imag);
    }

    /// <summary>Lanes per vector of a tier.</summary>
    public static int Lanes(SimdTier tier) => tier switch
    {
        SimdTier.Vector512 => Vector512<float>.Count,
        SimdTier.Vector256 => Vector256<float>.Count,
        SimdTier.Vector128 => Vector128<float>.Count,
        _ => 1,
    };

    /// <summary>
    /// Transforms <paramref name="sourceReal"/>/<paramref name="sourceImag"/> into
    /// <paramref name="destinationReal"/>/<paramref name="destinationImag"/>. The source is either exactly the
    /// destination (in place) or does not overlap it; it is read only when out of place. Lengths are the caller's check.
    /// </summary>
    public void Transform(
        ReadOnlySpan<float> sourceReal,
        ReadOnlySpan<float> sourceImag,
        Span<float> destinationReal,
        Span<float> destinationImag,
        bool inverse)
    {
        ref var sr = ref MemoryMarshal.GetReference(sourceReal);
        ref var si = ref MemoryMarshal.GetReference(sourceImag);
        ref var dr = ref MemoryMarshal.GetReference(destinationReal);
        ref var di = ref MemoryMarshal.GetReference(destinationImag);
        if (inverse)
        {
            // conj(FFT(conj x)) = swap(FFT(swap x)), and swapping split parts is just swapping the references.
            Run(ref si, ref sr, ref di, ref dr);
        }
        else
        {
            Run(ref sr, ref si, ref dr, ref di);
        }
    }

    private static SimdTier NarrowestFitting(int size, SimdTier tier)
    {
        while (tier != SimdTier.Scalar && size / 4 < Lanes(tier))
        {
            tier = tier switch
            {
                SimdTier.Vector512 => SimdTier.Vector256,
                SimdTier.Vector256 => SimdTier.Vector128,
                _ => SimdTier.Scalar,
            };
        }

        return tier;
    }

    private void Run(ref float sr, ref float si, ref float dr, ref float di)
    {
        switch (KernelTier)
        {
            case SimdTier.Vector512:
                Run<Vector512Ops, Vector512<float>>(ref sr, ref si, ref dr, ref di);
                break;
            case SimdTier.Vector256:
                Run<Vector256Ops, Vector256<float>>(ref sr, ref si, ref dr, ref di);
                break;
            case SimdTier.Vector128:
                Run<Vector128Ops, Vector128<float>>(ref sr, ref si, ref dr, ref di);
                break;
            default:
                Run<ScalarOps, float>(ref sr, ref si, ref dr, ref di);
                break;
        }
    }

    private void Run<TOps, TV>(ref float sr, ref float si, ref float dr, ref float di)
        where TOps : IFftVectorOps<TV>
        where TV : struct
    {
        var count = passes.Length;
        var inPlace = Unsafe.AreSame(ref sr, ref dr);
        if (count == 0)
        {
            if (!inPlace)
            {
                dr = sr;
                di = si;
            }

            return;
        }

        ref var tr = ref MemoryMarshal.GetArrayDataReference(scratchReal);
        ref var ti = ref MemoryMarshal.GetArrayDataReference(scratchImag);
        ref var xr = ref sr;
        ref var xi = ref si;

        // Targets alternate so that the last pass writes the destination; in place with an odd count the last
        // pass runs in place and the others alternate before it.
        var lastInPlace = inPlace && (count & 1) == 1;
        for (var i = 0; i < count; i++)
        {
            var remaining = lastInPlace && i < count - 1 ? count - 2 - i : count - 1 - i;
            var toDestination = (remaining & 1) == 0;
            ref var yr = ref toDestination ? ref dr : ref tr;
            ref var yi = ref toDestination ? ref di : ref ti;
            RunPass<TOps, TV>(passes[i], ref xr, ref xi, ref yr, ref yi);
            xr = ref yr;
            xi = ref yi;
        }
    }

    private static void RunPass<TOps, TV>(Pass pass, ref float xr, ref float xi, ref float yr, ref float yi)
        where TOps : IFftVectorOps<TV>
        where TV : struct
    {
        if (pass.Radix == 2)
        {
            Radix2Last<TOps, TV>(ref xr, ref xi, ref yr, ref yi, pass.Stride);
        }
        else if (pass.Count == 1)
        {
            Radix4Last<TOps, TV>(ref xr, ref xi, ref yr, ref yi, pass.Stride);
        }
        else if (pass.Stride < TOps.Count)
        {
            Radix4Permuted<TOps, TV>(ref xr, ref xi, ref yr, ref yi, pass);
        }
        else
        {
            Radix4Strided<TOps, TV>(ref xr, ref xi, ref yr, ref yi, pass);
        }
    }

    /// <summary>The four-point DFT a, b, c, d -> y0 .. y3 (forward sign).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dft4<TOps, TV>(
        ref float xr, ref float xi, nint offset, nint quarter,
        out TV y0r, out TV y0i, out TV y1r, out TV y1i, out TV y2r, out TV y2i, out TV y3r, out TV y3i)
        where TOps : IFftVectorOps<TV>
        where TV : struct
    {
        var ar = TOps.Load(ref xr, offset);
        var ai = TOps.Load(ref xi, offset);
        var br = TOps.Load(ref xr, offset + quarter);
        var bi = TOps.Load(ref xi, offset + quarter);
        var cr = TOps.Load(ref xr, offset + (2 * quarter));
        var ci = TOps.Load(ref xi, offset + (2 * quarter));
        var dr = TOps.Load(ref xr, offset + (3 * quarter));
        var di = TOps.Load(ref xi, offset + (3 * quarter));

        var apcR = TOps.Add(ar, cr);
        var apcI = TOps.Add(ai, ci);
        var amcR = TOps.Subtract(ar, cr);
        var amcI = TOps.Subtract(ai, ci);
        var bpdR = TOps.Add(br, dr);
        var bpdI = TOps.Add(bi, di);
        var bmdR = TOps.Subtract(br, dr);
        var bmdI = TOps.Subtract(bi, di);

        // X1 = (a - c) - i (b - d), X3 = (a - c) + i (b - d).
        y0r = TOps.Add(apcR, bpdR);
        y0i = TOps.Add(apcI, bpdI);
        y1r = TOps.Add(amcR, bmdI);
        y1i = TOps.Subtract(amcI, bmdR);
        y2r = TOps.Subtract(apcR, bpdR);
        y2i = TOps.Subtract(apcI, bpdI);
        y3r = TOps.Subtract(amcR, bmdI);
        y3i = TOps.Add(amcI, bmdR);
    }

    /// <summary>(r + i im) * (wr + i wi), in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rotate<TOps, TV>(ref TV r, ref TV im, TV wr, TV wi)
        where TOps : IFftVectorOps<TV>
        where TV : struct
    {
        var re = TOps.MultiplySubtract(r, wr, TOps.Multiply(im, wi));
        im = TOps.MultiplyAdd(r, wi, TOps.Multiply(im, wr));
        r = re;
    }

    private static void Radix4Strided<TOps, TV>(ref float xr, ref float xi, ref float yr, ref float yi, Pass pass)
        where TOps : IFftVectorOps<TV>
        where TV : struct
    {
        nint s = pass.Stride;
        nint m = pass.Count;
        var quarter = s * m;
        ref var w = ref MemoryMarshal.GetArrayDataReference(pass.Twiddles);
        for (nint p = 0; p < m; p++)
        {
            var w1r = TOps.Broadcast(Unsafe.Add(ref w, 6 * p));
            var w1i = TOps.Broadcast(Unsafe.Add(ref w, (6 * p) + 1));
            var w2r = TOps.Broadcast(Unsafe.Add(ref w, (6 * p) + 2));
            var w2i = TOps.Broadcast(Unsafe.Add(ref w, (6 * p) + 3));
            var w3r = TOps.Broadcast(Unsafe.Add(ref w, (6 * p) + 4));
            var w3i = TOps.Broadcast(Unsafe.Add(ref w, (6 * p) + 5));
            var input = s * p;
            var output = 4 * s * p;
            for (nint q = 0; q < s; q += TOps.Count)
            {
                Dft4<TOps, TV>(ref xr, ref xi, input + q, quarter,
                    out var y0r, out var y0i, out var y1r, out var y1i, out var y2r, out var y2i, out var y3r, out var y3i);
                Rotate<TOps, TV>(ref y1r, ref y1i, w1r, w1i);
                Rotate<TOps, TV>(ref y2r, ref y2i, w2r, w2i);
                Rotate<TOps, TV>(ref y3r, ref y3i, w3r, w3i);
                var o = output + q;
                TOps.Store(y0r, ref yr, o);
                TOps.Store(y0i, ref yi, o);
                TOps.Store(y1r, ref yr, o + s);
                TOps.Store(y1i, ref yi, o + s);
                TOps.Store(y2r, ref yr, o + (2 * s));
                TOps.Store(y2i, ref yi, o + (2 * s));
                TOps.Store(y3r, ref yr, o + (3 * s));
                TOps.Store(y3i, ref yi, o + (3 * s));
            }
        }
    }

    private static void Radix4Permuted<TOps, TV>(ref float xr, ref float xi, ref float yr, ref float yi, Pass pass)
        where TOps : IFftVectorOps<TV>
        where TV : struct
    {
        var s = pass.Stride;
        nint quarter = s * pass.Count;
        ref var w = ref MemoryMarshal.GetArrayDataReference(pass.ExpandedTwiddles);
        for (nint j = 0; j < quarter; j += TOps.Count)
        {
            Dft4<TOps, TV>(ref xr, ref xi, j, quarter,
                out var y0r, out var y0i, out var y1r, out var y1i, out var y2r, out var y2i, out var y3r, out var y3i);
            Rotate<TOps, TV>(ref y1r, ref y1i, TOps.Load(ref w, j), TOps.Load(ref w, quarter + j));
            Rotate<TOps, TV>(ref y2r, ref y2i, TOps.Load(ref w, (2 * quarter) + j), TOps.Load(ref w, (3 * quarter) + j));
            Rotate<TOps, TV>(ref y3r, ref y3i, TOps.Load(ref w, (4 * quarter) + j), TOps.Load(ref w, (5 * quarter) + j));
            TOps.StoreRadix4Permuted(y0r, y1r, y2r, y3r, s, ref yr, 4 * j);
            TOps.StoreRadix4Permuted(y0i, y1i, y2i, y3i, s, ref yi, 4 * j);
        }
    }

    private static void Radix4Last<TOps, TV>(ref float xr, ref float xi, ref float yr, ref float yi, nint s)
        where TOps : IFftVectorOps<TV>
        where TV : struct
    {
        for (nint q = 0; q < s; q += TOps.Count)
        {
            Dft4<TOps, TV>(ref xr, ref xi, q, s,
                out var y0r, out var y0i, out var y1r, out var y1i, out var y2r, out var y2i, out var y3r, out var y3i);
            TOps.Store(y0r, ref yr, q);
            TOps.Store(y0i, ref yi, q);
            TOps.Store(y1r, ref yr, q + s);
            TOps.Store(y1i, ref yi, q + s);
            TOps.Store(y2r, ref yr, q + (2 * s));
            TOps.Store(y2i, ref yi, q + (2 * s));
            TOps.Store(y3r, ref yr, q + (3 * s));
            TOps.Store(y3i, ref yi, q + (3 * s));
        }
    }

    private static void Radix2Last<TOps, TV>(ref float xr, ref float xi, ref float yr, ref float yi, nint s)
        where TOps : IFftVectorOps<TV>
        where TV : struct
    {
        for (nint q = 0; q < s; q += TOps.Count)
        {
            var ar = TOps.Load(ref xr, q);
            var ai = TOps.Load(ref xi, q);
            var br = TOps.Load(ref xr, q + s);
            var bi = TOps.Load(ref xi, q + s);
            TOps.Store(TOps.Add(ar, br), ref yr, q);
            TOps.Store(TOps.Add(ai, bi), ref yi, q);
            TOps.Store(TOps.Subtract(ar, br), ref yr, q + s);
            TOps.Store(TOps.Subtract(ai, bi), ref yi, q + s);
        }
    }

    /// <summary>One Stockham pass and its twiddles W_n^(k p), n = radix * count, computed in double.</summary>
    private sealed class Pass
    {
        public Pass(int radix, int stride, int count)
        {
            Radix = radix;
            Stride = stride;
            Count = count;
            Twiddles = [];
            ExpandedTwiddles = [];
            if (radix != 4 || count == 1)
            {
                return;
            }

            var n = 4 * count;
            Twiddles = new float[6 * count];
            for (var p = 0; p < count; p++)
            {
                for (var k = 1; k <= 3; k++)
                {
                    var angle = -2.0 * Math.PI * k * p / n;
                    Twiddles[(6 * p) + (2 * (k - 1))] = (float)Math.Cos(angle);
                    Twiddles[(6 * p) + (2 * (k - 1)) + 1] = (float)Math.Sin(angle);
                }
            }

            // Per-lane tables for the passes whose stride is narrower than some vector (16 lanes at most).
            if (stride < Vector512<float>.Count)
            {
                var quarter = stride * count;
                ExpandedTwiddles = new float[6 * quarter];
                for (var j = 0; j < quarter; j++)
                {
                    var p = j / stride;
                    for (var c = 0; c < 6; c++)
                    {
                        ExpandedTwiddles[(c * quarter) + j] = Twiddles[(6 * p) + c];
                    }
                }
            }
        }

        public int Radix { get; }

        public int Stride { get; }

        public int Count { get; }

        /// <summary>Per p: w1 re, w1 im, w2 re, w2 im, w3 re, w3 im.</summary>
        public float[] Twiddles { get; }

        /// <summary>Six blocks of N/4 (w1 re, w1 im, w2 re, ...), indexed by j = q + s p.</summary>
        public float[] ExpandedTwiddles { get; }
    }
}
