using System.Numerics;

namespace SpatialAudio.Filters.Tests.Design;

/// <summary>Obviously-correct references in double: the DTFT summed term by term with cos/sin.</summary>
internal static class Reference
{
    public static Complex Dtft(ReadOnlySpan<double> h, double frequencyHz, double sampleRateHz)
    {
        double re = 0, im = 0;
        for (var n = 0; n < h.Length; n++)
        {
            var w = 2 * Math.PI * frequencyHz * n / sampleRateHz;
            re += h[n] * Math.Cos(w);
            im -= h[n] * Math.Sin(w);
        }

        return new Complex(re, im);
    }

    public static double MagnitudeDb(ReadOnlySpan<double> h, double frequencyHz, double sampleRateHz) =>
        20 * Math.Log10(Dtft(h, frequencyHz, sampleRateHz).Magnitude);

    public static IEnumerable<double> Grid(double fromHz, double toHz, int points) =>
        Enumerable.Range(0, points).Select(i => fromHz + ((toHz - fromHz) * i / (points - 1)));

    /// <summary>Coefficients of prod (1 - z_k z^-1), highest power of z^-1 last.</summary>
    public static Complex[] PolynomialFromZeros(IReadOnlyList<Complex> zeros)
    {
        var p = new Complex[] { 1 };
        foreach (var z in zeros)
        {
            var next = new Complex[p.Length + 1];
            for (var i = 0; i < p.Length; i++)
            {
                next[i] += p[i];
                next[i + 1] -= z * p[i];
            }

            p = next;
        }

        return p;
    }
}
