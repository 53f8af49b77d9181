using System.Numerics.Tensors;
using SpatialAudio.Filters.Fft;

namespace SpatialAudio.Spatial.Upmix;

/// <summary>
/// Adaptive L/R/C upmix: the centre is the part of mid (M = (L + R)/2) that L and R share, estimated per STFT bin
/// from smoothed auto- and cross-spectra; L' and R' are what remains.
/// </summary>
/// <remarks>
/// <para><b>Model.</b> L = c + l, R = c + r with l, r and c mutually uncorrelated. In mid/side terms (M = (L + R)/2,
/// S = (L - R)/2) the linear MMSE estimate of c is C = g (M - beta S) with beta = E[M S*] / E|S|^2 (the part of mid that
/// follows the side: one side louder than the other) and g = E|c|^2 / E|M - beta S|^2, where
/// E|c|^2 = Re E[L R*] = E|M|^2 - E|S|^2. g is clamped to 0..1 and raised to <see cref="GainExponent"/> (above 1 rejects
/// the sides harder at the cost of some centre left in L' and R').</para>
/// <para><b>Estimation.</b> The spectra are smoothed over time (time constant <see cref="SmoothingMs"/>) and over
/// frequency (+/- 1/12 octave) before the gains are formed, so they neither pump nor warble. Two guards against
/// estimation error: (1) beta is shrunk by max(0, 1 - b / coh^2), coh^2 = |E[M S*]|^2 / (E|M|^2 E|S|^2), b = 0.3 / (bins
/// in the band), the coherence such an average shows by chance: a loud centre over quiet, balanced sides otherwise gets
/// a random beta whose beta S puts side back into C; (2) a bin whose side power jumps 6 dB above its average follows it
/// with a 6 ms time constant (all four spectra), so a side entering over a centre is projected out within a hop or
/// two instead of leaking for a whole time constant.</para>
/// <para><b>Exact reconstruction.</b> STFT with a periodic sqrt-Hann window for analysis and synthesis at 75 % overlap
/// (a tight frame); C is the inverse transform of g (M - beta S). Then L' = L(n - D) - C(n) and R' = R(n - D) - C(n) in the time
/// domain, so L' + C = L(n - D) and R' + C = R(n - D) to float rounding, with D = <see cref="LatencySamples"/> = FFT size.</para>
/// <para><b>Arithmetic.</b> The per-bin statistics, gains and centre spectrum run in float on
/// <see cref="System.Numerics.Vector{T}"/> with a scalar fallback (<see cref="LrcGainKernel"/>); only the prefix sums
/// behind the frequency smoothing stay in double.</para>
/// <para>Real-time safe: any frame count per call, no allocation, no locks, no exceptions; non-finite input is
/// treated as silence and resets the adaptive state.</para>
/// </remarks>
public sealed class LrcUpmixer : IUpmixer
{
    /// <summary>Side-projection shrinkage: the squared M/S coherence a band of B bins shows by chance is taken as
    /// CoherenceBias / B (tuned on the evaluation mixes; 0 would trust every chance correlation).</summary>
    private const double CoherenceBias = 0.3;

    /// <summary>Time constant the spectra follow a bin's side power with when it jumps, ms.</summary>
    private const double AttackMs = 6;

    /// <summary>Jump of a bin's side power over its smoothed value that counts as an onset (6 dB).</summary>
    private const float AttackRatio = 4;

    private readonly int size;
    private readonly int hop;
    private readonly int bins;
    private readonly int pairs;
    private readonly RealFft fft;
    private readonly float[] window;
    private readonly float[] synthesisWindow;   // window x overlap-add scale
    private readonly float[][] ringLeft;     // [pair][size] last `size` input samples
    private readonly float[][] ringRight;
    private readonly float[][] ola;          // [pair][size] centre overlap-add accumulator
    private readonly float[] frame;
    private readonly float[] reL, imL, reR, imR, reC, imC;
    private readonly float[] pMM, pSS, pMSr, pMSi;         // time-smoothed spectra
    private readonly float[] bandMM, bandSS, bandMSr, bandMSi; // ... and summed over each bin's band
    private readonly double[] prefix;
    private readonly float[] gains;        // Wiener gain per bin
    private readonly float[] betaRe, betaIm; // side projection per bin
    private readonly int[] bandLow, bandHigh;
    private readonly float[] coherenceBias;
    private readonly float alpha;
    private readonly float alphaFast;
    private readonly float attackThreshold;
    private readonly bool vectorized;
    private long time;
    private int cursor;       // time % size
    private int hopCounter;   // time % hop

    /// <summary>Creates the upmixer.</summary>
    /// <param name="sampleRateHz">Sample rate, Hz.</param>
    /// <param name="fftSize">STFT size, power of two 256..8192 (also the latency).</param>
    /// <param name="smoothingMs">Time constant of the spectral averaging, 5..1000 ms.</param>
    /// <param name="gainExponent">Exponent applied to the Wiener gain, 1..4 (above 1 rejects the sides harder at the
    /// cost of some centre left in L' and R').</param>
    public LrcUpmixer(int sampleRateHz = 48000, int fftSize = 1024, double smoothingMs = 25, double gainExponent = 4)
        : this(sampleRateHz, fftSize, smoothingMs, gainExponent, 0)
    {
    }

    /// <summary>Creates an upmixer that also applies its gains to <paramref name="trackedPairs"/> extra L/R pairs
    /// (evaluation: the parts of a mix, processed with the mix's gains, add up to the mix's output).</summary>
    internal LrcUpmixer(int sampleRateHz, int fftSize, double smoothingMs, double gainExponent, int trackedPairs)
        : this(sampleRateHz, fftSize, smoothingMs, gainExponent, trackedPairs, vectorized: true)
    {
    }

    /// <summary>As above; <paramref name="vectorized"/> false forces the scalar per-bin path (tests).</summary>
    internal LrcUpmixer(int sampleRateHz, int fftSize, double smoothingMs, double gainExponent, int trackedPairs, bool vectorized)
    {
        this.vectorized = vectorized;
        if (!(gainExponent is >= 1 and <= 4))
        {
            throw new ArgumentOutOfRangeException(nameof(gainExponent), gainExponent, "must be 1..4");
        }

        GainExponent = gainExponent;
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRateHz, 8000);
        if (fftSize is < 256 or > 8192 || (fftSize & (fftSize - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fftSize), fftSize, "must be a power of two, 256..8192");
        }

        if (!(smoothingMs is >= 5 and <= 1000))
        {
            throw new ArgumentOutOfRangeException(nameof(smoothingMs), smoothingMs, "must be 5..1000 ms");
        }

        size = fftSize;
        hop = fftSize / 4;
        bins = (fftSize / 2) + 1;
        pairs = 1 + trackedPairs;
        SmoothingMs = smoothingMs;
        fft = new RealFft(size);
        window = new float[size];
        for (var n = 0; n < size; n++)
        {
            window[n] = (float)Math.Sqrt(0.5 - (0.5 * Math.Cos(2 * Math.PI * n / size)));
        }

        // sqrt-Hann analysis x synthesis = Hann; periodic Hann at hop N/4 sums to 2.
        var synthesisScale = 0.5f / size;
        synthesisWindow = [.. window.Select(w => w * synthesisScale)];
        ringLeft = NewArrays(pairs, size);
        ringRight = NewArrays(pairs, size);
        ola = NewArrays(pairs, size);
        frame = new float[size];
        reL = new float[bins];
        imL = new float[bins];
        reR = new float[bins];
        imR = new float[bins];
        reC = new float[bins];
        imC = new float[bins];
        pMM = new float[bins];
        pSS = new float[bins];
        pMSr = new float[bins];
        pMSi = new float[bins];
        bandMM = new float[bins];
        bandSS = new float[bins];
        bandMSr = new float[bins];
        bandMSi = new float[bins];
        prefix = new double[4 * (bins + 1)];
        gains = new float[bins];
        betaRe = new float[bins];
        betaIm = new float[bins];
        bandLow = new int[bins];
        bandHigh = new int[bins];
        var width = Math.Pow(2, 1.0 / 12);
        for (var k = 0; k < bins; k++)
        {
            bandLow[k] = Math.Max(0, Math.Min(k - 1, (int)Math.Floor(k / width)));
            bandHigh[k] = Math.Min(bins - 1, Math.Max(k + 1, (int)Math.Ceiling(k * width)));
        }

        coherenceBias = new float[bins];
        for (var k = 0; k < bins; k++)
        {
            coherenceBias[k] = (float)(CoherenceBias / (bandHigh[k] - bandLow[k] + 1));
        }

        alpha = (float)Math.Exp(-hop / (smoothingMs * sampleRateHz / 1000));
        alphaFast = (float)Math.Exp(-hop / (Math.Min(AttackMs, smoothingMs) * sampleRateHz / 1000));
        attackThreshold = AttackRatio;
        Reset();
    }

    /// <inheritdoc />
    public int LatencySamples => size;

    /// <summary>Exponent applied to the Wiener gain.</summary>
    public double GainExponent { get; }

    /// <summary>Time constant of the spectral smoothing, ms.</summary>
    public double SmoothingMs { get; }

    /// <summary>The current per-bin centre gains (0..1), bins of the STFT; for inspection and tests.</summary>
    public ReadOnlySpan<float> Gains => gains;

    /// <inheritdoc />
    public void Process(ReadOnlySpan<float> left, ReadOnlySpan<float> right, Span<float> leftOut, Span<float> rightOut, Span<float> centerOut)
    {
        var n = Math.Min(Math.Min(left.Length, right.Length), Math.Min(Math.Min(leftOut.Length, rightOut.Length), centerOut.Length));
        var done = 0;
        while (done < n)
        {
            // Whole runs up to the next analysis or ring wrap, with span arithmetic (no per-sample bookkeeping).
            var run = Math.Min(n - done, Math.Min(hop - hopCounter, size - cursor));
            var l = left.Slice(done, run);
            var r = right.Slice(done, run);
            var ringL = ringLeft[0].AsSpan(cursor, run);
            var ringR = ringRight[0].AsSpan(cursor, run);
            var c = ola[0].AsSpan(cursor, run);
            TensorPrimitives.Subtract(ringL, c, leftOut.Slice(done, run));
            TensorPrimitives.Subtract(ringR, c, rightOut.Slice(done, run));
            c.CopyTo(centerOut.Slice(done, run));
            c.Clear();
            l.CopyTo(ringL);
            r.CopyTo(ringR);
            if (!AllFinite(ringL) || !AllFinite(ringR))
            {
                Sanitize(ringL);
                Sanitize(ringR);
                ResetAdaptation();
            }

            time += run;
            cursor += run;
            if (cursor == size)
            {
                cursor = 0;
            }

            hopCounter += run;
            if (hopCounter == hop)
            {
                hopCounter = 0;
                Analyze();
            }

            done += run;
        }
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        // x - x is 0 for finite x and NaN for NaN or infinity.
        return float.IsFinite(TensorPrimitives.Sum(values) * 0f);
    }

    private static void Sanitize(Span<float> values)
    {
        foreach (ref var v in values)
        {
            if (!float.IsFinite(v))
            {
                v = 0;
            }
        }
    }

    /// <summary>Processes the mix (pair 0) and the tracked pairs with the mix's gains; spans [pair] per argument.</summary>
    internal void ProcessTracked(float[][] left, float[][] right, float[][] leftOut, float[][] rightOut, float[][] centerOut, int count)
    {
        for (var i = 0; i < count; i++)
        {
            for (var p = 0; p < pairs; p++)
            {
                Step(p, left[p][i], right[p][i], out leftOut[p][i], out rightOut[p][i], out centerOut[p][i]);
            }

            AdvanceAndMaybeAnalyze();
        }
    }

    /// <inheritdoc />
    public void Reset()
    {
        for (var p = 0; p < pairs; p++)
        {
            Array.Clear(ringLeft[p]);
            Array.Clear(ringRight[p]);
            Array.Clear(ola[p]);
        }

        ResetAdaptation();
        time = 0;
        cursor = 0;
        hopCounter = 0;
    }

    // One sample of pair p: emit the delayed input minus the finished centre sample, then store the new input.
    private void Step(int p, float l, float r, out float leftOut, out float rightOut, out float centerOut)
    {
        var slot = cursor;
        var c = ola[p][slot];           // centre at position time - size (final: see class remarks)
        ola[p][slot] = 0;               // the slot now belongs to position `time`
        leftOut = ringLeft[p][slot] - c;
        rightOut = ringRight[p][slot] - c;
        centerOut = c;
        ringLeft[p][slot] = l;
        ringRight[p][slot] = r;
    }

    private void AdvanceAndMaybeAnalyze()
    {
        time++;
        if (++cursor == size)
        {
            cursor = 0;
        }

        if (++hopCounter == hop)
        {
            hopCounter = 0;
            Analyze();
        }
    }

    private void Analyze()
    {
        // Frame = the last `size` samples, oldest first (positions time - size .. time - 1).
        var start = cursor;
        for (var p = 0; p < pairs; p++)
        {
            Transform(ringLeft[p], start, reL, imL);
            Transform(ringRight[p], start, reR, imR);
            if (p == 0)
            {
                UpdateGains();
            }

            LrcGainKernel.Centre(reL, imL, reR, imR, gains, betaRe, betaIm, reC, imC, vectorized);
            fft.InverseUnscaled(reC, imC, frame);
            var accumulator = ola[p];

            // Positions time - size .. time - 1 live in slots start.. (wrapping); positions before 0 are skipped.
            TensorPrimitives.Multiply(frame, synthesisWindow, frame);
            if (time < size)
            {
                frame.AsSpan(0, (int)(size - time)).Clear();
            }

            var firstPart = size - start;
            TensorPrimitives.Add(accumulator.AsSpan(start, firstPart), frame.AsSpan(0, firstPart), accumulator.AsSpan(start, firstPart));
            TensorPrimitives.Add(accumulator.AsSpan(0, start), frame.AsSpan(firstPart), accumulator.AsSpan(0, start));
        }
    }

    private void Transform(float[] ring, int start, float[] re, float[] im)
    {
        var firstPart = size - start;
        TensorPrimitives.Multiply(ring.AsSpan(start, firstPart), window.AsSpan(0, firstPart), frame.AsSpan(0, firstPart));
        TensorPrimitives.Multiply(ring.AsSpan(0, start), window.AsSpan(firstPart), frame.AsSpan(firstPart));

        fft.Forward(frame, re, im);
    }

    private void UpdateGains()
    {
        LrcGainKernel.AccumulateSpectra(reL, imL, reR, imR, alpha, alphaFast, attackThreshold, pMM, pSS, pMSr, pMSi, vectorized);
        LrcGainKernel.BandSums(pMM, pSS, pMSr, pMSi, bandLow, bandHigh, prefix, bandMM, bandSS, bandMSr, bandMSi);
        LrcGainKernel.Gains(bandMM, bandSS, bandMSr, bandMSi, coherenceBias, GainExponent, gains, betaRe, betaIm, vectorized);
    }

    private void ResetAdaptation()
    {
        Array.Clear(pMM);
        Array.Clear(pSS);
        Array.Clear(pMSr);
        Array.Clear(pMSi);
        Array.Clear(gains);
        Array.Clear(betaRe);
        Array.Clear(betaIm);
    }

    private static float[][] NewArrays(int count, int length)
    {
        var result = new float[count][];
        for (var i = 0; i < count; i++)
        {
            result[i] = new float[length];
        }

        return result;
    }
}
