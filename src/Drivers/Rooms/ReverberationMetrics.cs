namespace SpatialAudio.Drivers.Rooms;

/// <summary>Room-acoustic figures computed from an impulse response (ISO 3382-style Schroeder analysis).</summary>
/// <remarks>
/// Design-time code, thread-safe. Broadband unless the caller band-filters the response first, which image-source
/// responses need: with real positive reflection factors every image adds in phase at DC, so the broadband response
/// carries a slowly decaying low-frequency build-up that lengthens T20/T30 (a 5 x 4 x 2.7 m room at α = 0.3: 0.42 s
/// broadband against 0.34 s in 250 Hz .. 7 kHz). Allen and Berkley high-pass their responses for the same reason.
/// </remarks>
public static class ReverberationMetrics
{
    /// <summary>Schroeder backward-integrated energy decay curve, dB relative to the total energy.</summary>
    /// <param name="impulseResponse">The impulse response.</param>
    /// <returns>EDC(n) = 10 log10(Σ_{m≥n} h[m]² / Σ h²); 0 dB at n = 0, -infinity after the last non-zero sample.</returns>
    /// <exception cref="ArgumentException">The response is empty or all zero.</exception>
    public static double[] SchroederDecayDb(ReadOnlySpan<double> impulseResponse)
    {
        var decay = new double[impulseResponse.Length];
        var sum = 0.0;
        for (var n = impulseResponse.Length - 1; n >= 0; n--)
        {
            sum += impulseResponse[n] * impulseResponse[n];
            decay[n] = sum;
        }

        if (!(sum > 0.0))
        {
            throw new ArgumentException("The impulse response has no energy.", nameof(impulseResponse));
        }

        for (var n = 0; n < decay.Length; n++)
        {
            decay[n] = 10.0 * Math.Log10(decay[n] / sum);
        }

        return decay;
    }

    /// <summary>
    /// Decay time extrapolated to 60 dB from a least-squares line through the decay curve between two levels
    /// (T20: -5 .. -25 dB, T30: -5 .. -35 dB, EDT: 0 .. -10 dB).
    /// </summary>
    /// <param name="decayDb">A decay curve from <see cref="SchroederDecayDb"/>.</param>
    /// <param name="sampleRateHz">Sample rate, Hz.</param>
    /// <param name="startDb">Upper level, dB (e.g. -5).</param>
    /// <param name="endDb">Lower level, dB (e.g. -25), below <paramref name="startDb"/>.</param>
    /// <returns>Seconds; NaN when the curve does not reach <paramref name="endDb"/>.</returns>
    public static double DecayTimeSeconds(ReadOnlySpan<double> decayDb, double sampleRateHz, double startDb, double endDb)
    {
        if (!(sampleRateHz > 0.0))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "Sample rate must be positive.");
        }

        if (!(endDb < startDb && startDb <= 0.0))
        {
            throw new ArgumentOutOfRangeException(nameof(endDb), endDb, "Need 0 >= startDb > endDb.");
        }

        double n = 0, sumT = 0, sumL = 0, sumTT = 0, sumTL = 0;
        var reached = false;
        for (var i = 0; i < decayDb.Length; i++)
        {
            var level = decayDb[i];
            if (level < endDb)
            {
                reached = true;
                break;
            }

            if (level <= startDb)
            {
                var t = i / sampleRateHz;
                n++;
                sumT += t;
                sumL += level;
                sumTT += t * t;
                sumTL += t * level;
            }
        }

        if (!reached || n < 2)
        {
            return double.NaN;
        }

        var slope = ((n * sumTL) - (sumT * sumL)) / ((n * sumTT) - (sumT * sumT));
        return -60.0 / slope;
    }

    /// <summary>T20: decay time from the -5 .. -25 dB part of the decay curve, seconds (NaN if not reached).</summary>
    /// <param name="impulseResponse">The impulse response.</param>
    /// <param name="sampleRateHz">Sample rate, Hz.</param>
    public static double T20Seconds(ReadOnlySpan<double> impulseResponse, double sampleRateHz)
        => DecayTimeSeconds(SchroederDecayDb(impulseResponse), sampleRateHz, -5.0, -25.0);

    /// <summary>T30: decay time from the -5 .. -35 dB part of the decay curve, seconds (NaN if not reached).</summary>
    /// <param name="impulseResponse">The impulse response.</param>
    /// <param name="sampleRateHz">Sample rate, Hz.</param>
    public static double T30Seconds(ReadOnlySpan<double> impulseResponse, double sampleRateHz)
        => DecayTimeSeconds(SchroederDecayDb(impulseResponse), sampleRateHz, -5.0, -35.0);

    /// <summary>
    /// Direct-to-reverberant ratio of an impulse response: energy within ±<paramref name="halfWindowSeconds"/> of the
    /// direct arrival against all other energy, dB.
    /// </summary>
    /// <param name="impulseResponse">The impulse response.</param>
    /// <param name="sampleRateHz">Sample rate, Hz.</param>
    /// <param name="directDelaySeconds">Arrival time of the direct sound, seconds.</param>
    /// <param name="halfWindowSeconds">Half-width of the direct window, seconds (2.5 ms is customary; keep it
    /// longer than the pulse, 32 samples here, and shorter than the first reflection's lag).</param>
    /// <returns>DRR in dB.</returns>
    public static double DirectToReverberantRatioDb(ReadOnlySpan<double> impulseResponse, double sampleRateHz, double directDelaySeconds, double halfWindowSeconds = 0.0025)
    {
        if (!(sampleRateHz > 0.0))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "Sample rate must be positive.");
        }

        if (!(halfWindowSeconds > 0.0))
        {
            throw new ArgumentOutOfRangeException(nameof(halfWindowSeconds), halfWindowSeconds, "The window must be positive.");
        }

        var center = directDelaySeconds * sampleRateHz;
        var half = halfWindowSeconds * sampleRateHz;
        double direct = 0.0, rest = 0.0;
        for (var n = 0; n < impulseResponse.Length; n++)
        {
            var e = impulseResponse[n] * impulseResponse[n];
            if (Math.Abs(n - center) <= half)
            {
                direct += e;
            }
            else
            {
                rest += e;
            }
        }

        return 10.0 * Math.Log10(direct / rest);
    }
}
