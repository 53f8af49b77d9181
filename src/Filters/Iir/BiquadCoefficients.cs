using System.Numerics;

namespace SpatialAudio.Filters.Iir;

/// <summary>
/// Coefficients of one second-order section H(z) = (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2),
/// normalized so that a0 = 1, in double, with the frequency-response analysis of that transfer function.
/// </summary>
/// <remarks>
/// Designed by <see cref="BiquadDesign"/>, <see cref="FirstOrderDesign"/> (a first-order section has b2 = a2 = 0)
/// and <see cref="LinkwitzRiley"/>; run by <see cref="BiquadCascade"/>. Analysis is exact, evaluated in double
/// on the unit circle; it costs trigonometric calls and is meant for design time, not for a real-time thread.
/// </remarks>
/// <param name="B0">Feed-forward coefficient of z^0.</param>
/// <param name="B1">Feed-forward coefficient of z^-1.</param>
/// <param name="B2">Feed-forward coefficient of z^-2.</param>
/// <param name="A1">Feedback coefficient of z^-1 (a0 = 1).</param>
/// <param name="A2">Feedback coefficient of z^-2.</param>
public readonly record struct BiquadCoefficients(double B0, double B1, double B2, double A1, double A2)
{
    /// <summary>The section that passes its input unchanged (b0 = 1, all else 0).</summary>
    public static BiquadCoefficients Identity => new(1.0, 0.0, 0.0, 0.0, 0.0);

    /// <summary>True when every coefficient is finite.</summary>
    public bool IsFinite =>
        double.IsFinite(B0) && double.IsFinite(B1) && double.IsFinite(B2) && double.IsFinite(A1) && double.IsFinite(A2);

    /// <summary>
    /// True when both poles lie strictly inside the unit circle (the Jury conditions |a2| &lt; 1 and |a1| &lt; 1 + a2).
    /// </summary>
    public bool IsStable => IsFinite && Math.Abs(A2) < 1.0 && Math.Abs(A1) < 1.0 + A2;

    /// <summary>The section with its numerator scaled by <paramref name="gain"/> (linear).</summary>
    /// <param name="gain">Linear gain; -1 inverts polarity.</param>
    public BiquadCoefficients Scale(double gain) => this with { B0 = B0 * gain, B1 = B1 * gain, B2 = B2 * gain };

    /// <summary>Complex frequency response H(e^{jw}) at <paramref name="frequencyHz"/>.</summary>
    /// <param name="frequencyHz">Frequency in Hz, 0 .. sampleRate/2 (other values are evaluated as they are).</param>
    /// <param name="sampleRateHz">Sample rate in Hz, positive.</param>
    public Complex Response(double frequencyHz, double sampleRateHz)
    {
        var omega = TransferFunction.Omega(frequencyHz, sampleRateHz);
        return TransferFunction.Evaluate([B0, B1, B2], [1.0, A1, A2], omega);
    }

    /// <summary>Magnitude of the response in dB (20 log10 |H|).</summary>
    /// <param name="frequencyHz">Frequency in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz, positive.</param>
    public double MagnitudeDb(double frequencyHz, double sampleRateHz) =>
        20.0 * Math.Log10(Response(frequencyHz, sampleRateHz).Magnitude);

    /// <summary>Phase of the response in radians, wrapped to (-pi, pi].</summary>
    /// <param name="frequencyHz">Frequency in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz, positive.</param>
    public double PhaseRadians(double frequencyHz, double sampleRateHz) => Response(frequencyHz, sampleRateHz).Phase;

    /// <summary>Group delay -d(phase)/d(omega) in samples, by the exact formula for a ratio of polynomials.</summary>
    /// <param name="frequencyHz">Frequency in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz, positive.</param>
    /// <remarks>Undefined (returned as it falls out, possibly non-finite) exactly at a zero on the unit circle.</remarks>
    public double GroupDelaySamples(double frequencyHz, double sampleRateHz)
    {
        var omega = TransferFunction.Omega(frequencyHz, sampleRateHz);
        return TransferFunction.GroupDelay([B0, B1, B2], [1.0, A1, A2], omega);
    }
}
