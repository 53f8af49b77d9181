namespace SpatialAudio.Spatial.Sensing.FrontEnd;

/// <summary>
/// The distortion cancellers' optional output guard: each channel subtracts its prediction y scaled by
/// <c>g = clamp(Re&lt;d, y&gt; / &lt;y, y&gt;, 0, 1)</c> over the last few milliseconds (exponential window), the least-squares
/// scale of y in d, so over that window the output is never (to first order) louder than the input.
/// </summary>
/// <remarks>Where the music hardly excites some directions of the regressor space the weights fit the noise there; when a
/// kick or a bass return then excites those directions, the prediction can be 15 dB larger than the distortion there is,
/// and subtracting it adds a burst that looks like motion (docs/sensing-notebook.md, twentieth session). Where the
/// prediction is right, g is about 1 and nothing changes. The weights still learn from the unscaled error.</remarks>
internal sealed class PredictionGuard
{
    private readonly double[] cross, power;   // per channel: exponentially weighted Re<d, y> and <y, y>
    private readonly double decay;

    /// <param name="channels">Channels guarded.</param>
    /// <param name="samples">Time constant of the window, samples (&gt; 0).</param>
    public PredictionGuard(int channels, int samples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        cross = new double[channels];
        power = new double[channels];
        decay = Math.Exp(-1.0 / samples);
    }

    /// <summary>The scale for channel <paramref name="c"/>'s prediction (yRe, yIm) of the target (dRe, dIm), in 0..1.</summary>
    public double Scale(int c, double dRe, double dIm, double yRe, double yIm)
    {
        cross[c] = (decay * cross[c]) + ((dRe * yRe) + (dIm * yIm));
        power[c] = (decay * power[c]) + ((yRe * yRe) + (yIm * yIm));
        if (!double.IsFinite(cross[c]) || !double.IsFinite(power[c]))
        {
            cross[c] = power[c] = 0;
        }

        return power[c] > 0 ? Math.Clamp(cross[c] / power[c], 0, 1) : 1;
    }

    /// <summary>Forgets the window.</summary>
    public void Reset()
    {
        Array.Clear(cross);
        Array.Clear(power);
    }
}
