namespace SpatialAudio.Filters.Iir;

/// <summary>Order of a Linkwitz-Riley crossover (slope 12 or 24 dB per octave).</summary>
public enum LinkwitzRileyOrder
{
    /// <summary>Second order: each output is two cascaded first-order Butterworth sections (one biquad, Q = 0.5).</summary>
    LR2 = 2,

    /// <summary>Fourth order: each output is two cascaded second-order Butterworth sections (Q = 1/sqrt(2)).</summary>
    LR4 = 4,
}

/// <summary>The sections of one Linkwitz-Riley crossover, to be run by <see cref="BiquadCascade"/>.</summary>
/// <param name="LowPass">Low output, in cascade.</param>
/// <param name="HighPass">High output, in cascade (polarity already set so that LowPass + HighPass is an all-pass).</param>
/// <param name="AllPass">
/// The all-pass equal to LowPass + HighPass: put it in a path that is not split at this crossover to keep it in
/// phase with the summed split path ("phase compensation").
/// </param>
public sealed record CrossoverSections(BiquadCoefficients[] LowPass, BiquadCoefficients[] HighPass, BiquadCoefficients[] AllPass);

/// <summary>Linkwitz-Riley crossover design: both outputs -6 dB at the crossover, their sum flat in magnitude.</summary>
/// <remarks>
/// The low-pass, high-pass and all-pass sections share one bilinear pre-warp, so the identity LP + HP = AP holds
/// for the digital filters exactly, not only for the analog prototypes. LR2's high output is inverted: without the
/// inversion LR2's outputs would cancel at the crossover (a notch in the sum).
/// </remarks>
public static class LinkwitzRiley
{
    /// <summary>Designs a crossover.</summary>
    /// <param name="order">LR2 or LR4.</param>
    /// <param name="crossoverHz">Crossover frequency in Hz, 0 &lt; f &lt; sampleRate/2.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    public static CrossoverSections Design(LinkwitzRileyOrder order, double crossoverHz, double sampleRateHz)
    {
        switch (order)
        {
            case LinkwitzRileyOrder.LR2:
                return new CrossoverSections(
                    [BiquadDesign.LowPass(crossoverHz, sampleRateHz, 0.5)],
                    [BiquadDesign.HighPass(crossoverHz, sampleRateHz, 0.5).Scale(-1.0)],
                    [FirstOrderDesign.AllPass(crossoverHz, sampleRateHz)]);
            case LinkwitzRileyOrder.LR4:
                var butterworthQ = 1.0 / Math.Sqrt(2.0);
                var low = BiquadDesign.LowPass(crossoverHz, sampleRateHz, butterworthQ);
                var high = BiquadDesign.HighPass(crossoverHz, sampleRateHz, butterworthQ);
                return new CrossoverSections([low, low], [high, high], [BiquadDesign.AllPass(crossoverHz, sampleRateHz, butterworthQ)]);
            default:
                throw new ArgumentOutOfRangeException(nameof(order), order, "Only LR2 and LR4 are supported.");
        }
    }
}
