namespace SpatialAudio.Filters.Iir;

/// <summary>
/// First-order sections by the bilinear transform with pre-warping, returned as <see cref="BiquadCoefficients"/>
/// with b2 = a2 = 0 so they share the biquad analysis and runtime.
/// </summary>
/// <remarks>
/// Frequencies in Hz with the sample rate, validated (0 &lt; f &lt; sampleRate/2). The low-pass and high-pass of the
/// same cutoff are power complementary and sum to exactly 1 (they share the pole).
/// </remarks>
public static class FirstOrderDesign
{
    /// <summary>One-pole low-pass (zero at Nyquist), -3 dB at <paramref name="cutoffHz"/>.</summary>
    /// <param name="cutoffHz">-3 dB frequency in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    public static BiquadCoefficients LowPass(double cutoffHz, double sampleRateHz)
    {
        var k = Warp(cutoffHz, sampleRateHz);
        var b = k / (1.0 + k);
        return new BiquadCoefficients(b, b, 0.0, (k - 1.0) / (k + 1.0), 0.0);
    }

    /// <summary>One-pole high-pass (zero at DC), -3 dB at <paramref name="cutoffHz"/>; LowPass + HighPass = 1.</summary>
    /// <param name="cutoffHz">-3 dB frequency in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    public static BiquadCoefficients HighPass(double cutoffHz, double sampleRateHz)
    {
        var k = Warp(cutoffHz, sampleRateHz);
        var b = 1.0 / (1.0 + k);
        return new BiquadCoefficients(b, -b, 0.0, (k - 1.0) / (k + 1.0), 0.0);
    }

    /// <summary>First-order all-pass whose phase is -90 degrees at <paramref name="breakHz"/> (0 at DC, -180 at Nyquist).</summary>
    /// <param name="breakHz">Frequency of -90 degrees phase in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    public static BiquadCoefficients AllPass(double breakHz, double sampleRateHz)
    {
        var k = Warp(breakHz, sampleRateHz);
        var c = (k - 1.0) / (k + 1.0);
        return new BiquadCoefficients(c, 1.0, 0.0, c, 0.0);
    }

    /// <summary>
    /// First-order all-pass with a low-frequency phase delay of <paramref name="delaySamples"/> (the first-order
    /// Thiran fractional delay): H(z) = (c + z^-1)/(1 + c z^-1), c = (1 - D)/(1 + D).
    /// </summary>
    /// <param name="delaySamples">Delay at DC in samples, greater than 0 (pole inside the unit circle); best in 0.5..1.5.</param>
    public static BiquadCoefficients AllPassForDelay(double delaySamples)
    {
        if (!(delaySamples > 0) || double.IsInfinity(delaySamples))
        {
            throw new ArgumentOutOfRangeException(nameof(delaySamples), delaySamples, "Delay must be positive and finite.");
        }

        var c = (1.0 - delaySamples) / (1.0 + delaySamples);
        return new BiquadCoefficients(c, 1.0, 0.0, c, 0.0);
    }

    /// <summary>First-order low shelf: <paramref name="gainDb"/> at DC, 0 dB at Nyquist, half the dB gain at the corner.</summary>
    /// <param name="cornerHz">Midpoint frequency in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="gainDb">Shelf gain in dB.</param>
    public static BiquadCoefficients LowShelf(double cornerHz, double sampleRateHz, double gainDb)
    {
        // Analog prototype (s + w sqrt(G)) / (s + w / sqrt(G)): G at DC, 1 at infinity, sqrt(G) at w.
        var k = Warp(cornerHz, sampleRateHz);
        var root = BiquadDesign.Amplitude(gainDb); // sqrt(G): Amplitude is 10^(dB/40)
        var a0 = 1.0 + (k / root);
        return new BiquadCoefficients((1.0 + (k * root)) / a0, ((k * root) - 1.0) / a0, 0.0, ((k / root) - 1.0) / a0, 0.0);
    }

    /// <summary>First-order high shelf: 0 dB at DC, <paramref name="gainDb"/> at Nyquist, half the dB gain at the corner.</summary>
    /// <param name="cornerHz">Midpoint frequency in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="gainDb">Shelf gain in dB.</param>
    public static BiquadCoefficients HighShelf(double cornerHz, double sampleRateHz, double gainDb)
    {
        // Analog prototype (sqrt(G) s + w) / (s / sqrt(G) + w): 1 at DC, G at infinity, sqrt(G) at w.
        var k = Warp(cornerHz, sampleRateHz);
        var root = BiquadDesign.Amplitude(gainDb);
        var a0 = (1.0 / root) + k;
        return new BiquadCoefficients((root + k) / a0, (k - root) / a0, 0.0, (k - (1.0 / root)) / a0, 0.0);
    }

    private static double Warp(double frequencyHz, double sampleRateHz)
    {
        BiquadDesign.ValidateFrequency(frequencyHz, sampleRateHz);
        return Math.Tan(Math.PI * frequencyHz / sampleRateHz);
    }
}
