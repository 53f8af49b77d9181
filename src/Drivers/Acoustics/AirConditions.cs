namespace SpatialAudio.Drivers.Acoustics;

/// <summary>
/// The state of the air a sound travels through, with the ISO 9613-1:1993 pure-tone absorption and the speed of sound.
/// </summary>
/// <remarks>
/// <para>Absorption follows ISO 9613-1:1993 clause 6 (equations 3 to 5 and annex B for the water-vapour concentration):
/// classical and rotational losses plus the vibrational relaxation of oxygen and nitrogen. The standard states
/// ±10 % accuracy for 0.0004 &lt; f/p &lt; 10 Hz/Pa (about 40 Hz .. 1 MHz at one atmosphere), 253 .. 323 K and
/// 0.05 .. 5 % molar water-vapour concentration; this covers the ultrasonic sensing band (32 .. 46 kHz).</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class AirConditions
{
    /// <summary>ISO 9613-1 reference pressure, kPa.</summary>
    public const double ReferencePressureKilopascals = 101.325;

    /// <summary>ISO 9613-1 reference temperature, K (20 °C).</summary>
    public const double ReferenceTemperatureKelvin = 293.15;

    private const double TriplePointKelvin = 273.16;
    private const double CelsiusToKelvin = 273.15;

    private readonly double classicalFactor;
    private readonly double oxygenFactor;
    private readonly double nitrogenFactor;

    /// <summary>Creates air conditions and validates them.</summary>
    /// <param name="temperatureCelsius">Air temperature, -60 .. 60 °C.</param>
    /// <param name="relativeHumidityPercent">Relative humidity, 0 .. 100 %.</param>
    /// <param name="pressureKilopascals">Static pressure, 10 .. 200 kPa.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range or not finite.</exception>
    public AirConditions(double temperatureCelsius = 20.0, double relativeHumidityPercent = 50.0, double pressureKilopascals = ReferencePressureKilopascals)
    {
        if (!(temperatureCelsius >= -60.0 && temperatureCelsius <= 60.0))
        {
            throw new ArgumentOutOfRangeException(nameof(temperatureCelsius), temperatureCelsius, "Temperature must lie in -60..60 °C.");
        }

        if (!(relativeHumidityPercent >= 0.0 && relativeHumidityPercent <= 100.0))
        {
            throw new ArgumentOutOfRangeException(nameof(relativeHumidityPercent), relativeHumidityPercent, "Relative humidity must lie in 0..100 %.");
        }

        if (!(pressureKilopascals >= 10.0 && pressureKilopascals <= 200.0))
        {
            throw new ArgumentOutOfRangeException(nameof(pressureKilopascals), pressureKilopascals, "Pressure must lie in 10..200 kPa.");
        }

        TemperatureCelsius = temperatureCelsius;
        RelativeHumidityPercent = relativeHumidityPercent;
        PressureKilopascals = pressureKilopascals;

        var kelvin = temperatureCelsius + CelsiusToKelvin;
        var relativePressure = pressureKilopascals / ReferencePressureKilopascals;
        var relativeTemperature = kelvin / ReferenceTemperatureKelvin;

        // ISO 9613-1 annex B: saturation vapour pressure relative to the reference pressure, then molar concentration in %.
        var exponent = (-6.8346 * Math.Pow(TriplePointKelvin / kelvin, 1.261)) + 4.6151;
        var h = relativeHumidityPercent * Math.Pow(10.0, exponent) / relativePressure;
        WaterVapourMolarConcentrationPercent = h;

        // ISO 9613-1 equations (3) and (4).
        OxygenRelaxationFrequencyHz = relativePressure * (24.0 + (4.04e4 * h * (0.02 + h) / (0.391 + h)));
        NitrogenRelaxationFrequencyHz = relativePressure / Math.Sqrt(relativeTemperature)
            * (9.0 + (280.0 * h * Math.Exp(-4.170 * (Math.Pow(relativeTemperature, -1.0 / 3.0) - 1.0))));

        // Frequency-independent factors of equation (5), so that AbsorptionDbPerMeter costs a few flops.
        classicalFactor = 1.84e-11 / relativePressure * Math.Sqrt(relativeTemperature);
        var vibrationalScale = Math.Pow(relativeTemperature, -2.5);
        oxygenFactor = vibrationalScale * 0.01275 * Math.Exp(-2239.1 / kelvin);
        nitrogenFactor = vibrationalScale * 0.1068 * Math.Exp(-3352.0 / kelvin);

        // ISO 9613-1 clause 6.2 note: c = 343.2 (T/T0)^(1/2) m/s.
        SpeedOfSoundMetersPerSecond = 343.2 * Math.Sqrt(relativeTemperature);
    }

    /// <summary>20 °C, 50 % relative humidity, 101.325 kPa.</summary>
    public static AirConditions Standard { get; } = new();

    /// <summary>Air temperature, °C.</summary>
    public double TemperatureCelsius { get; }

    /// <summary>Relative humidity, %.</summary>
    public double RelativeHumidityPercent { get; }

    /// <summary>Static pressure, kPa.</summary>
    public double PressureKilopascals { get; }

    /// <summary>Molar concentration of water vapour h, % (ISO 9613-1 annex B).</summary>
    public double WaterVapourMolarConcentrationPercent { get; }

    /// <summary>Oxygen relaxation frequency frO, Hz (ISO 9613-1 equation 3).</summary>
    public double OxygenRelaxationFrequencyHz { get; }

    /// <summary>Nitrogen relaxation frequency frN, Hz (ISO 9613-1 equation 4).</summary>
    public double NitrogenRelaxationFrequencyHz { get; }

    /// <summary>Speed of sound, m/s: 343.2 sqrt(T / 293.15 K) as in ISO 9613-1 (within 0.01 % of 331.3 sqrt(1 + θ/273.15)).</summary>
    public double SpeedOfSoundMetersPerSecond { get; }

    /// <summary>Pure-tone attenuation coefficient α, dB per meter (ISO 9613-1 equation 5).</summary>
    /// <param name="frequencyHz">Frequency in Hz, at least 0.</param>
    /// <returns>α in dB/m: a pressure amplitude falls by α·d dB over d meters. Zero at DC.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="frequencyHz"/> is negative or not finite.</exception>
    public double AbsorptionDbPerMeter(double frequencyHz)
    {
        if (!(frequencyHz >= 0.0) || double.IsInfinity(frequencyHz))
        {
            throw new ArgumentOutOfRangeException(nameof(frequencyHz), frequencyHz, "Frequency must be finite and not negative.");
        }

        var f2 = frequencyHz * frequencyHz;
        var frO = OxygenRelaxationFrequencyHz;
        var frN = NitrogenRelaxationFrequencyHz;
        return 8.686 * f2 * (classicalFactor + (oxygenFactor / (frO + (f2 / frO))) + (nitrogenFactor / (frN + (f2 / frN))));
    }

    /// <summary>
    /// Amplitude factor 10^(-α(f)·d/20) a tone keeps after <paramref name="distanceMeters"/> of air.
    /// </summary>
    /// <param name="frequencyHz">Frequency in Hz, at least 0.</param>
    /// <param name="distanceMeters">Path length in meters, at least 0.</param>
    /// <returns>A factor in (0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is negative or not finite.</exception>
    public double AbsorptionFactor(double frequencyHz, double distanceMeters)
    {
        if (!(distanceMeters >= 0.0) || double.IsInfinity(distanceMeters))
        {
            throw new ArgumentOutOfRangeException(nameof(distanceMeters), distanceMeters, "Distance must be finite and not negative.");
        }

        return Math.Pow(10.0, -AbsorptionDbPerMeter(frequencyHz) * distanceMeters / 20.0);
    }

    /// <inheritdoc />
    public override string ToString() => $"{TemperatureCelsius:0.#} °C, {RelativeHumidityPercent:0.#} % RH, {PressureKilopascals:0.###} kPa";
}
