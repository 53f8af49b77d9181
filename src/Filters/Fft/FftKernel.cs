using SpatialAudio.Filters.Simd;

namespace SpatialAudio.Filters.Fft;

/// <summary>
/// The in-place split-format complex FFT shared by <see cref="ComplexFft"/> and <see cref="RealFft"/>:
/// any power-of-two size from 1, unscaled both ways.
/// </summary>
internal sealed class FftKernel
{
    private readonly int[] bitReverse;
    private readonly float[] cosTable;
    private readonly float[] sinTable;

    public FftKernel(int size, SimdTier tier)
    {
        Size = size;
        Tier = tier;
        var bits = System.Numerics.BitOperations.Log2((uint)size);
        bitReverse = new int[size];
        for (var i = 0; i < size; i++)
        {
            bitReverse[i] = bits == 0 ? 0 : (int)(ReverseBits((uint)i) >> (32 - bits));
        }

        cosTable = new float[Math.Max(1, size / 2)];
        sinTable = new float[Math.Max(1, size / 2)];
        for (var k = 0; k < size / 2; k++)
        {
            var angle = -2.0 * Math.PI * k / size;
            cosTable[k] = (float)Math.Cos(angle);
            sinTable[k] = (float)Math.Sin(angle);
        }
    }

    public int Size { get; }

    public SimdTier Tier { get; }

    public static void Scale(Span<float> real, Span<float> imag, float factor)
    {
        System.Numerics.Tensors.TensorPrimitives.Multiply(real, factor, real);
        System.Numerics.Tensors.TensorPrimitives.Multiply(imag, factor, imag);
    }

    /// <summary>Radix-2 decimation in time; the inverse conjugates the twiddles.</summary>
    public void Transform(Span<float> real, Span<float> imag, bool inverse)
    {
        var n = Size;
        for (var i = 0; i < n; i++)
        {
            var j = bitReverse[i];
            if (j > i)
            {
                (real[i], real[j]) = (real[j], real[i]);
                (imag[i], imag[j]) = (imag[j], imag[i]);
            }
        }

        var sign = inverse ? -1f : 1f;
        for (var length = 2; length <= n; length <<= 1)
        {
            var halfLength = length >> 1;
            var stride = n / length;
            for (var start = 0; start < n; start += length)
            {
                for (var k = 0; k < halfLength; k++)
                {
                    var wr = cosTable[k * stride];
                    var wi = sign * sinTable[k * stride];
                    var a = start + k;
                    var b = a + halfLength;
                    var tr = (real[b] * wr) - (imag[b] * wi);
                    var ti = (real[b] * wi) + (imag[b] * wr);
                    real[b] = real[a] - tr;
                    imag[b] = imag[a] - ti;
                    real[a] += tr;
                    imag[a] += ti;
                }
            }
        }
    }

    private static uint ReverseBits(uint value)
    {
        value = ((value >> 1) & 0x55555555u) | ((value & 0x55555555u) << 1);
        value = ((value >> 2) & 0x33333333u) | ((value & 0x33333333u) << 2);
        value = ((value >> 4) & 0x0F0F0F0Fu) | ((value & 0x0F0F0F0Fu) << 4);
        value = ((value >> 8) & 0x00FF00FFu) | ((value & 0x00FF00FFu) << 8);
        return (value >> 16) | (value << 16);
    }
}
