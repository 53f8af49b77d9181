namespace SpatialAudio.Filters.Tests.Convolution;

/// <summary>Independent references: direct-form convolution in double, and the error measure.</summary>
internal static class ConvolutionReference
{
    /// <summary>y[n] = sum over k of h[k] x[n - k] for n in [0, x.Length), in double.</summary>
    public static double[] Convolve(float[] x, float[]? h)
    {
        var y = new double[x.Length];
        if (h is null)
        {
            return y;
        }

        for (var n = 0; n < x.Length; n++)
        {
            var sum = 0.0;
            var kMax = Math.Min(h.Length - 1, n);
            for (var k = 0; k <= kMax; k++)
            {
                sum += (double)h[k] * x[n - k];
            }

            y[n] = sum;
        }

        return y;
    }

    /// <summary>Output o = sum over inputs i of conv(x[i], firs[i, o]).</summary>
    public static double[][] ConvolveMimo(float[][] inputs, float[]?[,] firs)
    {
        var outputs = new double[firs.GetLength(1)][];
        for (var o = 0; o < outputs.Length; o++)
        {
            outputs[o] = new double[inputs[0].Length];
            for (var i = 0; i < inputs.Length; i++)
            {
                var part = Convolve(inputs[i], firs[i, o]);
                for (var n = 0; n < part.Length; n++)
                {
                    outputs[o][n] += part[n];
                }
            }
        }

        return outputs;
    }

    /// <summary>20 log10(||y - reference|| / ||reference||) over all channels together.</summary>
    public static double ErrorDb(float[][] y, double[][] reference)
    {
        double error = 0, energy = 0;
        for (var c = 0; c < y.Length; c++)
        {
            for (var n = 0; n < y[c].Length; n++)
            {
                var d = y[c][n] - reference[c][n];
                error += d * d;
                energy += reference[c][n] * reference[c][n];
            }
        }

        return 10 * Math.Log10(error / energy);
    }

    public static double ErrorDb(float[] y, double[] reference) => ErrorDb([y], [reference]);

    public static float[] Noise(int length, Random rng)
    {
        var x = new float[length];
        for (var n = 0; n < length; n++)
        {
            x[n] = (float)((2 * rng.NextDouble()) - 1);
        }

        return x;
    }
}
