using System.Numerics;

namespace SpatialAudio.Spatial.Design.Assembly;

/// <summary>Analytic Linkwitz-Riley 4th-order responses (two cascaded 2nd-order Butterworth sections).</summary>
/// <remarks>LP + HP = (1 + s^4) / (1 + sqrt2 s + s^2)^2 with s = j f / fc: an all-pass, so a complementary pair sums flat
/// in magnitude and the split is inaudible on axis. These are the responses of causal IIR filters (minimum phase).</remarks>
public static class Crossovers
{
    /// <summary>LR4 low-pass at <paramref name="cutoffHz"/>, evaluated at <paramref name="frequencyHz"/>.</summary>
    public static Complex LowPass(double frequencyHz, double cutoffHz)
    {
        var s = new Complex(0, frequencyHz / cutoffHz);
        var b = 1 + (Math.Sqrt(2) * s) + (s * s);
        return 1 / (b * b);
    }

    /// <summary>LR4 high-pass at <paramref name="cutoffHz"/>, evaluated at <paramref name="frequencyHz"/>.</summary>
    public static Complex HighPass(double frequencyHz, double cutoffHz)
    {
        var s = new Complex(0, frequencyHz / cutoffHz);
        var b = 1 + (Math.Sqrt(2) * s) + (s * s);
        var s2 = s * s;
        return s2 * s2 / (b * b);
    }
}
