using System.Numerics;
using SpatialAudio.Drivers.Devices;

namespace SpatialAudio.Spatial.Design.Assembly;

/// <summary>
/// The band each driver may play: complementary LR4 crossovers (bass management to the woofers, tweeter/mid split inside
/// a side group that has both) and, per bin, an availability weight 0..1 the other design stages must respect.
/// </summary>
/// <remarks>
/// <para><b>Crossovers.</b> Woofers get the LR4 low-pass at <see cref="BassCrossoverHz"/>, every other driver the LR4
/// high-pass there; inside a side group with tweeters and mids, tweeters get the LR4 high-pass at
/// <see cref="TweeterCrossoverHz"/> and the mids the matching low-pass. Each pair sums to an all-pass (flat magnitude,
/// coherent phase), so the split is inaudible on axis. The responses are those of causal IIR sections (minimum phase).
/// A tweeter with no mid beside it keeps the tweeter high-pass (it protects the tweeter), a group without a tweeter
/// plays up to Nyquist.</para>
/// <para><b>Devices without a woofer</b>: every driver plays the full band; its availability below
/// <see cref="MeasuredLimitBelowHz"/> also follows its measured response toward the listener (1/3-octave smoothed
/// level relative to the median level over 500 Hz..5 kHz, raised by the EQ boost the matrix preset already applies there,
/// capped at 1), so no stage asks a small driver for bass it cannot make.</para>
/// <para>Availability is the magnitude of the band filter times that measured limit, except that a mid below a tweeter
/// stays available above the tweeter crossover (the split is the matrix preset's routing choice, not a limit of the mid;
/// the stages are regularized toward that preset anyway); <see cref="Band"/> keeps the complex crossover response (what
/// the presets multiply in).</para>
/// </remarks>
public sealed class DriverBands
{
    /// <summary>Below this frequency the availability of a driver in a woofer-less device follows its measured response, Hz.</summary>
    public const double MeasuredLimitBelowHz = 500.0;

    private readonly Complex[][] bands;
    private readonly double[][] availability;

    /// <summary>Builds the bands on <paramref name="grid"/>.</summary>
    /// <param name="grid">Design grid.</param>
    /// <param name="device">The device (roles and positions).</param>
    /// <param name="bassCrossoverHz">Bass-management crossover (LR4), Hz.</param>
    /// <param name="tweeterCrossoverHz">Tweeter/mid crossover (LR4), Hz.</param>
    /// <param name="towardListener">Optional 1 x drivers responses toward the listener (normalized as
    /// <see cref="DesignContext.ListenerMatrix"/>): limits the bass availability of woofer-less devices.</param>
    /// <param name="eqBoostDb">How much of a woofer-less driver's measured bass roll-off the driver EQ makes up
    /// (<see cref="DesignOptions.MaxEqBoostDb"/>), dB: only the level below that reach limits its availability.</param>
    public DriverBands(DesignGrid grid, DeviceDescription device, double bassCrossoverHz, double tweeterCrossoverHz, ResponseMatrix? towardListener = null,
        double eqBoostDb = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(eqBoostDb);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bassCrossoverHz);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tweeterCrossoverHz);
        if (tweeterCrossoverHz <= bassCrossoverHz)
        {
            throw new ArgumentOutOfRangeException(nameof(tweeterCrossoverHz), tweeterCrossoverHz, "must be above the bass crossover");
        }

        if (towardListener is not null && (towardListener.Columns != device.Drivers.Count || towardListener.Grid.BinCount != grid.BinCount))
        {
            throw new ArgumentException($"expected 1 x {device.Drivers.Count} responses on the design grid", nameof(towardListener));
        }

        Grid = grid;
        Groups = new DriverGroups(device);
        BassCrossoverHz = bassCrossoverHz;
        TweeterCrossoverHz = tweeterCrossoverHz;
        var f = grid.FrequenciesHz;
        var count = device.Drivers.Count;
        bands = new Complex[count][];
        availability = new double[count][];
        for (var d = 0; d < count; d++)
        {
            var kind = KindOf(device, d);
            var band = new Complex[f.Length];
            for (var k = 0; k < f.Length; k++)
            {
                band[k] = kind == BandKind.Woofer ? Crossovers.LowPass(f[k], bassCrossoverHz) : Complex.One;
                if (HasBassManagement && kind is BandKind.Mid or BandKind.MidBelowTweeter or BandKind.Tweeter)
                {
                    band[k] *= Crossovers.HighPass(f[k], bassCrossoverHz);
                }

                if (kind == BandKind.Tweeter)
                {
                    band[k] *= Crossovers.HighPass(f[k], tweeterCrossoverHz);
                }
                else if (kind == BandKind.MidBelowTweeter)
                {
                    band[k] *= Crossovers.LowPass(f[k], tweeterCrossoverHz);
                }
            }

            bands[d] = band;
            availability[d] = [.. band.Select(b => b.Magnitude)];
            if (kind == BandKind.MidBelowTweeter)
            {
                // The mid/tweeter split is the matrix preset's choice of who plays what, not a limit of the mid: the stages
                // (regularized toward the matrix preset anyway) may still use the mid above the tweeter crossover.
                for (var k = 0; k < f.Length; k++)
                {
                    availability[d][k] = HasBassManagement ? Crossovers.HighPass(f[k], bassCrossoverHz).Magnitude : 1.0;
                }
            }

            if (!HasBassManagement && towardListener is not null)
            {
                LimitByMeasurement(availability[d], towardListener.Response(0, d), f, Math.Pow(10, eqBoostDb / 20));
            }
        }
    }

    private enum BandKind
    {
        Woofer,
        FullBand,
        Mid,
        MidBelowTweeter,
        Tweeter,
    }

    /// <summary>The grid.</summary>
    public DesignGrid Grid { get; }

    /// <summary>Side groups and woofers.</summary>
    public DriverGroups Groups { get; }

    /// <summary>Bass-management crossover, Hz.</summary>
    public double BassCrossoverHz { get; }

    /// <summary>Tweeter/mid crossover, Hz.</summary>
    public double TweeterCrossoverHz { get; }

    /// <summary>Whether the device has woofers that take the bass of every input.</summary>
    public bool HasBassManagement => Groups.WooferCount > 0;

    /// <summary>Number of drivers.</summary>
    public int DriverCount => bands.Length;

    /// <summary>Whether driver <paramref name="driver"/> is a bass-managed woofer.</summary>
    public bool IsWoofer(int driver) => Groups.IsWoofer[driver];

    /// <summary>The complex crossover response of <paramref name="driver"/> (product of its LR4 sections), one value per bin.</summary>
    public ReadOnlySpan<Complex> Band(int driver) => bands[driver];

    /// <summary>How freely a stage may use <paramref name="driver"/> per bin, 0..1.</summary>
    public ReadOnlySpan<double> Availability(int driver) => availability[driver];

    /// <summary>The LR4 high-pass every non-woofer driver gets from bass management at bin <paramref name="bin"/>
    /// (1 when the device has no woofer).</summary>
    public Complex BassHighPass(int bin) => HasBassManagement ? Crossovers.HighPass(Grid.FrequenciesHz[bin], BassCrossoverHz) : Complex.One;

    /// <summary>The LR4 low-pass of bass management at bin <paramref name="bin"/> (split equally over the woofers by the caller).</summary>
    public Complex BassLowPass(int bin) => Crossovers.LowPass(Grid.FrequenciesHz[bin], BassCrossoverHz);

    /// <summary>Availability as a jagged array [driver][bin] (a copy), the form <see cref="DesignContext.Availability"/> uses.</summary>
    public double[][] AvailabilityArrays() => [.. availability.Select(a => a.ToArray())];

    private BandKind KindOf(DeviceDescription device, int d)
    {
        if (Groups.IsWoofer[d])
        {
            return BandKind.Woofer;
        }

        var role = device.Drivers[d].Role;
        var split = Groups.SplitsTweeters(Groups.Sides[d]);
        if (role == DriverRole.Tweeter)
        {
            return BandKind.Tweeter;
        }

        if (split)
        {
            return BandKind.MidBelowTweeter;
        }

        return HasBassManagement ? BandKind.Mid : BandKind.FullBand;
    }

    private static void LimitByMeasurement(double[] availability, ReadOnlySpan<Complex> response, ReadOnlySpan<double> f, double eqReach)
    {
        var power = new double[f.Length];
        for (var k = 0; k < f.Length; k++)
        {
            power[k] = response[k].Magnitude * response[k].Magnitude;
        }

        var smoothed = Smoothing.FractionalOctave(power, f, 3);
        var inBand = new List<double>();
        for (var k = 0; k < f.Length; k++)
        {
            if (f[k] is >= 500 and <= 5000)
            {
                inBand.Add(smoothed[k]);
            }
        }

        var passband = inBand.Order().ToArray();
        if (passband.Length == 0 || passband[passband.Length / 2] <= 0)
        {
            return;
        }

        var reference = passband[passband.Length / 2];
        for (var k = 0; k < f.Length && f[k] < MeasuredLimitBelowHz; k++)
        {
            availability[k] *= Math.Min(1.0, Math.Sqrt(smoothed[k] / reference) * eqReach);
        }
    }
}
