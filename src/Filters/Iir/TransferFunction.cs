using System.Numerics;

namespace SpatialAudio.Filters.Iir;

/// <summary>
/// Frequency-domain analysis of a rational transfer function B(z)/A(z) given by its coefficients in powers of
/// z^-1, in double. Shared by the biquad, all-pass and FIR designs.
/// </summary>
public static class TransferFunction
{
    /// <summary>Angular frequency w = 2 pi f / fs in radians per sample, with the sample rate validated.</summary>
    /// <param name="frequencyHz">Frequency in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz, positive and finite.</param>
    public static double Omega(double frequencyHz, double sampleRateHz)
    {
        if (!(sampleRateHz > 0) || double.IsInfinity(sampleRateHz))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "Sample rate must be positive and finite.");
        }

        if (!double.IsFinite(frequencyHz))
        {
            throw new ArgumentOutOfRangeException(nameof(frequencyHz), frequencyHz, "Frequency must be finite.");
        }

        return 2.0 * Math.PI * frequencyHz / sampleRateHz;
    }

    /// <summary>H(e^{jw}) = sum b_k e^{-jwk} / sum a_k e^{-jwk}.</summary>
    /// <param name="numerator">b_0 .. b_M.</param>
    /// <param name="denominator">a_0 .. a_N (an empty span means A = 1).</param>
    /// <param name="omega">Angular frequency in radians per sample.</param>
    public static Complex Evaluate(ReadOnlySpan<double> numerator, ReadOnlySpan<double> denominator, double omega)
    {
        var b = Polynomial(numerator, omega);
        return denominator.IsEmpty ? b : b / Polynomial(denominator, omega);
    }

    /// <summary>Group delay in samples, tau(w) = Re(sum k b_k e^{-jwk} / B) - Re(sum k a_k e^{-jwk} / A).</summary>
    /// <param name="numerator">b_0 .. b_M.</param>
    /// <param name="denominator">a_0 .. a_N (an empty span means A = 1).</param>
    /// <param name="omega">Angular frequency in radians per sample.</param>
    public static double GroupDelay(ReadOnlySpan<double> numerator, ReadOnlySpan<double> denominator, double omega)
    {
        var tau = RampRatio(numerator, omega);
        if (!denominator.IsEmpty)
        {
            tau -= RampRatio(denominator, omega);
        }

        return tau;
    }

    /// <summary>Phase delay -phase(w)/w in samples, with the phase unwrapped from DC (w must be &gt; 0).</summary>
    /// <param name="numerator">b_0 .. b_M.</param>
    /// <param name="denominator">a_0 .. a_N (an empty span means A = 1).</param>
    /// <param name="omega">Angular frequency in radians per sample, positive.</param>
    /// <remarks>Unwrapping integrates the group delay on a fine grid, so it is exact for any phase excursion.</remarks>
    public static double PhaseDelay(ReadOnlySpan<double> numerator, ReadOnlySpan<double> denominator, double omega)
    {
        if (!(omega > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(omega), omega, "Phase delay needs a positive frequency.");
        }

        // Integrate the group delay to get a continuous estimate, then snap to the exact wrapped phase.
        const int steps = 256;
        var integral = 0.0;
        var h = omega / steps;
        for (var i = 0; i < steps; i++)
        {
            integral += h * GroupDelay(numerator, denominator, (i + 0.5) * h);
        }

        var wrapped = Evaluate(numerator, denominator, omega).Phase;
        var approx = -integral;
        var turns = Math.Round((approx - wrapped) / (2.0 * Math.PI));
        return -(wrapped + (turns * 2.0 * Math.PI)) / omega;
    }

    private static Complex Polynomial(ReadOnlySpan<double> coefficients, double omega)
    {
        var re = 0.0;
        var im = 0.0;
        for (var k = 0; k < coefficients.Length; k++)
        {
            re += coefficients[k] * Math.Cos(omega * k);
            im -= coefficients[k] * Math.Sin(omega * k);
        }

        return new Complex(re, im);
    }

    private static double RampRatio(ReadOnlySpan<double> coefficients, double omega)
    {
        var sum = Complex.Zero;
        var ramp = Complex.Zero;
        for (var k = 0; k < coefficients.Length; k++)
        {
            var term = coefficients[k] * Complex.FromPolarCoordinates(1.0, -omega * k);
            sum += term;
            ramp += k * term;
        }

        return (ramp / sum).Real;
    }
}
