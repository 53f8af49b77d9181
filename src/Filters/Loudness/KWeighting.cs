using SpatialAudio.Filters.Iir;

namespace SpatialAudio.Filters.Loudness;

/// <summary>
/// The ITU-R BS.1770-4 K-weighting: a high-shelf pre-filter (head acoustics) followed by the RLB high-pass, for
/// any sample rate.
/// </summary>
/// <remarks>
/// <para>The standard tabulates the two biquads for 48 kHz only. Here both are the bilinear transform, with
/// pre-warping, of the analog prototypes that reproduce those tables (shelf f0 = 1681.97 Hz, gain 3.99984 dB,
/// Q = 0.70718; high-pass f0 = 38.135 Hz, Q = 0.50033; the parameter values fitted to the 48 kHz table as in
/// libebur128), so at 48 kHz the coefficients equal the published ones to better than 1e-6 (tested).</para>
/// <para>The standard's RLB numerator is (1, -2, 1) unnormalized, a passband gain of 1 + K/Q + K^2 at 48 kHz that
/// its -0.691 dB constant absorbs; other rates keep that same passband gain (numerator scaled by
/// a0(48 kHz) / a0(fs)), so a tone reads the same loudness at every sample rate.</para>
/// </remarks>
public static class KWeighting
{
    /// <summary>Pre-filter shelf frequency in Hz.</summary>
    public const double ShelfFrequencyHz = 1681.974450955533;

    /// <summary>Pre-filter high-frequency gain in dB.</summary>
    public const double ShelfGainDb = 3.999843853973347;

    /// <summary>Pre-filter Q.</summary>
    public const double ShelfQ = 0.7071752369554196;

    /// <summary>RLB high-pass frequency in Hz.</summary>
    public const double HighPassFrequencyHz = 38.13547087602444;

    /// <summary>RLB high-pass Q.</summary>
    public const double HighPassQ = 0.5003270373238773;

    // The shelf's mid-band zero gain exponent that matches the tabulated numerator.
    private const double ShelfMidExponent = 0.4996667741545416;

    /// <summary>The pre-filter (stage 1) at a sample rate.</summary>
    /// <param name="sampleRateHz">Sample rate in Hz, above 2 * <see cref="ShelfFrequencyHz"/>.</param>
    public static BiquadCoefficients PreFilter(double sampleRateHz)
    {
        BiquadDesign.ValidateFrequency(ShelfFrequencyHz, sampleRateHz);
        var k = Math.Tan(Math.PI * ShelfFrequencyHz / sampleRateHz);
        var vh = Math.Pow(10.0, ShelfGainDb / 20.0);
        var vb = Math.Pow(vh, ShelfMidExponent);
        var a0 = 1.0 + (k / ShelfQ) + (k * k);
        return new BiquadCoefficients(
            (vh + (vb * k / ShelfQ) + (k * k)) / a0,
            2.0 * ((k * k) - vh) / a0,
            (vh - (vb * k / ShelfQ) + (k * k)) / a0,
            2.0 * ((k * k) - 1.0) / a0,
            (1.0 - (k / ShelfQ) + (k * k)) / a0);
    }

    /// <summary>The RLB high-pass (stage 2) at a sample rate.</summary>
    /// <param name="sampleRateHz">Sample rate in Hz, above 2 * <see cref="ShelfFrequencyHz"/>.</param>
    public static BiquadCoefficients RlbHighPass(double sampleRateHz)
    {
        BiquadDesign.ValidateFrequency(ShelfFrequencyHz, sampleRateHz);
        var a0 = A0(sampleRateHz);
        var k = Math.Tan(Math.PI * HighPassFrequencyHz / sampleRateHz);
        var gain = A0(48000.0) / a0;
        return new BiquadCoefficients(
            gain,
            -2.0 * gain,
            gain,
            2.0 * ((k * k) - 1.0) / a0,
            (1.0 - (k / HighPassQ) + (k * k)) / a0);
    }

    /// <summary>Both stages in processing order, for a <see cref="BiquadCascade"/>.</summary>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    public static BiquadCoefficients[] Sections(double sampleRateHz) => [PreFilter(sampleRateHz), RlbHighPass(sampleRateHz)];

    private static double A0(double sampleRateHz)
    {
        var k = Math.Tan(Math.PI * HighPassFrequencyHz / sampleRateHz);
        return 1.0 + (k / HighPassQ) + (k * k);
    }
}
