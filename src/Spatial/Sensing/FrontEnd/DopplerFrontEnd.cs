using SpatialAudio.Filters.Fft;

namespace SpatialAudio.Spatial.Sensing.FrontEnd;

/// <summary>
/// The microphone front end: per microphone, demodulation of the carrier to a 3 kHz complex baseband, removal of the
/// static echo, optional cancellation of music distortion against the playback reference, and a short-time Doppler
/// spectrum pooled into velocity bands.
/// </summary>
/// <remarks>
/// <para><b>Resolution.</b> Frames of 128 baseband samples (42.7 ms at 3 kHz) with a hop of 64 (21.3 ms, 46.9 frames/s):
/// 23.4 Hz bins, about 0.1 m/s at 40 kHz (a reflector moving at v shifts the echo by 2 v f / c). A walker (0.3..1.5 m/s,
/// 70..350 Hz) spans bins 3..15, swinging arms and legs go further; a hand (0.1..1 m/s) bins 1..10; a curtain (a few cm/s)
/// stays in bins 0..1. Shorter frames would halve the latency but blur a slow hand into the static echo; longer ones would
/// add latency against the 100 ms median target.</para>
/// <para><b>Static echo.</b> A one-pole DC blocker (time constant 0.1 s, -3 dB at 1.6 Hz) removes the carrier and every
/// still reflection, 60..90 dB above the moving echoes, before the window sees them. When the probe comes back after a
/// low-power sleep, <see cref="Resettle"/> runs it at 10 ms for 0.3 s so the returning echo's step is gone by the end of
/// the pipeline's settling.</para>
/// <para><b>Music distortion.</b> Two stages, both driven by the playback reference: a 24-tap time-domain RLS
/// (<see cref="DistortionCanceller"/>) on the baseband, then a per-bin RLS in each frame's spectrum
/// (<see cref="SpectralDistortionCanceller"/>) for what reaches the microphones through the room's later echoes. With
/// <c>guardDistortion</c> the time-domain stage never subtracts more than its prediction's least-squares share of the
/// signal (<see cref="DistortionCanceller"/>'s output guard), as the detector model asks
/// (<see cref="Detection.DetectorModel.DistortionGuard"/>).</para>
/// <para><b>Fans.</b> With <c>cancelFans</c>, a <see cref="PeriodicClutterCanceller"/> after the music canceller removes
/// echoes that repeat at a fan's blade-pass period. The detector model says whether (<see cref="Detection.DetectorModel.FanCanceller"/>;
/// the committed detector runs behind it since the fifteenth session).</para>
/// <para><b>Bands.</b> Bins are pooled (mean power, dB) into 7 speed bands per direction: |k| = 1, 2-3, 4-6, 7-10, 11-16,
/// 17-25, 26-40 (0.1 .. 4.3 m/s); bands 0..6 approach (positive shift), 7..13 recede.</para>
/// <para>Allocation-free after construction; frames come out through <see cref="FrameCount"/> and <see cref="BandsDb"/>,
/// valid until the next <see cref="Process"/>.</para>
/// </remarks>
public sealed class DopplerFrontEnd
{
    /// <summary>Baseband samples per frame.</summary>
    public const int FrameLength = 128;

    /// <summary>Baseband samples between frames.</summary>
    public const int Hop = 64;

    /// <summary>Velocity bands per frame (per microphone).</summary>
    public const int BandCount = 14;

    /// <summary>Values after the microphones' bands in each frame: the playback reference's level (low-passed music and
    /// music squared, dB over the last hop; -120 without a reference), so the detector knows when music could distort.</summary>
    public const int ReferenceCount = 2;

    /// <summary>Input frames per <see cref="Process"/> call at most.</summary>
    public const int MaxBlock = 8192;

    private static readonly (int Low, int High)[] BandBins = [(1, 1), (2, 3), (4, 6), (7, 10), (11, 16), (17, 25), (26, 40)];

    private readonly int micCount;
    private readonly BasebandDecimator[] decimators;
    private readonly BasebandDecimator? musicDecimator, squareDecimator;
    private readonly IDistortionCanceller? canceller;
    private readonly SpectralDistortionCanceller? spectralCanceller;
    private readonly float[] refFrameU = new float[2 * FrameLength], refFrameV = new float[2 * FrameLength];   // regressor rings, doubled
    private readonly float[] scratchIn = new float[MaxBlock];
    private readonly float[][] bbRe, bbIm;   // per mic, this block's baseband
    private readonly float[] refU, refV, refZero;
    private readonly float[][] frameRe, frameIm;   // per mic, ring of FrameLength, doubled
    private readonly double[] dcRe, dcIm;
    private readonly double[] refDc = new double[2];
    private readonly float dcAlpha, fastDcAlpha;
    private int fastDcRemaining;   // baseband samples left with the fast static-echo filter (after the probe comes back)
    private readonly float[] window = new float[FrameLength];
    private readonly float[] fftRe = new float[FrameLength], fftIm = new float[FrameLength];
    private readonly ComplexFft fft = new(FrameLength);
    private readonly float[] bands;
    private readonly PeriodicClutterCanceller? fans;
    private readonly int maxFrames;
    private readonly bool[] fanLocks;   // per frame of the last call: the fan canceller started a new comb in its hop
    private bool fanLockPending;        // ... after the last frame of the previous call
    private int frameHead, sinceFrame, filled;

    /// <summary>Creates the front end.</summary>
    /// <param name="sampleRateHz">Microphone rate, Hz (96 kHz typical; at least 68 kHz).</param>
    /// <param name="micCount">Microphones, 1..16.</param>
    /// <param name="carrierHz">Probe carrier, Hz.</param>
    /// <param name="withReference">Whether a playback reference will be given (enables distortion cancellation).</param>
    /// <param name="cancelFans">Whether to remove periodic echoes (fans) with a <see cref="PeriodicClutterCanceller"/>, as
    /// the model in front of which the front end runs asks (<see cref="Detection.DetectorModel.FanCanceller"/>).</param>
    /// <param name="guardDistortion">Whether the time-domain distortion canceller runs with its output guard
    /// (<see cref="Detection.DetectorModel.DistortionGuard"/>).</param>
    /// <param name="fastStart">Whether the stream's start (and every <see cref="Reset"/>) settles as a low-power wake-up does
    /// (<see cref="Resettle"/>; <see cref="Detection.DetectorModel.FastStart"/>).</param>
    /// <param name="cancellerTaps">FIR length per regressor of the time-domain distortion canceller, baseband samples
    /// (<see cref="Detection.DetectorModel.CancellerTaps"/>; the inverse-QR filter's cost grows with the square, the lattice's
    /// linearly).</param>
    /// <param name="latticeCanceller">Whether the time-domain distortion canceller is the least-squares lattice
    /// (<see cref="LatticeDistortionCanceller"/>) rather than the inverse-QR RLS (<see cref="Detection.DetectorModel.LatticeCanceller"/>).</param>
    /// <param name="latticePowerFloor">The lattice's powers' floor (<see cref="LatticeDistortionCanceller"/>,
    /// <see cref="Detection.DetectorModel.LatticePowerFloor"/>); only with <paramref name="latticeCanceller"/>.</param>
    public DopplerFrontEnd(int sampleRateHz, int micCount, double carrierHz, bool withReference, bool cancelFans = false, bool guardDistortion = false,
        bool fastStart = false, int cancellerTaps = DistortionCanceller.DefaultTaps, bool latticeCanceller = false,
        double latticePowerFloor = LatticeDistortionCanceller.DefaultPowerFloor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(micCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(micCount, 16);
        if (!latticeCanceller && latticePowerFloor != LatticeDistortionCanceller.DefaultPowerFloor)
        {
            throw new ArgumentException("the powers' floor belongs to the lattice canceller", nameof(latticePowerFloor));
        }

        this.micCount = micCount;
        var factor = Math.Max(1, (int)Math.Floor(sampleRateHz / 3000.0));
        decimators = [.. Enumerable.Range(0, micCount).Select(_ => new BasebandDecimator(sampleRateHz, carrierHz, factor))];
        BasebandRateHz = decimators[0].OutputRateHz;
        if (withReference)
        {
            musicDecimator = new BasebandDecimator(sampleRateHz, 0, factor);
            squareDecimator = new BasebandDecimator(sampleRateHz, 0, factor);
            var guardSamples = guardDistortion ? DistortionCanceller.DefaultGuardSamples : 0;
            canceller = latticeCanceller
                ? new LatticeDistortionCanceller(micCount, cancellerTaps, guardSamples: guardSamples,
                    shortTaps: cancellerTaps > DistortionCanceller.DefaultTaps ? DistortionCanceller.DefaultTaps : 0, powerFloor: latticePowerFloor)
                : new DistortionCanceller(micCount, cancellerTaps, guardSamples: guardSamples);
        }

        var perBlock = (MaxBlock / factor) + 2;
        bbRe = [.. Enumerable.Range(0, micCount).Select(_ => new float[perBlock])];
        bbIm = [.. Enumerable.Range(0, micCount).Select(_ => new float[perBlock])];
        refU = new float[perBlock];
        refV = new float[perBlock];
        refZero = new float[perBlock];
        frameRe = [.. Enumerable.Range(0, micCount).Select(_ => new float[2 * FrameLength])];
        frameIm = [.. Enumerable.Range(0, micCount).Select(_ => new float[2 * FrameLength])];
        dcRe = new double[micCount];
        dcIm = new double[micCount];
        dcAlpha = (float)(1 - Math.Exp(-1 / (0.1 * BasebandRateHz)));
        fastDcAlpha = (float)(1 - Math.Exp(-1 / (FastSettleTimeConstant * BasebandRateHz)));
        var wsum = 0.0;
        for (var i = 0; i < FrameLength; i++)
        {
            window[i] = (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * i / FrameLength)));
            wsum += window[i] * window[i];
        }

        for (var i = 0; i < FrameLength; i++)
        {
            window[i] /= (float)Math.Sqrt(wsum);   // a bin's power is then the power density per bin of white noise
        }

        maxFrames = (perBlock / Hop) + 2;
        bands = new float[maxFrames * ((micCount * BandCount) + ReferenceCount)];
        fanLocks = new bool[maxFrames];
        if (withReference)
        {
            spectralCanceller = new SpectralDistortionCanceller(micCount, FrameLength, BandBins[^1].High, maxFrames);
        }

        if (cancelFans)
        {
            fans = new PeriodicClutterCanceller(micCount, BasebandRateHz);
        }

        CarrierHz = carrierHz;
        SampleRateHz = sampleRateHz;
        FastStart = fastStart;
        if (fastStart)
        {
            Resettle();
        }
    }

    /// <summary>
    /// Whether the stream's start settles as a low-power wake-up does (<see cref="Resettle"/>): the static echo is a step
    /// there too, from the filter's empty state to 60..90 dB over the moving echoes. Without it, both distortion
    /// cancellers learn from the step's slow decay in the first few hundred milliseconds, fitting it with the music
    /// regressors; where the music hardly excites those directions later, the weights keep that fit for the whole stream
    /// and their prediction is a residue that looks like motion under the music (docs/sensing-notebook.md, twenty-third
    /// session: a simulated room with a varied song raised 13 false walks in 30 s, none with the fast start). Models
    /// say which start they were trained or adopted behind (<see cref="Detection.DetectorModel.FastStart"/>).
    /// </summary>
    public bool FastStart { get; }

    /// <summary>FIR length per regressor of the time-domain distortion canceller (0 without a reference).</summary>
    public int CancellerTaps => canceller?.Taps ?? 0;

    /// <summary>Whether this front end has the fan canceller.</summary>
    public bool CancelsFans => fans is not null;

    /// <summary>Whether the time-domain distortion canceller runs with its output guard.</summary>
    public bool GuardsDistortion => canceller?.Guarded ?? false;

    /// <summary>Whether the time-domain distortion canceller is the least-squares lattice.</summary>
    public bool LatticeCanceller => canceller is LatticeDistortionCanceller;

    /// <summary>The lattice canceller's powers' floor (<see cref="LatticeDistortionCanceller.PowerFloor"/>); the default
    /// without the lattice.</summary>
    public double LatticePowerFloor => (canceller as LatticeDistortionCanceller)?.PowerFloor ?? LatticeDistortionCanceller.DefaultPowerFloor;

    /// <summary>The period the fan canceller runs at, baseband samples (0: off, or no canceller).</summary>
    public double FanPeriodSamples => fans?.PeriodSamples ?? 0;

    /// <summary>Time constant of the static-echo filter for <see cref="FastSettleSeconds"/> after <see cref="Resettle"/>, s.</summary>
    public const double FastSettleTimeConstant = 0.01;

    /// <summary>How long the fast static-echo filter runs after <see cref="Resettle"/>, s.</summary>
    public const double FastSettleSeconds = 0.3;

    /// <summary>Microphone rate, Hz.</summary>
    public int SampleRateHz { get; }

    /// <summary>Carrier, Hz.</summary>
    public double CarrierHz { get; }

    /// <summary>Microphones.</summary>
    public int MicCount => micCount;

    /// <summary>Rate of the complex baseband, Hz.</summary>
    public double BasebandRateHz { get; }

    /// <summary>Seconds between frames.</summary>
    public double FrameSeconds => Hop / BasebandRateHz;

    /// <summary>Doppler bin width, Hz.</summary>
    public double BinHz => BasebandRateHz / FrameLength;

    /// <summary>Delay from a sample entering to the end of the frame that holds it reaching the output, s (decimation filter).</summary>
    public double FilterDelaySeconds => decimators[0].DelaySamples / SampleRateHz;

    /// <summary>Frames produced by the last <see cref="Process"/> call.</summary>
    public int FrameCount { get; private set; }

    /// <summary>Whether the distortion canceller adapts (default true). The host clears it while the probe is off: with no
    /// probe there is no distortion to learn from, and adapting to its absence would unlearn the paths. The canceller also
    /// pauses by itself while <see cref="Resettle"/>'s fast static-echo filter runs (the returning echo's step is no music).</summary>
    public bool LearnDistortion { get; set; } = true;

    /// <summary>Whether a playback reference is expected.</summary>
    public bool HasReference => canceller is not null;

    /// <summary>Values per frame: <see cref="BandCount"/> per microphone, then <see cref="ReferenceCount"/>.</summary>
    public int FrameWidth => (micCount * BandCount) + ReferenceCount;

    /// <summary>Frame <paramref name="frame"/> of the last call: <see cref="BandCount"/> band levels (dB) per microphone,
    /// then the reference levels.</summary>
    public ReadOnlySpan<float> BandsDb(int frame) => bands.AsSpan(frame * FrameWidth, FrameWidth);

    /// <summary>Whether the fan canceller started cancelling a new period since the frame before frame
    /// <paramref name="frame"/> of the last call (the same frame whatever the block sizes).</summary>
    public bool FanLockedIn(int frame) => fanLocks[frame];

    /// <summary>Processes one block of microphone samples.</summary>
    /// <param name="interleavedMics">Interleaved microphone samples, <see cref="MicCount"/> per frame, at most <see cref="MaxBlock"/> frames.</param>
    /// <param name="playback">The playback reference for the same frames (mono), or empty when there is none.</param>
    /// <returns>Frames produced (also in <see cref="FrameCount"/>).</returns>
    public int Process(ReadOnlySpan<float> interleavedMics, ReadOnlySpan<float> playback)
    {
        var frames = interleavedMics.Length / micCount;
        if (frames > MaxBlock)
        {
            throw new ArgumentOutOfRangeException(nameof(interleavedMics), frames, $"at most {MaxBlock} frames per call");
        }

        if (canceller is not null && playback.Length >= frames)
        {
            var m = playback[..frames];
            musicDecimator!.Process(m, refU, refZero);
            for (var i = 0; i < frames; i++)
            {
                scratchIn[i] = m[i] * m[i] * 4f;   // scaled so both regressors have similar power (P's conditioning)
            }

            var referenceCount = squareDecimator!.Process(scratchIn.AsSpan(0, frames), refV, refZero);
            for (var i = 0; i < referenceCount; i++)
            {
                // The regressors pass through the same DC blocker as the target (linear filters commute).
                refDc[0] += dcAlpha * (refU[i] - refDc[0]);
                refDc[1] += dcAlpha * (refV[i] - refDc[1]);
                refU[i] -= (float)refDc[0];
                refV[i] -= (float)refDc[1];
            }
        }
        else if (canceller is not null)
        {
            Array.Clear(refU);   // no reference this block: the canceller sees silence and keeps its weights
            Array.Clear(refV);
        }

        // Baseband of every microphone, static echo removed.
        var count = 0;
        var fast = fastDcRemaining;
        for (var mic = 0; mic < micCount; mic++)
        {
            for (var i = 0; i < frames; i++)
            {
                scratchIn[i] = interleavedMics[(i * micCount) + mic];
            }

            count = decimators[mic].Process(scratchIn.AsSpan(0, frames), bbRe[mic], bbIm[mic]);
            var re = bbRe[mic];
            var im = bbIm[mic];
            for (var i = 0; i < count; i++)
            {
                double r = re[i], q = im[i];
                if (!double.IsFinite(r) || !double.IsFinite(q))
                {
                    r = q = 0;
                }

                var alpha = i < fast ? fastDcAlpha : dcAlpha;
                dcRe[mic] += alpha * (r - dcRe[mic]);
                dcIm[mic] += alpha * (q - dcIm[mic]);
                re[i] = (float)(r - dcRe[mic]);
                im[i] = (float)(q - dcIm[mic]);
            }
        }

        fastDcRemaining = Math.Max(0, fastDcRemaining - count);

        // Music distortion, cancelled sample by sample for all microphones together (they share the RLS gain).
        if (canceller is not null)
        {
            canceller.Learning = LearnDistortion;
            canceller.ProcessBlock(refU, refV, bbRe, bbIm, count, learnFrom: fast);
        }

        fans?.Process(bbRe, bbIm, count, canceller is not null ? refU.AsSpan(0, count) : default);
        if (spectralCanceller is not null)
        {
            ReferenceFrames(count, fast);
        }

        // Frames: every microphone advances the same frame clock.
        var lockedAt = fans?.LockedAtSample ?? -1;
        var startHead = frameHead;
        var startSince = sinceFrame;
        var startFilled = filled;
        FrameCount = 0;
        for (var mic = 0; mic < micCount; mic++)
        {
            frameHead = startHead;
            sinceFrame = startSince;
            filled = startFilled;
            var produced = 0;
            var ringRe = frameRe[mic];
            var ringIm = frameIm[mic];
            for (var i = 0; i < count; i++)
            {
                ringRe[frameHead] = ringRe[frameHead + FrameLength] = bbRe[mic][i];
                ringIm[frameHead] = ringIm[frameHead + FrameLength] = bbIm[mic][i];
                frameHead = frameHead + 1 == FrameLength ? 0 : frameHead + 1;
                filled = Math.Min(FrameLength, filled + 1);
                if (++sinceFrame >= Hop && filled == FrameLength)
                {
                    sinceFrame = 0;
                    Spectrum(ringRe.AsSpan(frameHead, FrameLength), ringIm.AsSpan(frameHead, FrameLength),
                        bands.AsSpan((produced * FrameWidth) + (mic * BandCount), BandCount), mic, produced);
                    if (mic == 0)
                    {
                        ReferenceLevels(i, bands.AsSpan((produced * FrameWidth) + (micCount * BandCount), ReferenceCount));
                        fanLocks[produced] = fanLockPending || (lockedAt >= 0 && lockedAt <= i);
                        if (fanLocks[produced])
                        {
                            fanLockPending = false;
                            lockedAt = -1;
                        }
                    }

                    produced++;
                }
            }

            FrameCount = produced;
        }

        fanLockPending |= lockedAt >= 0;   // after this call's last frame: it belongs to the next one

        return FrameCount;
    }

    /// <summary>
    /// Call when the probe comes back on (low-power wake-up): the static echo steps from nothing to 60..90 dB above the
    /// moving echoes, and the 0.1 s static-echo filter would still leave it 10..40 dB above them after the 0.6 s settling,
    /// leaking into the slowest bands (Hann main lobe) as false motion. For <see cref="FastSettleSeconds"/> the filter runs
    /// with a 10 ms time constant instead, which removes the step; it then returns to 0.1 s without a jump.
    /// </summary>
    public void Resettle() => fastDcRemaining = (int)Math.Ceiling(FastSettleSeconds * BasebandRateHz);

    /// <summary>Forgets all state (filters, canceller, partial frames); with <see cref="FastStart"/> the next samples settle
    /// fast, as at the start.</summary>
    public void Reset()
    {
        foreach (var d in decimators)
        {
            d.Reset();
        }

        musicDecimator?.Reset();
        squareDecimator?.Reset();
        canceller?.Reset();
        spectralCanceller?.Reset();
        fans?.Reset();
        Array.Clear(refFrameU);
        Array.Clear(refFrameV);

        Array.Clear(dcRe);
        Array.Clear(dcIm);
        Array.Clear(refDc);
        frameHead = sinceFrame = filled = fastDcRemaining = 0;
        fanLockPending = false;
        if (FastStart)
        {
            Resettle();
        }
    }

    // Mean power of the two regressors over the hop that ends at baseband sample i of this block (older samples of the
    // hop that fell in the previous block are not kept: the first hop of a block is measured on what it has).
    private void ReferenceLevels(int i, Span<float> destination)
    {
        if (canceller is null)
        {
            destination.Fill(-120f);
            return;
        }

        var from = Math.Max(0, i - Hop + 1);
        double u = 0, v = 0;
        for (var k = from; k <= i; k++)
        {
            u += refU[k] * refU[k];
            v += refV[k] * refV[k];
        }

        var count = i - from + 1;
        destination[0] = (float)(10 * Math.Log10((u / count) + 1e-12));
        destination[1] = (float)(10 * Math.Log10((v / count) + 1e-12));
    }

    // The regressors' frames on the microphones' frame clock (without moving it): each frame the block will produce
    // gets its slot in the spectral canceller, shared by every microphone.
    private void ReferenceFrames(int count, int fast)
    {
        int head = frameHead, since = sinceFrame, have = filled, produced = 0;
        for (var i = 0; i < count; i++)
        {
            refFrameU[head] = refFrameU[head + FrameLength] = refU[i];
            refFrameV[head] = refFrameV[head + FrameLength] = refV[i];
            head = head + 1 == FrameLength ? 0 : head + 1;
            have = Math.Min(FrameLength, have + 1);
            if (++since >= Hop && have == FrameLength)
            {
                since = 0;
                spectralCanceller!.Reference(refFrameU.AsSpan(head, FrameLength), refFrameV.AsSpan(head, FrameLength), window, produced++,
                    LearnDistortion && i >= fast);
            }
        }
    }

    private void Spectrum(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> destination, int mic, int slot)
    {
        for (var i = 0; i < FrameLength; i++)
        {
            fftRe[i] = re[i] * window[i];
            fftIm[i] = im[i] * window[i];
        }

        fft.Forward(fftRe, fftIm);
        spectralCanceller?.Cancel(mic, slot, fftRe, fftIm);
        for (var b = 0; b < BandBins.Length; b++)
        {
            var (low, high) = BandBins[b];
            double up = 0, down = 0;
            for (var k = low; k <= high; k++)
            {
                up += (fftRe[k] * fftRe[k]) + (fftIm[k] * fftIm[k]);
                var n = FrameLength - k;
                down += (fftRe[n] * fftRe[n]) + (fftIm[n] * fftIm[n]);
            }

            var bins = high - low + 1;
            destination[b] = (float)(10 * Math.Log10((up / bins) + 1e-30));
            destination[BandBins.Length + b] = (float)(10 * Math.Log10((down / bins) + 1e-30));
        }
    }
}
