using System.Numerics;

namespace SpatialAudio.Filters.Design;

/// <summary>A plain radix-2 complex FFT in double precision, for design-time work only.</summary>
/// <remarks>
/// Forward is unscaled with kernel e^(-j 2 pi k n / N); <see cref="Inverse"/> uses e^(+j...) and scales by 1/N.
/// Allocates its twiddles per call: design time, not real time.
/// </remarks>
public static class DoubleFft
{
    /// <summary>True when <paramref name="n"/> is a power of two, at least 1.</summary>
    public static bool IsPowerOfTwo(int n) => n > 0 && (n & (n - 1)) == 0;

    /// <summary>Smallest power of two at least <paramref name="n"/>.</summary>
    public static int NextPowerOfTwo(int n)
    {
        var size = 1;
        while (size < n)
        {
            size <<= 1;
        }

        return size;
    }

    /// <summary>In-place forward transform, unscaled.</summary>
    public static void Forward(Span<Complex> data) => Transform(data, -1.0);

    /// <summary>In-place inverse transform, scaled by 1/N.</summary>
    public static void Inverse(Span<Complex> data)
    {
        Transform(data, +1.0);
        var scale = 1.0 / data.Length;
        for (var i = 0; i < data.Length; i++)
        {
            data[i] *= scale;
        }
    }

    private static void Transform(Span<Complex> data, double sign)
    {
        var n = data.Length;
        if (!IsPowerOfTwo(n))
        {
            throw new ArgumentException("FFT size must be a power of two.", nameof(data));
        }

        for (int i = 1, j = 0; i < n; i++)
        {
            var bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }

            j ^= bit;
            if (i < j)
            {
                (data[i], data[j]) = (data[j], data[i]);
            }
        }

        // Twiddles from cos/sin per index (not by recurrence) keep the round-off at a few ulps for large N.
        var twiddles = new Complex[Math.Max(1, n / 2)];
        for (var k = 0; k < n / 2; k++)
        {
            var angle = sign * 2.0 * Math.PI * k / n;
            twiddles[k] = new Complex(Math.Cos(angle), Math.Sin(angle));
        }

        for (var length = 2; length <= n; length <<= 1)
        {
            var halfLength = length >> 1;
            var stride = n / length;
            for (var start = 0; start < n; start += length)
            {
                for (var k = 0; k < halfLength; k++)
                {
                    var a = data[start + k];
                    var b = data[start + k + halfLength] * twiddles[k * stride];
                    data[start + k] = a + b;
                    data[start + k + halfLength] = a - b;
                }
            }
        }
    }
}
