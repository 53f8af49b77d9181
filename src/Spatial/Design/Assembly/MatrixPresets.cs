using System.Numerics;
using SpatialAudio.Drivers.Devices;

namespace SpatialAudio.Spatial.Design.Assembly;

/// <summary>
/// The two presets that need no inversion: <c>matrix</c> (simple matrix mixing, the baseline every designed preset is
/// compared with) and <c>bypass</c> (routing and crossovers only).
/// </summary>
/// <remarks>
/// <para>Both are [driver, input] responses, inputs L', R', C (columns 0, 1, 2), in the normalization of
/// <see cref="DesignContext"/>.</para>
/// <para><b>matrix</b>: L' to the drivers on the listener's left, R' to the right, C to the centre drivers (or 1/2 to each
/// side when there are none); several drivers of one band in a group share equally; tweeters and mids of one group
/// split at the tweeter crossover (LR4); everything below the bass crossover goes to the woofers (LR4); each driver is
/// equalized toward the listener (magnitude inverse of its 1/3-octave-smoothed response, boost limited) and
/// delay-aligned so all arrivals coincide at the listener.</para>
/// <para><b>bypass</b>: the stereo signal as is: left drivers get L' + C = L, right drivers R' + C = R, centre drivers
/// (L + R)/2; crossovers only, no EQ and no alignment.</para>
/// </remarks>
public static class MatrixPresets
{
    /// <summary>The matrix-mix preset.</summary>
    public static ResponseMatrix Matrix(DesignContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var routing = Routing(context, bypass: false);
        var listener = context.ListenerMatrix(context.Options.Listener);
        var f = context.Grid.FrequenciesHz;
        for (var d = 0; d < context.DriverCount; d++)
        {
            var eq = Equalizer(context, listener.Response(0, d));
            for (var i = 0; i < 3; i++)
            {
                var response = routing.Response(d, i);
                for (var k = 0; k < f.Length; k++)
                {
                    response[k] *= eq[k];
                }
            }
        }

        return routing;
    }

    /// <summary>The bypass preset.</summary>
    public static ResponseMatrix Bypass(DesignContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Routing(context, bypass: true);
    }

    /// <summary>
    /// Per-driver EQ and alignment toward the listener: magnitude = inverse of the smoothed response (boost at most
    /// <see cref="DesignOptions.MaxEqBoostDb"/>, cut at most twice that), phase = the advance that undoes the driver's
    /// extra path delay relative to the device origin.
    /// </summary>
    public static Complex[] Equalizer(DesignContext context, ReadOnlySpan<Complex> towardListener)
    {
        ArgumentNullException.ThrowIfNull(context);
        var f = context.Grid.FrequenciesHz;
        var n = f.Length;
        var power = new double[n];
        for (var k = 0; k < n; k++)
        {
            power[k] = towardListener[k].Magnitude * towardListener[k].Magnitude;
        }

        var smoothed = Smoothing.FractionalOctave(power, f, 3);
        var delay = ExcessDelaySeconds(towardListener, f);
        var eq = new Complex[n];
        var maxBoost = Math.Pow(10, context.Options.MaxEqBoostDb / 20);
        var maxCut = Math.Pow(10, -2 * context.Options.MaxEqBoostDb / 20);
        for (var k = 0; k < n; k++)
        {
            var gain = smoothed[k] > 0 ? 1 / Math.Sqrt(smoothed[k]) : maxBoost;
            gain = Math.Clamp(gain, maxCut, maxBoost);
            eq[k] = Complex.FromPolarCoordinates(gain, 2 * Math.PI * f[k] * delay);
        }

        return eq;
    }

    // The driver's arrival relative to the normalization reference, from the phase slope over 1-4 kHz.
    private static double ExcessDelaySeconds(ReadOnlySpan<Complex> response, ReadOnlySpan<double> f)
    {
        double sumW = 0, sumWX = 0, sumWY = 0, sumWXX = 0, sumWXY = 0;
        var previous = 0.0;
        var unwrapped = 0.0;
        var first = true;
        for (var k = 1; k < f.Length && f[k] <= 4000; k++)
        {
            var phase = response[k].Phase;
            if (first)
            {
                unwrapped = phase;
                first = false;
            }
            else
            {
                var step = phase - previous;
                step -= 2 * Math.PI * Math.Round(step / (2 * Math.PI));
                unwrapped += step;
            }

            previous = phase;
            if (f[k] < 1000)
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

    private static ResponseMatrix Routing(DesignContext context, bool bypass)
    {
        var groups = context.Groups;
        var result = new ResponseMatrix(context.Grid, context.DriverCount, 3);
        var left = groups.OnSide(DriverSide.Left);
        var right = groups.OnSide(DriverSide.Right);
        var center = groups.OnSide(DriverSide.Center);
        var hasSides = left.Count > 0 && right.Count > 0;

        if (!hasSides && center.Count == 0)
        {
            // Drivers only on one side: everything goes to all non-woofer drivers.
            center = [.. left, .. right];
            left = [];
            right = [];
        }

        // gains[input, side group] = amplitude of the input sent to that group; rows L', R', C; columns Left, Right, Center.
        var gains = new double[3, 3];
        if (hasSides)
        {
            gains[0, 0] = 1;
            gains[1, 1] = 1;
            if (bypass)
            {
                gains[2, 0] = 1;
                gains[2, 1] = 1;
                gains[0, 2] = gains[1, 2] = center.Count > 0 ? 0.5 : 0;
                gains[2, 2] = center.Count > 0 ? 1 : 0;
            }
            else if (center.Count > 0)
            {
                gains[2, 2] = 1;
            }
            else
            {
                gains[2, 0] = gains[2, 1] = 0.5;
            }
        }
        else
        {
            gains[0, 2] = gains[1, 2] = bypass ? 0.5 : 1;
            gains[2, 2] = 1;
        }

        var f = context.Grid.FrequenciesHz;
        var sides = new[] { (DriverSide.Left, left), (DriverSide.Right, right), (DriverSide.Center, center) };
        for (var s = 0; s < 3; s++)
        {
            var (side, drivers) = sides[s];
            if (drivers.Count == 0)
            {
                continue;
            }

            var split = groups.SplitsTweeters(side);
            var tweeters = drivers.Count(d => context.Acoustics.Device.Drivers[d].Role == DriverRole.Tweeter);
            var others = drivers.Count - tweeters;
            foreach (var d in drivers)
            {
                var isTweeter = context.Acoustics.Device.Drivers[d].Role == DriverRole.Tweeter;
                var share = split ? 1.0 / (isTweeter ? tweeters : others) : 1.0 / drivers.Count;
                for (var k = 0; k < f.Length; k++)
                {
                    var band = new Complex(share, 0);
                    if (split)
                    {
                        band *= isTweeter ? Crossovers.HighPass(f[k], context.Options.TweeterCrossoverHz) : Crossovers.LowPass(f[k], context.Options.TweeterCrossoverHz);
                    }

                    if (groups.WooferCount > 0)
                    {
                        band *= Crossovers.HighPass(f[k], context.Options.BassCrossoverHz);
                    }

                    for (var i = 0; i < 3; i++)
                    {
                        result[d, i, k] += gains[i, s] * band;
                    }
                }
            }
        }

        // Bass management: each input's low end goes to the woofers at the total amplitude the other drivers give it,
        // so the LR4 pair sums flat for every input.
        for (var d = 0; d < context.DriverCount; d++)
        {
            if (!groups.IsWoofer[d])
            {
                continue;
            }

            for (var k = 0; k < f.Length; k++)
            {
                var lp = Crossovers.LowPass(f[k], context.Options.BassCrossoverHz) / groups.WooferCount;
                for (var i = 0; i < 3; i++)
                {
                    var total = 0.0;
                    for (var s = 0; s < 3; s++)
                    {
                        total += sides[s].Item2.Count > 0 ? gains[i, s] : 0;
                    }

                    result[d, i, k] = total * lp;
                }
            }
        }

        return result;
    }
}
