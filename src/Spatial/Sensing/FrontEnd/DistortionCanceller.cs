using System.Numerics.Tensors;

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
/// <para><b>Stability.</b> P is kept in double. Without music (no regressor energy) nothing is updated, and forgetting
/// stops once P's trace reaches its initial value, so P cannot grow without bound in directions the music does not
/// excite; a non-positive or non-finite gain denominator resets P.</para>
/// <para>Allocation-free; per baseband sample about 2 L^2 multiply-adds (L = 2 x taps) plus 2 L per microphone.</para>
/// </remarks>
public sealed class DistortionCanceller
{
    private const double InitialP = 1e3;

    private readonly int taps, length, channels;
    private readonly float[] u, v;       // regressor histories, doubled for contiguous windows
    private readonly double[] x, px, p;
    private readonly double[][] wRe, wIm;
    private readonly double lambda, traceCap;
    private double trace;
    private int head;

    /// <summary>Creates the canceller.</summary>
    /// <param name="channels">Microphones processed together.</param>
    /// <param name="taps">FIR length per regressor, baseband samples (24 = 8 ms at 3 kHz covers the strong early echoes).</param>
    /// <param name="forgetting">RLS forgetting factor (0.9995: a memory of 2000 samples, 0.67 s at 3 kHz).</param>
    public DistortionCanceller(int channels = 1, int taps = 24, double forgetting = 0.9995)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(taps, 1);
        if (!(forgetting is > 0.9 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(forgetting), forgetting, "forgetting factor must be in (0.9, 1]");
        }

        this.taps = taps;
        this.channels = channels;
        length = 2 * taps;
        u = new float[2 * taps];
        v = new float[2 * taps];
        x = new double[length];
        px = new double[length];
        p = new double[length * length];
        wRe = [.. Enumerable.Range(0, channels).Select(_ => new double[length])];
        wIm = [.. Enumerable.Range(0, channels).Select(_ => new double[length])];
        lambda = forgetting;
        traceCap = InitialP * length;
        Reset();
    }

    /// <summary>Microphones processed together.</summary>
    public int Channels => channels;

    /// <summary>Pushes one reference sample pair and cancels the distortion in one sample of every channel (in place).</summary>
    /// <param name="music">u: low-passed playback.</param>
    /// <param name="musicSquared">v: low-passed playback squared.</param>
    /// <param name="re">Target real parts, one per channel (replaced by the error).</param>
    /// <param name="im">Target imaginary parts.</param>
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
            errRe[c] = re[c] - TensorPrimitives.Dot<double>(wRe[c], x);
            errIm[c] = im[c] - TensorPrimitives.Dot<double>(wIm[c], x);
            re[c] = (float)errRe[c];
            im[c] = (float)errIm[c];
        }

        if (!(energy > 1e-20))
        {
            return;   // no music: nothing to learn, and forgetting would only inflate P
        }

        for (var r = 0; r < length; r++)
        {
            px[r] = TensorPrimitives.Dot<double>(p.AsSpan(r * length, length), x);
        }

        var denominator = lambda + TensorPrimitives.Dot<double>(x, px);
        if (!(denominator > 0) || !double.IsFinite(denominator))
        {
            ResetP();
            return;
        }

        // Gain k = P x / denominator; weights move along k by each channel's error.
        var inverse = 1 / denominator;
        for (var c = 0; c < channels; c++)
        {
            if (double.IsFinite(errRe[c]) && double.IsFinite(errIm[c]))
            {
                TensorPrimitives.MultiplyAdd<double>(px, errRe[c] * inverse, wRe[c], wRe[c]);
                TensorPrimitives.MultiplyAdd<double>(px, errIm[c] * inverse, wIm[c], wIm[c]);
            }
        }

        // P <- (P - P x x' P / denominator) / lambda, forgetting only while the trace is below its cap.
        var scale = trace < traceCap ? 1 / lambda : 1.0;
        trace = 0;
        for (var r = 0; r < length; r++)
        {
            var row = p.AsSpan(r * length, length);
            TensorPrimitives.MultiplyAdd<double>(px, -px[r] * inverse, row, row);
            if (scale != 1.0)
            {
                TensorPrimitives.Multiply<double>(row, scale, row);
            }

            trace += row[r];
        }
    }

    /// <summary>Forgets the weights and the history.</summary>
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

        ResetP();
        head = 0;
    }

    private void ResetP()
    {
        Array.Clear(p);
        for (var i = 0; i < length; i++)
        {
            p[(i * length) + i] = InitialP;
        }

        trace = traceCap;
    }
}
