using System.Numerics;

namespace SpatialAudio.Filters.Design;

/// <summary>FIR design by frequency sampling: a complex response on a grid to a (windowed, shifted) FIR, in double.</summary>
/// <remarks>
/// <para>The grid response is taken as the DFT of one period of the impulse response (the grid is made Hermitian,
/// so the FIR is real; the imaginary parts at DC and Nyquist are dropped). The inverse DFT is rotated by
/// <c>delaySamples</c> (a circular shift: a zero-phase or otherwise non-causal target becomes causal), truncated to
/// the requested length and tapered by a Kaiser window centered on the delay.</para>
/// <para>Typical use: per-frequency regularized inverses from the filter designer, given without bulk delay,
/// with the delay set near half the length.</para>
/// </remarks>
public static class FrequencySampling
{
    /// <summary>Designs an FIR from its response on the uniform grid f_k = k·fs/N, k = 0..N/2.</summary>
    /// <param name="response">N/2 + 1 complex values, DC to Nyquist (N even, at least 2).</param>
    /// <param name="length">Number of taps, 1..N.</param>
    /// <param name="delaySamples">Circular shift applied to the impulse response before truncation, 0..N-1.</param>
    /// <param name="kaiserBeta">Kaiser taper, centered on <paramref name="delaySamples"/> with a half width reaching the
    /// farther end of the filter; 0 is a rectangular window (an exact round trip when the target is an FIR of at most
    /// <paramref name="length"/> taps).</param>
    /// <returns>The taps.</returns>
    public static double[] FromUniformGrid(ReadOnlySpan<Complex> response, int length, int delaySamples = 0, double kaiserBeta = 0.0)
    {
        if (response.Length < 2)
        {
            throw new ArgumentException("The grid needs at least DC and Nyquist.", nameof(response));
        }

        var fftSize = 2 * (response.Length - 1);
        if (length < 1 || length > fftSize)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "Length must be 1..N where N = 2 (bins - 1).");
        }

        if (delaySamples < 0 || delaySamples >= fftSize)
        {
            throw new ArgumentOutOfRangeException(nameof(delaySamples), delaySamples, "Delay must be 0..N-1.");
        }

        if (!(kaiserBeta >= 0) || double.IsInfinity(kaiserBeta))
        {
            throw new ArgumentOutOfRangeException(nameof(kaiserBeta), kaiserBeta, "Kaiser beta must be finite and >= 0.");
        }

        var period = InverseRealDft(response, fftSize, length, delaySamples);
        ApplyTaper(period, delaySamples, kaiserBeta);
        return period;
    }

    /// <summary>Designs an FIR from a response sampled on an arbitrary ascending grid of frequencies.</summary>
    /// <param name="frequenciesHz">Ascending frequencies in Hz within 0..fs/2, at least two.</param>
    /// <param name="response">Complex response at each frequency.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="length">Number of taps, at least 1.</param>
    /// <param name="delaySamples">Circular shift (see <see cref="FromUniformGrid"/>), 0..fftSize-1.</param>
    /// <param name="kaiserBeta">Kaiser taper centered on the delay; 0 is rectangular.</param>
    /// <param name="fftSize">Uniform grid size N (power of two, at least the length); 0 picks max(8·length, 1024) rounded up.</param>
    /// <returns>The taps.</returns>
    /// <remarks>
    /// Magnitude is interpolated linearly, phase linearly after unwrapping along the given grid (so the grid must
    /// sample the phase densely enough, by the same rule as <see cref="FirAnalysis.UnwrappedPhase"/>). Outside the
    /// given range the end values are held.
    /// </remarks>
    public static double[] FromGrid(ReadOnlySpan<double> frequenciesHz, ReadOnlySpan<Complex> response, double sampleRateHz,
        int length, int delaySamples = 0, double kaiserBeta = 0.0, int fftSize = 0)
    {
        if (!(sampleRateHz > 0) || double.IsInfinity(sampleRateHz))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "Sample rate must be positive and finite.");
        }

        if (frequenciesHz.Length < 2 || frequenciesHz.Length != response.Length)
        {
            throw new ArgumentException("Need at least two frequencies and one response value per frequency.", nameof(response));
        }

        for (var i = 0; i < frequenciesHz.Length; i++)
        {
            if (!(frequenciesHz[i] >= 0 && frequenciesHz[i] <= sampleRateHz / 2) || (i > 0 && !(frequenciesHz[i] > frequenciesHz[i - 1])))
            {
                throw new ArgumentException("Frequencies must be strictly ascending within 0..fs/2.", nameof(frequenciesHz));
            }
        }

        if (length < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "Length must be at least 1.");
        }

        if (fftSize == 0)
        {
            fftSize = DoubleFft.NextPowerOfTwo(Math.Max(8 * length, 1024));
        }

        if (!DoubleFft.IsPowerOfTwo(fftSize) || fftSize < length || fftSize < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(fftSize), fftSize, "FFT size must be a power of two, at least the length.");
        }

        var magnitude = new double[response.Length];
        for (var i = 0; i < response.Length; i++)
        {
            magnitude[i] = response[i].Magnitude;
        }

        var phase = FirAnalysis.UnwrappedPhase(response);
        var bins = (fftSize / 2) + 1;
        var grid = new Complex[bins];
        var j = 0;
        for (var k = 0; k < bins; k++)
        {
            var f = k * sampleRateHz / fftSize;
            while (j < frequenciesHz.Length - 2 && frequenciesHz[j + 1] < f)
            {
                j++;
            }

            var t = (f - frequenciesHz[j]) / (frequenciesHz[j + 1] - frequenciesHz[j]);
            t = Math.Clamp(t, 0.0, 1.0);
            var m = magnitude[j] + (t * (magnitude[j + 1] - magnitude[j]));
            var p = phase[j] + (t * (phase[j + 1] - phase[j]));
            grid[k] = Complex.FromPolarCoordinates(m, p);
        }

        return FromUniformGrid(grid, length, delaySamples, kaiserBeta);
    }

    /// <summary>Inverse DFT of a half spectrum made Hermitian; returns taps n = 0..length-1 of the period rotated by delay.</summary>
    internal static double[] InverseRealDft(ReadOnlySpan<Complex> halfSpectrum, int fftSize, int length, int delaySamples)
    {
        var taps = new double[length];
        if (DoubleFft.IsPowerOfTwo(fftSize))
        {
            var full = new Complex[fftSize];
            FillHermitian(halfSpectrum, full);
            DoubleFft.Inverse(full);
            for (var n = 0; n < length; n++)
            {
                taps[n] = full[Modulo(n - delaySamples, fftSize)].Real;
            }

            return taps;
        }

        // Non-power-of-two grids: direct evaluation of just the taps we keep, O(N·length) (design time).
        var half = fftSize / 2;
        for (var n = 0; n < length; n++)
        {
            var m = Modulo(n - delaySamples, fftSize);
            var sum = halfSpectrum[0].Real + (halfSpectrum[half].Real * ((m & 1) == 0 ? 1.0 : -1.0));
            for (var k = 1; k < half; k++)
            {
                var angle = 2.0 * Math.PI * ((long)k * m % fftSize) / fftSize;
                sum += 2.0 * ((halfSpectrum[k].Real * Math.Cos(angle)) - (halfSpectrum[k].Imaginary * Math.Sin(angle)));
            }

            taps[n] = sum / fftSize;
        }

        return taps;
    }

    internal static void FillHermitian(ReadOnlySpan<Complex> halfSpectrum, Span<Complex> full)
    {
        var n = full.Length;
        var half = n / 2;
        full[0] = halfSpectrum[0].Real;
        full[half] = halfSpectrum[half].Real;
        for (var k = 1; k < half; k++)
        {
            full[k] = halfSpectrum[k];
            full[n - k] = Complex.Conjugate(halfSpectrum[k]);
        }
    }

    private static void ApplyTaper(double[] taps, int center, double kaiserBeta)
    {
        if (kaiserBeta == 0.0)
        {
            return;
        }

        var halfWidth = Math.Max(center, taps.Length - 1 - center) + 0.5;
        var denominator = Windows.BesselI0(kaiserBeta);
        for (var n = 0; n < taps.Length; n++)
        {
            var r = (n - center) / halfWidth;
            taps[n] *= Windows.BesselI0(kaiserBeta * Math.Sqrt(Math.Max(0.0, 1.0 - (r * r)))) / denominator;
        }
    }

    private static int Modulo(int a, int n) => ((a % n) + n) % n;
}
