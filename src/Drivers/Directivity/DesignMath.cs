using System.Numerics;

namespace SpatialAudio.Drivers.Directivity;

/// <summary>Design-time numerics for directivity work: a double-precision FFT and the Bessel function J1.</summary>
/// <remarks>Plain scalar code on purpose: the bundled measurement files are generated with it and must come out
/// bit-identical on every machine (no SIMD path whose rounding depends on the CPU).</remarks>
internal static class DesignMath
{
    /// <summary>In-place radix-2 FFT; forward uses e^{-i 2 pi kn/N} unscaled, inverse e^{+i...} scaled by 1/N.</summary>
    public static void Fft(Span<Complex> data, bool inverse)
    {
        var n = data.Length;
        if (n < 1 || (n & (n - 1)) != 0)
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

        var sign = inverse ? 1.0 : -1.0;
        for (var length = 2; length <= n; length <<= 1)
        {
            var half = length / 2;
            for (var k = 0; k < half; k++)
            {
                var angle = sign * 2 * Math.PI * k / length;
                var w = new Complex(Math.Cos(angle), Math.Sin(angle));
                for (var start = 0; start < n; start += length)
                {
                    var a = data[start + k];
                    var b = data[start + k + half] * w;
                    data[start + k] = a + b;
                    data[start + k + half] = a - b;
                }
            }
        }

        if (inverse)
        {
            for (var i = 0; i < n; i++)
            {
                data[i] /= n;
            }
        }
    }

    /// <summary>The Bessel function of the first kind of order 1.</summary>
    /// <remarks>Power series for |x| &lt;= 8 (cancellation costs under 4 digits there); above, the trapezoidal rule on
    /// Bessel's integral J1(x) = (1/pi) int_0^pi cos(t - x sin t) dt, which converges geometrically for this periodic
    /// analytic integrand once the node count exceeds about x + 30.</remarks>
    public static double BesselJ1(double x)
    {
        if (x < 0)
        {
            return -BesselJ1(-x);
        }

        if (x <= 8)
        {
            var term = x / 2;
            var sum = term;
            var q = -(x * x) / 4;
            for (var k = 1; k < 60; k++)
            {
                term *= q / (k * (k + 1.0));
                sum += term;
                if (Math.Abs(term) < 1e-17 * Math.Abs(sum))
                {
                    break;
                }
            }

            return sum;
        }

        var nodes = (int)Math.Ceiling(x) + 40;
        var h = Math.PI / nodes;

        // Trapezoid with half weights at t = 0 (cos 0 = 1) and t = pi (cos pi = -1): their contributions cancel.
        var total = 0.0;
        for (var i = 1; i < nodes; i++)
        {
            var t = i * h;
            total += Math.Cos(t - (x * Math.Sin(t)));
        }

        return total * h / Math.PI;
    }

    /// <summary>Wraps an angle in radians into (-pi, pi].</summary>
    public static double WrapPi(double radians)
    {
        var wrapped = Math.IEEERemainder(radians, 2 * Math.PI);
        return wrapped <= -Math.PI ? wrapped + (2 * Math.PI) : wrapped;
    }
}
