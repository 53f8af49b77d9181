using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace SpatialAudio.Filters.Tests.Resampling;

/// <summary>Independent measurement helpers in double: least-squares tone fit, Kaiser-windowed spectra.</summary>
internal static class SignalMeasure
{
    /// <summary>Amplitude and phase of cos(2 pi f n / fs + phase) fitted by least squares to x (plus a DC term).</summary>
    public static (double Amplitude, double Phase) FitTone(ReadOnlySpan<float> x, double frequencyHz, double sampleRateHz, int startIndex = 0)
    {
        // Normal equations for [cos, sin, 1]; solved by Cramer's rule in double.
        double cc = 0, ss = 0, cs = 0, c1 = 0, s1 = 0, n1 = 0, xc = 0, xs = 0, x1 = 0;
        for (var n = 0; n < x.Length; n++)
        {
            var w = 2.0 * Math.PI * frequencyHz * (n + startIndex) / sampleRateHz;
            var c = Math.Cos(w);
            var s = Math.Sin(w);
            cc += c * c; ss += s * s; cs += c * s; c1 += c; s1 += s; n1 += 1;
            xc += x[n] * c; xs += x[n] * s; x1 += x[n];
        }

        var m = new double[,] { { cc, cs, c1 }, { cs, ss, s1 }, { c1, s1, n1 } };
        var r = new[] { xc, xs, x1 };
        var det = Det(m);
        var a = Det(Replace(m, 0, r)) / det;
        var b = Det(Replace(m, 1, r)) / det;
        return (Math.Sqrt((a * a) + (b * b)), Math.Atan2(-b, a));
    }

    /// <summary>Kaiser window (beta 20: sidelobes near -190 dB) computed from its own Bessel series.</summary>
    public static double[] KaiserWindow(int length, double beta)
    {
        static double I0(double x)
        {
            double sum = 1, term = 1;
            for (var k = 1; k < 300; k++)
            {
                term *= x * x / (4.0 * k * k);
                sum += term;
            }

            return sum;
        }

        var w = new double[length];
        for (var n = 0; n < length; n++)
        {
            var r = (2.0 * n / (length - 1)) - 1.0;
            w[n] = I0(beta * Math.Sqrt(Math.Max(0, 1 - (r * r)))) / I0(beta);
        }

        return w;
    }

    /// <summary>Level in dB of each bin 0..N/2 of the Kaiser(20)-windowed DFT of x, 0 dB = a full-scale sine of amplitude 1.</summary>
    public static double[] SpectrumDb(ReadOnlySpan<float> x)
    {
        var n = x.Length;
        var w = KaiserWindow(n, 20.0);
        var data = new Complex[n];
        var gain = 0.0;
        for (var i = 0; i < n; i++)
        {
            data[i] = x[i] * w[i];
            gain += w[i];
        }

        Fourier.Forward(data, FourierOptions.NoScaling);
        var db = new double[(n / 2) + 1];
        for (var k = 0; k < db.Length; k++)
        {
            db[k] = 20.0 * Math.Log10(Math.Max(data[k].Magnitude * 2.0 / gain, 1e-300));
        }

        return db;
    }

    /// <summary>Highest level in dB between two frequencies (inclusive) of a spectrum from <see cref="SpectrumDb"/>.</summary>
    public static double MaxLevelDb(double[] spectrumDb, double sampleRateHz, double fromHz, double toHz)
    {
        var n = 2 * (spectrumDb.Length - 1);
        var max = double.NegativeInfinity;
        for (var k = 0; k < spectrumDb.Length; k++)
        {
            var f = k * sampleRateHz / n;
            if (f >= fromHz && f <= toHz)
            {
                max = Math.Max(max, spectrumDb[k]);
            }
        }

        return max;
    }

    private static double[,] Replace(double[,] m, int column, double[] r)
    {
        var copy = (double[,])m.Clone();
        for (var i = 0; i < 3; i++)
        {
            copy[i, column] = r[i];
        }

        return copy;
    }

    private static double Det(double[,] m) =>
        (m[0, 0] * ((m[1, 1] * m[2, 2]) - (m[1, 2] * m[2, 1])))
        - (m[0, 1] * ((m[1, 0] * m[2, 2]) - (m[1, 2] * m[2, 0])))
        + (m[0, 2] * ((m[1, 0] * m[2, 1]) - (m[1, 1] * m[2, 0])));
}
