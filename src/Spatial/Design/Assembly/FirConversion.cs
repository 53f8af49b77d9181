using System.Numerics;
using System.Text.Json.Nodes;
using SpatialAudio.Filters.Design;
using SpatialAudio.Spatial.RenderMatrices;

namespace SpatialAudio.Spatial.Design.Assembly;

/// <summary>A set of causal FIRs made from frequency responses.</summary>
/// <param name="Filters">[input][driver][tap].</param>
/// <param name="LatencySamples">The modelling delay added to every filter.</param>
/// <param name="TruncationErrorDb">Energy outside the kept window relative to the total, dB (all filters together).</param>
/// <param name="TailEnergyDb">Energy in the last quarter of the kept filters relative to the total, dB (how much the
/// length is actually used: far below -40 dB means the FIRs could be shorter).</param>
public sealed record FirSet(float[][][] Filters, int LatencySamples, double TruncationErrorDb, double TailEnergyDb);

/// <summary>One preset converted to FIRs, with its figures.</summary>
/// <param name="Matrix">The render matrix (headroom gain applied).</param>
/// <param name="TruncationErrorDb">Energy lost outside the window relative to the total, dB.</param>
/// <param name="TailEnergyDb">Energy in the last quarter of the FIRs relative to the total, dB.</param>
/// <param name="WorstCaseSineGainDb">Before the headroom gain: the largest steady-state sine gain to any driver with every
/// input at full scale in the worst phase, max over f and driver of sum over inputs |H|, dB.</param>
/// <param name="HeadroomGainDb">Gain applied to the whole preset (&lt;= 0 dB), see <see cref="FirConversion.HeadroomGainDb"/>.</param>
public sealed record PresetFir(RenderMatrix Matrix, double TruncationErrorDb, double TailEnergyDb, double WorstCaseSineGainDb, double HeadroomGainDb)
{
    /// <summary>The figures as snake_case JSON (for render-matrix.json and metrics.json).</summary>
    public JsonObject ToJson() => new()
    {
        ["fir_length"] = Matrix.FirLength,
        ["latency_samples"] = Matrix.LatencySamples,
        ["latency_ms"] = Math.Round(1000.0 * Matrix.LatencySamples / Matrix.SampleRateHz, 3),
        ["truncation_error_db"] = Math.Round(TruncationErrorDb, 2),
        ["tail_energy_db"] = Math.Round(TailEnergyDb, 2),
        ["worst_case_sine_gain_db"] = Math.Round(WorstCaseSineGainDb, 2),
        ["headroom_gain_db"] = Math.Round(HeadroomGainDb, 2),
    };
}

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

    /// <summary>Default FIR length at 48 kHz, taps (42.7 ms). Measured on studio5: truncation error -36..-40 dB for the
    /// designed presets (the report and metrics.json show it per preset); shorter lengths trade that for latency.</summary>
    public const int DefaultLength = 2048;

    /// <summary>
    /// Converts every preset in <paramref name="presets"/> ([driver, input] responses on one grid) to a render matrix of
    /// <paramref name="length"/> taps with ONE modelling delay common to all presets (switching presets keeps the timing),
    /// chosen by <see cref="BestDelay"/>, and a per-preset headroom gain (<see cref="HeadroomGainDb"/>).
    /// </summary>
    /// <param name="presets">Preset name to [driver, input L'/R'/C] responses.</param>
    /// <param name="driverIds">Driver ids in device order.</param>
    /// <param name="length">FIR length, taps (at most the grid's FFT length).</param>
    /// <param name="limiterMarginDb">How far the worst-case sine gain may exceed 0 dBFS before the preset is attenuated,
    /// dB: what the renderer's look-ahead limiter is trusted to absorb.</param>
    /// <param name="designParameters">Recorded in every matrix (copied); the headroom rule is added.</param>
    public static IReadOnlyDictionary<string, PresetFir> Convert(IReadOnlyDictionary<string, ResponseMatrix> presets, IReadOnlyList<string> driverIds,
        int length, double limiterMarginDb, JsonObject? designParameters = null)
    {
        ArgumentNullException.ThrowIfNull(presets);
        ArgumentNullException.ThrowIfNull(driverIds);
        if (presets.Count == 0)
        {
            throw new ArgumentException("no presets", nameof(presets));
        }

        var grid = presets.Values.First().Grid;
        if (length < 4 * TaperSamples || length > grid.FftLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"must be {4 * TaperSamples}..{grid.FftLength} (the design grid's FFT length)");
        }

        foreach (var (name, m) in presets)
        {
            if (m.Rows != driverIds.Count || m.Columns != 3 || m.Grid.BinCount != grid.BinCount || m.Grid.SampleRateHz != grid.SampleRateHz)
            {
                throw new ArgumentException($"preset '{name}': expected {driverIds.Count} x 3 responses on one grid, got {m.Rows} x {m.Columns}", nameof(presets));
            }
        }

        var impulses = presets.ToDictionary(p => p.Key, p => ImpulseResponses(p.Value));
        var delay = BestDelay(impulses.Values, length);
        var parameters = designParameters?.DeepClone().AsObject() ?? [];
        parameters["modelling_delay_samples"] = delay;
        parameters["limiter_margin_db"] = limiterMarginDb;
        parameters["headroom_rule"] = "preset gain = min(0, limiter_margin_db - worst-case sine gain), worst-case sine gain = max over frequency and driver of the sum over inputs of |H| (every input full scale, worst phase)";
        var result = new Dictionary<string, PresetFir>();
        foreach (var (name, responses) in presets)
        {
            var worst = WorstCaseSineGainDb(responses);
            var headroom = HeadroomGainDb(worst, limiterMarginDb);
            var set = Cut(impulses[name], length, delay, Math.Pow(10, headroom / 20));
            var matrix = new RenderMatrix(name, grid.SampleRateHz, driverIds, set.Filters, delay, parameters);
            result[name] = new PresetFir(matrix, set.TruncationErrorDb, set.TailEnergyDb, worst, headroom);
        }

        return result;
    }

    /// <summary>The largest steady-state sine gain of <paramref name="responses"/> ([driver, input]) to any driver with every
    /// input at full scale in the worst phase: max over bins and drivers of the sum over inputs of |H|, dB.</summary>
    public static double WorstCaseSineGainDb(ResponseMatrix responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        var worst = 0.0;
        for (var d = 0; d < responses.Rows; d++)
        {
            for (var k = 0; k < responses.Grid.BinCount; k++)
            {
                var sum = 0.0;
                for (var i = 0; i < responses.Columns; i++)
                {
                    sum += responses[d, i, k].Magnitude;
                }

                worst = Math.Max(worst, sum);
            }
        }

        return Db(worst * worst);
    }

    /// <summary>The headroom rule: a preset whose worst-case sine gain exceeds 0 dBFS by more than
    /// <paramref name="limiterMarginDb"/> is attenuated by the excess; otherwise 0 dB.</summary>
    public static double HeadroomGainDb(double worstCaseSineGainDb, double limiterMarginDb) => Math.Min(0.0, limiterMarginDb - worstCaseSineGainDb);

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
