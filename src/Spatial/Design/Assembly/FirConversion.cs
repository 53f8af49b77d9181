using System.Numerics;
using SpatialAudio.Filters.Design;

namespace SpatialAudio.Spatial.Design.Assembly;

/// <summary>A set of causal FIRs made from frequency responses.</summary>
/// <param name="Filters">[input][driver][tap].</param>
/// <param name="LatencySamples">The modelling delay added to every filter.</param>
/// <param name="TruncationErrorDb">Energy outside the kept window relative to the total, dB (all filters together).</param>
/// <param name="TailEnergyDb">Energy in the last quarter of the kept filters relative to the total, dB (how much the
/// length is actually used: far below -40 dB means the FIRs could be shorter).</param>
public sealed record FirSet(float[][][] Filters, int LatencySamples, double TruncationErrorDb, double TailEnergyDb);

/// <summary>
/// Turns [driver, input] responses into causal FIRs of one length with ONE modelling delay common to all of them (so
/// the relative timing the design relies on is kept).
/// </summary>
/// <remarks>
/// Each response is inverse-transformed on the design grid (circular impulse response of grid length). The modelling
/// delay D maximizes the energy of all filters inside the window [-D, L - D); the window is then shifted to start at 0
/// and tapered with a 32-sample half-cosine at both ends (the ends carry almost no energy, and a hard cut would add
/// ripple).
/// </remarks>
public static class FirConversion
{
    /// <summary>Taper length at each end, samples.</summary>
    public const int TaperSamples = 32;

    /// <summary>Circular impulse responses [input][driver][n] of grid length.</summary>
    public static double[][][] ImpulseResponses(ResponseMatrix responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        var n = responses.Grid.FftLength;
        var result = new double[responses.Columns][][];
        var buffer = new Complex[n];
        for (var i = 0; i < responses.Columns; i++)
        {
            result[i] = new double[responses.Rows][];
            for (var d = 0; d < responses.Rows; d++)
            {
                var h = responses.Response(d, i);
                for (var k = 0; k <= n / 2; k++)
                {
                    buffer[k] = h[k];
                }

                buffer[0] = new Complex(buffer[0].Real, 0);
                buffer[n / 2] = new Complex(buffer[n / 2].Real, 0);
                for (var k = 1; k < n / 2; k++)
                {
                    buffer[n - k] = Complex.Conjugate(h[k]);
                }

                DoubleFft.Inverse(buffer);
                result[i][d] = [.. buffer.Select(c => c.Real)];
            }
        }

        return result;
    }

    /// <summary>The modelling delay that keeps the most energy of <paramref name="impulses"/> in a window of <paramref name="length"/>.</summary>
    public static int BestDelay(IEnumerable<double[][][]> impulses, int length)
    {
        ArgumentNullException.ThrowIfNull(impulses);
        double[]? energy = null;
        foreach (var set in impulses)
        {
            foreach (var input in set)
            {
                foreach (var h in input)
                {
                    energy ??= new double[h.Length];
                    for (var n = 0; n < h.Length; n++)
                    {
                        energy[n] += h[n] * h[n];
                    }
                }
            }
        }

        if (energy is null)
        {
            throw new ArgumentException("no filters", nameof(impulses));
        }

        // Energy kept in the untapered part of the window for each delay; the chosen delay is the middle of the
        // plateau of (near-)maximal energy, so short filters sit mid-window, clear of both tapers.
        var size = energy.Length;
        var kept = new double[length];
        var bestEnergy = double.NegativeInfinity;
        for (var delay = TaperSamples; delay < length - TaperSamples; delay++)
        {
            var sum = 0.0;
            for (var m = TaperSamples - delay; m < length - TaperSamples - delay; m++)
            {
                sum += energy[((m % size) + size) % size];
            }

            kept[delay] = sum;
            bestEnergy = Math.Max(bestEnergy, sum);
        }

        var plateau = Enumerable.Range(TaperSamples, length - (2 * TaperSamples)).Where(d => kept[d] >= bestEnergy * (1 - 1e-9)).ToArray();
        var best = plateau[plateau.Length / 2];
        return best;
    }

    /// <summary>Cuts FIRs of <paramref name="length"/> taps with modelling delay <paramref name="delay"/>, scaled by <paramref name="gain"/>.</summary>
    public static FirSet Cut(double[][][] impulses, int length, int delay, double gain = 1.0)
    {
        ArgumentNullException.ThrowIfNull(impulses);
        ArgumentOutOfRangeException.ThrowIfNegative(delay);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(delay, length);
        double total = 0, kept = 0, tail = 0;
        var filters = new float[impulses.Length][][];
        for (var i = 0; i < impulses.Length; i++)
        {
            filters[i] = new float[impulses[i].Length][];
            for (var d = 0; d < impulses[i].Length; d++)
            {
                var h = impulses[i][d];
                var size = h.Length;
                var fir = new float[length];
                foreach (var v in h)
                {
                    total += v * v;
                }

                for (var n = 0; n < length; n++)
                {
                    var v = h[(((n - delay) % size) + size) % size];
                    kept += v * v;
                    if (n >= length * 3 / 4)
                    {
                        tail += v * v;
                    }

                    fir[n] = (float)(gain * v * Taper(n, length));
                }

                filters[i][d] = fir;
            }
        }

        return new FirSet(filters, delay, Db(Math.Max(total - kept, 0) / Math.Max(total, 1e-300)), Db(tail / Math.Max(total, 1e-300)));
    }

    private static double Taper(int n, int length)
    {
        var edge = Math.Min(n, length - 1 - n);
        if (edge >= TaperSamples)
        {
            return 1;
        }

        var s = Math.Sin(0.5 * Math.PI * (edge + 0.5) / TaperSamples);
        return s * s;
    }

    private static double Db(double ratio) => 10 * Math.Log10(Math.Max(ratio, 1e-30));
}
