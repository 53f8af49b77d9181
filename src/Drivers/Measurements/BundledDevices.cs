using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Directivity;
using SpatialAudio.Drivers.Geometry;

namespace SpatialAudio.Drivers.Measurements;

/// <summary>Generates the bundled devices (<c>measurements/studio5</c>, <c>soundbar</c>, <c>pair</c>): device.json, modelled
/// driver measurements and polar plots, deterministically.</summary>
/// <remarks>
/// <para>Every driver is a <see cref="PistonDriverModel"/> (its role's default band, a seeded per-unit sensitivity offset
/// within +-0.5 dB) sampled by <see cref="PolarSampler"/> at 96 kHz with time zero at sample 32; impulse responses are
/// 4096 samples for woofers (the 40 Hz resonance needs ~40 ms to ring down by 60 dB), 1024 for mids (150 Hz) and 256
/// for tweeters (1.5 kHz). No lab was involved.</para>
/// </remarks>
public static class BundledDevices
{
    /// <summary>Sample rate of the generated impulse responses, Hz.</summary>
    public const int MeasurementSampleRateHz = 96000;

    /// <summary>Time zero of the generated impulse responses, samples.</summary>
    public const int TimeZeroSample = 32;

    /// <summary>Seed of the per-unit sensitivity offsets.</summary>
    public const int SensitivitySeed = 2026;

    /// <summary>Half-width of the per-unit sensitivity spread, dB.</summary>
    public const double SensitivitySpreadDb = 0.5;

    /// <summary>Frequencies drawn in a driver's polar plot, Hz: from where it is omnidirectional to where it beams,
    /// within its band (a woofer's 40 kHz response is only the numerical floor).</summary>
    /// <param name="role">The driver's role.</param>
    public static IReadOnlyList<double> PlotFrequenciesHz(DriverRole role) => role switch
    {
        DriverRole.Woofer => [100, 300, 1000, 2000, 4000, 8000],
        DriverRole.Mid => [200, 1000, 3000, 8000, 16000, 24000],
        _ => [1000, 3000, 8000, 16000, 24000, 40000],
    };

    /// <summary>The names of the bundled devices.</summary>
    public static IReadOnlyList<string> Names { get; } = ["studio5", "soundbar", "pair"];

    /// <summary>Writes every bundled device into <c>measurementsFolder/&lt;name&gt;/</c> (READMEs and design briefs, <c>design.json</c>, are hand-written and not touched).</summary>
    /// <param name="measurementsFolder">The <c>measurements</c> folder.</param>
    public static void Generate(string measurementsFolder)
    {
        foreach (var name in Names)
        {
            Generate(measurementsFolder, name);
        }
    }

    /// <summary>Writes one bundled device into <c>measurementsFolder/&lt;name&gt;/</c>.</summary>
    /// <param name="measurementsFolder">The <c>measurements</c> folder.</param>
    /// <param name="name">One of <see cref="Names"/>.</param>
    public static void Generate(string measurementsFolder, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(measurementsFolder);
        var (device, baffles) = Describe(name);
        var folder = Path.Combine(measurementsFolder, name);
        Directory.CreateDirectory(folder);
        foreach (var driver in device.Drivers)
        {
            var model = Model(driver, baffles[driver.Id]);
            var length = driver.Role switch { DriverRole.Woofer => 4096, DriverRole.Mid => 1024, _ => 256 };
            var measurement = PolarSampler.Sample(model, driver.Id, MeasurementSampleRateHz, length, TimeZeroSample);
            MeasurementFile.Save(measurement, folder, driver.Id);
            var svg = PolarPlot.SvgBothPlanes(new MeasuredDirectivity(measurement), PlotFrequenciesHz(driver.Role), $"{name}/{driver.Id}");
            File.WriteAllText(Path.Combine(folder, $"polar-{driver.Id}.svg"), svg);
        }

        DeviceFile.Save(device, Path.Combine(folder, DeviceFile.FileName));
    }

    /// <summary>The model a bundled driver was generated from.</summary>
    /// <param name="driver">The driver as described in device.json.</param>
    /// <param name="baffleWidthMeters">The width of the surface it sits on, m.</param>
    public static PistonDriverModel Model(DriverDescription driver, double baffleWidthMeters)
    {
        ArgumentNullException.ThrowIfNull(driver);
        return new PistonDriverModel(driver.Role, driver.DiameterMeters, baffleWidthMeters,
            PistonDriverModel.UnitVariationDb(SensitivitySeed, driver.Id, SensitivitySpreadDb));
    }

    /// <summary>The device description and each driver's baffle width (m) of a bundled device.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    public static (DeviceDescription Device, IReadOnlyDictionary<string, double> BaffleWidthsMeters) Describe(string name) => name switch
    {
        "studio5" => Studio5(),
        "soundbar" => Soundbar(),
        "pair" => Pair(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, $"Unknown bundled device (known: {string.Join(", ", Names)})."),
    };

    private static DriverDescription Driver(string id, DriverRole role, double x, double y, double z, double azimuthDeg, double elevationDeg, double diameter) =>
        new(id, role, new Vector3D(x, y, z), azimuthDeg, elevationDeg, diameter, id + ".json");

    // A 17.5 cm wide, 20 cm tall cylinder; origin on its front surface at mid height, so its axis is at x = -R.
    private static (DeviceDescription, IReadOnlyDictionary<string, double>) Studio5()
    {
        const double r = 0.0875;
        const double sideAzimuth = 60;
        var side = sideAzimuth * Math.PI / 180;
        var drivers = new List<DriverDescription>
        {
            Driver("woofer", DriverRole.Woofer, -r, 0, -0.10, 0, -90, 0.10),
            Driver("tweeter", DriverRole.Tweeter, 0, 0, 0.03, 0, 0, 0.025),

            // The listener's left channel sits at negative y (the device's right), angled outwards to azimuth -60.
            Driver("mid_left", DriverRole.Mid, Math.Round(-r + (r * Math.Cos(side)), 5), Math.Round(-r * Math.Sin(side), 5), 0, -sideAzimuth, 0, 0.05),
            Driver("mid_right", DriverRole.Mid, Math.Round(-r + (r * Math.Cos(side)), 5), Math.Round(r * Math.Sin(side), 5), 0, sideAzimuth, 0, 0.05),
            Driver("mid_top", DriverRole.Mid, -r, 0, 0.10, 0, 90, 0.05),
        };
        var mics = new List<MicrophoneDescription>();
        foreach (var azimuth in new[] { 45, 135, -135, -45 })
        {
            var a = azimuth * Math.PI / 180;
            mics.Add(new MicrophoneDescription($"mic_{(azimuth < 0 ? "m" : "p")}{Math.Abs(azimuth)}",
                new Vector3D(Math.Round(-r + (0.08 * Math.Cos(a)), 5), Math.Round(0.08 * Math.Sin(a), 5), 0.10)));
        }

        var device = new DeviceDescription("studio5", 48000, drivers, ["tweeter"], mics);
        return (device, drivers.ToDictionary(d => d.Id, _ => 2 * r));
    }

    // A 90 x 7 x 10 cm bar; origin at the front center. Baffle width 10 cm: the narrow dimension sets the baffle step.
    private static (DeviceDescription, IReadOnlyDictionary<string, double>) Soundbar()
    {
        var drivers = new List<DriverDescription>
        {
            Driver("tweeter_left", DriverRole.Tweeter, -0.01, -0.42, 0, -30, 0, 0.025),
        };
        var positions = new[] { -0.30, -0.18, -0.06, 0.06, 0.18, 0.30 };
        for (var i = 0; i < positions.Length; i++)
        {
            drivers.Add(Driver($"mid_{i + 1}", DriverRole.Mid, 0, positions[i], 0, 0, 0, 0.05));
        }

        drivers.Add(Driver("tweeter_right", DriverRole.Tweeter, -0.01, 0.42, 0, 30, 0, 0.025));
        drivers.Add(Driver("woofer", DriverRole.Woofer, -0.05, 0, -0.035, 0, -90, 0.09));
        var mics = new List<MicrophoneDescription>
        {
            new("mic_left", new Vector3D(-0.01, -0.2, 0.035)),
            new("mic_right", new Vector3D(-0.01, 0.2, 0.035)),
        };
        var device = new DeviceDescription("soundbar", 48000, drivers, ["tweeter_left", "tweeter_right"], mics);
        return (device, drivers.ToDictionary(d => d.Id, _ => 0.10));
    }

    // Two 8 cm mids 16 cm apart on a flat 30 cm baffle.
    private static (DeviceDescription, IReadOnlyDictionary<string, double>) Pair()
    {
        var drivers = new List<DriverDescription>
        {
            Driver("mid_left", DriverRole.Mid, 0, -0.08, 0, 0, 0, 0.08),
            Driver("mid_right", DriverRole.Mid, 0, 0.08, 0, 0, 0, 0.08),
        };
        var device = new DeviceDescription("pair", 48000, drivers, [], []);
        return (device, drivers.ToDictionary(d => d.Id, _ => 0.30));
    }
}
