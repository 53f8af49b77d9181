namespace SpatialAudio.Drivers.Tests.Acoustics;

using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

/// <summary>Independent measurements on impulse responses (MathNet FFT, direct DTFT sums), in double.</summary>
internal static class SignalMeasure
{
    /// <summary>DTFT of a real sequence at one frequency, by direct summation.</summary>
    public static Complex Dtft(double[] h, double frequencyHz, double sampleRateHz)
    {
        var omega = 2.0 * Math.PI * frequencyHz / sampleRateHz;
        double re = 0.0, im = 0.0;
        for (var n = 0; n < h.Length; n++)
        {
            re += h[n] * Math.Cos(omega * n);
            im -= h[n] * Math.Sin(omega * n);
        }

        return new Complex(re, im);
    }

    /// <summary>
    /// Position (samples) of the largest peak in [from, to): the sequence is upsampled 32 times by zero-padding its
    /// spectrum (exact band-limited interpolation) and the maximum refined with a parabola.
    /// </summary>
    public static (double Position, double Value) Peak(double[] h, int from, int to)
    {
        const int factor = 32;
        var n = h.Length;
        var spectrum = new Complex[n];
        for (var i = 0; i < n; i++)
        {
            spectrum[i] = h[i];
        }

        Fourier.Forward(spectrum, FourierOptions.NoScaling);
        var up = new Complex[n * factor];
        for (var k = 0; k < n / 2; k++)
        {
            up[k] = spectrum[k];
            if (k > 0)
            {
                up[(n * factor) - k] = spectrum[n - k];
            }
        }

        Fourier.Inverse(up, FourierOptions.NoScaling);
        var best = from * factor;
        for (var i = from * factor; i < to * factor; i++)
        {
            if (up[i].Real > up[best].Real)
            {
                best = i;
            }
        }

        double a = up[best - 1].Real / n, b = up[best].Real / n, c = up[best + 1].Real / n;
        var offset = 0.5 * (a - c) / (a - (2 * b) + c);
        return ((best + offset) / factor, b - (0.25 * (a - c) * offset));
    }

    /// <summary>Brick-wall band-pass by FFT masking (zero-padded, so no circular wrap), for band-wise decay analysis.</summary>
    public static double[] BandPass(double[] h, double sampleRateHz, double lowHz, double highHz)
    {
        var n = 1;
        while (n < 2 * h.Length)
        {
            n *= 2;
        }

        var x = new Complex[n];
        for (var i = 0; i < h.Length; i++)
        {
            x[i] = h[i];
        }

        Fourier.Forward(x, FourierOptions.NoScaling);
        for (var k = 0; k < n; k++)
        {
            var f = Math.Min(k, n - k) * sampleRateHz / n;
            if (f < lowHz || f > highHz)
            {
                x[k] = Complex.Zero;
            }
        }

        Fourier.Inverse(x, FourierOptions.NoScaling);
        var result = new double[h.Length];
        for (var i = 0; i < h.Length; i++)
        {
            result[i] = x[i].Real / n;
        }

        return result;
    }
}
