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
/// split at the tweeter crossover (LR4); everything below the bass crossover goes to the woofers (LR4), see
/// <see cref="DriverBands"/>; each driver is equalized toward the listener (<see cref="DriverEq"/>: inverse of its
/// 1/3-octave-smoothed level, boost limited, inside its band) and delayed so all arrivals coincide with the slowest
/// at the listener (<see cref="DelayAlignment"/>).</para>
/// <para><b>bypass</b>: the stereo signal as is: left drivers get L' + C = L, right drivers R' + C = R, centre drivers
/// (L + R)/2; crossovers only, no EQ and no alignment.</para>
/// </remarks>
public static class MatrixPresets
{
    /// <summary>The matrix-mix preset.</summary>
    public static ResponseMatrix Matrix(DesignContext context) => Matrix(context, Assemble(context));

    /// <summary>The matrix-mix preset from already computed <paramref name="assembly"/> facts.</summary>
    public static ResponseMatrix Matrix(DesignContext context, AssemblyDesign assembly)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(assembly);
        var routing = Routing(context, assembly.Bands, bypass: false);
        for (var d = 0; d < context.DriverCount; d++)
        {
            var eq = assembly.EqGains[d];
            // The slowest arrival is common to every driver: it is left to the FIR modelling delay, so the matrix preset
            // keeps the timing of the normalized design grid that the crosstalk and beam stages use it as a prior in.
            var delay = DelayAlignment.DelayResponse(context.Grid, assembly.AlignmentDelaySeconds[d] - assembly.ArrivalSeconds.Max());
            for (var i = 0; i < 3; i++)
            {
                var response = routing.Response(d, i);
                for (var k = 0; k < response.Length; k++)
                {
                    response[k] *= eq[k] * delay[k];
                }
            }
        }

        return routing;
    }

    /// <summary>The bypass preset.</summary>
    public static ResponseMatrix Bypass(DesignContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Routing(context, context.Bands, bypass: true);
    }

    /// <summary>Bands, per-driver EQ and alignment toward the design listener: the facts the matrix preset (and the report)
    /// are made of.</summary>
    public static AssemblyDesign Assemble(DesignContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var listener = context.ListenerMatrix(context.Options.Listener);
        var bands = context.Bands;
        var eq = new DriverEq(context.Options.MaxEqBoostDb, 2 * context.Options.MaxEqBoostDb);
        var gains = new double[context.DriverCount][];
        var arrivals = new double[context.DriverCount];
        for (var d = 0; d < context.DriverCount; d++)
        {
            gains[d] = eq.Gains(context.Grid, listener.Response(0, d), bands.Availability(d));
            arrivals[d] = DelayAlignment.ArrivalSeconds(context.Grid, listener.Response(0, d));
        }

        return new AssemblyDesign(bands, eq, listener, gains, arrivals, DelayAlignment.AlignToSlowest(arrivals));
    }

    private static ResponseMatrix Routing(DesignContext context, DriverBands bands, bool bypass)
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

            var tweeters = drivers.Count(d => context.Acoustics.Device.Drivers[d].Role == DriverRole.Tweeter);
            var others = drivers.Count - tweeters;
            foreach (var d in drivers)
            {
                var isTweeter = context.Acoustics.Device.Drivers[d].Role == DriverRole.Tweeter;
                var share = groups.SplitsTweeters(side) ? 1.0 / (isTweeter ? tweeters : others) : 1.0 / drivers.Count;
                var driverBand = bands.Band(d);
                for (var k = 0; k < f.Length; k++)
                {
                    var band = share * driverBand[k];
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

            var lowPass = bands.Band(d);
            for (var k = 0; k < f.Length; k++)
            {
                var lp = lowPass[k] / groups.WooferCount;
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
