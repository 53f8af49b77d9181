using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SpatialAudio.Filters.Fft;

/// <summary>
/// The vector operations the FFT passes are written against, so one generic driver serves every
/// <see cref="Simd.SimdTier"/>. The JIT specializes each pass per implementing struct and inlines these calls.
/// </summary>
/// <remarks>
/// The shuffles use x86 intrinsics when the hardware has them and fall back to element-wise code otherwise
/// (a tier wider than the hardware, or a non-x86 CPU): slower, but bit-identical arithmetic.
/// </remarks>
/// <typeparam name="TV">The vector type (a float for the scalar tier).</typeparam>
internal interface IFftVectorOps<TV>
    where TV : struct
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    static abstract TV Load(ref float source, nint offset);

    static abstract void Store(TV value, ref float destination, nint offset);

    static abstract TV Broadcast(float value);

    static abstract TV Add(TV a, TV b);

    static abstract TV Subtract(TV a, TV b);

    static abstract TV Multiply(TV a, TV b);

    /// <summary>a * b + c, fused where the hardware fuses.</summary>
    static abstract TV MultiplyAdd(TV a, TV b, TV c);

    /// <summary>a * b - c, fused where the hardware fuses.</summary>
    static abstract TV MultiplySubtract(TV a, TV b, TV c);

    /// <summary>Lanes in reverse order.</summary>
    static abstract TV Reverse(TV value);

    /// <summary>Reads 2 * Count interleaved floats and splits them into even- and odd-indexed lanes.</summary>
    static abstract void LoadUnzip(ref float source, nint offset, out TV even, out TV odd);

    /// <summary>Writes 2 * Count floats interleaving <paramref name="even"/> and <paramref name="odd"/>.</summary>
    static abstract void StoreZip(TV even, TV odd, ref float destination, nint offset);

    /// <summary>
    /// Writes the four radix-4 outputs of Count consecutive butterflies j of a Stockham pass with stride
    /// <paramref name="stride"/> (1 or 4, smaller than Count): lane j of y_k goes to
    /// offset + (j % stride) + 4 * stride * (j / stride) + stride * k.
    /// </summary>
    static abstract void StoreRadix4Permuted(TV y0, TV y1, TV y2, TV y3, int stride, ref float destination, nint offset);
}

/// <summary>The scalar tier: one lane, plain float arithmetic (no fused multiply-add).</summary>
internal readonly struct ScalarOps : IFftVectorOps<float>
{
    public static int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float source, nint offset) => Unsafe.Add(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref float destination, nint offset) => Unsafe.Add(ref destination, offset) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float a, float b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Subtract(float a, float b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Multiply(float a, float b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c) => (a * b) + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplySubtract(float a, float b, float c) => (a * b) - c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Reverse(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadUnzip(ref float source, nint offset, out float even, out float odd)
    {
        even = Unsafe.Add(ref source, offset);
        odd = Unsafe.Add(ref source, offset + 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreZip(float even, float odd, ref float destination, nint offset)
    {
        Unsafe.Add(ref destination, offset) = even;
        Unsafe.Add(ref destination, offset + 1) = odd;
    }

    public static void StoreRadix4Permuted(float y0, float y1, float y2, float y3, int stride, ref float destination, nint offset) =>
        throw new InvalidOperationException("A one-lane tier never needs a permuted store.");
}

/// <summary>128-bit vectors (SSE; element-wise shuffles elsewhere).</summary>
internal readonly struct Vector128Ops : IFftVectorOps<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float source, nint offset) => Vector128.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Vector128.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplySubtract(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Fma.IsSupported ? Fma.MultiplySubtract(a, b, c) : (a * b) - c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Reverse(Vector128<float> value) => Vector128.Shuffle(value, Vector128.Create(3, 2, 1, 0));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadUnzip(ref float source, nint offset, out Vector128<float> even, out Vector128<float> odd)
    {
        var a = Load(ref source, offset);
        var b = Load(ref source, offset + 4);
        if (Sse.IsSupported)
        {
            even = Sse.Shuffle(a, b, 0x88);
            odd = Sse.Shuffle(a, b, 0xDD);
        }
        else
        {
            even = Vector128.Create(a[0], a[2], b[0], b[2]);
            odd = Vector128.Create(a[1], a[3], b[1], b[3]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreZip(Vector128<float> even, Vector128<float> odd, ref float destination, nint offset)
    {
        if (Sse.IsSupported)
        {
            Store(Sse.UnpackLow(even, odd), ref destination, offset);
            Store(Sse.UnpackHigh(even, odd), ref destination, offset + 4);
        }
        else
        {
            ZipSoftware(even, odd, ref destination, offset);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreRadix4Permuted(
        Vector128<float> y0, Vector128<float> y1, Vector128<float> y2, Vector128<float> y3, int stride, ref float destination, nint offset)
    {
        // Only stride 1 is narrower than 4 lanes: a 4x4 transpose.
        if (Sse.IsSupported)
        {
            var t0 = Sse.UnpackLow(y0, y1);
            var t1 = Sse.UnpackLow(y2, y3);
            var t2 = Sse.UnpackHigh(y0, y1);
            var t3 = Sse.UnpackHigh(y2, y3);
            Store(Sse.MoveLowToHigh(t0, t1), ref destination, offset);
            Store(Sse.MoveHighToLow(t1, t0), ref destination, offset + 4);
            Store(Sse.MoveLowToHigh(t2, t3), ref destination, offset + 8);
            Store(Sse.MoveHighToLow(t3, t2), ref destination, offset + 12);
        }
        else
        {
            Span<float> lanes = stackalloc float[16];
            y0.CopyTo(lanes);
            y1.CopyTo(lanes[4..]);
            y2.CopyTo(lanes[8..]);
            y3.CopyTo(lanes[12..]);
            PermuteSoftware.Radix4(lanes, 4, stride, ref destination, offset);
        }
    }

    private static void ZipSoftware(Vector128<float> even, Vector128<float> odd, ref float destination, nint offset)
    {
        for (var i = 0; i < 4; i++)
        {
            Unsafe.Add(ref destination, offset + (2 * i)) = even[i];
            Unsafe.Add(ref destination, offset + (2 * i) + 1) = odd[i];
        }
    }
}

/// <summary>256-bit vectors (AVX/AVX2; element-wise shuffles elsewhere).</summary>
internal readonly struct Vector256Ops : IFftVectorOps<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, nint offset) => Vector256.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Vector256.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplySubtract(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplySubtract(a, b, c) : (a * b) - c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Reverse(Vector256<float> value) =>
        Vector256.Shuffle(value, Vector256.Create(7, 6, 5, 4, 3, 2, 1, 0));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadUnzip(ref float source, nint offset, out Vector256<float> even, out Vector256<float> odd)
    {
        var a = Load(ref source, offset);
        var b = Load(ref source, offset + 8);
        if (Avx2.IsSupported)
        {
            // In-lane shuffles give [a0 a2 b0 b2 | a4 a6 b4 b6]; the 64-bit permute puts the halves in order.
            even = Avx2.Permute4x64(Avx.Shuffle(a, b, 0x88).AsDouble(), 0xD8).AsSingle();
            odd = Avx2.Permute4x64(Avx.Shuffle(a, b, 0xDD).AsDouble(), 0xD8).AsSingle();
        }
        else
        {
            even = Vector256.Create(a[0], a[2], a[4], a[6], b[0], b[2], b[4], b[6]);
            odd = Vector256.Create(a[1], a[3], a[5], a[7], b[1], b[3], b[5], b[7]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreZip(Vector256<float> even, Vector256<float> odd, ref float destination, nint offset)
    {
        if (Avx.IsSupported)
        {
            var low = Avx.UnpackLow(even, odd);
            var high = Avx.UnpackHigh(even, odd);
            Store(Avx.Permute2x128(low, high, 0x20), ref destination, offset);
            Store(Avx.Permute2x128(low, high, 0x31), ref destination, offset + 8);
        }
        else
        {
            for (var i = 0; i < 8; i++)
            {
                Unsafe.Add(ref destination, offset + (2 * i)) = even[i];
                Unsafe.Add(ref destination, offset + (2 * i) + 1) = odd[i];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreRadix4Permuted(
        Vector256<float> y0, Vector256<float> y1, Vector256<float> y2, Vector256<float> y3, int stride, ref float destination, nint offset)
    {
        if (Avx.IsSupported)
        {
            if (stride == 1)
            {
                // 4x4 transpose inside each 128-bit lane; the 128-bit chunk shuffle below then orders the chunks.
                var t0 = Avx.UnpackLow(y0, y1);
                var t1 = Avx.UnpackLow(y2, y3);
                var t2 = Avx.UnpackHigh(y0, y1);
                var t3 = Avx.UnpackHigh(y2, y3);
                y0 = Avx.Shuffle(t0, t1, 0x44);
                y1 = Avx.Shuffle(t0, t1, 0xEE);
                y2 = Avx.Shuffle(t2, t3, 0x44);
                y3 = Avx.Shuffle(t2, t3, 0xEE);
            }

            Store(Avx.Permute2x128(y0, y1, 0x20), ref destination, offset);
            Store(Avx.Permute2x128(y2, y3, 0x20), ref destination, offset + 8);
            Store(Avx.Permute2x128(y0, y1, 0x31), ref destination, offset + 16);
            Store(Avx.Permute2x128(y2, y3, 0x31), ref destination, offset + 24);
        }
        else
        {
            Span<float> lanes = stackalloc float[32];
            y0.CopyTo(lanes);
            y1.CopyTo(lanes[8..]);
            y2.CopyTo(lanes[16..]);
            y3.CopyTo(lanes[24..]);
            PermuteSoftware.Radix4(lanes, 8, stride, ref destination, offset);
        }
    }
}

/// <summary>512-bit vectors (AVX-512F; element-wise shuffles elsewhere).</summary>
internal readonly struct Vector512Ops : IFftVectorOps<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nint offset) => Vector512.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Vector512.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplySubtract(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Avx512F.IsSupported ? Avx512F.FusedMultiplySubtract(a, b, c) : (a * b) - c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Reverse(Vector512<float> value) =>
        Vector512.Shuffle(value, Vector512.Create(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadUnzip(ref float source, nint offset, out Vector512<float> even, out Vector512<float> odd)
    {
        var a = Load(ref source, offset);
        var b = Load(ref source, offset + 16);
        if (Avx512F.IsSupported)
        {
            even = Avx512F.PermuteVar16x32x2(a, Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30), b);
            odd = Avx512F.PermuteVar16x32x2(a, Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31), b);
        }
        else
        {
            Span<float> e = stackalloc float[16];
            Span<float> o = stackalloc float[16];
            for (var i = 0; i < 8; i++)
            {
                e[i] = a[2 * i];
                o[i] = a[(2 * i) + 1];
                e[i + 8] = b[2 * i];
                o[i + 8] = b[(2 * i) + 1];
            }

            even = Vector512.Create<float>(e);
            odd = Vector512.Create<float>(o);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreZip(Vector512<float> even, Vector512<float> odd, ref float destination, nint offset)
    {
        if (Avx512F.IsSupported)
        {
            Store(Avx512F.PermuteVar16x32x2(even, Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23), odd), ref destination, offset);
            Store(Avx512F.PermuteVar16x32x2(even, Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31), odd), ref destination, offset + 16);
        }
        else
        {
            for (var i = 0; i < 16; i++)
            {
                Unsafe.Add(ref destination, offset + (2 * i)) = even[i];
                Unsafe.Add(ref destination, offset + (2 * i) + 1) = odd[i];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreRadix4Permuted(
        Vector512<float> y0, Vector512<float> y1, Vector512<float> y2, Vector512<float> y3, int stride, ref float destination, nint offset)
    {
        if (Avx512F.IsSupported)
        {
            if (stride == 1)
            {
                var t0 = Avx512F.UnpackLow(y0, y1);
                var t1 = Avx512F.UnpackLow(y2, y3);
                var t2 = Avx512F.UnpackHigh(y0, y1);
                var t3 = Avx512F.UnpackHigh(y2, y3);
                y0 = Avx512F.Shuffle(t0, t1, 0x44);
                y1 = Avx512F.Shuffle(t0, t1, 0xEE);
                y2 = Avx512F.Shuffle(t2, t3, 0x44);
                y3 = Avx512F.Shuffle(t2, t3, 0xEE);
            }

            // 4x4 transpose of 128-bit chunks.
            var c0 = Avx512F.Shuffle4x128(y0, y1, 0x44);
            var c1 = Avx512F.Shuffle4x128(y2, y3, 0x44);
            var c2 = Avx512F.Shuffle4x128(y0, y1, 0xEE);
            var c3 = Avx512F.Shuffle4x128(y2, y3, 0xEE);
            Store(Avx512F.Shuffle4x128(c0, c1, 0x88), ref destination, offset);
            Store(Avx512F.Shuffle4x128(c0, c1, 0xDD), ref destination, offset + 16);
            Store(Avx512F.Shuffle4x128(c2, c3, 0x88), ref destination, offset + 32);
            Store(Avx512F.Shuffle4x128(c2, c3, 0xDD), ref destination, offset + 48);
        }
        else
        {
            Span<float> lanes = stackalloc float[64];
            y0.CopyTo(lanes);
            y1.CopyTo(lanes[16..]);
            y2.CopyTo(lanes[32..]);
            y3.CopyTo(lanes[48..]);
            PermuteSoftware.Radix4(lanes, 16, stride, ref destination, offset);
        }
    }
}

/// <summary>Element-wise fallback of <see cref="IFftVectorOps{TV}.StoreRadix4Permuted"/>.</summary>
internal static class PermuteSoftware
{
    public static void Radix4(ReadOnlySpan<float> lanes, int count, int stride, ref float destination, nint offset)
    {
        for (var k = 0; k < 4; k++)
        {
            for (var j = 0; j < count; j++)
            {
                var target = (j % stride) + (4 * stride * (j / stride)) + (stride * k);
                Unsafe.Add(ref destination, offset + target) = lanes[(k * count) + j];
            }
        }
    }
}
