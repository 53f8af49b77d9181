using System.Numerics;
using SpatialAudio.Drivers.Devices;

namespace SpatialAudio.Drivers.Directivity;

/// <summary>A physical model of a driver: a rigid circular piston on a finite baffle with a baffle step, a role-dependent
/// minimum-phase band-pass and a sensitivity offset.</summary>
/// <remarks>
/// <para>With k = 2 pi f / c (c = 343.2 m/s), a the piston radius, theta the angle off the driver axis, W the baffle
/// width, f_b = 115 / W Hz the baffle-step frequency and s = i f:</para>
/// <para><b>Piston</b> (rigid disc in an infinite baffle, Rayleigh integral; Kinsler et al., Fundamentals of Acoustics,
/// 4th ed., sec. 7.4; Beranek and Mellow, Acoustics, 2012, ch. 13): D(theta) = 2 J1(ka sin theta) / (ka sin theta),
/// real (referenced to the piston center) and 1 on axis. Behind the baffle plane (theta &gt; 90) D(90) is used.</para>
/// <para><b>Baffle step and rear</b> (a first-order approximation of edge diffraction, after Olson's baffle-step
/// measurements and the 115/W rule of thumb): H = 0.5 L(f) + P(f) D S(theta, f), with L = 1/(1 + s/f_b) and
/// P = (s/f_b)/(1 + s/f_b). Low frequencies radiate omnidirectionally at half the pressure (-6 dB: the 4 pi instead of
/// 2 pi space); above f_b the piston pattern takes over. On axis this is the minimum-phase shelf (0.5 + s/f_b)/(1 + s/f_b).
/// Behind the baffle plane the high-frequency term is shadowed, S = 1/sqrt(1 + (f (1 - sin theta)/f_b)^2) (1 at 90,
/// -20 dB at 10 f_b straight behind), and the whole rear response is delayed by the edge path
/// (W/2)(1 - sin theta)/c (0 at 90, W/(2c) behind). Both are continuous at theta = 90.</para>
/// <para><b>Band-pass</b> (minimum phase, analog prototypes): a 2nd-order high-pass at the resonance f_h (Q_h), a 2nd-order
/// low-pass at f_l (Q_l): HP = (s/w_h)^2 / ((s/w_h)^2 + (s/w_h)/Q_h + 1), LP = 1 / ((s/w_l)^2 + (s/w_l)/Q_l + 1) with
/// s = i 2 pi f. Defaults per role (<see cref="DefaultBand"/>): woofer 40 Hz..1.5 kHz, mid 150 Hz..10 kHz, tweeter
/// 1.5 kHz..40 kHz (so a tweeter still radiates in the 32-46 kHz probe band), Q_h = 0.707, Q_l = 0.5 (a gentle roll-off).</para>
/// <para><b>Sensitivity</b>: a gain of <see cref="SensitivityDb"/>; <see cref="UnitVariationDb"/> gives a seeded per-unit
/// offset. The whole on-axis response G 10^(dB/20) HP LP shelf is minimum phase (all poles and zeros in the left half plane).</para>
/// </remarks>
public sealed class PistonDriverModel : IDirectivity
{
    /// <summary>Speed of sound in m/s (20 °C).</summary>
    public const double SpeedOfSoundMetersPerSecond = 343.2;

    /// <summary>Creates the model with the role's default band.</summary>
    /// <param name="role">Woofer, mid or tweeter: picks the band-pass.</param>
    /// <param name="diameterMeters">Piston diameter in meters.</param>
    /// <param name="baffleWidthMeters">Baffle (enclosure) width in meters: sets the baffle step f_b = 115 / W.</param>
    /// <param name="sensitivityDb">Gain offset in dB (e.g. from <see cref="UnitVariationDb"/>).</param>
    public PistonDriverModel(DriverRole role, double diameterMeters, double baffleWidthMeters, double sensitivityDb = 0)
        : this(diameterMeters, baffleWidthMeters, DefaultBand(role).HighPassHz, DefaultBand(role).LowPassHz, sensitivityDb)
    {
    }

    /// <summary>Creates the model with an explicit band.</summary>
    /// <param name="diameterMeters">Piston diameter in meters, &gt; 0.</param>
    /// <param name="baffleWidthMeters">Baffle width in meters, at least the diameter.</param>
    /// <param name="highPassHz">Resonance (2nd-order high-pass corner) in Hz, &gt; 0.</param>
    /// <param name="lowPassHz">2nd-order low-pass corner in Hz, above the high-pass.</param>
    /// <param name="sensitivityDb">Gain offset in dB.</param>
    /// <param name="highPassQ">High-pass Q.</param>
    /// <param name="lowPassQ">Low-pass Q.</param>
    public PistonDriverModel(double diameterMeters, double baffleWidthMeters, double highPassHz, double lowPassHz,
        double sensitivityDb = 0, double highPassQ = 0.707, double lowPassQ = 0.5)
    {
        if (!(diameterMeters > 0) || double.IsInfinity(diameterMeters))
        {
            throw new ArgumentOutOfRangeException(nameof(diameterMeters), diameterMeters, "Diameter must be positive.");
        }

        if (!(baffleWidthMeters >= diameterMeters) || double.IsInfinity(baffleWidthMeters))
        {
            throw new ArgumentOutOfRangeException(nameof(baffleWidthMeters), baffleWidthMeters, "Baffle width must be at least the diameter.");
        }

        if (!(highPassHz > 0) || !(lowPassHz > highPassHz) || double.IsInfinity(lowPassHz))
        {
            throw new ArgumentOutOfRangeException(nameof(lowPassHz), lowPassHz, "Need 0 < high-pass < low-pass, finite.");
        }

        if (!double.IsFinite(sensitivityDb))
        {
            throw new ArgumentOutOfRangeException(nameof(sensitivityDb), sensitivityDb, "Sensitivity must be finite.");
        }

        if (!(highPassQ > 0) || !(lowPassQ > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(highPassQ), highPassQ, "Q values must be positive.");
        }

        DiameterMeters = diameterMeters;
        BaffleWidthMeters = baffleWidthMeters;
        HighPassHz = highPassHz;
        LowPassHz = lowPassHz;
        HighPassQ = highPassQ;
        LowPassQ = lowPassQ;
        SensitivityDb = sensitivityDb;
        BaffleStepHz = 115.0 / baffleWidthMeters;
    }

    /// <summary>Piston diameter, m.</summary>
    public double DiameterMeters { get; }

    /// <summary>Baffle width, m.</summary>
    public double BaffleWidthMeters { get; }

    /// <summary>Baffle-step frequency 115 / W, Hz.</summary>
    public double BaffleStepHz { get; }

    /// <summary>High-pass (resonance) corner, Hz.</summary>
    public double HighPassHz { get; }

    /// <summary>Low-pass corner, Hz.</summary>
    public double LowPassHz { get; }

    /// <summary>High-pass Q.</summary>
    public double HighPassQ { get; }

    /// <summary>Low-pass Q.</summary>
    public double LowPassQ { get; }

    /// <summary>Gain offset, dB.</summary>
    public double SensitivityDb { get; }

    /// <inheritdoc />
    public double MaxFrequencyHz => double.PositiveInfinity;

    /// <summary>The default band-pass corners of a role.</summary>
    /// <param name="role">The role.</param>
    public static (double HighPassHz, double LowPassHz) DefaultBand(DriverRole role) => role switch
    {
        DriverRole.Woofer => (40.0, 1500.0),
        DriverRole.Mid => (150.0, 10000.0),
        DriverRole.Tweeter => (1500.0, 40000.0),
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role."),
    };

    /// <summary>A reproducible per-unit sensitivity offset, uniform in [-spread, +spread] dB, from a seed and the driver id.</summary>
    /// <param name="seed">Production-batch seed.</param>
    /// <param name="driverId">The unit's id.</param>
    /// <param name="spreadDb">Half-width of the spread, dB, at least 0.</param>
    /// <remarks>FNV-1a over the seed and the id's UTF-16 code units, then the SplitMix64 finalizer (string.GetHashCode is
    /// randomized per process, so it cannot be used).</remarks>
    public static double UnitVariationDb(int seed, string driverId, double spreadDb)
    {
        ArgumentNullException.ThrowIfNull(driverId);
        ArgumentOutOfRangeException.ThrowIfNegative(spreadDb);
        var hash = 14695981039346656037UL;
        foreach (var value in BitConverter.GetBytes(seed))
        {
            hash = (hash ^ value) * 1099511628211UL;
        }

        foreach (var c in driverId)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        // SplitMix64 finalizer: FNV alone leaves ids that differ in one character close together in the top bits.
        hash ^= hash >> 30;
        hash *= 0xBF58476D1CE4E5B9UL;
        hash ^= hash >> 27;
        hash *= 0x94D049BB133111EBUL;
        hash ^= hash >> 31;
        var unit = (hash >> 11) * (1.0 / (1UL << 53));
        return spreadDb * ((2 * unit) - 1);
    }

    /// <summary>The piston factor 2 J1(x)/x with x = k a sin theta (1 at x = 0).</summary>
    /// <param name="thetaDeg">Angle off the axis, 0..90 degrees.</param>
    /// <param name="frequencyHz">Frequency in Hz.</param>
    public double PistonFactor(double thetaDeg, double frequencyHz)
    {
        var x = 2 * Math.PI * frequencyHz / SpeedOfSoundMetersPerSecond * (DiameterMeters / 2) * Math.Sin(thetaDeg * Math.PI / 180);
        return Math.Abs(x) < 1e-8 ? 1.0 : 2 * DesignMath.BesselJ1(x) / x;
    }

    /// <summary>The on-axis response: sensitivity, band-pass and baffle-step shelf (minimum phase).</summary>
    /// <param name="frequencyHz">Frequency in Hz.</param>
    public Complex OnAxis(double frequencyHz) => Band(frequencyHz) * Shelf(frequencyHz);

    /// <inheritdoc />
    public void Response(double azimuthDeg, double elevationDeg, ReadOnlySpan<double> frequenciesHz, Span<Complex> destination)
    {
        if (destination.Length < frequenciesHz.Length)
        {
            throw new ArgumentException("Destination is shorter than the frequency list.", nameof(destination));
        }

        if (!(Math.Abs(elevationDeg) <= 90) || !double.IsFinite(azimuthDeg))
        {
            throw new ArgumentOutOfRangeException(nameof(elevationDeg), elevationDeg, "Elevation must be in -90..90 and azimuth finite.");
        }

        var x = Math.Cos(elevationDeg * Math.PI / 180) * Math.Cos(azimuthDeg * Math.PI / 180);
        var theta = Math.Acos(Math.Clamp(x, -1, 1)) * 180 / Math.PI;
        for (var i = 0; i < frequenciesHz.Length; i++)
        {
            destination[i] = Response(theta, frequenciesHz[i]);
        }
    }

    /// <summary>The response at an angle off the axis (the model is rotationally symmetric).</summary>
    /// <param name="thetaDeg">Angle off the axis, 0..180 degrees.</param>
    /// <param name="frequencyHz">Frequency in Hz, at least 0.</param>
    public Complex Response(double thetaDeg, double frequencyHz)
    {
        if (!(frequencyHz >= 0) || double.IsInfinity(frequencyHz))
        {
            throw new ArgumentOutOfRangeException(nameof(frequencyHz), frequencyHz, "Frequency must be finite and at least 0.");
        }

        var ratio = new Complex(0, frequencyHz / BaffleStepHz);
        var low = 1 / (1 + ratio);
        var high = ratio / (1 + ratio);
        Complex field;
        if (thetaDeg <= 90)
        {
            field = (0.5 * low) + (high * PistonFactor(thetaDeg, frequencyHz));
        }
        else
        {
            var behind = 1 - Math.Sin(thetaDeg * Math.PI / 180);
            var shadowRatio = frequencyHz * behind / BaffleStepHz;
            var shadow = 1 / Math.Sqrt(1 + (shadowRatio * shadowRatio));
            var delaySeconds = BaffleWidthMeters / 2 * behind / SpeedOfSoundMetersPerSecond;
            field = ((0.5 * low) + (high * PistonFactor(90, frequencyHz) * shadow))
                * Complex.FromPolarCoordinates(1, -2 * Math.PI * frequencyHz * delaySeconds);
        }

        return Band(frequencyHz) * field;
    }

    private Complex Band(double frequencyHz)
    {
        var sh = new Complex(0, frequencyHz / HighPassHz);
        var sl = new Complex(0, frequencyHz / LowPassHz);
        var highPass = sh * sh / ((sh * sh) + (sh / HighPassQ) + 1);
        var lowPass = 1 / ((sl * sl) + (sl / LowPassQ) + 1);
        return Math.Pow(10, SensitivityDb / 20) * highPass * lowPass;
    }

    private Complex Shelf(double frequencyHz)
    {
        var ratio = new Complex(0, frequencyHz / BaffleStepHz);
        return (0.5 + ratio) / (1 + ratio);
    }
}
