namespace SpatialAudio.Filters.Iir;

/// <summary>
/// Second-order sections after R. Bristow-Johnson's Audio EQ Cookbook (bilinear transform with the frequency
/// pre-warped so the analog prototype's characteristic frequency lands exactly at the requested one), in double.
/// </summary>
/// <remarks>
/// Every method takes the frequency in Hz and the sample rate in Hz and validates them:
/// 0 &lt; frequency &lt; sampleRate/2, Q &gt; 0, gains finite. The returned coefficients are normalized (a0 = 1).
/// Bandwidth (octaves) and shelf slope parameterizations map to Q through <see cref="QFromBandwidthOctaves"/>
/// and <see cref="QFromShelfSlope"/>, exactly as the cookbook's alpha formulas do.
/// </remarks>
public static class BiquadDesign
{
    /// <summary>Low-pass, -3 dB at <paramref name="cutoffHz"/> when Q = 1/sqrt(2) (Butterworth).</summary>
    /// <param name="cutoffHz">Characteristic frequency in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="q">Quality factor; |H(f0)| = Q.</param>
    public static BiquadCoefficients LowPass(double cutoffHz, double sampleRateHz, double q)
    {
        var (cos, alpha) = Prepare(cutoffHz, sampleRateHz, q);
        var b = (1.0 - cos) / 2.0;
        return Normalize(b, 1.0 - cos, b, 1.0 + alpha, -2.0 * cos, 1.0 - alpha);
    }

    /// <summary>High-pass, -3 dB at <paramref name="cutoffHz"/> when Q = 1/sqrt(2) (Butterworth).</summary>
    /// <param name="cutoffHz">Characteristic frequency in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="q">Quality factor; |H(f0)| = Q.</param>
    public static BiquadCoefficients HighPass(double cutoffHz, double sampleRateHz, double q)
    {
        var (cos, alpha) = Prepare(cutoffHz, sampleRateHz, q);
        var b = (1.0 + cos) / 2.0;
        return Normalize(b, -(1.0 + cos), b, 1.0 + alpha, -2.0 * cos, 1.0 - alpha);
    }

    /// <summary>Band-pass with constant skirt gain: peak gain Q at <paramref name="centerHz"/>.</summary>
    /// <param name="centerHz">Center frequency in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="q">Quality factor (center / bandwidth).</param>
    public static BiquadCoefficients BandPassConstantSkirt(double centerHz, double sampleRateHz, double q)
    {
        var (cos, alpha) = Prepare(centerHz, sampleRateHz, q);
        var b = q * alpha;
        return Normalize(b, 0.0, -b, 1.0 + alpha, -2.0 * cos, 1.0 - alpha);
    }

    /// <summary>Band-pass with constant 0 dB peak gain at <paramref name="centerHz"/>.</summary>
    /// <param name="centerHz">Center frequency in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="q">Quality factor (center / bandwidth).</param>
    public static BiquadCoefficients BandPassConstantPeak(double centerHz, double sampleRateHz, double q)
    {
        var (cos, alpha) = Prepare(centerHz, sampleRateHz, q);
        return Normalize(alpha, 0.0, -alpha, 1.0 + alpha, -2.0 * cos, 1.0 - alpha);
    }

    /// <summary>Notch: a zero pair on the unit circle at <paramref name="centerHz"/>, unity gain at DC and Nyquist.</summary>
    /// <param name="centerHz">Notch frequency in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="q">Quality factor (center / -3 dB bandwidth).</param>
    public static BiquadCoefficients Notch(double centerHz, double sampleRateHz, double q)
    {
        var (cos, alpha) = Prepare(centerHz, sampleRateHz, q);
        return Normalize(1.0, -2.0 * cos, 1.0, 1.0 + alpha, -2.0 * cos, 1.0 - alpha);
    }

    /// <summary>Second-order all-pass: unit magnitude, phase -180 degrees at <paramref name="centerHz"/>.</summary>
    /// <param name="centerHz">Frequency of -180 degrees phase in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="q">Quality factor; higher Q makes the phase transition steeper.</param>
    public static BiquadCoefficients AllPass(double centerHz, double sampleRateHz, double q)
    {
        var (cos, alpha) = Prepare(centerHz, sampleRateHz, q);
        return Normalize(1.0 - alpha, -2.0 * cos, 1.0 + alpha, 1.0 + alpha, -2.0 * cos, 1.0 - alpha);
    }

    /// <summary>Peaking EQ: gain <paramref name="gainDb"/> at <paramref name="centerHz"/>, 0 dB at DC and Nyquist.</summary>
    /// <param name="centerHz">Center frequency in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="gainDb">Gain at the center in dB.</param>
    /// <param name="q">Quality factor (cookbook definition; boost and cut are mirror images).</param>
    public static BiquadCoefficients Peaking(double centerHz, double sampleRateHz, double gainDb, double q)
    {
        var (cos, alpha) = Prepare(centerHz, sampleRateHz, q);
        var a = Amplitude(gainDb);
        return Normalize(1.0 + (alpha * a), -2.0 * cos, 1.0 - (alpha * a), 1.0 + (alpha / a), -2.0 * cos, 1.0 - (alpha / a));
    }

    /// <summary>Peaking EQ with its width given as a bandwidth in octaves (between the midpoint-gain frequencies).</summary>
    /// <param name="centerHz">Center frequency in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="gainDb">Gain at the center in dB.</param>
    /// <param name="bandwidthOctaves">Bandwidth in octaves, positive.</param>
    public static BiquadCoefficients PeakingBandwidth(double centerHz, double sampleRateHz, double gainDb, double bandwidthOctaves) =>
        Peaking(centerHz, sampleRateHz, gainDb, QFromBandwidthOctaves(bandwidthOctaves, centerHz, sampleRateHz));

    /// <summary>Low shelf: gain <paramref name="gainDb"/> at DC, 0 dB at Nyquist, half the gain (in dB) at the corner.</summary>
    /// <param name="cornerHz">Midpoint frequency in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="gainDb">Shelf gain in dB.</param>
    /// <param name="q">Quality factor; 1/sqrt(2) is the steepest slope without overshoot (slope S = 1).</param>
    public static BiquadCoefficients LowShelf(double cornerHz, double sampleRateHz, double gainDb, double q)
    {
        var (cos, alpha) = Prepare(cornerHz, sampleRateHz, q);
        var a = Amplitude(gainDb);
        var twoSqrtAAlpha = 2.0 * Math.Sqrt(a) * alpha;
        return Normalize(
            a * ((a + 1.0) - ((a - 1.0) * cos) + twoSqrtAAlpha),
            2.0 * a * ((a - 1.0) - ((a + 1.0) * cos)),
            a * ((a + 1.0) - ((a - 1.0) * cos) - twoSqrtAAlpha),
            (a + 1.0) + ((a - 1.0) * cos) + twoSqrtAAlpha,
            -2.0 * ((a - 1.0) + ((a + 1.0) * cos)),
            (a + 1.0) + ((a - 1.0) * cos) - twoSqrtAAlpha);
    }

    /// <summary>Low shelf parameterized by the cookbook's shelf slope S (1 = steepest without overshoot).</summary>
    /// <param name="cornerHz">Midpoint frequency in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="gainDb">Shelf gain in dB.</param>
    /// <param name="slope">Shelf slope S, positive; see <see cref="QFromShelfSlope"/>.</param>
    public static BiquadCoefficients LowShelfSlope(double cornerHz, double sampleRateHz, double gainDb, double slope) =>
        LowShelf(cornerHz, sampleRateHz, gainDb, QFromShelfSlope(gainDb, slope));

    /// <summary>High shelf: 0 dB at DC, gain <paramref name="gainDb"/> at Nyquist, half the gain (in dB) at the corner.</summary>
    /// <param name="cornerHz">Midpoint frequency in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="gainDb">Shelf gain in dB.</param>
    /// <param name="q">Quality factor; 1/sqrt(2) is the steepest slope without overshoot (slope S = 1).</param>
    public static BiquadCoefficients HighShelf(double cornerHz, double sampleRateHz, double gainDb, double q)
    {
        var (cos, alpha) = Prepare(cornerHz, sampleRateHz, q);
        var a = Amplitude(gainDb);
        var twoSqrtAAlpha = 2.0 * Math.Sqrt(a) * alpha;
        return Normalize(
            a * ((a + 1.0) + ((a - 1.0) * cos) + twoSqrtAAlpha),
            -2.0 * a * ((a - 1.0) + ((a + 1.0) * cos)),
            a * ((a + 1.0) + ((a - 1.0) * cos) - twoSqrtAAlpha),
            (a + 1.0) - ((a - 1.0) * cos) + twoSqrtAAlpha,
            2.0 * ((a - 1.0) - ((a + 1.0) * cos)),
            (a + 1.0) - ((a - 1.0) * cos) - twoSqrtAAlpha);
    }

    /// <summary>High shelf parameterized by the cookbook's shelf slope S (1 = steepest without overshoot).</summary>
    /// <param name="cornerHz">Midpoint frequency in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="gainDb">Shelf gain in dB.</param>
    /// <param name="slope">Shelf slope S, positive; see <see cref="QFromShelfSlope"/>.</param>
    public static BiquadCoefficients HighShelfSlope(double cornerHz, double sampleRateHz, double gainDb, double slope) =>
        HighShelf(cornerHz, sampleRateHz, gainDb, QFromShelfSlope(gainDb, slope));

    /// <summary>
    /// Q for a digital bandwidth in octaves (cookbook: 1/Q = 2 sinh(ln2/2 * BW * w0 / sin w0)); for band-pass and
    /// notch BW is between the -3 dB points, for peaking EQ between the midpoint-gain points.
    /// </summary>
    /// <param name="bandwidthOctaves">Bandwidth in octaves, positive and finite.</param>
    /// <param name="centerHz">Center frequency in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    public static double QFromBandwidthOctaves(double bandwidthOctaves, double centerHz, double sampleRateHz)
    {
        ValidateFrequency(centerHz, sampleRateHz);
        if (!(bandwidthOctaves > 0) || double.IsInfinity(bandwidthOctaves))
        {
            throw new ArgumentOutOfRangeException(nameof(bandwidthOctaves), bandwidthOctaves, "Bandwidth must be positive and finite.");
        }

        var omega = 2.0 * Math.PI * centerHz / sampleRateHz;
        return 1.0 / (2.0 * Math.Sinh(Math.Log(2.0) / 2.0 * bandwidthOctaves * omega / Math.Sin(omega)));
    }

    /// <summary>
    /// Q for a shelf slope S (cookbook: 1/Q = sqrt((A + 1/A)(1/S - 1) + 2), A = 10^(gainDb/40)); S = 1 gives
    /// Q = 1/sqrt(2) for every gain.
    /// </summary>
    /// <param name="gainDb">Shelf gain in dB, finite.</param>
    /// <param name="slope">Slope S, positive, at most the value where the square root's argument reaches 0.</param>
    public static double QFromShelfSlope(double gainDb, double slope)
    {
        var a = Amplitude(gainDb);
        if (!(slope > 0) || double.IsInfinity(slope))
        {
            throw new ArgumentOutOfRangeException(nameof(slope), slope, "Shelf slope must be positive and finite.");
        }

        var argument = ((a + (1.0 / a)) * ((1.0 / slope) - 1.0)) + 2.0;
        if (!(argument > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(slope), slope, "Shelf slope too steep for this gain (Q would be infinite).");
        }

        return 1.0 / Math.Sqrt(argument);
    }

    internal static void ValidateFrequency(double frequencyHz, double sampleRateHz)
    {
        if (!(sampleRateHz > 0) || double.IsInfinity(sampleRateHz))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "Sample rate must be positive and finite.");
        }

        if (!(frequencyHz > 0 && frequencyHz < sampleRateHz / 2.0))
        {
            throw new ArgumentOutOfRangeException(nameof(frequencyHz), frequencyHz, "Frequency must lie strictly between 0 and half the sample rate.");
        }
    }

    internal static double Amplitude(double gainDb)
    {
        if (!double.IsFinite(gainDb))
        {
            throw new ArgumentOutOfRangeException(nameof(gainDb), gainDb, "Gain must be finite.");
        }

        return Math.Pow(10.0, gainDb / 40.0);
    }

    private static (double Cos, double Alpha) Prepare(double frequencyHz, double sampleRateHz, double q)
    {
        ValidateFrequency(frequencyHz, sampleRateHz);
        if (!(q > 0) || double.IsInfinity(q))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "Q must be positive and finite.");
        }

        var omega = 2.0 * Math.PI * frequencyHz / sampleRateHz;
        return (Math.Cos(omega), Math.Sin(omega) / (2.0 * q));
    }

    private static BiquadCoefficients Normalize(double b0, double b1, double b2, double a0, double a1, double a2) =>
        new(b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0);
}
