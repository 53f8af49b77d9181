namespace SpatialAudio.Drivers.Rooms;

/// <summary>Random-incidence absorption coefficients of a surface per frequency band.</summary>
/// <remarks>
/// <para>Between band centers the coefficient is interpolated linearly in log-frequency; below the first and above
/// the last center it is held. Published material data stop at 4-8 kHz (rarely 16 kHz), so the ultrasonic sensing
/// band (32-46 kHz) holds the last band's value unless the caller supplies bands up there: hard surfaces stay near
/// their 8-16 kHz value, porous ones absorb at least as much as at 16 kHz, so holding errs on the reverberant side.</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class AbsorptionSpectrum
{
    private readonly double[] centersHz;
    private readonly double[] coefficients;

    /// <summary>Creates a spectrum from band centers and coefficients.</summary>
    /// <param name="bandCentersHz">Band center frequencies in Hz, strictly increasing, positive, at least one.</param>
    /// <param name="coefficients">Absorption coefficient per band, each in 0..1 (1 absorbs everything).</param>
    /// <exception cref="ArgumentException">The lists differ in length, are empty, or centers are not increasing.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A coefficient lies outside 0..1.</exception>
    public AbsorptionSpectrum(IReadOnlyList<double> bandCentersHz, IReadOnlyList<double> coefficients)
    {
        ArgumentNullException.ThrowIfNull(bandCentersHz);
        ArgumentNullException.ThrowIfNull(coefficients);
        if (bandCentersHz.Count == 0 || bandCentersHz.Count != coefficients.Count)
        {
            throw new ArgumentException("Give one coefficient per band center, at least one band.", nameof(coefficients));
        }

        centersHz = [.. bandCentersHz];
        this.coefficients = [.. coefficients];
        for (var b = 0; b < centersHz.Length; b++)
        {
            if (!(centersHz[b] > 0.0) || double.IsInfinity(centersHz[b]) || (b > 0 && !(centersHz[b] > centersHz[b - 1])))
            {
                throw new ArgumentException("Band centers must be positive, finite and strictly increasing.", nameof(bandCentersHz));
            }

            if (!(this.coefficients[b] >= 0.0 && this.coefficients[b] <= 1.0))
            {
                throw new ArgumentOutOfRangeException(nameof(coefficients), this.coefficients[b], $"Absorption coefficient of band {b} must lie in 0..1.");
            }
        }
    }

    /// <summary>The octave band centers 125 Hz .. 16 kHz used by <see cref="Octaves"/>.</summary>
    public static IReadOnlyList<double> OctaveBandCentersHz { get; } = [125.0, 250.0, 500.0, 1000.0, 2000.0, 4000.0, 8000.0, 16000.0];

    /// <summary>Band center frequencies, Hz.</summary>
    public IReadOnlyList<double> BandCentersHz => centersHz;

    /// <summary>Absorption coefficient per band.</summary>
    public IReadOnlyList<double> Coefficients => coefficients;

    /// <summary>A spectrum on the octave bands 125 Hz .. 16 kHz.</summary>
    /// <param name="coefficients125To16k">Eight coefficients, 125 Hz first.</param>
    /// <returns>The spectrum.</returns>
    public static AbsorptionSpectrum Octaves(params double[] coefficients125To16k)
    {
        ArgumentNullException.ThrowIfNull(coefficients125To16k);
        if (coefficients125To16k.Length != OctaveBandCentersHz.Count)
        {
            throw new ArgumentException("Give eight coefficients, 125 Hz .. 16 kHz.", nameof(coefficients125To16k));
        }

        return new AbsorptionSpectrum(OctaveBandCentersHz, coefficients125To16k);
    }

    /// <summary>The same coefficient in every octave band 125 Hz .. 16 kHz.</summary>
    /// <param name="coefficient">Absorption coefficient, 0..1.</param>
    /// <returns>The spectrum.</returns>
    public static AbsorptionSpectrum Uniform(double coefficient)
    {
        var values = new double[OctaveBandCentersHz.Count];
        Array.Fill(values, coefficient);
        return new AbsorptionSpectrum(OctaveBandCentersHz, values);
    }

    /// <summary>Absorption coefficient at a frequency (log-frequency interpolation, held outside the bands).</summary>
    /// <param name="frequencyHz">Frequency in Hz.</param>
    /// <returns>The coefficient, 0..1.</returns>
    public double CoefficientAt(double frequencyHz)
    {
        if (!(frequencyHz > centersHz[0]))
        {
            return coefficients[0];
        }

        var last = centersHz.Length - 1;
        if (frequencyHz >= centersHz[last])
        {
            return coefficients[last];
        }

        var b = 0;
        while (centersHz[b + 1] <= frequencyHz)
        {
            b++;
        }

        var t = Math.Log(frequencyHz / centersHz[b]) / Math.Log(centersHz[b + 1] / centersHz[b]);
        return coefficients[b] + (t * (coefficients[b + 1] - coefficients[b]));
    }

    /// <summary>Pressure reflection factor sqrt(1 - α) at a frequency (real, angle-independent).</summary>
    /// <param name="frequencyHz">Frequency in Hz.</param>
    /// <returns>The factor, 0..1.</returns>
    public double ReflectionFactorAt(double frequencyHz) => Math.Sqrt(1.0 - CoefficientAt(frequencyHz));
}
