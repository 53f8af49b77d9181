namespace SpatialAudio.Filters.Tests.Fft;

/// <summary>Independent double-precision references for the FFT tests.</summary>
internal static class FftReference
{
    /// <summary>Direct DFT of bin k: sum_n x[n] e^(sign 2 pi i k n / N), in double.</summary>
    public static (double Re, double Im) DirectBin(ReadOnlySpan<float> re, ReadOnlySpan<float> im, int k, int sign = -1)
    {
        var n = re.Length;
        double sumRe = 0, sumIm = 0;
        for (var t = 0; t < n; t++)
        {
            // Reduce k t mod N in integers so the angle stays exact for large N.
            var phase = (long)k * t % n;
            var angle = sign * 2.0 * Math.PI * phase / n;
            var c = Math.Cos(angle);
            var s = Math.Sin(angle);
            sumRe += (re[t] * c) - (im[t] * s);
            sumIm += (re[t] * s) + (im[t] * c);
        }

        return (sumRe, sumIm);
    }

    /// <summary>Direct DFT of every bin (O(N^2): small sizes only).</summary>
    public static (double[] Re, double[] Im) DirectDft(ReadOnlySpan<float> re, ReadOnlySpan<float> im, int sign = -1)
    {
        var n = re.Length;
        var outRe = new double[n];
        var outIm = new double[n];
        for (var k = 0; k < n; k++)
        {
            (outRe[k], outIm[k]) = DirectBin(re, im, k, sign);
        }

        return (outRe, outIm);
    }

    /// <summary>Recursive radix-2 FFT in double with exactly computed twiddles (textbook Cooley-Tukey).</summary>
    public static (double[] Re, double[] Im) Fft(ReadOnlySpan<float> re, ReadOnlySpan<float> im, int sign = -1)
    {
        var n = re.Length;
        var r = new double[n];
        var i = new double[n];
        for (var t = 0; t < n; t++)
        {
            r[t] = re[t];
            i[t] = im[t];
        }

        Recurse(r, i, sign);
        return (r, i);
    }

    /// <summary>The spectrum to compare against: direct DFT up to 1024 points, the double FFT above beyond.</summary>
    public static (double[] Re, double[] Im) Spectrum(ReadOnlySpan<float> re, ReadOnlySpan<float> im, int sign = -1) =>
        re.Length <= 1024 ? DirectDft(re, im, sign) : Fft(re, im, sign);

    /// <summary>||a - ref|| / ||ref|| over all points.</summary>
    public static double RelativeError(ReadOnlySpan<float> re, ReadOnlySpan<float> im, double[] refRe, double[] refIm)
    {
        double err = 0, norm = 0;
        for (var k = 0; k < refRe.Length; k++)
        {
            var dr = re[k] - refRe[k];
            var di = im[k] - refIm[k];
            err += (dr * dr) + (di * di);
            norm += (refRe[k] * refRe[k]) + (refIm[k] * refIm[k]);
        }

        return Math.Sqrt(err / norm);
    }

    /// <summary>||a - b|| / ||b|| for float arrays.</summary>
    public static double RelativeError(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double err = 0, norm = 0;
        for (var k = 0; k < a.Length; k++)
        {
            double d = a[k] - b[k];
            err += d * d;
            norm += (double)b[k] * b[k];
        }

        return Math.Sqrt(err / Math.Max(norm, 1e-300));
    }

    public static float[] Noise(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (var t = 0; t < n; t++)
        {
            x[t] = (float)((2 * rng.NextDouble()) - 1);
        }

        return x;
    }

    private static void Recurse(double[] re, double[] im, int sign)
    {
        var n = re.Length;
        if (n == 1)
        {
            return;
        }

        var h = n / 2;
        var er = new double[h];
        var ei = new double[h];
        var or = new double[h];
        var oi = new double[h];
        for (var t = 0; t < h; t++)
        {
            er[t] = re[2 * t];
            ei[t] = im[2 * t];
            or[t] = re[(2 * t) + 1];
            oi[t] = im[(2 * t) + 1];
        }

        Recurse(er, ei, sign);
        Recurse(or, oi, sign);
        for (var k = 0; k < h; k++)
        {
            var angle = sign * 2.0 * Math.PI * k / n;
            var c = Math.Cos(angle);
            var s = Math.Sin(angle);
            var tr = (or[k] * c) - (oi[k] * s);
            var ti = (or[k] * s) + (oi[k] * c);
            re[k] = er[k] + tr;
            im[k] = ei[k] + ti;
            re[k + h] = er[k] - tr;
            im[k + h] = ei[k] - ti;
        }
    }
}
