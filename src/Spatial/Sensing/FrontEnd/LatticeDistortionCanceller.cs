namespace SpatialAudio.Spatial.Sensing.FrontEnd;

/// <summary>
/// The distortion canceller's recursive least squares in a two-channel least-squares lattice: the same exponentially
/// weighted least-squares filter as <see cref="DistortionCanceller"/> (FIR of u = LP(m) and v = LP(m^2) per microphone),
/// at O(L) cost per sample instead of O(L^2), so filters long enough for the room's later echoes (96 taps = 32 ms at
/// 3 kHz) fit the sensing CPU budget.
/// </summary>
/// <remarks>
/// <para><b>Why.</b> With loud music the distortion comes back through echoes later than 24 taps (8 ms) reach; 96 taps
/// removed most of the false alarms that leaves (docs/sensing-notebook.md, "The music canceller is too short"), but the
/// inverse-QR RLS costs 2.5 L^2 multiply-adds per sample (L = 2 x taps), 8.6 times the 24-tap cost. The regressor vector
/// is a tapped delay line of the pair (u, v), and a lattice uses that shift structure: stage m turns the order-m forward and
/// backward prediction errors of the pair into those of order m + 1 (2 x 2 reflection matrices), and the backward errors,
/// which are orthogonal across stages, drive the joint-process (regression) stage of every microphone. Exactly as in the
/// transversal RLS, the costly part depends only on the regressors and is shared by the microphones.</para>
/// <para><b>Form.</b> The a-posteriori least-squares lattice (Haykin, <i>Adaptive Filter Theory</i>, recursive LSL) for a
/// vector input, with the error powers updated in time (a sum of positive semi-definite terms, so they stay positive
/// definite) rather than by order (a difference); the conversion factors stay in (0, 1]. The powers start at
/// <c>delta I</c> (as the transversal filter's P(0) = I / delta) and leak towards a floor (<c>powerFloor</c> I), so no
/// inverse can overflow where the music excites nothing. The output is the a-priori error (the a-posteriori error over the conversion factor), which
/// is what the transversal filter subtracts.</para>
/// <para><b>Memory.</b> The transversal filter stops forgetting while P's trace is at its cap, which lengthens its memory
/// where the music excites few directions (it forgot in 7..92 % of the samples with music in six validation rooms, 96 taps). A
/// lattice cannot do that: its order updates rely on the weighting depending only on a sample's age, and a forgetting
/// factor that varied with the music's energy left residuals 60..70 dB over the noise in the unit test's music. So the
/// lattice has a fixed, longer memory: 1.67 s (<see cref="DefaultForgetting"/>). On validation's rooms of 30 s with 96
/// taps (committed detector, fast start, walking 0.95), 0.67 s gave 2 / 19 false alarms (demo clip / varied songs), 1.67 s
/// 1 / 1, 4.2 s 1 / 1 but 14 / 16 events in the scenes with people away from their motions (1.67 s: 9 / 10; the inverse-QR
/// filter: 3 / 9).</para>
/// <para><b>A shorter order for the onsets.</b> More parameters converge more slowly after music starts: with 96 taps
/// both forms raised a false walk 0.27 s after a music onset where 24 taps raised none. The lattice computes every
/// order's error on its way, so with <c>shortTaps</c> it also keeps the 24-tap filter's, and outputs whichever of the two
/// had the lower power over the last 33 ms. On validation's rooms of 30 s (as above) that gave 0 / 3 false alarms and 2 / 12
/// events in the scenes with people, against 1 / 1 and 9 / 10 with the full order alone; a slower choice (100 ms, and the
/// short order only when 3 dB lower) gave 0 / 2 and 8 / 9. <see cref="DopplerFrontEnd"/> uses it whenever the filter is
/// longer than 24 taps.</para>
/// <para><b>The powers' floor.</b> The transversal filter is regularised (P starts at 1e3 I and stops forgetting at
/// that trace), the lattice only by the floor its prediction-error powers leak towards. At the default (1e-12, every
/// model until the twenty-seventh session) the conversion factor can fall to 0.02 where the music moves into directions
/// its last 1.67 s did not span, and the a-priori error, the a-posteriori error over it, then bursts 15..45 dB over the
/// residue for one frame hop: 6 of the committed detector's 7 false alarms in validation's long rooms with varied songs,
/// where the inverse-QR filter makes no burst. A floor of 1e-2 (in the regressors' units: the music at -20 dBFS gives
/// stage 0 a forward power of about 50) removed them there (docs/sensing-notebook.md, "bursts from the lattice
/// canceller"); a model asks for it with <see cref="Detection.DetectorModel.LatticePowerFloor"/>.</para>
/// <para><b>Learning off / no music.</b> The reflection and regression coefficients stay as they are, and the lattice
/// filters with them (the same FIR as the frozen transversal weights). A non-finite quantity resets the coefficients and
/// passes that chunk unchanged.</para>
/// <para><b>Cost.</b> <see cref="ProcessBlock"/> runs a chunk of samples through one stage after the other, so a stage's
/// state stays in registers and consecutive samples' divisions overlap (per sample, stage after stage, the divisions sat
/// on one dependency chain: 74 us per 10 ms block of two microphones at 96 taps, against 52 us this way). Allocation-free;
/// per sample and stage about 60 multiply-adds and 3 divisions, plus 8 multiply-adds per microphone.</para>
/// </remarks>
public sealed class LatticeDistortionCanceller : IDistortionCanceller
{
    private const double Delta = 1e-3;   // P(0) = I / Delta, as the transversal filter's initial P = 1e3 I
    private const double MinConversion = 1e-12;

    private readonly int taps, channels;
    private readonly double forgetting, leak;

    // Per stage m, Stride values from m * Stride (2 x 2 symmetric matrices as [a, b, c] = [[a, b], [b, c]]): forward power
    // F_m(n) and its inverse, backward power B_m(n - 1) and its inverse, cross-correlation Delta_m (full 2 x 2, row-major),
    // the previous backward error b_m(n - 1) and the reciprocal of the previous conversion factor gamma_m(n - 1).
    private const int F = 0, FI = 3, B = 6, BI = 9, D = 12, BP = 16, GPI = 18, Stride = 19;
    private readonly double[] stages;
    private readonly double[][] rhoRe, rhoIm;   // per channel and stage: joint-process cross-correlations (2 per stage)
    private readonly int shortTaps;
    private readonly double selectionDecay;
    private double powerShort, powerLong;

    // One chunk of samples, processed stage by stage (see remarks): per sample the current order's forward and backward
    // errors and conversion factor, whether it adapts, and per channel (channel-major, Chunk per channel) the joint
    // process's errors, also kept at the shorter order.
    private const int Chunk = 64;
    private readonly double[] chunkF0 = new double[Chunk], chunkF1 = new double[Chunk], chunkB0 = new double[Chunk], chunkB1 = new double[Chunk];
    private readonly double[] chunkGamma = new double[Chunk], shortGamma = new double[Chunk];
    private readonly bool[] chunkAdapts = new bool[Chunk];
    private readonly double[] chunkRe, chunkIm, shortRe, shortIm, targetRe, targetIm;
    private readonly PredictionGuard? guard;
    private int sinceMusic;

    /// <summary>Creates the canceller.</summary>
    /// <param name="channels">Microphones processed together.</param>
    /// <param name="taps">FIR length per regressor, baseband samples (the number of lattice stages).</param>
    /// <param name="forgetting">Forgetting factor (default <see cref="DefaultForgetting"/>: see remarks).</param>
    /// <param name="guardSamples">Time constant of the output guard's window, baseband samples; 0 = no guard.</param>
    /// <param name="shortTaps">A shorter order (1..taps - 1) whose a-priori error is output instead of the full filter's
    /// while its recent power is lower (see remarks); 0 = always the full filter.</param>
    /// <param name="powerFloor">The floor the prediction-error powers leak towards (see remarks), 1e-15..1.</param>
    public LatticeDistortionCanceller(int channels = 1, int taps = DistortionCanceller.DefaultTaps, double forgetting = DefaultForgetting, int guardSamples = 0,
        int shortTaps = 0, double powerFloor = DefaultPowerFloor)
    {
        if (!IsPowerFloor(powerFloor))
        {
            throw new ArgumentOutOfRangeException(nameof(powerFloor), powerFloor, $"the powers' floor must be in {MinPowerFloor:R}..{MaxPowerFloor:R}");
        }

        if (shortTaps < 0 || (shortTaps > 0 && shortTaps >= taps))
        {
            throw new ArgumentOutOfRangeException(nameof(shortTaps), shortTaps, "the shorter order must be in 1..taps - 1, or 0");
        }

        CancellerArguments.Check(channels, taps, forgetting, guardSamples);
        this.taps = taps;
        this.channels = channels;
        this.forgetting = forgetting;
        PowerFloor = powerFloor;
        leak = (1 - this.forgetting) * powerFloor;
        stages = new double[taps * Stride];
        rhoRe = [.. Enumerable.Range(0, channels).Select(_ => new double[2 * taps])];
        rhoIm = [.. Enumerable.Range(0, channels).Select(_ => new double[2 * taps])];
        this.shortTaps = shortTaps;
        chunkRe = new double[channels * Chunk];
        chunkIm = new double[channels * Chunk];
        shortRe = new double[channels * Chunk];
        shortIm = new double[channels * Chunk];
        targetRe = new double[channels * Chunk];
        targetIm = new double[channels * Chunk];
        selectionDecay = Math.Exp(-1.0 / SelectionSamples);
        guard = guardSamples > 0 ? new PredictionGuard(channels, guardSamples) : null;
        Reset();
    }

    /// <summary>Default forgetting factor: a memory of 5 000 samples, 1.67 s at 3 kHz (see remarks).</summary>
    public const double DefaultForgetting = 0.9998;

    /// <summary>The powers' floor of every model until the twenty-seventh session (see remarks).</summary>
    public const double DefaultPowerFloor = 1e-12;

    /// <summary>The smallest and largest powers' floor accepted.</summary>
    public const double MinPowerFloor = 1e-15, MaxPowerFloor = 1;

    /// <summary>The floor the prediction-error powers leak towards.</summary>
    public double PowerFloor { get; }

    /// <summary>Whether <paramref name="floor"/> is a powers' floor the lattice accepts (<see cref="MinPowerFloor"/>..<see cref="MaxPowerFloor"/>).</summary>
    public static bool IsPowerFloor(double floor) => floor >= MinPowerFloor && floor <= MaxPowerFloor;

    /// <inheritdoc/>
    public int Channels => channels;

    /// <inheritdoc/>
    public int Taps => taps;

    /// <inheritdoc/>
    public bool Guarded => guard is not null;

    /// <summary>The shorter order whose error is output while it is the smaller (0: none).</summary>
    public int ShortTaps => shortTaps;

    // Time constant of the error powers that choose between the orders, samples (33 ms at 3 kHz).
    private const int SelectionSamples = 100;

    /// <inheritdoc/>
    public bool Learning { get; set; } = true;

    /// <inheritdoc/>
    public void Process(float music, float musicSquared, Span<float> re, Span<float> im)
    {
        Load(0, music, musicSquared, Learning);
        for (var c = 0; c < channels; c++)
        {
            chunkRe[c * Chunk] = Finite(re[c]);
            chunkIm[c * Chunk] = Finite(im[c]);
        }

        Run(1);
        for (var c = 0; c < channels; c++)
        {
            re[c] = (float)chunkRe[c * Chunk];
            im[c] = (float)chunkIm[c * Chunk];
        }
    }

    /// <inheritdoc/>
    public void ProcessBlock(ReadOnlySpan<float> music, ReadOnlySpan<float> musicSquared, float[][] re, float[][] im, int count, int learnFrom)
    {
        for (var start = 0; start < count; start += Chunk)
        {
            var n = Math.Min(Chunk, count - start);
            for (var i = 0; i < n; i++)
            {
                Load(i, music[start + i], musicSquared[start + i], Learning && start + i >= learnFrom);
            }

            for (var c = 0; c < channels; c++)
            {
                for (var i = 0; i < n; i++)
                {
                    chunkRe[(c * Chunk) + i] = Finite(re[c][start + i]);
                    chunkIm[(c * Chunk) + i] = Finite(im[c][start + i]);
                }
            }

            Run(n);
            for (var c = 0; c < channels; c++)
            {
                for (var i = 0; i < n; i++)
                {
                    re[c][start + i] = (float)chunkRe[(c * Chunk) + i];
                    im[c][start + i] = (float)chunkIm[(c * Chunk) + i];
                }
            }
        }
    }

    // Sample i of the chunk: the regressor pair enters as order 0's forward and backward errors; it adapts when learning
    // and the music reached the window (without music there is nothing to learn, and forgetting would inflate the gain).
    private void Load(int i, float music, float musicSquared, bool learning)
    {
        double u = float.IsFinite(music) ? music : 0f, v = float.IsFinite(musicSquared) ? musicSquared : 0f;
        sinceMusic = u != 0 || v != 0 ? 0 : Math.Min(sinceMusic + 1, taps);
        chunkF0[i] = chunkB0[i] = u;
        chunkF1[i] = chunkB1[i] = v;
        chunkGamma[i] = 1;
        shortGamma[i] = 1;
        chunkAdapts[i] = learning && sinceMusic < taps;
    }

    // Runs the chunk's first n samples through every stage and replaces the targets in chunkRe / chunkIm by the outputs.
    private void Run(int n)
    {
        CopyChunk(chunkRe, targetRe, n);
        CopyChunk(chunkIm, targetIm, n);
        for (var m = 0; m < taps; m++)
        {
            Stage(m, n);
        }

        if (!AllFinite(chunkGamma.AsSpan(0, n)) || !AllFinite(shortGamma.AsSpan(0, n)) || !ChunkFinite(chunkRe, n) || !ChunkFinite(chunkIm, n)
            || !ChunkFinite(shortRe, n) || !ChunkFinite(shortIm, n))
        {
            ResetCoefficients();   // the targets pass unchanged
            CopyChunk(targetRe, chunkRe, n);
            CopyChunk(targetIm, chunkIm, n);
            return;
        }

        for (var i = 0; i < n; i++)
        {
            // The a-priori error is the a-posteriori error over the conversion factor (1 where nothing was learnt); the
            // shorter order's replaces the full one's while its recent power is the lower.
            var useShort = false;
            if (shortTaps > 0)
            {
                double full = 0, part = 0;
                for (var c = 0; c < channels; c++)
                {
                    var k = (c * Chunk) + i;
                    double lr = chunkRe[k] / chunkGamma[i], li = chunkIm[k] / chunkGamma[i], sr = shortRe[k] / shortGamma[i], si = shortIm[k] / shortGamma[i];
                    full += (lr * lr) + (li * li);
                    part += (sr * sr) + (si * si);
                }

                powerLong = (selectionDecay * powerLong) + full;
                powerShort = (selectionDecay * powerShort) + part;
                useShort = powerShort < powerLong;
            }

            for (var c = 0; c < channels; c++)
            {
                var k = (c * Chunk) + i;
                var (errorRe, errorIm, conversion) = useShort ? (shortRe[k], shortIm[k], shortGamma[i]) : (chunkRe[k], chunkIm[k], chunkGamma[i]);
                double dRe = targetRe[k], dIm = targetIm[k];
                var yRe = dRe - (errorRe / conversion);
                var yIm = dIm - (errorIm / conversion);
                var scale = guard?.Scale(c, (float)dRe, (float)dIm, yRe, yIm) ?? 1.0;
                chunkRe[k] = dRe - (scale * yRe);
                chunkIm[k] = dIm - (scale * yIm);
            }
        }
    }

    // Stage m for the chunk's first n samples, in time order: it turns order m's errors (in the chunk buffers) into order
    // m + 1's, adapting its coefficients at the samples that adapt and filtering with them as they are at the others.
    // Processing a chunk stage by stage keeps each stage's state in registers, and its divisions off the loop-carried
    // path (they depend on the sample's inputs, not on the previous sample's divisions), so consecutive samples overlap.
    private void Stage(int m, int n)
    {
        var st = stages.AsSpan(m * Stride, Stride);
        double fa = st[F], fb = st[F + 1], fc = st[F + 2], fia = st[FI], fib = st[FI + 1], fic = st[FI + 2];
        double ba = st[B], bb = st[B + 1], bc = st[B + 2], bia = st[BI], bib = st[BI + 1], bic = st[BI + 2];
        double d00 = st[D], d01 = st[D + 1], d10 = st[D + 2], d11 = st[D + 3];
        double bp0 = st[BP], bp1 = st[BP + 1], weight = st[GPI];
        var lambda = forgetting;
        var last = m + 1 == taps;
        var keepShort = m + 1 == shortTaps;
        var i2 = 2 * m;
        for (var i = 0; i < n; i++)
        {
            double f0 = chunkF0[i], f1 = chunkF1[i], b0 = chunkB0[i], b1 = chunkB1[i], gamma = chunkGamma[i];
            var adapts = chunkAdapts[i];
            double inverseGamma = 1, bOld0 = bia, bOld1 = bib, bOld2 = bic;
            if (adapts)
            {
                // F_m(n) = lambda F_m(n - 1) + f f' / gamma_m(n - 1) and its inverse; Delta_m(n) likewise with b_m(n - 1).
                fa = (lambda * fa) + (weight * f0 * f0) + leak;
                fb = (lambda * fb) + (weight * f0 * f1);
                fc = (lambda * fc) + (weight * f1 * f1) + leak;
                var fDet = 1 / ((fa * fc) - (fb * fb));
                fia = fc * fDet;
                fib = -fb * fDet;
                fic = fa * fDet;
                d00 = (lambda * d00) + (weight * bp0 * f0);
                d01 = (lambda * d01) + (weight * bp0 * f1);
                d10 = (lambda * d10) + (weight * bp1 * f0);
                d11 = (lambda * d11) + (weight * bp1 * f1);

                // B_m(n) = lambda B_m(n - 1) + b b' / gamma_m(n) and its inverse.
                inverseGamma = 1 / gamma;
                ba = (lambda * ba) + (b0 * b0 * inverseGamma) + leak;
                bb = (lambda * bb) + (b0 * b1 * inverseGamma);
                bc = (lambda * bc) + (b1 * b1 * inverseGamma) + leak;
                var bDet = 1 / ((ba * bc) - (bb * bb));
                bia = bc * bDet;
                bib = -bb * bDet;
                bic = ba * bDet;
            }

            // Order m + 1: f_{m+1}(n) = f_m(n) - Delta' B_m(n - 1)^-1 b_m(n - 1); b_{m+1}(n) = b_m(n - 1) - Delta F_m(n)^-1 f_m(n).
            if (!last)
            {
                var kb0 = (bOld0 * bp0) + (bOld1 * bp1);
                var kb1 = (bOld1 * bp0) + (bOld2 * bp1);
                var kf0 = (fia * f0) + (fib * f1);
                var kf1 = (fib * f0) + (fic * f1);
                chunkF0[i] = f0 - ((d00 * kb0) + (d10 * kb1));
                chunkF1[i] = f1 - ((d01 * kb0) + (d11 * kb1));
                chunkB0[i] = bp0 - ((d00 * kf0) + (d01 * kf1));
                chunkB1[i] = bp1 - ((d10 * kf0) + (d11 * kf1));
            }

            // Joint process: e_{m+1}(n) = e_m(n) - rho_m(n)' B_m(n)^-1 b_m(n), rho_m(n) = lambda rho_m(n - 1) + b e' / gamma.
            var q0 = (bia * b0) + (bib * b1);
            var q1 = (bib * b0) + (bic * b1);
            for (var c = 0; c < channels; c++)
            {
                var k = (c * Chunk) + i;
                var rr = rhoRe[c].AsSpan(i2, 2);
                var ri = rhoIm[c].AsSpan(i2, 2);
                if (adapts)
                {
                    var er = chunkRe[k] * inverseGamma;
                    var ei = chunkIm[k] * inverseGamma;
                    rr[0] = (lambda * rr[0]) + (b0 * er);
                    rr[1] = (lambda * rr[1]) + (b1 * er);
                    ri[0] = (lambda * ri[0]) + (b0 * ei);
                    ri[1] = (lambda * ri[1]) + (b1 * ei);
                }

                chunkRe[k] -= (rr[0] * q0) + (rr[1] * q1);
                chunkIm[k] -= (ri[0] * q0) + (ri[1] * q1);
                if (keepShort)
                {
                    shortRe[k] = chunkRe[k];
                    shortIm[k] = chunkIm[k];
                }
            }

            // gamma_{m+1}(n) = gamma_m(n) - b' B_m(n)^-1 b (1 where nothing is learnt: the a-priori error is the a-posteriori one).
            if (adapts)
            {
                weight = inverseGamma;
                chunkGamma[i] = Math.Max(gamma - ((b0 * q0) + (b1 * q1)), MinConversion * gamma);
            }

            if (keepShort)
            {
                shortGamma[i] = chunkGamma[i];
            }

            bp0 = b0;
            bp1 = b1;
        }

        ReadOnlySpan<double> state = [fa, fb, fc, fia, fib, fic, ba, bb, bc, bia, bib, bic, d00, d01, d10, d11, bp0, bp1, weight];
        state.CopyTo(st);   // in the layout of F, FI, B, BI, D, BP, GPI
    }

    /// <inheritdoc/>
    public void Reset()
    {
        ResetCoefficients();
        guard?.Reset();
        sinceMusic = taps;
    }

    // A non-finite target sample is taken as 0, so it cannot reach the coefficients (the front end never passes one).
    private static double Finite(float value) => float.IsFinite(value) ? value : 0;

    // The first n samples of every channel of a channel-major chunk buffer into another.
    private void CopyChunk(double[] from, double[] to, int n)
    {
        for (var c = 0; c < channels; c++)
        {
            from.AsSpan(c * Chunk, n).CopyTo(to.AsSpan(c * Chunk, n));
        }
    }

    // The first n samples of every channel in a channel-major chunk buffer (the rest may hold an older chunk's values).
    private bool ChunkFinite(double[] buffer, int n)
    {
        for (var c = 0; c < channels; c++)
        {
            if (!AllFinite(buffer.AsSpan(c * Chunk, n)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (var value in values)
        {
            if (!double.IsFinite(value))
            {
                return false;
            }
        }

        return true;
    }

    private void ResetCoefficients()
    {
        Array.Clear(stages);
        for (var m = 0; m < taps; m++)
        {
            var st = stages.AsSpan(m * Stride, Stride);
            st[F] = st[F + 2] = st[B] = st[B + 2] = Delta;
            st[FI] = st[FI + 2] = st[BI] = st[BI + 2] = 1 / Delta;
            st[GPI] = 1;
        }

        powerShort = powerLong = 0;
        foreach (var rho in rhoRe)
        {
            Array.Clear(rho);
        }

        foreach (var rho in rhoIm)
        {
            Array.Clear(rho);
        }
    }
}
