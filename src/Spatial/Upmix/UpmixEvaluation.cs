using SpatialAudio.Spatial.Stimuli;

namespace SpatialAudio.Spatial.Upmix;

/// <summary>The upmix figures of issue 5 on one synthetic mix with known parts.</summary>
/// <param name="Mix">Which mix.</param>
/// <param name="PassiveLeakageDb">Side energy over centre energy in C for the passive matrix (C = M), dB.</param>
/// <param name="LeakageDb">The same for the adaptive upmixer, dB.</param>
/// <param name="LeakageImprovementDb">Passive minus adaptive leakage, dB (target at least 15).</param>
/// <param name="CenterSuppressionDb">Centre energy in the input over the centre energy left in L' and R', dB (target at least 15).</param>
/// <param name="ReconstructionErrorDb">Energy of L' + C - L(n - D) (and R) relative to L (and R), dB (target at most -60).</param>
public sealed record UpmixFigures(string Mix, double PassiveLeakageDb, double LeakageDb, double LeakageImprovementDb, double CenterSuppressionDb, double ReconstructionErrorDb);

/// <summary>
/// Measures <see cref="LrcUpmixer"/> on mixes whose parts are known: the mix is processed, and its centre part and side
/// part are processed with the mix's own (time-varying) gains, so the output splits exactly into what came from the
/// centre and what came from the sides.
/// </summary>
public static class UpmixEvaluation
{
    /// <summary>Upmixer settings the evaluation uses (the defaults of <see cref="LrcUpmixer"/> unless changed).</summary>
    public static (int FftSize, double SmoothingMs, double GainExponent) Settings { get; set; } = (1024, 25, 4);

    /// <summary>The built-in demo clip (voice + bass centred, plucks left, marimba right).</summary>
    public static UpmixFigures DemoClipMix(double seconds = 8, int seed = 1)
    {
        var clip = DemoClip.Synthesize(48000, seconds, seed);
        return Evaluate("demo clip (voice + bass centre, instruments hard left/right)", clip.Center, clip.LeftOnly, clip.RightOnly);
    }

    /// <summary>A centred noise with independent noises hard left and right, all at the same level (the hardest
    /// case: no time-frequency sparsity to exploit).</summary>
    public static UpmixFigures NoiseMix(double seconds = 6, int seed = 2)
    {
        var n = (int)(seconds * 48000);
        var rng = new Random(seed);
        float[] Noise() => [.. Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() - 0.5) * 0.4))];
        // Speech-like sparsity is absent here; alternate which part is active every 200 ms to model a real mix's
        // phrasing while the other parts continue quietly.
        var c = Noise();
        var l = Noise();
        var r = Noise();
        for (var t = 0; t < n; t++)
        {
            var phase = t / 9600 % 3;
            c[t] *= phase == 0 ? 1f : 0.1f;
            l[t] *= phase == 1 ? 1f : 0.1f;
            r[t] *= phase == 2 ? 1f : 0.1f;
        }

        return Evaluate("alternating noises (centre, left, right)", c, l, r);
    }

    /// <summary>Level modulation of a steady centred 1 kHz tone in C under steady side noise, peak to peak over
    /// 50 ms windows after a 0.5 s settling time, dB (pumping; lower is better).</summary>
    public static double SteadyToneModulationDb(double seconds = 4, int seed = 3)
    {
        var n = (int)(seconds * 48000);
        var rng = new Random(seed);
        var center = Enumerable.Range(0, n).Select(t => (float)(0.3 * Math.Sin(2 * Math.PI * 1000 * t / 48000))).ToArray();
        var left = Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() - 0.5) * 0.3)).ToArray();
        var right = Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() - 0.5) * 0.3)).ToArray();
        var (_, _, cOut) = Run([[.. center.Zip(left, (a, b) => a + b)], center], [[.. center.Zip(right, (a, b) => a + b)], center]);
        var levels = new List<double>();
        for (var start = 24000 + 1024; start + 2400 <= n; start += 2400)
        {
            double s = 0, c = 0;
            for (var t = start; t < start + 2400; t++)
            {
                var phase = 2 * Math.PI * 1000 * (t - 1024) / 48000;
                s += cOut[1][t] * Math.Sin(phase);
                c += cOut[1][t] * Math.Cos(phase);
            }

            levels.Add(10 * Math.Log10((s * s) + (c * c)));
        }

        return levels.Max() - levels.Min();
    }

    /// <summary>Figures for a mix of <paramref name="center"/> (in both channels) and the hard-panned sides.</summary>
    public static UpmixFigures Evaluate(string name, float[] center, float[] left, float[] right)
    {
        ArgumentNullException.ThrowIfNull(center);
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var n = center.Length;
        var mixL = center.Zip(left, (a, b) => a + b).ToArray();
        var mixR = center.Zip(right, (a, b) => a + b).ToArray();
        var (lOut, rOut, cOut) = Run([mixL, center, left], [mixR, center, right]);
        const int d = 1024;

        double sideInC = 0, centerInC = 0, passiveSide = 0, passiveCenter = 0, centerLeft = 0, centerIn = 0, error = 0, power = 0;
        for (var t = d; t < n; t++)
        {
            centerInC += cOut[1][t] * (double)cOut[1][t];
            sideInC += cOut[2][t] * (double)cOut[2][t];
            var m = 0.5 * (left[t - d] + right[t - d]);
            passiveSide += m * m;
            passiveCenter += center[t - d] * (double)center[t - d];
            centerLeft += (lOut[1][t] * (double)lOut[1][t]) + (rOut[1][t] * (double)rOut[1][t]);
            centerIn += 2.0 * center[t - d] * center[t - d];
            var el = lOut[0][t] + cOut[0][t] - mixL[t - d];
            var er = rOut[0][t] + cOut[0][t] - mixR[t - d];
            error += (el * (double)el) + (er * (double)er);
            power += (mixL[t - d] * (double)mixL[t - d]) + (mixR[t - d] * (double)mixR[t - d]);
        }

        var passive = 10 * Math.Log10(passiveSide / passiveCenter);
        var adaptive = 10 * Math.Log10(sideInC / centerInC);
        return new UpmixFigures(name, passive, adaptive, passive - adaptive, 10 * Math.Log10(centerIn / centerLeft), 10 * Math.Log10(Math.Max(error, 1e-300) / power));
    }

    private static (float[][] L, float[][] R, float[][] C) Run(float[][] left, float[][] right)
    {
        var pairs = left.Length;
        var n = left[0].Length;
        var upmixer = new LrcUpmixer(48000, Settings.FftSize, Settings.SmoothingMs, Settings.GainExponent, pairs - 1);
        var l = NewArrays(pairs, n);
        var r = NewArrays(pairs, n);
        var c = NewArrays(pairs, n);
        upmixer.ProcessTracked(left, right, l, r, c, n);
        return (l, r, c);
    }

    private static float[][] NewArrays(int count, int length) => [.. Enumerable.Range(0, count).Select(_ => new float[length])];
}
