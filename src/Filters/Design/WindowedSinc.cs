namespace SpatialAudio.Filters.Design;

/// <summary>Linear-phase FIR design by the window method (Kaiser window), in double.</summary>
public static class WindowedSinc
{
    /// <summary>Designs a low-pass FIR with unit DC gain.</summary>
    /// <param name="cutoffHz">-6 dB point in Hz, 0 &lt; cutoff &lt; sampleRate/2.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="length">Number of taps, at least 1. Odd lengths give an integer group delay of (length-1)/2.</param>
    /// <param name="kaiserBeta">Kaiser window shape; <see cref="Windows.KaiserBeta"/> maps attenuation to it.</param>
    /// <returns>The taps.</returns>
    public static double[] LowPass(double cutoffHz, double sampleRateHz, int length, double kaiserBeta)
    {
        if (!(sampleRateHz > 0) || double.IsInfinity(sampleRateHz))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "Sample rate must be positive and finite.");
        }

        if (!(cutoffHz > 0 && cutoffHz < sampleRateHz / 2))
        {
            throw new ArgumentOutOfRangeException(nameof(cutoffHz), cutoffHz, "Cutoff must lie between 0 and half the sample rate.");
        }

        if (length < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "Length must be at least 1.");
        }

        var taps = new double[length];
        Windows.Kaiser(taps, kaiserBeta);
        var normalizedCutoff = cutoffHz / sampleRateHz;
        var center = (length - 1) / 2.0;
        var sum = 0.0;
        for (var n = 0; n < length; n++)
        {
            var t = n - center;
            var sinc = t == 0 ? 2.0 * normalizedCutoff : Math.Sin(2.0 * Math.PI * normalizedCutoff * t) / (Math.PI * t);
            taps[n] *= sinc;
            sum += taps[n];
        }

        for (var n = 0; n < length; n++)
        {
            taps[n] /= sum;
        }

        return taps;
    }
    /// <summary>Designs a high-pass FIR (spectral inversion of <see cref="LowPass"/>), unit gain at Nyquist up to the ripple.</summary>
    /// <param name="cutoffHz">-6 dB point in Hz, 0 &lt; cutoff &lt; sampleRate/2.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="length">Number of taps, odd (an even-length linear-phase FIR has a zero at Nyquist).</param>
    /// <param name="kaiserBeta">Kaiser window shape.</param>
    /// <returns>The taps; DC gain is zero up to the stopband ripple.</returns>
    public static double[] HighPass(double cutoffHz, double sampleRateHz, int length, double kaiserBeta)
    {
        RequireOdd(length);
        var taps = LowPass(cutoffHz, sampleRateHz, length, kaiserBeta);
        Invert(taps);
        return taps;
    }

    /// <summary>Designs a band-pass FIR, unit gain at the band center.</summary>
    /// <param name="lowCutoffHz">Lower -6 dB point in Hz.</param>
    /// <param name="highCutoffHz">Upper -6 dB point in Hz, above <paramref name="lowCutoffHz"/> and below sampleRate/2.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="length">Number of taps, at least 1.</param>
    /// <param name="kaiserBeta">Kaiser window shape.</param>
    /// <returns>The taps, normalized to unit gain at (low + high) / 2.</returns>
    public static double[] BandPass(double lowCutoffHz, double highCutoffHz, double sampleRateHz, int length, double kaiserBeta)
    {
        var taps = RawBandPass(lowCutoffHz, highCutoffHz, sampleRateHz, length, kaiserBeta);
        var centerGain = Magnitude(taps, 0.5 * (lowCutoffHz + highCutoffHz) / sampleRateHz);
        for (var n = 0; n < length; n++)
        {
            taps[n] /= centerGain;
        }

        return taps;
    }

    /// <summary>Designs a band-stop FIR with unit DC gain.</summary>
    /// <param name="lowCutoffHz">Lower -6 dB point in Hz.</param>
    /// <param name="highCutoffHz">Upper -6 dB point in Hz, above <paramref name="lowCutoffHz"/> and below sampleRate/2.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="length">Number of taps, odd.</param>
    /// <param name="kaiserBeta">Kaiser window shape.</param>
    /// <returns>The taps.</returns>
    public static double[] BandStop(double lowCutoffHz, double highCutoffHz, double sampleRateHz, int length, double kaiserBeta)
    {
        RequireOdd(length);
        var taps = RawBandPass(lowCutoffHz, highCutoffHz, sampleRateHz, length, kaiserBeta);
        Invert(taps);
        var dc = 0.0;
        foreach (var t in taps)
        {
            dc += t;
        }

        for (var n = 0; n < length; n++)
        {
            taps[n] /= dc;
        }

        return taps;
    }

    /// <summary>Designs a low-pass FIR from a specification, choosing length and beta by Kaiser's formulas.</summary>
    /// <param name="passbandEdgeHz">Last frequency of the passband in Hz.</param>
    /// <param name="stopbandEdgeHz">First frequency of the stopband in Hz, above the passband edge and at most sampleRate/2.</param>
    /// <param name="attenuationDb">Stopband attenuation in dB (the passband ripple is then about the same fraction, 10^(-A/20)).</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <returns>The taps (odd count); cutoff at the middle of the transition band.</returns>
    /// <remarks>Kaiser's length estimate is good to a few taps; the length is then grown (in steps of about 2%) until the
    /// stopband attenuation, measured on a dense grid, meets the spec. The same holds for the other <c>ForSpec</c> designs.</remarks>
    public static double[] LowPassForSpec(double passbandEdgeHz, double stopbandEdgeHz, double attenuationDb, double sampleRateHz)
    {
        var (length, beta) = KaiserSpec(passbandEdgeHz, stopbandEdgeHz, attenuationDb, sampleRateHz);
        return MeetSpec(n => LowPass(0.5 * (passbandEdgeHz + stopbandEdgeHz), sampleRateHz, n, beta), length, attenuationDb,
            sampleRateHz, (stopbandEdgeHz, sampleRateHz / 2));
    }

    /// <summary>Designs a high-pass FIR from a specification (stopband below, passband above).</summary>
    /// <param name="stopbandEdgeHz">Last frequency of the stopband in Hz.</param>
    /// <param name="passbandEdgeHz">First frequency of the passband in Hz, above the stopband edge.</param>
    /// <param name="attenuationDb">Stopband attenuation in dB.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <returns>The taps (odd count).</returns>
    public static double[] HighPassForSpec(double stopbandEdgeHz, double passbandEdgeHz, double attenuationDb, double sampleRateHz)
    {
        var (length, beta) = KaiserSpec(stopbandEdgeHz, passbandEdgeHz, attenuationDb, sampleRateHz);
        return MeetSpec(n => HighPass(0.5 * (passbandEdgeHz + stopbandEdgeHz), sampleRateHz, n, beta), length, attenuationDb,
            sampleRateHz, (0.0, stopbandEdgeHz));
    }

    /// <summary>Designs a band-pass FIR from a specification; the narrower transition band sets the length.</summary>
    /// <param name="lowStopbandEdgeHz">Upper edge of the lower stopband in Hz.</param>
    /// <param name="lowPassbandEdgeHz">Lower edge of the passband in Hz.</param>
    /// <param name="highPassbandEdgeHz">Upper edge of the passband in Hz.</param>
    /// <param name="highStopbandEdgeHz">Lower edge of the upper stopband in Hz.</param>
    /// <param name="attenuationDb">Stopband attenuation in dB.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <returns>The taps (odd count), unit gain at the middle of the passband.</returns>
    public static double[] BandPassForSpec(double lowStopbandEdgeHz, double lowPassbandEdgeHz, double highPassbandEdgeHz,
        double highStopbandEdgeHz, double attenuationDb, double sampleRateHz)
    {
        var (length, beta) = BandSpec(lowStopbandEdgeHz, lowPassbandEdgeHz, highPassbandEdgeHz, highStopbandEdgeHz, attenuationDb, sampleRateHz);
        return MeetSpec(n => BandPass(0.5 * (lowStopbandEdgeHz + lowPassbandEdgeHz), 0.5 * (highPassbandEdgeHz + highStopbandEdgeHz), sampleRateHz, n, beta),
            length, attenuationDb, sampleRateHz, (0.0, lowStopbandEdgeHz), (highStopbandEdgeHz, sampleRateHz / 2));
    }

    /// <summary>Designs a band-stop FIR from a specification; the narrower transition band sets the length.</summary>
    /// <param name="lowPassbandEdgeHz">Upper edge of the lower passband in Hz.</param>
    /// <param name="lowStopbandEdgeHz">Lower edge of the stopband in Hz.</param>
    /// <param name="highStopbandEdgeHz">Upper edge of the stopband in Hz.</param>
    /// <param name="highPassbandEdgeHz">Lower edge of the upper passband in Hz.</param>
    /// <param name="attenuationDb">Stopband attenuation in dB.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <returns>The taps (odd count), unit DC gain.</returns>
    public static double[] BandStopForSpec(double lowPassbandEdgeHz, double lowStopbandEdgeHz, double highStopbandEdgeHz,
        double highPassbandEdgeHz, double attenuationDb, double sampleRateHz)
    {
        var (length, beta) = BandSpec(lowPassbandEdgeHz, lowStopbandEdgeHz, highStopbandEdgeHz, highPassbandEdgeHz, attenuationDb, sampleRateHz);
        return MeetSpec(n => BandStop(0.5 * (lowPassbandEdgeHz + lowStopbandEdgeHz), 0.5 * (highStopbandEdgeHz + highPassbandEdgeHz), sampleRateHz, n, beta),
            length, attenuationDb, sampleRateHz, (lowStopbandEdgeHz, highStopbandEdgeHz));
    }

    /// <summary>Kaiser's length (odd) and beta for a transition band and an attenuation.</summary>
    /// <param name="lowEdgeHz">Lower edge of the transition band in Hz.</param>
    /// <param name="highEdgeHz">Upper edge of the transition band in Hz, above the lower edge and at most sampleRate/2.</param>
    /// <param name="attenuationDb">Stopband attenuation in dB, positive.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <returns>Number of taps (odd) and Kaiser beta.</returns>
    public static (int Length, double Beta) KaiserSpec(double lowEdgeHz, double highEdgeHz, double attenuationDb, double sampleRateHz)
    {
        if (!(sampleRateHz > 0) || double.IsInfinity(sampleRateHz))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "Sample rate must be positive and finite.");
        }

        if (!(lowEdgeHz > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(lowEdgeHz), lowEdgeHz, "Band edge must be positive.");
        }

        if (!(highEdgeHz > lowEdgeHz && highEdgeHz <= sampleRateHz / 2))
        {
            throw new ArgumentOutOfRangeException(nameof(highEdgeHz), highEdgeHz, "Upper band edge must lie above the lower one and at most at half the sample rate.");
        }

        if (!(attenuationDb > 0) || double.IsInfinity(attenuationDb))
        {
            throw new ArgumentOutOfRangeException(nameof(attenuationDb), attenuationDb, "Attenuation must be positive and finite.");
        }

        return (Windows.KaiserLength(attenuationDb, highEdgeHz - lowEdgeHz, sampleRateHz), Windows.KaiserBeta(attenuationDb));
    }

    // Kaiser's length formula can miss by a few taps (a dB or two); grow the filter until a dense grid (32x
    // oversampled, so sidelobe peaks are seen to within hundredths of a dB) shows the stopband attenuation met.
    private static double[] MeetSpec(Func<int, double[]> design, int length, double attenuationDb, double sampleRateHz,
        params (double FromHz, double ToHz)[] stopbands)
    {
        var limit = Math.Pow(10, -(attenuationDb + 0.05) / 20);
        double[] taps;
        for (var attempt = 0; ; attempt++)
        {
            taps = design(length);
            var fftSize = DoubleFft.NextPowerOfTwo(32 * length);
            var response = FirAnalysis.ResponseOnGrid(taps, fftSize);
            var worst = 0.0;
            for (var k = 0; k < response.Length; k++)
            {
                var f = k * sampleRateHz / fftSize;
                foreach (var (fromHz, toHz) in stopbands)
                {
                    if (f >= fromHz && f <= toHz)
                    {
                        worst = Math.Max(worst, response[k].Magnitude);
                    }
                }
            }

            if (worst <= limit || attempt == 40)
            {
                return taps;
            }

            length += 2 * Math.Max(1, length / 100);
        }
    }

    private static (int Length, double Beta) BandSpec(double f1, double f2, double f3, double f4, double attenuationDb, double sampleRateHz)
    {
        if (!(f3 > f2))
        {
            throw new ArgumentOutOfRangeException(nameof(f3), f3, "Band edges must increase.");
        }

        var lower = KaiserSpec(f1, f2, attenuationDb, sampleRateHz);
        var upper = KaiserSpec(f3, f4, attenuationDb, sampleRateHz);
        return (Math.Max(lower.Length, upper.Length), lower.Beta);
    }

    private static double[] RawBandPass(double lowCutoffHz, double highCutoffHz, double sampleRateHz, int length, double kaiserBeta)
    {
        if (!(sampleRateHz > 0) || double.IsInfinity(sampleRateHz))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "Sample rate must be positive and finite.");
        }

        if (!(lowCutoffHz > 0 && lowCutoffHz < sampleRateHz / 2))
        {
            throw new ArgumentOutOfRangeException(nameof(lowCutoffHz), lowCutoffHz, "Cutoff must lie between 0 and half the sample rate.");
        }

        if (!(highCutoffHz > lowCutoffHz && highCutoffHz < sampleRateHz / 2))
        {
            throw new ArgumentOutOfRangeException(nameof(highCutoffHz), highCutoffHz, "Upper cutoff must lie between the lower cutoff and half the sample rate.");
        }

        if (length < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "Length must be at least 1.");
        }

        var taps = new double[length];
        Windows.Kaiser(taps, kaiserBeta);
        var low = lowCutoffHz / sampleRateHz;
        var high = highCutoffHz / sampleRateHz;
        var center = (length - 1) / 2.0;
        for (var n = 0; n < length; n++)
        {
            var t = n - center;
            var ideal = t == 0 ? 2.0 * (high - low)
                : (Math.Sin(2.0 * Math.PI * high * t) - Math.Sin(2.0 * Math.PI * low * t)) / (Math.PI * t);
            taps[n] *= ideal;
        }

        return taps;
    }

    private static double Magnitude(double[] taps, double normalizedFrequency)
    {
        double re = 0, im = 0;
        for (var n = 0; n < taps.Length; n++)
        {
            var angle = -2.0 * Math.PI * normalizedFrequency * n;
            re += taps[n] * Math.Cos(angle);
            im += taps[n] * Math.Sin(angle);
        }

        return Math.Sqrt((re * re) + (im * im));
    }

    private static void Invert(double[] taps)
    {
        for (var n = 0; n < taps.Length; n++)
        {
            taps[n] = -taps[n];
        }

        taps[(taps.Length - 1) / 2] += 1.0;
    }

    private static void RequireOdd(int length)
    {
        if (length < 1 || (length & 1) == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "Length must be odd (a type II FIR has a zero at Nyquist).");
        }
    }
}
