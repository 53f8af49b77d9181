using System.Numerics;

namespace SpatialAudio.Spatial.Design.Assembly;

/// <summary>
/// Per-driver equalization toward the listener: the inverse of the driver's fractional-octave-smoothed level, boost
/// and cut limited, applied only inside the driver's band.
/// </summary>
/// <remarks>
/// The EQ is zero phase (a magnitude on the grid); timing is <see cref="DelayAlignment"/>'s job. Its gain in dB is
/// clamp(-smoothed level, -<see cref="MaxCutDb"/>, +<see cref="MaxBoostDb"/>) times the driver's availability
/// (0..1), so it fades to 0 dB outside the band instead of boosting a roll-off the crossover put there on purpose.
/// Levels are relative to the normalization of <see cref="DesignContext.ListenerMatrix"/> (0 dB = a driver aimed at
/// the listener with unit sensitivity).
/// </remarks>
/// <param name="MaxBoostDb">Largest boost, dB (default +6).</param>
/// <param name="MaxCutDb">Largest cut, dB (default 12).</param>
/// <param name="SmoothingFraction">Smoothing bandwidth 1/N octave (default 3).</param>
public sealed record DriverEq(double MaxBoostDb = 6.0, double MaxCutDb = 12.0, int SmoothingFraction = 3)
{
    /// <summary>The EQ magnitude (linear gain per bin) for a driver with <paramref name="towardListener"/> response.</summary>
    /// <param name="grid">Design grid.</param>
    /// <param name="towardListener">The driver's response toward the listener, one value per bin.</param>
    /// <param name="availability">The driver's availability per bin (0..1), see <see cref="DriverBands"/>.</param>
    public double[] Gains(DesignGrid grid, ReadOnlySpan<Complex> towardListener, ReadOnlySpan<double> availability)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxBoostDb);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxCutDb);
        if (towardListener.Length != grid.BinCount || availability.Length != grid.BinCount)
        {
            throw new ArgumentException($"expected {grid.BinCount} bins", nameof(towardListener));
        }

        var f = grid.FrequenciesHz;
        var power = new double[f.Length];
        for (var k = 0; k < f.Length; k++)
        {
            power[k] = towardListener[k].Magnitude * towardListener[k].Magnitude;
        }

        var smoothed = Smoothing.FractionalOctave(power, f, SmoothingFraction);
        var gains = new double[f.Length];
        for (var k = 0; k < f.Length; k++)
        {
            var correctionDb = smoothed[k] > 0 ? -10 * Math.Log10(smoothed[k]) : MaxBoostDb;
            correctionDb = Math.Clamp(correctionDb, -MaxCutDb, MaxBoostDb) * Math.Clamp(availability[k], 0, 1);
            gains[k] = Math.Pow(10, correctionDb / 20);
        }

        return gains;
    }
}

/// <summary>
/// Time alignment of the drivers at the listener: each driver's acoustic arrival is measured, and every faster path
/// is delayed to the slowest so all arrivals coincide (delays are non-negative, hence causal).
/// </summary>
/// <remarks>
/// The arrival is the magnitude-weighted least-squares slope of the unwrapped phase of the driver's response toward
/// the listener over <see cref="FitLowHz"/>..<see cref="FitHighHz"/> (a band every bundled driver measures with
/// usable level, away from crossover phase shifts and from the high-frequency phase noise of the measurement); the
/// phase is unwrapped from the lowest bin so the slope is not aliased.
/// </remarks>
public static class DelayAlignment
{
    /// <summary>Low edge of the arrival fit, Hz.</summary>
    public const double FitLowHz = 1000.0;

    /// <summary>High edge of the arrival fit, Hz.</summary>
    public const double FitHighHz = 4000.0;

    /// <summary>The arrival time of <paramref name="response"/> relative to the grid's time zero, seconds.</summary>
    public static double ArrivalSeconds(DesignGrid grid, ReadOnlySpan<Complex> response)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var f = grid.FrequenciesHz;
        if (response.Length != f.Length)
        {
            throw new ArgumentException($"expected {f.Length} bins", nameof(response));
        }

        double sumW = 0, sumWX = 0, sumWY = 0, sumWXX = 0, sumWXY = 0;
        var previous = 0.0;
        var unwrapped = 0.0;
        for (var k = 1; k < f.Length && f[k] <= FitHighHz; k++)
        {
            var phase = response[k].Phase;
            var step = k == 1 ? phase : phase - previous;
            step -= k == 1 ? 0 : 2 * Math.PI * Math.Round(step / (2 * Math.PI));
            unwrapped += step;
            previous = phase;
            if (f[k] < FitLowHz)
            {
                continue;
            }

            var w = response[k].Magnitude;
            var x = 2 * Math.PI * f[k];
            sumW += w;
            sumWX += w * x;
            sumWY += w * unwrapped;
            sumWXX += w * x * x;
            sumWXY += w * x * unwrapped;
        }

        var denominator = (sumW * sumWXX) - (sumWX * sumWX);
        return denominator > 0 ? -((sumW * sumWXY) - (sumWX * sumWY)) / denominator : 0.0;
    }

    /// <summary>The delay per driver that aligns every arrival to the latest one, seconds (all >= 0).</summary>
    public static double[] AlignToSlowest(IReadOnlyList<double> arrivalsSeconds)
    {
        ArgumentNullException.ThrowIfNull(arrivalsSeconds);
        if (arrivalsSeconds.Count == 0)
        {
            return [];
        }

        var latest = arrivalsSeconds.Max();
        return [.. arrivalsSeconds.Select(a => latest - a)];
    }

    /// <summary>The response of a pure delay of <paramref name="delaySeconds"/> on <paramref name="grid"/>.</summary>
    public static Complex[] DelayResponse(DesignGrid grid, double delaySeconds)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var f = grid.FrequenciesHz;
        var result = new Complex[f.Length];
        for (var k = 0; k < f.Length; k++)
        {
            result[k] = Complex.FromPolarCoordinates(1.0, -2 * Math.PI * f[k] * delaySeconds);
        }

        return result;
    }
}
