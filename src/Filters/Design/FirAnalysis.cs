using System.Numerics;

namespace SpatialAudio.Filters.Design;

/// <summary>Frequency-domain analysis of FIR filters, in double.</summary>
/// <remarks>Frequencies in Hz with the sample rate given; responses use H(e^jw) = sum h[n] e^(-jwn).</remarks>
public static class FirAnalysis
{
    /// <summary>Complex response at arbitrary frequencies, evaluated directly (Horner's scheme in double).</summary>
    /// <param name="taps">FIR taps, at least one.</param>
    /// <param name="frequenciesHz">Frequencies to evaluate, any order, any value (the response is periodic in the sample rate).</param>
    /// <param name="sampleRateHz">Sample rate in Hz, positive.</param>
    /// <returns>H at each frequency.</returns>
    public static Complex[] Response(ReadOnlySpan<double> taps, ReadOnlySpan<double> frequenciesHz, double sampleRateHz)
    {
        RequireTaps(taps);
        RequireRate(sampleRateHz);
        var result = new Complex[frequenciesHz.Length];
        for (var i = 0; i < frequenciesHz.Length; i++)
        {
            result[i] = Evaluate(taps, 2.0 * Math.PI * frequenciesHz[i] / sampleRateHz, weighted: false);
        }

        return result;
    }

    /// <summary>Complex response on the uniform grid f_k = k·fs/N, k = 0..N/2, by a double-precision FFT.</summary>
    /// <param name="taps">FIR taps, at least one, at most <paramref name="fftSize"/>.</param>
    /// <param name="fftSize">N, a power of two at least the tap count.</param>
    /// <returns>N/2 + 1 bins, DC to Nyquist.</returns>
    public static Complex[] ResponseOnGrid(ReadOnlySpan<double> taps, int fftSize)
    {
        RequireTaps(taps);
        if (!DoubleFft.IsPowerOfTwo(fftSize) || fftSize < taps.Length || fftSize < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(fftSize), fftSize, "FFT size must be a power of two, at least 2 and at least the tap count.");
        }

        var buffer = new Complex[fftSize];
        for (var n = 0; n < taps.Length; n++)
        {
            buffer[n] = taps[n];
        }

        DoubleFft.Forward(buffer);
        return buffer.AsSpan(0, (fftSize / 2) + 1).ToArray();
    }

    /// <summary>Magnitude in dB, 20·log10|H|; exact zeros give negative infinity.</summary>
    /// <param name="response">Complex response.</param>
    /// <returns>One value per bin.</returns>
    public static double[] MagnitudeDb(ReadOnlySpan<Complex> response)
    {
        var result = new double[response.Length];
        for (var i = 0; i < response.Length; i++)
        {
            result[i] = 20.0 * Math.Log10(response[i].Magnitude);
        }

        return result;
    }

    /// <summary>Phase in radians, unwrapped along the array (jumps larger than pi are taken as 2-pi wraps).</summary>
    /// <param name="response">Complex response on an ascending frequency grid dense enough that the true phase moves by less than pi per step.</param>
    /// <returns>One value per bin, starting at the principal value of the first.</returns>
    public static double[] UnwrappedPhase(ReadOnlySpan<Complex> response)
    {
        var result = new double[response.Length];
        var offset = 0.0;
        for (var i = 0; i < response.Length; i++)
        {
            var phase = response[i].Phase;
            if (i > 0)
            {
                var step = phase + offset - result[i - 1];
                offset -= 2.0 * Math.PI * Math.Round(step / (2.0 * Math.PI));
            }

            result[i] = phase + offset;
        }

        return result;
    }

    /// <summary>Group delay in samples, -d(phase)/dw, by the derivative formula Re(sum n h[n] e^-jwn / H).</summary>
    /// <param name="taps">FIR taps, at least one.</param>
    /// <param name="frequenciesHz">Frequencies to evaluate.</param>
    /// <param name="sampleRateHz">Sample rate in Hz, positive.</param>
    /// <returns>Group delay in samples at each frequency.</returns>
    /// <remarks>
    /// Exact (no phase differencing, no unwrapping). At a zero of H on the unit circle the group delay is singular;
    /// there |H|² is floored at 1e-30 of the tap energy, so the result stays finite (large) instead of NaN.
    /// </remarks>
    public static double[] GroupDelaySamples(ReadOnlySpan<double> taps, ReadOnlySpan<double> frequenciesHz, double sampleRateHz)
    {
        RequireTaps(taps);
        RequireRate(sampleRateHz);
        var energy = 0.0;
        foreach (var t in taps)
        {
            energy += t * t;
        }

        var floor = Math.Max(energy * 1e-30, double.Epsilon);
        var result = new double[frequenciesHz.Length];
        for (var i = 0; i < frequenciesHz.Length; i++)
        {
            var omega = 2.0 * Math.PI * frequenciesHz[i] / sampleRateHz;
            var h = Evaluate(taps, omega, weighted: false);
            var b = Evaluate(taps, omega, weighted: true);
            var power = Math.Max((h.Real * h.Real) + (h.Imaginary * h.Imaginary), floor);
            result[i] = ((b.Real * h.Real) + (b.Imaginary * h.Imaginary)) / power;
        }

        return result;
    }

    private static Complex Evaluate(ReadOnlySpan<double> taps, double omega, bool weighted)
    {
        // Horner in z^-1: round-off grows ~N·eps instead of the cos/sin-per-tap cost.
        var z = new Complex(Math.Cos(omega), -Math.Sin(omega));
        var acc = Complex.Zero;
        for (var n = taps.Length - 1; n >= 0; n--)
        {
            acc = (acc * z) + (weighted ? n * taps[n] : taps[n]);
        }

        return acc;
    }

    private static void RequireTaps(ReadOnlySpan<double> taps)
    {
        if (taps.IsEmpty)
        {
            throw new ArgumentException("At least one tap is required.", nameof(taps));
        }
    }

    private static void RequireRate(double sampleRateHz)
    {
        if (!(sampleRateHz > 0) || double.IsInfinity(sampleRateHz))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "Sample rate must be positive and finite.");
        }
    }
}
