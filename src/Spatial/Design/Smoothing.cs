namespace SpatialAudio.Spatial.Design;

/// <summary>Fractional-octave smoothing of power spectra on a linear frequency grid.</summary>
public static class Smoothing
{
    /// <summary>
    /// Averages <paramref name="power"/> over a 1/<paramref name="fraction"/>-octave rectangular window centred (in log
    /// frequency) on each bin; the DC bin is copied from bin 1.
    /// </summary>
    public static double[] FractionalOctave(ReadOnlySpan<double> power, ReadOnlySpan<double> frequenciesHz, int fraction)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fraction, 1);
        if (power.Length != frequenciesHz.Length)
        {
            throw new ArgumentException("one power value per frequency", nameof(power));
        }

        var n = power.Length;
        var prefix = new double[n + 1];
        for (var k = 0; k < n; k++)
        {
            prefix[k + 1] = prefix[k] + power[k];
        }

        var result = new double[n];
        var half = Math.Pow(2, 0.5 / fraction);
        var df = n > 1 ? frequenciesHz[1] - frequenciesHz[0] : 1;
        for (var k = 1; k < n; k++)
        {
            var lo = Math.Max(1, (int)Math.Floor(frequenciesHz[k] / half / df));
            var hi = Math.Min(n - 1, (int)Math.Ceiling(frequenciesHz[k] * half / df));
            result[k] = (prefix[hi + 1] - prefix[lo]) / (hi - lo + 1);
        }

        if (n > 1)
        {
            result[0] = result[1];
        }

        return result;
    }
}
