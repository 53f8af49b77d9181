using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace SpatialAudio.Spatial.Sensing.FrontEnd;

/// <summary>
/// Removes the music-induced sidebands around the carrier with a recursive-least-squares (RLS) filter driven by the known
/// playback, for every microphone at once.
/// </summary>
/// <remarks>
/// <para>A loudspeaker that plays music and the probe at once multiplies them: a second-order term puts
/// <c>2 a2 m(t) p(t)</c> at the carrier +/- the music frequencies and a third-order term <c>3 a3 m^2(t) p(t)</c> the same
/// for the music's square. After demodulation both are the low-passed music (and music squared) times a complex constant
/// per path, smeared by the room: so the baseband distortion is a complex FIR of two real regressors, u = LP(m) and
/// v = LP(m^2), which the filter identifies and subtracts. Motion echoes are uncorrelated with the music and stay.</para>
/// <para><b>Why RLS.</b> The regressors are low-passed music, dominated by the bass: their eigenvalue spread is huge, and an
/// NLMS filter took about 5 s to converge after music started (the residual was still 8 dB up after 3 s, and most false
/// alarms with music came from that). RLS whitens the regressors and converges in a few filter lengths. Its costly part,
/// the inverse correlation matrix P and the gain vector, depends only on the regressors, so it is computed once and shared
/// by all microphones; each microphone only adds its own error and weight update.</para>
/// <para><b>Why the inverse-QR form.</b> The textbook update <c>P -= P x x' P / (lambda + x' P x)</c> subtracts nearly equal
/// numbers in the bass directions, where P's eigenvalues are many decades smaller than in the directions music hardly
/// excites. In double precision P lost its positive definiteness two or three times in 30 s of simulated music; each reset
/// of P made the weights jump, and the residual burst up to 35 dB above the noise floor for 0.2 s: a false motion. This
/// filter propagates a triangular square root S of P (P = S S') by Givens rotations instead (Haykin, <i>Adaptive Filter
/// Theory</i>, inverse QR-RLS), so P stays positive semi-definite by construction, at the same O(L^2) cost.</para>
/// <para><b>Stability.</b> Without music (no regressor energy) nothing is updated, and forgetting stops once P's trace
/// reaches its initial value, so P cannot grow without bound in directions the music does not excite; a non-finite
/// conversion factor (non-finite input that slipped through) resets P.</para>
/// <para><b>Output guard</b> (optional): <see cref="PredictionGuard"/>.</para>
/// <para>Allocation-free; per baseband sample about 2.5 L^2 multiply-adds (L = 2 x taps) plus 2 L per microphone.</para>
/// </remarks>
public sealed class DistortionCanceller : IDistortionCanceller
{
    private const double InitialP = 1e3;

    private readonly int taps, length, channels;
    private readonly float[] u, v;       // regressor histories, doubled for contiguous windows
    private readonly double[] x, gain, s;   // s: lower-triangular square root of P, column-major (column j at j * length)
    private readonly double[][] wRe, wIm;
    private readonly PredictionGuard? guard;
    private readonly double forgettingRoot, traceCap;
    private double trace;
    private int head;

    /// <summary>Creates the canceller.</summary>
    /// <param name="channels">Microphones processed together.</param>
    /// <param name="taps">FIR length per regressor, baseband samples (24 = 8 ms at 3 kHz covers the strong early echoes).</param>
    /// <param name="forgetting">RLS forgetting factor (0.9995: a memory of 2000 samples, 0.67 s at 3 kHz).</param>
    /// <param name="guardSamples">Time constant of the output guard's window, baseband samples (16 = 5 ms at 3 kHz, a
    /// quarter of a frame hop); 0 = no guard (the prediction is subtracted as it is).</param>
    public DistortionCanceller(int channels = 1, int taps = DefaultTaps, double forgetting = 0.9995, int guardSamples = 0)
    {
        CancellerArguments.Check(channels, taps, forgetting, guardSamples);
        this.taps = taps;
        this.channels = channels;
        length = 2 * taps;
        u = new float[2 * taps];
        v = new float[2 * taps];
        x = new double[length];
        gain = new double[length];
        s = new double[length * length];
        wRe = [.. Enumerable.Range(0, channels).Select(_ => new double[length])];
        wIm = [.. Enumerable.Range(0, channels).Select(_ => new double[length])];
        guard = guardSamples > 0 ? new PredictionGuard(channels, guardSamples) : null;
        forgettingRoot = Math.Sqrt(forgetting);
        traceCap = InitialP * length;
        Reset();
    }

    /// <summary>Microphones processed together.</summary>
    public int Channels => channels;

    /// <summary>FIR length per regressor, samples.</summary>
    public int Taps => taps;

    /// <summary>Whether the output guard is on (see remarks).</summary>
    public bool Guarded => guard is not null;

    /// <summary>Default FIR length per regressor, baseband samples (8 ms at 3 kHz: the strong early echoes).</summary>
    public const int DefaultTaps = 24;

    /// <summary>Default guard window for a 3 kHz baseband, samples (5 ms).</summary>
    public const int DefaultGuardSamples = 16;

    /// <inheritdoc/>
    public bool Learning { get; set; } = true;

    /// <inheritdoc/>
    public void Process(float music, float musicSquared, Span<float> re, Span<float> im)
    {
        u[head] = u[head + taps] = float.IsFinite(music) ? music : 0f;
        v[head] = v[head + taps] = float.IsFinite(musicSquared) ? musicSquared : 0f;
        head = head + 1 == taps ? 0 : head + 1;
        var ru = u.AsSpan(head, taps);
        var rv = v.AsSpan(head, taps);
        for (var i = 0; i < taps; i++)
        {
            x[i] = ru[i];
            x[taps + i] = rv[i];
        }

        var energy = TensorPrimitives.Dot<double>(x, x);
        Span<double> errRe = stackalloc double[channels];
        Span<double> errIm = stackalloc double[channels];
        for (var c = 0; c < channels; c++)
        {
            var yRe = TensorPrimitives.Dot<double>(wRe[c], x);
            var yIm = TensorPrimitives.Dot<double>(wIm[c], x);
            errRe[c] = re[c] - yRe;
            errIm[c] = im[c] - yIm;
            var guardScale = guard?.Scale(c, re[c], im[c], yRe, yIm) ?? 1.0;
            re[c] = (float)(re[c] - (guardScale * yRe));
            im[c] = (float)(im[c] - (guardScale * yIm));
        }

        if (!Learning || !(energy > 1e-20))
        {
            return;   // no music: nothing to learn, and forgetting would only inflate P
        }

        // Pre-array [1, a'; 0, S / sqrt(lambda)] with a = S' x / sqrt(lambda); rotating its first column against every
        // other one (last to first, which keeps S lower triangular) zeroes a' and leaves [1 / sqrt(gamma), 0; g, S_new]:
        // the gain is g times sqrt(gamma), and S_new S_new' is the updated P. Forgetting only while the trace is below its cap.
        var scale = trace < traceCap ? 1 / forgettingRoot : 1.0;
        Array.Clear(gain);
        var alpha = 1.0;
        for (var j = length - 1; j >= 0; j--)
        {
            var column = s.AsSpan((j * length) + j, length - j);
            var aj = scale * TensorPrimitives.Dot<double>(column, x.AsSpan(j));
            var r = Math.Sqrt((alpha * alpha) + (aj * aj));
            if (!(r > 0) || !double.IsFinite(r))
            {
                ResetP();
                return;
            }

            Rotate(gain.AsSpan(j), column, alpha / r, aj / r, scale);
            alpha = r;
        }

        // The rotation preserves the rows' inner products: g g' + P_new = P / lambda, so the trace needs no pass over S.
        trace = Math.Max(0, (scale * scale * trace) - TensorPrimitives.SumOfSquares<double>(gain));

        // Weights move along the gain by each channel's a-priori error.
        var inverse = 1 / alpha;
        for (var c = 0; c < channels; c++)
        {
            if (double.IsFinite(errRe[c]) && double.IsFinite(errIm[c]))
            {
                TensorPrimitives.MultiplyAdd<double>(gain, errRe[c] * inverse, wRe[c], wRe[c]);
                TensorPrimitives.MultiplyAdd<double>(gain, errIm[c] * inverse, wIm[c], wIm[c]);
            }
        }
    }

    /// <inheritdoc/>
    public void ProcessBlock(ReadOnlySpan<float> music, ReadOnlySpan<float> musicSquared, float[][] re, float[][] im, int count, int learnFrom)
    {
        Span<float> sampleRe = stackalloc float[channels];
        Span<float> sampleIm = stackalloc float[channels];
        var learning = Learning;
        for (var i = 0; i < count; i++)
        {
            Learning = learning && i >= learnFrom;
            for (var c = 0; c < channels; c++)
            {
                sampleRe[c] = re[c][i];
                sampleIm[c] = im[c][i];
            }

            Process(music[i], musicSquared[i], sampleRe, sampleIm);
            for (var c = 0; c < channels; c++)
            {
                re[c][i] = sampleRe[c];
                im[c][i] = sampleIm[c];
            }
        }

        Learning = learning;
    }

    /// <inheritdoc/>
    public void Reset()
    {
        Array.Clear(u);
        Array.Clear(v);
        foreach (var w in wRe)
        {
            Array.Clear(w);
        }

        foreach (var w in wIm)
        {
            Array.Clear(w);
        }

        guard?.Reset();
        ResetP();
        head = 0;
    }

    private void ResetP()
    {
        Array.Clear(s);
        var root = Math.Sqrt(InitialP);
        for (var i = 0; i < length; i++)
        {
            s[(i * length) + i] = root;
        }

        trace = traceCap;
    }

    // Givens rotation of the gain column against a column of S scaled by the forgetting:
    // (g, c) <- (cos g + sin scale c, cos scale c - sin g).
    private static void Rotate(Span<double> g, Span<double> column, double cos, double sin, double scale)
    {
        var i = 0;
        var sinScaled = sin * scale;
        var cosScaled = cos * scale;

        // The same multiplies and adds per element in every tier (no fused multiply-add), so each tier gives the same bits.
        if (Vector512.IsHardwareAccelerated)
        {
            var vc = Vector512.Create(cos);
            var vs = Vector512.Create(sin);
            var vss = Vector512.Create(sinScaled);
            var vcs = Vector512.Create(cosScaled);
            for (; i <= g.Length - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                var gi = Vector512.Create<double>(g[i..]);
                var ci = Vector512.Create<double>(column[i..]);
                ((vc * gi) + (vss * ci)).CopyTo(g[i..]);
                ((vcs * ci) - (vs * gi)).CopyTo(column[i..]);
            }
        }

        if (Vector.IsHardwareAccelerated)
        {
            var vc = new Vector<double>(cos);
            var vs = new Vector<double>(sin);
            var vss = new Vector<double>(sinScaled);
            var vcs = new Vector<double>(cosScaled);
            for (; i <= g.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var gi = new Vector<double>(g[i..]);
                var ci = new Vector<double>(column[i..]);
                ((vc * gi) + (vss * ci)).CopyTo(g[i..]);
                ((vcs * ci) - (vs * gi)).CopyTo(column[i..]);
            }
        }

        for (; i < g.Length; i++)
        {
            var gi = g[i];
            g[i] = (cos * gi) + (sinScaled * column[i]);
            column[i] = (cosScaled * column[i]) - (sin * gi);
        }
    }
}
