using System.Numerics.Tensors;
using SpatialAudio.Filters.Delays;
using SpatialAudio.Filters.Fft;

namespace SpatialAudio.Spatial.Sensing.FrontEnd;

/// <summary>
/// Removes echoes that repeat with a fixed period, a fan's blades, from the complex baseband of every microphone: it finds
/// the period in the signal's autocorrelation and subtracts a running synchronous average of the past periods.
/// </summary>
/// <remarks>
/// <para><b>Why.</b> A rotating fan's echo repeats at the blade-pass period (blades x revolutions per second: 20..110 Hz
/// for 3..5 blades at 8..20 rev/s). In 42.7 ms frames it shows as broadband flashes that swing by many dB from frame to
/// frame, so a detector must demand a large excess over the background in every band, and slow, far walkers do not
/// reach it: `spatial sense evaluate --without fan` showed that fans alone cost the evaluation set 8 of its 200 walks and
/// most of the latency tail.</para>
/// <para><b>Cancelling.</b> With the period P (fractional, in baseband samples) known, a template c of the last periods
/// is kept (c[n] = p[n] + alpha (x[n] - p[n]), p[n] = c[n - P] by 16-point Lagrange interpolation) and subtracted:
/// y = x - p, i.e. H(z) = (1 - z^-P) / (1 - (1 - alpha) z^-P), a comb that notches every harmonic of the blade-pass
/// frequency, each notch about alpha f_bp / pi wide (under 2 Hz), and passes everything between at unity within 0.3 dB.
/// A walker's Doppler line sits in a notch only while it crosses one.</para>
/// <para><b>Finding the period.</b> Every <see cref="EstimateEvery"/> samples (the first after
/// <see cref="FirstEstimateAfter"/>), the autocorrelation of the last <see cref="WindowLength"/> samples is computed by
/// FFT: Hann-tapered (a start-up's decaying static echo would leak from a rectangular window's edges into every bin),
/// only <see cref="MinDopplerHz"/>..<see cref="MaxDopplerHz"/> either side of the carrier (not the still room's residue,
/// not the noise beyond), summed over microphones, divided by the taper's own autocorrelation. It is searched over
/// <see cref="MinPeriodSeconds"/>..<see cref="MaxPeriodSeconds"/>. A periodic echo gives peaks at every multiple of its
/// period well above the lags in between; a single Doppler line gives the same magnitude at every lag, noise next to
/// nothing. So an estimate counts when the best lag's real part (1 at a true period) exceeds the median magnitude by
/// <see cref="OnContrast"/>, and not when the playback reference repeats at that lag (a held bass note leaves a periodic
/// distortion residue). Its period is refined on the peaks at 2, 4, 8, ... periods (parabolic interpolation), to about a
/// hundredth of a sample. A fan keeps its period for minutes, a walker's lines move within a second: the comb goes on
/// after <see cref="StableEstimates"/> estimates in a row agree, stays on while its period is still in the
/// autocorrelation (<see cref="KeepAliveContrast"/>), moves to another period after <see cref="ReplaceEstimates"/> only
/// once its own is gone, and fades out over <see cref="FadeOutSeconds"/> after <see cref="OffEstimates"/> without it.</para>
/// <para>Off, the output is the input, bit for bit. Allocation-free after construction; one FFT of
/// <see cref="FftLength"/> points per microphone plus one inverse per estimate, and about 70 flops per sample per microphone.</para>
/// </remarks>
public sealed class PeriodicClutterCanceller
{
    /// <summary>Bump when what the canceller outputs changes: cached scenes run with it are keyed by it
    /// (<see cref="Evaluation.SceneVariant"/>). 2: the 16-point interpolator.</summary>
    public const int Version = 2;

    /// <summary>Samples the period is estimated on.</summary>
    public const int WindowLength = 2048;

    /// <summary>Samples between estimates.</summary>
    public const int EstimateEvery = 512;

    /// <summary>Samples the first estimate needs (after a start or reset): half the window, so a fan is found soon after
    /// a start, before the detector's context has seen much of it.</summary>
    public const int FirstEstimateAfter = WindowLength / 2;

    /// <summary>FFT length (zero-padded: linear, not circular, autocorrelation).</summary>
    public const int FftLength = 2 * WindowLength;

    /// <summary>Shortest period searched (5 blades at 22 rev/s), s.</summary>
    public const double MinPeriodSeconds = 1.0 / 110;

    /// <summary>Longest period searched (one revolution at 8 rev/s, for fans whose blades are not all alike), s.</summary>
    public const double MaxPeriodSeconds = 1.0 / 8;

    /// <summary>Peak over median of the normalized autocorrelation that switches the comb on.</summary>
    public const double OnContrast = 0.1;

    /// <summary>Estimates in a row without the running period (about 30 s) that switch the comb off. A fan that stops
    /// needs no switching off: its template learns the silence within 1 / alpha periods. Switching off early would bring
    /// the fan back as a step whenever a walker hides it from the estimate for a moment, which looks like motion.</summary>
    public const int OffEstimates = 176;

    /// <summary>Estimates in a row with one new period (about 2 s), and without the running one, that move a running
    /// comb to it.</summary>
    public const int ReplaceEstimates = 12;

    /// <summary>The running period's normalized autocorrelation (real part) over the median that keeps the comb on, even
    /// when something else (music's residue, a walker) is now the stronger periodicity.</summary>
    public const double KeepAliveContrast = 0.05;

    /// <summary>How long the comb takes to fade out when it goes off, s: the fan comes back as slowly as the detector's
    /// background rises (time constant about 5 s), not as a step.</summary>
    public const double FadeOutSeconds = 20;

    /// <summary>The playback reference's normalized autocorrelation at a candidate period above which the period is the
    /// music's (a held bass note puts a periodic distortion residue around the carrier) and is not taken.</summary>
    public const double MusicPeriodicity = 0.5;

    /// <summary>Estimates in a row with the same period (within <see cref="StableSamples"/>) that switch the comb on.</summary>
    public const int StableEstimates = 3;

    /// <summary>How far apart two estimates of one period may be, samples.</summary>
    public const double StableSamples = 0.2;

    /// <summary>Doppler band the period is looked for in, either side of the carrier, Hz: above the still room's
    /// residue, up to the fastest band the detector reads.</summary>
    public const double MinDopplerHz = 20, MaxDopplerHz = 940;

    /// <summary>Order of the Lagrange interpolator that reads the template a fractional period back (odd: centred).
    /// The template is a recursion through it, so its error e at a harmonic is amplified to about e / alpha in the
    /// residual: a 4-point interpolator (e about 5 % at 900 Hz, 0.3 of the baseband rate) left the fastest band nearly
    /// uncancelled. Order 15 keeps e under 1e-3 to 940 Hz.</summary>
    public const int InterpolationOrder = 15;

    private const int TemplateLength = 1024;   // > the longest period + interpolation taps, a power of two

    private readonly int micCount, minLag, maxLag, lowBin, highBin;
    private readonly float alpha, fadeOutStep;
    private readonly float[][] historyRe, historyIm;   // per mic, ring of the last WindowLength inputs
    private readonly float[][] templateRe, templateIm; // per mic, ring of the template c
    private readonly float[] referenceHistory = new float[WindowLength];   // the playback reference, same ring as the mics
    private readonly float[] fftRe = new float[FftLength], fftIm = new float[FftLength];
    private readonly float[] powerRe = new float[FftLength], powerIm = new float[FftLength];
    private readonly float[] rho, rhoReal;
    private readonly float[] taper = new float[WindowLength], taperLag = new float[WindowLength / 2];
    private int taperLength;
    private readonly float[] sorted;
    private readonly ComplexFft fft = new(FftLength);
    private int historyHead, historyFilled, sinceEstimate, templateHead, quietEstimates, stableEstimates, lags;
    private long sinceLock;   // samples since the template was last started empty
    private double candidate;
    private int wholeDelay;
    private readonly float[] taps = new float[InterpolationOrder + 1];   // at delays wholeDelay - Centre + k
    private readonly double[] farrow = LagrangeDesign.FarrowCoefficients(InterpolationOrder);
    private const int Centre = (InterpolationOrder - 1) / 2;
    private float fade, fadeTarget;   // share of the template subtracted, and where it is heading (ramps, not steps)

    /// <summary>Creates the canceller.</summary>
    /// <param name="micCount">Microphones (they share one period: the same fan).</param>
    /// <param name="sampleRateHz">Baseband rate, Hz.</param>
    /// <param name="alpha">Template update per period (0.05: about 20 periods to converge).</param>
    public PeriodicClutterCanceller(int micCount, double sampleRateHz, double alpha = 0.05)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(micCount, 1);
        if (!(alpha is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "the template update must be in (0, 1)");
        }

        minLag = (int)Math.Floor(MinPeriodSeconds * sampleRateHz);
        maxLag = (int)Math.Ceiling(MaxPeriodSeconds * sampleRateHz);
        if (minLag <= Centre || maxLag + 4 >= FirstEstimateAfter / 2)   // the first estimate's lags, and the template, hold it
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, $"the baseband rate must put the fan periods between {Centre + 1} and 500 samples");
        }

        this.micCount = micCount;
        this.alpha = (float)alpha;
        fadeOutStep = (float)(1 / (FadeOutSeconds * sampleRateHz));
        historyRe = [.. Enumerable.Range(0, micCount).Select(_ => new float[WindowLength])];
        historyIm = [.. Enumerable.Range(0, micCount).Select(_ => new float[WindowLength])];
        templateRe = [.. Enumerable.Range(0, micCount).Select(_ => new float[TemplateLength])];
        templateIm = [.. Enumerable.Range(0, micCount).Select(_ => new float[TemplateLength])];
        rho = new float[WindowLength / 2];
        rhoReal = new float[WindowLength / 2];
        lowBin = (int)Math.Ceiling(MinDopplerHz * FftLength / sampleRateHz);
        highBin = (int)Math.Floor(MaxDopplerHz * FftLength / sampleRateHz);
        sorted = new float[maxLag - minLag + 1];
    }

    /// <summary>The period the comb runs at, baseband samples; 0 while it is off.</summary>
    public double PeriodSamples { get; private set; }

    /// <summary>The last estimate's peak-over-median contrast of the normalized autocorrelation.</summary>
    public double Contrast { get; private set; }

    /// <summary>The sample of the last <see cref="Process"/> call at which the comb started on a new period (switched on,
    /// or moved to another fan), or -1. The bands fall over the next second or two as the template converges, which the
    /// evaluation lists next to the false alarms it may explain.</summary>
    public int LockedAtSample { get; private set; } = -1;

    /// <summary>Processes <paramref name="count"/> samples of every microphone in place.</summary>
    /// <param name="re">Per microphone, real parts.</param>
    /// <param name="im">Per microphone, imaginary parts.</param>
    /// <param name="count">Samples.</param>
    /// <param name="reference">The playback reference at the baseband rate for the same samples (low-passed music),
    /// or empty when there is none: a period the music has is not a fan's.</param>
    public void Process(float[][] re, float[][] im, int count, ReadOnlySpan<float> reference = default)
    {
        LockedAtSample = -1;
        for (var i = 0; i < count; i++)
        {
            for (var m = 0; m < micCount; m++)
            {
                historyRe[m][historyHead] = re[m][i];
                historyIm[m][historyHead] = im[m][i];
            }

            referenceHistory[historyHead] = i < reference.Length ? reference[i] : 0;
            historyHead = (historyHead + 1) % WindowLength;
            historyFilled = Math.Min(WindowLength, historyFilled + 1);
            if (++sinceEstimate >= EstimateEvery && historyFilled >= FirstEstimateAfter)
            {
                sinceEstimate = 0;
                if (Estimate())
                {
                    LockedAtSample = i;
                }
            }

            if (PeriodSamples > 0)
            {
                Cancel(re, im, i);
            }
        }
    }

    /// <summary>Forgets the period, the template and the history.</summary>
    public void Reset()
    {
        for (var m = 0; m < micCount; m++)
        {
            Array.Clear(historyRe[m]);
            Array.Clear(historyIm[m]);
            Array.Clear(templateRe[m]);
            Array.Clear(templateIm[m]);
        }

        Array.Clear(referenceHistory);
        sinceLock = 0;
        historyHead = historyFilled = sinceEstimate = templateHead = quietEstimates = stableEstimates = 0;
        candidate = PeriodSamples = Contrast = 0;
        LockedAtSample = -1;
        fade = fadeTarget = 0;
    }

    private void Cancel(float[][] re, float[][] im, int i)
    {
        // p = c[n - P] by Lagrange interpolation around the fractional delay.
        var period = PeriodSamples;
        const int mask = TemplateLength - 1;
        var first = templateHead - wholeDelay + Centre;   // the template index of tap 0 (the shortest delay)
        // A running mean from the first period on. (A plain mean of the first few periods would converge faster, but its
        // comb, 1 - z^-P at first, doubles whatever is not periodic between the fan's harmonics for a while: a level
        // step the detector takes for motion.)
        sinceLock++;
        for (var m = 0; m < micCount; m++)
        {
            var cr = templateRe[m];
            var ci = templateIm[m];
            float pr = 0, pi = 0;
            for (var k = 0; k < taps.Length; k++)
            {
                var at = (first - k) & mask;
                pr += taps[k] * cr[at];
                pi += taps[k] * ci[at];
            }

            var yr = re[m][i] - pr;
            var yi = im[m][i] - pi;
            cr[templateHead] = pr + (alpha * yr);
            ci[templateHead] = pi + (alpha * yi);
            re[m][i] -= fade * pr;
            im[m][i] -= fade * pi;
        }

        templateHead = (templateHead + 1) & mask;
        // The subtraction fades in only once the template holds a whole period: subtracted at once, the template's
        // first period (the input itself, still the fan plus everything else) would make a step, a broadband click.
        if (fade != fadeTarget && sinceLock >= period)
        {
            fade = fadeTarget > fade ? Math.Min(fadeTarget, fade + (1f / EstimateEvery)) : Math.Max(fadeTarget, fade - fadeOutStep);
            if (fade == 0 && fadeTarget == 0)
            {
                PeriodSamples = 0;   // faded out: off
                quietEstimates = 0;
                ClearTemplates();
            }
        }
    }

    // True when the comb started on a new period.
    private bool Estimate()
    {
        // Power spectrum of each microphone's last WindowLength samples (oldest first, zero-padded), summed over the
        // microphones and kept only where motion Doppler lies (MinDopplerHz..MaxDopplerHz either side: not the still
        // room's residue, not the noise beyond); its inverse FFT is the autocorrelation of that band.
        var filled = historyFilled;
        lags = filled / 2;
        if (filled != taperLength)
        {
            Taper(filled);
        }

        Array.Clear(powerRe);
        for (var m = 0; m < micCount; m++)
        {
            Array.Clear(fftRe);
            Array.Clear(fftIm);
            var hr = historyRe[m];
            var hi = historyIm[m];
            for (var k = 0; k < filled; k++)
            {
                var a = (historyHead - filled + k + WindowLength) % WindowLength;
                fftRe[k] = taper[k] * hr[a];
                fftIm[k] = taper[k] * hi[a];
            }

            fft.Forward(fftRe, fftIm);
            for (var k = 0; k < FftLength; k++)
            {
                powerRe[k] += (fftRe[k] * fftRe[k]) + (fftIm[k] * fftIm[k]);
            }
        }

        for (var k = 0; k < FftLength; k++)
        {
            var bin = k <= FftLength / 2 ? k : FftLength - k;
            if (bin < lowBin || bin > highBin)
            {
                powerRe[k] = 0;
            }
        }

        if (!float.IsFinite(TensorPrimitives.Sum<float>(templateRe[0]) + TensorPrimitives.Sum<float>(templateIm[0])))
        {
            ClearTemplates();   // something non-finite got in: it would stay in the template for good
        }

        Array.Clear(powerIm);
        fft.InverseUnscaled(powerRe, powerIm);
        var zero = powerRe[0];
        if (!(zero > 0) || !float.IsFinite(zero))
        {
            Quiet();
            return false;
        }

        // Normalized (unbiased) autocorrelation per lag: its magnitude, and its real part (1 at a true period).
        for (var lag = 0; lag < lags; lag++)
        {
            var scale = taperLag[0] / (zero * taperLag[lag]);
            rho[lag] = MathF.Sqrt((powerRe[lag] * powerRe[lag]) + (powerIm[lag] * powerIm[lag])) * scale;
            rhoReal[lag] = powerRe[lag] * scale;
        }

        // A single Doppler line (a walker's torso) has the same magnitude at every lag; only several lines in a fixed
        // relation (a fan's harmonics, either side of the carrier) make the magnitude peak well above its median.
        rho.AsSpan(minLag, sorted.Length).CopyTo(sorted);
        Array.Sort(sorted);
        var best = minLag;
        for (var lag = minLag; lag <= maxLag; lag++)
        {
            best = rhoReal[lag] > rhoReal[best] ? lag : best;
        }

        // The period is the shortest lag whose real part is nearly the best's (the best may be a multiple of it).
        for (var lag = minLag; lag < best; lag++)
        {
            if (rhoReal[lag] >= 0.9f * rhoReal[best] && rhoReal[lag] >= rhoReal[lag - 1] && rhoReal[lag] >= rhoReal[lag + 1])
            {
                best = lag;
                break;
            }
        }

        var median = sorted[sorted.Length / 2];
        Contrast = rhoReal[best] - median;

        // The running period still there (music or a walker may now be the stronger periodicity): keep the comb, and do
        // not look for another period while the fan it cancels is in the room.
        if (PeriodSamples > 0 && RealAt(PeriodSamples) - median >= KeepAliveContrast)
        {
            quietEstimates = stableEstimates = 0;
            fadeTarget = 1;
            return false;
        }

        if (Contrast < OnContrast)
        {
            stableEstimates = 0;
            Quiet();
            return false;
        }

        var period = Refine(best);
        if (MusicPeriodicityAt(period, filled) > MusicPeriodicity)
        {
            stableEstimates = 0;
            Quiet();
            return false;
        }

        if (PeriodSamples > 0 && IsMultiple(period, PeriodSamples))
        {
            // The running period or a multiple of it (something else moving too): the running comb cancels it.
            quietEstimates = stableEstimates = 0;
            fadeTarget = 1;
            return false;
        }

        // A fan keeps its period; a walker's lines move. On only after the same period StableEstimates times in a row,
        // and a running comb moves to another period only after ReplaceEstimates.
        stableEstimates = Math.Abs(period - candidate) <= StableSamples ? stableEstimates + 1 : 1;
        candidate = period;
        if (stableEstimates < (PeriodSamples > 0 ? ReplaceEstimates : StableEstimates))
        {
            Quiet();
            return false;
        }

        quietEstimates = 0;
        ClearTemplates();   // a new fan, or one that changed speed: an old template would add, not cancel
        SetPeriod(period);
        fade = 0;
        fadeTarget = 1;
        return true;
    }

    private void Quiet()
    {
        if (PeriodSamples > 0 && ++quietEstimates >= OffEstimates)
        {
            fadeTarget = 0;   // the comb fades out over FadeOutSeconds
        }
    }

    // The reference's normalized autocorrelation at the period (best of the nearest whole lags); 0 without music.
    private double MusicPeriodicityAt(double period, int filled)
    {
        double energy = 0;
        for (var k = 0; k < filled; k++)
        {
            var v = referenceHistory[(historyHead - filled + k + WindowLength) % WindowLength];
            energy += v * v;
        }

        if (!(energy > 0))
        {
            return 0;
        }

        var best = 0.0;
        for (var lag = (int)Math.Floor(period); lag <= (int)Math.Ceiling(period); lag++)
        {
            double sum = 0;
            for (var k = lag; k < filled; k++)
            {
                sum += referenceHistory[(historyHead - filled + k + WindowLength) % WindowLength]
                    * referenceHistory[(historyHead - filled + k - lag + WindowLength) % WindowLength];
            }

            best = Math.Max(best, sum / energy * filled / (filled - lag));
        }

        return best;
    }

    // A Hann taper over the estimation window (a start-up's still-decaying static echo would otherwise leak from its
    // edges into every Doppler bin) and its own autocorrelation, which the signal's is divided by.
    private void Taper(int length)
    {
        taperLength = length;
        Array.Clear(fftRe);
        Array.Clear(fftIm);
        for (var k = 0; k < length; k++)
        {
            taper[k] = (float)Math.Pow(Math.Sin(Math.PI * (k + 0.5) / length), 2);
            fftRe[k] = taper[k];
        }

        fft.Forward(fftRe, fftIm);
        for (var k = 0; k < FftLength; k++)
        {
            fftRe[k] = (fftRe[k] * fftRe[k]) + (fftIm[k] * fftIm[k]);
            fftIm[k] = 0;
        }

        fft.InverseUnscaled(fftRe, fftIm);
        fftRe.AsSpan(0, taperLag.Length).CopyTo(taperLag);
    }

    // The period and its Lagrange taps (those of LagrangeDesign.Taps(InterpolationOrder, Centre + fraction), at delays
    // whole - Centre .. whole - Centre + InterpolationOrder), from the Farrow coefficients: once per period, not per
    // sample, and without allocating.
    private void SetPeriod(double period)
    {
        PeriodSamples = period;
        wholeDelay = (int)Math.Floor(period);
        var mu = period - wholeDelay;
        var size = InterpolationOrder + 1;
        for (var k = 0; k < size; k++)
        {
            double tap = 0;
            for (var p = InterpolationOrder; p >= 0; p--)
            {
                tap = (tap * mu) + farrow[(k * size) + p];
            }

            taps[k] = (float)tap;
        }
    }

    /// <summary>The interpolation taps in use, at delays floor(period) - (order - 1) / 2 onwards (for tests).</summary>
    internal ReadOnlySpan<float> Taps => taps;

    // The real part of the normalized autocorrelation at a fractional lag (linear between the whole lags).
    private double RealAt(double lag)
    {
        var whole = (int)Math.Floor(lag);
        if (whole + 1 >= lags)
        {
            return 0;
        }

        var f = lag - whole;
        return ((1 - f) * rhoReal[whole]) + (f * rhoReal[whole + 1]);
    }

    private static bool IsMultiple(double period, double of)
    {
        var multiple = Math.Round(period / of);
        return multiple >= 1 && Math.Abs(period - (multiple * of)) <= multiple * StableSamples;
    }

    // The period to a fraction of a sample: the peak near each doubling of it, interpolated, divided by the multiple.
    private double Refine(int lag)
    {
        var period = lag + Vertex(lag);
        for (var multiple = 2; (multiple * period) + 4 < lags; multiple *= 2)   // centre + 2 + 1 stays inside
        {
            var centre = (int)Math.Round(multiple * period);
            var peak = centre;
            for (var l = centre - 2; l <= centre + 2; l++)
            {
                peak = rhoReal[l] > rhoReal[peak] ? l : peak;
            }

            period = (peak + Vertex(peak)) / multiple;
        }

        return period;
    }

    // Offset of a parabola's vertex through rho[lag - 1], rho[lag], rho[lag + 1], within +/- 0.5.
    private double Vertex(int lag)
    {
        double a = rhoReal[lag - 1], b = rhoReal[lag], c = rhoReal[lag + 1];
        var d = a - (2 * b) + c;
        return d < 0 ? Math.Clamp(0.5 * (a - c) / d, -0.5, 0.5) : 0;
    }

    private void ClearTemplates()
    {
        sinceLock = 0;
        for (var m = 0; m < micCount; m++)
        {
            Array.Clear(templateRe[m]);
            Array.Clear(templateIm[m]);
        }
    }
}
