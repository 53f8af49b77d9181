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
}
