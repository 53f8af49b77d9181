using System.Numerics;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Filters.Fft;

namespace SpatialAudio.Drivers.Heads;

/// <summary>Interaural cues of one source direction (one row of <see cref="InterauralCueTable"/>).</summary>
/// <param name="AzimuthDeg">Source azimuth, degrees (positive = listener's left), elevation 0.</param>
/// <param name="ItdCrossCorrelationSeconds">ITD from the interaural cross-correlation peak of IRs low-passed at 1.5 kHz (the reference method).</param>
/// <param name="ItdOnsetSeconds">ITD from the broadband IRs' onsets (10% of peak).</param>
/// <param name="ItdHighFrequencyGroupDelaySeconds">ITD as the interaural group delay, least-squares over 2..5 kHz.</param>
/// <param name="IldBroadbandDb">ILD, pink-weighted over 200 Hz..16 kHz (or the model's top), dB.</param>
/// <param name="IldBandsDb">ILD per 1/3-octave band of <see cref="InterauralCueTable.BandCentersHz"/>, dB.</param>
/// <remarks>ITD is positive when the left ear leads, ILD positive when the left ear is louder: both positive for a source on the left.</remarks>
public sealed record InterauralCues(
    double AzimuthDeg,
    double ItdCrossCorrelationSeconds,
    double ItdOnsetSeconds,
    double ItdHighFrequencyGroupDelaySeconds,
    double IldBroadbandDb,
    double[] IldBandsDb);

/// <summary>Interaural cues of a head model over azimuth (for <c>spatial inspect hrtf</c> and reports).</summary>
/// <param name="ModelName">The head model's name.</param>
/// <param name="SourceDistanceMeters">Source distance used, meters.</param>
/// <param name="SampleRateHz">Sample rate of the impulse responses the time-domain ITDs were measured on, Hz.</param>
/// <param name="BandCentersHz">Centers of the 1/3-octave bands of <see cref="InterauralCues.IldBandsDb"/>, Hz.</param>
/// <param name="Rows">One row per azimuth.</param>
public sealed record InterauralCueTable(
    string ModelName,
    double SourceDistanceMeters,
    double SampleRateHz,
    double[] BandCentersHz,
    IReadOnlyList<InterauralCues> Rows);

/// <summary>Interaural time and level differences (ITD, ILD) of head models and HRIR pairs.</summary>
/// <remarks>
/// <para><b>Signs.</b> ITD = arrival time at the right ear minus at the left ear: positive when the left ear leads.
/// ILD = level at the left ear minus at the right ear, dB. A source on the listener's left gives both positive.</para>
/// <para><b>Which ITD.</b> ITD depends on frequency: for a rigid sphere it is about 3 (a/c) sin(theta) below ~500 Hz
/// and tends to Woodworth's (a/c)(theta + sin theta) at high frequencies (Kuhn 1977). The reference here is the
/// interaural cross-correlation (IACC) peak of the IRs low-passed at 1.5 kHz, which is what the auditory system's
/// fine-structure ITD sees; the broadband onset and the 2..5 kHz group delay measure the high-frequency
/// (envelope/onset) ITD, which is the one Woodworth's formula describes.</para>
/// <para>All calls are design-time: they allocate and validate.</para>
/// </remarks>
public static class InterauralAnalysis
{
    /// <summary>Default low-pass corner for the cross-correlation ITD, Hz.</summary>
    public const double DefaultItdLowPassHz = 1500.0;

    /// <summary>The 1/3-octave band centers of <see cref="Table"/> by default, Hz.</summary>
    public static IReadOnlyList<double> DefaultBandCentersHz { get; } = [250, 500, 1000, 2000, 4000, 8000];

    /// <summary>
    /// ITD from the peak of the interaural cross-correlation of two IRs, both low-passed by a zero-phase 4th-order
    /// Butterworth magnitude (|W|^2 = 1 / (1 + (f/fc)^8)), the peak refined by a parabola through three lags.
    /// </summary>
    /// <param name="left">Left-ear IR.</param>
    /// <param name="right">Right-ear IR (same sample rate; any length).</param>
    /// <param name="sampleRateHz">Sample rate, Hz.</param>
    /// <param name="lowPassHz">Low-pass corner fc, Hz; <see cref="double.PositiveInfinity"/> for broadband.</param>
    /// <param name="maxLagSeconds">Largest |ITD| searched, seconds (1 ms covers human heads).</param>
    /// <returns>ITD in seconds, positive when the left ear leads.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static double ItdCrossCorrelationSeconds(
        ReadOnlySpan<float> left,
        ReadOnlySpan<float> right,
        double sampleRateHz,
        double lowPassHz = DefaultItdLowPassHz,
        double maxLagSeconds = 0.001)
    {
        CheckSampleRate(sampleRateHz);
        if (left.IsEmpty || right.IsEmpty)
        {
            throw new ArgumentOutOfRangeException(nameof(left), "The IRs must not be empty.");
        }

        if (!(lowPassHz > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(lowPassHz), lowPassHz, "The low-pass corner must be positive.");
        }

        if (!(maxLagSeconds > 0) || !double.IsFinite(maxLagSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(maxLagSeconds), maxLagSeconds, "The lag range must be positive.");
        }

        var maxLag = (int)Math.Ceiling(maxLagSeconds * sampleRateHz);
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)(Math.Max(left.Length, right.Length) + maxLag + 2));
        size = Math.Max(size, 64);
        var fft = new RealFft(size);
        var bins = fft.BinCount;
        var lr = new float[bins];
        var li = new float[bins];
        var rr = new float[bins];
        var ri = new float[bins];
        var padded = new float[size];
        left.CopyTo(padded);
        fft.Forward(padded, lr, li);
        Array.Clear(padded);
        right.CopyTo(padded);
        fft.Forward(padded, rr, ri);

        // c[tau] = sum_n l[n] r[n + tau]  <=>  C = R conj(L); peak at tau > 0 means the right ear lags.
        for (var k = 0; k < bins; k++)
        {
            var ratio = k * sampleRateHz / size / lowPassHz;
            var weight = (float)(1.0 / (1.0 + Math.Pow(ratio, 8)));
            var cr = (rr[k] * lr[k]) + (ri[k] * li[k]);
            var ci = (ri[k] * lr[k]) - (rr[k] * li[k]);
            lr[k] = weight * cr;
            li[k] = weight * ci;
        }

        fft.Inverse(lr, li, padded);
        maxLag = Math.Min(maxLag, (size / 2) - 1);
        var bestLag = 0;
        var best = double.NegativeInfinity;
        for (var lag = -maxLag; lag <= maxLag; lag++)
        {
            var value = padded[(lag + size) % size];
            if (value > best)
            {
                best = value;
                bestLag = lag;
            }
        }

        var before = padded[(bestLag - 1 + size) % size];
        var after = padded[(bestLag + 1 + size) % size];
        var curvature = before - (2 * best) + after;
        var offset = curvature < 0 ? 0.5 * (before - after) / curvature : 0.0;
        return (bestLag + offset) / sampleRateHz;
    }

    /// <summary>
    /// The same ITD as <see cref="ItdCrossCorrelationSeconds"/> (peak of the interaural cross-correlation of the ear
    /// signals low-passed by |W|^2 = 1 / (1 + (f/fc)^8)), computed from ear RESPONSES on a frequency grid:
    /// c(tau) = sum_k W_k Re{ R_k conj(L_k) e^{i 2 pi f_k tau} } df_k, searched continuously in tau.
    /// </summary>
    /// <param name="left">Left-ear response per frequency.</param>
    /// <param name="right">Right-ear response per frequency.</param>
    /// <param name="frequenciesHz">Ascending frequencies, Hz (any grid: each bin is weighted by its width).</param>
    /// <param name="lowPassHz">Low-pass corner fc, Hz.</param>
    /// <param name="maxLagSeconds">Largest |ITD| searched, seconds.</param>
    /// <returns>ITD in seconds, positive when the left ear leads.</returns>
    /// <remarks>For ear responses of a design (render matrix times paths), which exist only as spectra: no IR has to be
    /// synthesized, and the lag is not quantized to samples. A bin grid that stops below about 2 fc truncates W.</remarks>
    /// <exception cref="ArgumentException">The spans differ in length or hold fewer than two frequencies.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static double ItdCrossSpectrumSeconds(
        ReadOnlySpan<Complex> left,
        ReadOnlySpan<Complex> right,
        ReadOnlySpan<double> frequenciesHz,
        double lowPassHz = DefaultItdLowPassHz,
        double maxLagSeconds = 0.001)
    {
        if (left.Length != frequenciesHz.Length || right.Length != frequenciesHz.Length || frequenciesHz.Length < 2)
        {
            throw new ArgumentException("Give one left and one right value per frequency, at least two frequencies.", nameof(frequenciesHz));
        }

        if (!(lowPassHz > 0) || !double.IsFinite(lowPassHz))
        {
            throw new ArgumentOutOfRangeException(nameof(lowPassHz), lowPassHz, "The low-pass corner must be positive.");
        }

        if (!(maxLagSeconds > 0) || !double.IsFinite(maxLagSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(maxLagSeconds), maxLagSeconds, "The lag range must be positive.");
        }

        // Keep the bins where W is above -56 dB (f <= 5 fc): the rest cannot move the peak measurably.
        var omega = new List<double>();
        var re = new List<double>();
        var im = new List<double>();
        for (var k = 0; k < frequenciesHz.Length && frequenciesHz[k] <= 5 * lowPassHz; k++)
        {
            var f = frequenciesHz[k];
            var width = 0.5 * (frequenciesHz[Math.Min(k + 1, frequenciesHz.Length - 1)] - frequenciesHz[Math.Max(k - 1, 0)]);
            if (!(f >= 0) || !(width > 0) || !double.IsFinite(f))
            {
                throw new ArgumentOutOfRangeException(nameof(frequenciesHz), f, "Frequencies must be finite, non-negative and ascending.");
            }

            var cross = right[k] * Complex.Conjugate(left[k]) * (width / (1.0 + Math.Pow(f / lowPassHz, 8)));
            omega.Add(2.0 * Math.PI * f);
            re.Add(cross.Real);
            im.Add(cross.Imaginary);
        }

        // c(tau) = sum Re(X) cos(w tau) - Im(X) sin(w tau). A positive peak at tau means the right ear lags by tau.
        double Correlation(double tau)
        {
            var sum = 0.0;
            for (var k = 0; k < omega.Count; k++)
            {
                var (sin, cos) = Math.SinCos(omega[k] * tau);
                sum += (re[k] * cos) - (im[k] * sin);
            }

            return sum;
        }

        // A coarse scan at 1/(20 fc) steps (18 degrees of phase at the corner) finds the main peak; golden-section
        // search inside the neighbouring steps refines it to well under a microsecond.
        var step = 1.0 / (20.0 * lowPassHz);
        var steps = (int)Math.Ceiling(maxLagSeconds / step);
        var best = 0.0;
        var bestValue = double.NegativeInfinity;
        for (var i = -steps; i <= steps; i++)
        {
            var tau = Math.Clamp(i * step, -maxLagSeconds, maxLagSeconds);
            var value = Correlation(tau);
            if (value > bestValue)
            {
                bestValue = value;
                best = tau;
            }
        }

        var low = Math.Max(best - step, -maxLagSeconds);
        var high = Math.Min(best + step, maxLagSeconds);
        var golden = 0.5 * (Math.Sqrt(5) - 1);
        var a = high - (golden * (high - low));
        var b = low + (golden * (high - low));
        var fa = Correlation(a);
        var fb = Correlation(b);
        while (high - low > 1e-8)
        {
            if (fa > fb)
            {
                high = b;
                b = a;
                fb = fa;
                a = high - (golden * (high - low));
                fa = Correlation(a);
            }
            else
            {
                low = a;
                a = b;
                fa = fb;
                b = low + (golden * (high - low));
                fb = Correlation(b);
            }
        }

        return 0.5 * (low + high);
    }

    /// <summary>ITD from the onsets of two IRs: first time each reaches <paramref name="thresholdFraction"/> of its peak magnitude (linear interpolation).</summary>
    /// <param name="left">Left-ear IR.</param>
    /// <param name="right">Right-ear IR.</param>
    /// <param name="sampleRateHz">Sample rate, Hz.</param>
    /// <param name="thresholdFraction">Onset threshold relative to the peak, 0..1 (0.1 = -20 dB).</param>
    /// <returns>ITD in seconds, positive when the left ear leads.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static double ItdOnsetSeconds(ReadOnlySpan<float> left, ReadOnlySpan<float> right, double sampleRateHz, double thresholdFraction = 0.1)
    {
        CheckSampleRate(sampleRateHz);
        if (!(thresholdFraction > 0 && thresholdFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(thresholdFraction), thresholdFraction, "The threshold must be in (0, 1).");
        }

        return (OnsetSamples(right, thresholdFraction) - OnsetSamples(left, thresholdFraction)) / sampleRateHz;
    }

    /// <summary>The interaural group delay d(phase_left - phase_right)/d omega, least-squares slope over a band.</summary>
    /// <param name="model">The head model.</param>
    /// <param name="sourceInHeadFrame">Source position, meters, head frame.</param>
    /// <param name="lowHz">Band start, Hz.</param>
    /// <param name="highHz">Band end, Hz (above <paramref name="lowHz"/>, at most the model's top).</param>
    /// <returns>ITD in seconds, positive when the left ear leads.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The band is invalid.</exception>
    public static double ItdGroupDelaySeconds(IHeadModel model, Vector3D sourceInHeadFrame, double lowHz, double highHz)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckBand(model, lowHz, highHz);

        // 10 Hz steps keep the phase change per step far below pi for any head-sized delay (1 ms -> 0.06 rad).
        var count = Math.Max(16, (int)Math.Ceiling((highHz - lowHz) / 10.0) + 1);
        var frequencies = Grid(lowHz, highHz, count, logarithmic: false);
        var phase = InterauralPhase(model, sourceInHeadFrame, frequencies);
        double meanF = 0, meanP = 0;
        for (var k = 0; k < count; k++)
        {
            meanF += frequencies[k];
            meanP += phase[k];
        }

        meanF /= count;
        meanP /= count;
        double sxy = 0, sxx = 0;
        for (var k = 0; k < count; k++)
        {
            sxy += (frequencies[k] - meanF) * (phase[k] - meanP);
            sxx += (frequencies[k] - meanF) * (frequencies[k] - meanF);
        }

        return sxy / sxx / (2.0 * Math.PI);
    }

    /// <summary>The interaural phase delay (phase_left - phase_right) / omega at one frequency, phase unwrapped from 10 Hz.</summary>
    /// <param name="model">The head model.</param>
    /// <param name="sourceInHeadFrame">Source position, meters, head frame.</param>
    /// <param name="frequencyHz">Frequency, Hz (10 Hz..the model's top).</param>
    /// <returns>ITD in seconds, positive when the left ear leads.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The frequency is out of range.</exception>
    public static double ItdPhaseDelaySeconds(IHeadModel model, Vector3D sourceInHeadFrame, double frequencyHz)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(frequencyHz >= 10 && frequencyHz <= model.MaxFrequencyHz))
        {
            throw new ArgumentOutOfRangeException(nameof(frequencyHz), frequencyHz, "The frequency must be 10 Hz..the model's top.");
        }

        var count = Math.Max(2, (int)Math.Ceiling((frequencyHz - 10.0) / 10.0) + 1);
        var frequencies = Grid(10.0, frequencyHz, count, logarithmic: false);
        var phase = InterauralPhase(model, sourceInHeadFrame, frequencies);
        return phase[^1] / (2.0 * Math.PI * frequencyHz);
    }

    /// <summary>ILD over a band: 10 log10 of the ratio of the ears' mean power, white-weighted (linear grid).</summary>
    /// <param name="model">The head model.</param>
    /// <param name="sourceInHeadFrame">Source position, meters, head frame.</param>
    /// <param name="lowHz">Band start, Hz.</param>
    /// <param name="highHz">Band end, Hz.</param>
    /// <returns>ILD in dB, positive when the left ear is louder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The band is invalid.</exception>
    public static double IldDb(IHeadModel model, Vector3D sourceInHeadFrame, double lowHz, double highHz)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckBand(model, lowHz, highHz);
        return LevelRatioDb(model, sourceInHeadFrame, Grid(lowHz, highHz, 48, logarithmic: false));
    }

    /// <summary>ILD in the 1/3-octave band around a center frequency (edges fc 2^(+/-1/6)), white-weighted within the band.</summary>
    /// <param name="model">The head model.</param>
    /// <param name="sourceInHeadFrame">Source position, meters, head frame.</param>
    /// <param name="centerHz">Band center, Hz; the upper edge must not exceed the model's top.</param>
    /// <returns>ILD in dB, positive when the left ear is louder.</returns>
    public static double IldThirdOctaveDb(IHeadModel model, Vector3D sourceInHeadFrame, double centerHz) =>
        IldDb(model, sourceInHeadFrame, centerHz * Math.Pow(2, -1.0 / 6), centerHz * Math.Pow(2, 1.0 / 6));

    /// <summary>Broadband ILD: pink-weighted (equal weight per octave, log grid) over 200 Hz..min(16 kHz, the model's top).</summary>
    /// <param name="model">The head model.</param>
    /// <param name="sourceInHeadFrame">Source position, meters, head frame.</param>
    /// <returns>ILD in dB, positive when the left ear is louder.</returns>
    public static double IldBroadbandDb(IHeadModel model, Vector3D sourceInHeadFrame)
    {
        ArgumentNullException.ThrowIfNull(model);
        return LevelRatioDb(model, sourceInHeadFrame, Grid(200, Math.Min(16000, model.MaxFrequencyHz), 256, logarithmic: true));
    }

    /// <summary>
    /// The cue table over azimuth in the horizontal plane (elevation 0), e.g. 0..90 degrees in 10-degree steps.
    /// </summary>
    /// <param name="model">The head model.</param>
    /// <param name="azimuthsDeg">Azimuths, degrees (positive = listener's left).</param>
    /// <param name="sourceDistanceMeters">Source distance, meters (1.4 m = the MIT KEMAR measurement distance; measured sets ignore it).</param>
    /// <param name="sampleRateHz">Sample rate of the synthesized IRs the time-domain ITDs are measured on, Hz.</param>
    /// <param name="bandCentersHz">1/3-octave band centers for the ILD columns; null for <see cref="DefaultBandCentersHz"/>.</param>
    /// <returns>The table.</returns>
    /// <remarks>IRs are synthesized with <see cref="HeadModels.ImpulseResponse"/> (4096 taps, 2 ms lead) from the model's
    /// response, so the sphere and a measured set go through the same analysis.</remarks>
    public static InterauralCueTable Table(
        IHeadModel model,
        IReadOnlyList<double> azimuthsDeg,
        double sourceDistanceMeters = 1.4,
        double sampleRateHz = 48000,
        IReadOnlyList<double>? bandCentersHz = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(azimuthsDeg);
        if (!(sourceDistanceMeters > 0) || !double.IsFinite(sourceDistanceMeters))
        {
            throw new ArgumentOutOfRangeException(nameof(sourceDistanceMeters), sourceDistanceMeters, "The distance must be positive and finite.");
        }

        var bands = (bandCentersHz ?? DefaultBandCentersHz).ToArray();
        const int length = 4096;
        const double leadSeconds = 0.002;
        var rows = new List<InterauralCues>(azimuthsDeg.Count);
        foreach (var azimuth in azimuthsDeg)
        {
            var source = sourceDistanceMeters * Vector3D.FromSpherical(azimuth, 0);
            var left = HeadModels.ImpulseResponse(model, Ear.Left, source, sampleRateHz, length, leadSeconds);
            var right = HeadModels.ImpulseResponse(model, Ear.Right, source, sampleRateHz, length, leadSeconds);
            var ild = new double[bands.Length];
            for (var b = 0; b < bands.Length; b++)
            {
                ild[b] = IldThirdOctaveDb(model, source, bands[b]);
            }

            rows.Add(new InterauralCues(
                azimuth,
                ItdCrossCorrelationSeconds(left, right, sampleRateHz),
                ItdOnsetSeconds(left, right, sampleRateHz),
                ItdGroupDelaySeconds(model, source, 2000, 5000),
                IldBroadbandDb(model, source),
                ild));
        }

        return new InterauralCueTable(model.Name, sourceDistanceMeters, sampleRateHz, bands, rows);
    }

    /// <summary>Onset of an IR in samples: first crossing of a fraction of the peak magnitude, linearly interpolated.</summary>
    internal static double OnsetSamples(ReadOnlySpan<float> ir, double thresholdFraction)
    {
        var peak = 0.0;
        foreach (var v in ir)
        {
            peak = Math.Max(peak, Math.Abs(v));
        }

        if (peak == 0)
        {
            return 0;
        }

        var threshold = thresholdFraction * peak;
        for (var n = 0; n < ir.Length; n++)
        {
            var v = Math.Abs(ir[n]);
            if (v >= threshold)
            {
                if (n == 0)
                {
                    return 0;
                }

                var before = Math.Abs(ir[n - 1]);
                return n - 1 + ((threshold - before) / (v - before));
            }
        }

        return 0;
    }

    private static double[] InterauralPhase(IHeadModel model, Vector3D source, double[] frequencies)
    {
        var left = new Complex[frequencies.Length];
        var right = new Complex[frequencies.Length];
        model.Response(Ear.Left, source, frequencies, left);
        model.Response(Ear.Right, source, frequencies, right);
        var phase = new double[frequencies.Length];
        var previous = 0.0;
        for (var k = 0; k < frequencies.Length; k++)
        {
            var wrapped = (left[k] * Complex.Conjugate(right[k])).Phase;
            var value = k == 0 ? wrapped : previous + Math.IEEERemainder(wrapped - previous, 2.0 * Math.PI);
            phase[k] = value;
            previous = value;
        }

        return phase;
    }

    private static double LevelRatioDb(IHeadModel model, Vector3D source, double[] frequencies)
    {
        var left = new Complex[frequencies.Length];
        var right = new Complex[frequencies.Length];
        model.Response(Ear.Left, source, frequencies, left);
        model.Response(Ear.Right, source, frequencies, right);
        double powerLeft = 0, powerRight = 0;
        for (var k = 0; k < frequencies.Length; k++)
        {
            powerLeft += left[k].Magnitude * left[k].Magnitude;
            powerRight += right[k].Magnitude * right[k].Magnitude;
        }

        return 10.0 * Math.Log10(powerLeft / powerRight);
    }

    private static double[] Grid(double low, double high, int count, bool logarithmic)
    {
        var result = new double[count];
        for (var k = 0; k < count; k++)
        {
            var t = (double)k / (count - 1);
            result[k] = logarithmic ? low * Math.Pow(high / low, t) : low + ((high - low) * t);
        }

        return result;
    }

    private static void CheckBand(IHeadModel model, double lowHz, double highHz)
    {
        if (!(lowHz > 0 && highHz > lowHz && highHz <= model.MaxFrequencyHz))
        {
            throw new ArgumentOutOfRangeException(nameof(highHz), highHz, $"The band must satisfy 0 < low ({lowHz} Hz) < high <= {model.MaxFrequencyHz} Hz.");
        }
    }

    private static void CheckSampleRate(double sampleRateHz)
    {
        if (!(sampleRateHz >= 1000 && sampleRateHz <= 768_000))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "The sample rate must be 1000..768000 Hz.");
        }
    }
}
