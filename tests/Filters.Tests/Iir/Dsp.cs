namespace SpatialAudio.Filters.Tests.Iir;

using System.Numerics;

/// <summary>Naive, obviously correct double-precision references for the IIR, delay and loudness tests.</summary>
internal static class Dsp
{
    /// <summary>DTFT of a finite sequence at w (radians/sample), summed directly.</summary>
    public static Complex Dtft(ReadOnlySpan<float> x, double omega)
    {
        var re = 0.0;
        var im = 0.0;
        for (var n = 0; n < x.Length; n++)
        {
            re += x[n] * Math.Cos(omega * n);
            im -= x[n] * Math.Sin(omega * n);
        }

        return new Complex(re, im);
    }

    /// <summary>H(e^jw) of b/a evaluated by direct polynomial sums (independent of the library's analysis code).</summary>
    public static Complex Analytic(double[] b, double[] a, double omega)
    {
        Complex Poly(double[] c)
        {
            var sum = Complex.Zero;
            for (var k = 0; k < c.Length; k++)
            {
                sum += c[k] * new Complex(Math.Cos(omega * k), -Math.Sin(omega * k));
            }

            return sum;
        }

        return Poly(b) / Poly(a);
    }

    public static double Db(double linear) => 20.0 * Math.Log10(linear);

    /// <summary>Wraps an angle to (-pi, pi].</summary>
    public static double Wrap(double angle)
    {
        var r = Math.IEEERemainder(angle, 2.0 * Math.PI);
        return r <= -Math.PI ? r + (2.0 * Math.PI) : r;
    }

    public static float[] Noise(int length, int seed, double amplitude = 0.5)
    {
        var rng = new Random(seed);
        var x = new float[length];
        for (var i = 0; i < length; i++)
        {
            x[i] = (float)(amplitude * ((2.0 * rng.NextDouble()) - 1.0));
        }

        return x;
    }

    public static float[] Impulse(int length)
    {
        var x = new float[length];
        x[0] = 1f;
        return x;
    }

    /// <summary>Frequency of a sine by least-squares fit of the unwrapped phase of the analytic signal (quadrature demodulation at a guess).</summary>
    public static double MeasureFrequency(ReadOnlySpan<float> x, double sampleRateHz, double guessHz)
    {
        // Demodulate with the guess, low-pass by block averaging, then fit the phase slope.
        const int block = 64;
        var blocks = x.Length / block;
        var phases = new double[blocks];
        var w = 2.0 * Math.PI * guessHz / sampleRateHz;
        for (var b = 0; b < blocks; b++)
        {
            var re = 0.0;
            var im = 0.0;
            for (var i = 0; i < block; i++)
            {
                var n = (b * block) + i;
                re += x[n] * Math.Cos(w * n);
                im -= x[n] * Math.Sin(w * n);
            }

            phases[b] = Math.Atan2(im, re);
        }

        for (var b = 1; b < blocks; b++)
        {
            phases[b] = phases[b - 1] + Wrap(phases[b] - phases[b - 1]);
        }

        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (var b = 0; b < blocks; b++)
        {
            double t = b * block;
            sx += t;
            sy += phases[b];
            sxx += t * t;
            sxy += t * phases[b];
        }

        var slope = ((blocks * sxy) - (sx * sy)) / ((blocks * sxx) - (sx * sx));
        return guessHz + (slope * sampleRateHz / (2.0 * Math.PI));
    }
}
