namespace SpatialAudio.Filters.Design;

/// <summary>Window functions for FIR design and spectral analysis, computed in double.</summary>
public static class Windows
{
    /// <summary>Fills <paramref name="destination"/> with a symmetric Kaiser window.</summary>
    /// <param name="destination">Window values; its length is the window length (at least 1).</param>
    /// <param name="beta">Shape parameter, at least 0 (0 is rectangular); see <see cref="KaiserBeta"/>.</param>
    public static void Kaiser(Span<double> destination, double beta)
    {
        if (destination.IsEmpty)
        {
            throw new ArgumentException("Window length must be at least 1.", nameof(destination));
        }

        if (!(beta >= 0) || double.IsInfinity(beta))
        {
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "Kaiser beta must be finite and >= 0.");
        }

        var length = destination.Length;
        if (length == 1)
        {
            destination[0] = 1.0;
            return;
        }

        var denominator = BesselI0(beta);
        for (var n = 0; n < length; n++)
        {
            var r = ((2.0 * n) / (length - 1)) - 1.0;
            destination[n] = BesselI0(beta * Math.Sqrt(Math.Max(0.0, 1.0 - (r * r)))) / denominator;
        }
    }

    /// <summary>Kaiser's empirical beta for a stopband attenuation (Kaiser 1974, as in Oppenheim and Schafer).</summary>
    /// <param name="attenuationDb">Desired stopband attenuation in dB, positive.</param>
    public static double KaiserBeta(double attenuationDb)
    {
        return attenuationDb > 50 ? 0.1102 * (attenuationDb - 8.7)
            : attenuationDb >= 21 ? (0.5842 * Math.Pow(attenuationDb - 21, 0.4)) + (0.07886 * (attenuationDb - 21))
            : 0.0;
    }

    /// <summary>Kaiser's estimate of the FIR length for an attenuation and a transition width.</summary>
    /// <param name="attenuationDb">Stopband attenuation in dB.</param>
    /// <param name="transitionWidthHz">Width of the transition band in Hz, positive.</param>
    /// <param name="sampleRateHz">Sample rate in Hz, positive.</param>
    /// <returns>Number of taps (odd, so the filter has an integer group delay).</returns>
    public static int KaiserLength(double attenuationDb, double transitionWidthHz, double sampleRateHz)
    {
        if (!(transitionWidthHz > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(transitionWidthHz), transitionWidthHz, "Transition width must be positive.");
        }

        if (!(sampleRateHz > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "Sample rate must be positive.");
        }

        var deltaOmega = 2.0 * Math.PI * transitionWidthHz / sampleRateHz;
        var order = (int)Math.Ceiling((attenuationDb - 7.95) / (2.285 * deltaOmega));
        var length = Math.Max(order + 1, 3);
        return (length & 1) == 0 ? length + 1 : length;
    }

    /// <summary>Fills <paramref name="destination"/> with a symmetric Hann window.</summary>
    /// <param name="destination">Window values; its length is the window length.</param>
    public static void Hann(Span<double> destination)
    {
        var length = destination.Length;
        for (var n = 0; n < length; n++)
        {
            destination[n] = length == 1 ? 1.0 : 0.5 - (0.5 * Math.Cos(2.0 * Math.PI * n / (length - 1)));
        }
    }

    /// <summary>Fills <paramref name="destination"/> with a periodic Hann window (for STFT overlap-add).</summary>
    /// <param name="destination">Window values; its length is the window length.</param>
    public static void HannPeriodic(Span<double> destination)
    {
        var length = destination.Length;
        for (var n = 0; n < length; n++)
        {
            destination[n] = 0.5 - (0.5 * Math.Cos(2.0 * Math.PI * n / length));
        }
    }

    /// <summary>Zeroth-order modified Bessel function of the first kind, by its power series.</summary>
    /// <param name="x">Argument.</param>
    public static double BesselI0(double x)
    {
        var sum = 1.0;
        var term = 1.0;
        var quarterSquare = x * x / 4.0;
        for (var k = 1; k < 500; k++)
        {
            term *= quarterSquare / (k * (double)k);
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }
}
