namespace SpatialAudio.Spatial.Sensing.FrontEnd;

/// <summary>
/// Removes the music-induced sidebands around the carrier with a normalized LMS filter driven by the known playback.
/// </summary>
/// <remarks>
/// <para>A loudspeaker that plays music and the probe at once multiplies them: a second-order term puts
/// <c>2 a2 m(t) p(t)</c> at the carrier +/- the music frequencies and a third-order term <c>3 a3 m^2(t) p(t)</c> the same
/// for the music's square. After demodulation both are the low-passed music (and music squared) times a complex constant
/// per path, smeared by the room: so the baseband distortion is a complex FIR of two real regressors, u = LP(m) and
/// v = LP(m^2), which NLMS identifies and subtracts. Motion echoes are uncorrelated with the music and stay.</para>
/// <para>Allocation-free; per output sample 2 x 2L real multiply-adds for the estimate and the same for the update.</para>
/// </remarks>
public sealed class DistortionCanceller
{
    private readonly int taps;
    private readonly float[] u, v;       // regressor histories, doubled for contiguous windows
    private readonly float[] wuRe, wuIm, wvRe, wvIm;
    private readonly float step;
    private int head;

    /// <summary>Creates the canceller.</summary>
    /// <param name="taps">FIR length per regressor, baseband samples (24 = 8 ms at 3 kHz covers the strong early echoes).</param>
    /// <param name="stepSize">NLMS step, 0..1.</param>
    public DistortionCanceller(int taps = 24, float stepSize = 0.05f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(taps, 1);
        this.taps = taps;
        u = new float[2 * taps];
        v = new float[2 * taps];
        wuRe = new float[taps];
        wuIm = new float[taps];
        wvRe = new float[taps];
        wvIm = new float[taps];
        step = stepSize;
    }

    /// <summary>Pushes one reference sample pair and cancels the distortion in one target sample (in place).</summary>
    /// <param name="music">u: low-passed playback.</param>
    /// <param name="musicSquared">v: low-passed playback squared.</param>
    /// <param name="re">Target real part (replaced by the error).</param>
    /// <param name="im">Target imaginary part.</param>
    public void Process(float music, float musicSquared, ref float re, ref float im)
    {
        u[head] = u[head + taps] = music;
        v[head] = v[head + taps] = musicSquared;
        head = head + 1 == taps ? 0 : head + 1;
        var ru = u.AsSpan(head, taps);
        var rv = v.AsSpan(head, taps);
        float estRe = 0, estIm = 0, energy = 1e-12f;
        for (var i = 0; i < taps; i++)
        {
            estRe += (wuRe[i] * ru[i]) + (wvRe[i] * rv[i]);
            estIm += (wuIm[i] * ru[i]) + (wvIm[i] * rv[i]);
            energy += (ru[i] * ru[i]) + (rv[i] * rv[i]);
        }

        var eRe = re - estRe;
        var eIm = im - estIm;
        re = eRe;
        im = eIm;
        var g = step / energy;
        if (!(energy > 1e-10f) || !float.IsFinite(g * (eRe + eIm)))
        {
            return;   // no music (nothing to learn) or a non-finite sample: leave the weights alone
        }

        for (var i = 0; i < taps; i++)
        {
            wuRe[i] += g * eRe * ru[i];
            wuIm[i] += g * eIm * ru[i];
            wvRe[i] += g * eRe * rv[i];
            wvIm[i] += g * eIm * rv[i];
        }
    }

    /// <summary>Forgets the weights and the history.</summary>
    public void Reset()
    {
        Array.Clear(u);
        Array.Clear(v);
        Array.Clear(wuRe);
        Array.Clear(wuIm);
        Array.Clear(wvRe);
        Array.Clear(wvIm);
        head = 0;
    }
}
