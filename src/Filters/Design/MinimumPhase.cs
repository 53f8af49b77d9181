using System.Numerics;

namespace SpatialAudio.Filters.Design;

/// <summary>Minimum-phase FIR design by the real cepstrum (homomorphic method), in double.</summary>
/// <remarks>
/// <para>log|H| on a dense grid -> real cepstrum -> fold the anti-causal half onto the causal half -> exp -> inverse
/// FFT. The cepstrum of a log spectrum decays slowly near deep notches, so the grid is zero-padded well beyond the
/// filter length (default 64x, at least 2^14 points) to keep cepstral aliasing below the magnitude error that matters.</para>
/// <para>Zeros on the unit circle (the stopband of a linear-phase low-pass) make log|H| singular; the magnitude is
/// floored at <c>floorDb</c> below its peak (default -240 dB), far below float resolution.</para>
/// </remarks>
public static class MinimumPhase
{
    /// <summary>The minimum-phase FIR with the same magnitude response as <paramref name="taps"/>.</summary>
    /// <param name="taps">Any FIR, e.g. a linear-phase design (linear-phase to minimum-phase conversion), at least one tap.</param>
    /// <param name="length">Taps to return; 0 keeps the input length (the exact minimum-phase equivalent has that length).</param>
    /// <param name="fftSize">Cepstrum grid (power of two, at least 2·length); 0 picks the default.</param>
    /// <param name="floorDb">Magnitude floor in dB relative to the peak, negative.</param>
    /// <returns>The minimum-phase taps; the sign of the input is not kept (h[0] is positive).</returns>
    public static double[] FromFir(ReadOnlySpan<double> taps, int length = 0, int fftSize = 0, double floorDb = -240.0)
    {
        if (taps.IsEmpty)
        {
            throw new ArgumentException("At least one tap is required.", nameof(taps));
        }

        length = length == 0 ? taps.Length : length;
        fftSize = ChooseSize(Math.Max(length, taps.Length), fftSize);
        var spectrum = FirAnalysis.ResponseOnGrid(taps, fftSize);
        var magnitude = new double[spectrum.Length];
        for (var k = 0; k < spectrum.Length; k++)
        {
            magnitude[k] = spectrum[k].Magnitude;
        }

        return FromMagnitudeOnFftGrid(magnitude, length, floorDb);
    }

    /// <summary>A minimum-phase FIR whose magnitude approximates a magnitude response given on the uniform grid f_k = k·fs/N.</summary>
    /// <param name="magnitude">N/2 + 1 non-negative magnitudes (linear, not dB), DC to Nyquist; N must be a power of two.</param>
    /// <param name="length">Number of taps, 1..N/2.</param>
    /// <param name="floorDb">Magnitude floor in dB relative to the peak, negative.</param>
    /// <returns>The minimum-phase taps (truncated to <paramref name="length"/>: choose N much larger than the length).</returns>
    /// <remarks>For a coarse grid, interpolate the magnitude onto a denser one first (cepstral aliasing scales with grid spacing).</remarks>
    public static double[] FromMagnitude(ReadOnlySpan<double> magnitude, int length, double floorDb = -240.0)
    {
        var fftSize = 2 * (magnitude.Length - 1);
        if (magnitude.Length < 3 || !DoubleFft.IsPowerOfTwo(fftSize))
        {
            throw new ArgumentException("Magnitude grid must have N/2 + 1 points with N a power of two, N >= 4.", nameof(magnitude));
        }

        if (length < 1 || length > fftSize / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "Length must be 1..N/2.");
        }

        foreach (var m in magnitude)
        {
            if (!(m >= 0) || double.IsInfinity(m))
            {
                throw new ArgumentException("Magnitudes must be finite and non-negative.", nameof(magnitude));
            }
        }

        return FromMagnitudeOnFftGrid(magnitude, length, floorDb);
    }

    private static double[] FromMagnitudeOnFftGrid(ReadOnlySpan<double> magnitude, int length, double floorDb)
    {
        if (!(floorDb < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(floorDb), floorDb, "Floor must be negative dB.");
        }

        var fftSize = 2 * (magnitude.Length - 1);
        var peak = 0.0;
        foreach (var m in magnitude)
        {
            peak = Math.Max(peak, m);
        }

        if (peak == 0)
        {
            return new double[length];
        }

        var floor = peak * Math.Pow(10.0, floorDb / 20.0);
        var logSpectrum = new Complex[magnitude.Length];
        for (var k = 0; k < magnitude.Length; k++)
        {
            logSpectrum[k] = Math.Log(Math.Max(magnitude[k], floor));
        }

        var cepstrum = new Complex[fftSize];
        FrequencySampling.FillHermitian(logSpectrum, cepstrum);
        DoubleFft.Inverse(cepstrum);

        // Fold: keep c[0] and c[N/2], double the causal part, drop the anti-causal part.
        var half = fftSize / 2;
        for (var n = 1; n < half; n++)
        {
            cepstrum[n] = 2.0 * cepstrum[n].Real;
            cepstrum[fftSize - n] = Complex.Zero;
        }

        cepstrum[0] = cepstrum[0].Real;
        cepstrum[half] = cepstrum[half].Real;
        DoubleFft.Forward(cepstrum);
        for (var k = 0; k < fftSize; k++)
        {
            cepstrum[k] = Complex.Exp(cepstrum[k]);
        }

        DoubleFft.Inverse(cepstrum);
        var result = new double[length];
        for (var n = 0; n < length; n++)
        {
            result[n] = cepstrum[n].Real;
        }

        return result;
    }

    private static int ChooseSize(int length, int fftSize)
    {
        if (fftSize == 0)
        {
            return DoubleFft.NextPowerOfTwo(Math.Max(64 * length, 1 << 14));
        }

        if (!DoubleFft.IsPowerOfTwo(fftSize) || fftSize < 2 * length)
        {
            throw new ArgumentOutOfRangeException(nameof(fftSize), fftSize, "FFT size must be a power of two, at least twice the length.");
        }

        return fftSize;
    }
}
