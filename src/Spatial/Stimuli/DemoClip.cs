using SpatialAudio.Filters.Iir;

namespace SpatialAudio.Spatial.Stimuli;

/// <summary>
/// A synthesized stereo demo clip with known parts: a voice-like source and a bass line in the center (identical in
/// both channels), a plucked instrument hard left, and a marimba with a shaker hard right.
/// </summary>
/// <remarks>
/// Every part is returned separately as well as mixed, so upmix and crosstalk evaluations can measure leakage
/// against the truth. Deterministic for a given seed. Levels: the mix peaks at -3 dBFS.
/// </remarks>
public sealed class DemoClip
{
    private DemoClip(int sampleRateHz, float[] center, float[] left, float[] right)
    {
        SampleRateHz = sampleRateHz;
        Center = center;
        LeftOnly = left;
        RightOnly = right;
        Left = new float[center.Length];
        Right = new float[center.Length];
        for (var n = 0; n < center.Length; n++)
        {
            Left[n] = center[n] + left[n];
            Right[n] = center[n] + right[n];
        }
    }

    /// <summary>Sample rate in Hz.</summary>
    public int SampleRateHz { get; }

    /// <summary>The center part (voice + bass), present identically in both channels.</summary>
    public float[] Center { get; }

    /// <summary>The part only in the left channel (plucked instrument).</summary>
    public float[] LeftOnly { get; }

    /// <summary>The part only in the right channel (marimba and shaker).</summary>
    public float[] RightOnly { get; }

    /// <summary>Left channel of the mix: <see cref="Center"/> + <see cref="LeftOnly"/>.</summary>
    public float[] Left { get; }

    /// <summary>Right channel of the mix: <see cref="Center"/> + <see cref="RightOnly"/>.</summary>
    public float[] Right { get; }

    /// <summary>Frames per channel.</summary>
    public int FrameCount => Center.Length;

    /// <summary>Synthesizes the clip.</summary>
    /// <param name="sampleRateHz">Sample rate, 8000..384000 Hz.</param>
    /// <param name="durationSeconds">Length in seconds, 0.5..600.</param>
    /// <param name="seed">Seed of the noise and the small timing variations.</param>
    public static DemoClip Synthesize(int sampleRateHz = 48000, double durationSeconds = 8.0, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRateHz, 8000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleRateHz, 384000);
        if (!(durationSeconds >= 0.5 && durationSeconds <= 600))
        {
            throw new ArgumentOutOfRangeException(nameof(durationSeconds), durationSeconds, "Duration must be 0.5..600 s.");
        }

        var frames = (int)Math.Round(durationSeconds * sampleRateHz);
        var random = new Random(seed);
        var center = new float[frames];
        var left = new float[frames];
        var right = new float[frames];
        AddVoice(center, sampleRateHz, random);
        AddBass(center, sampleRateHz);
        AddPlucks(left, sampleRateHz);
        AddMarimba(right, sampleRateHz);
        AddShaker(right, sampleRateHz, random);

        // Scale the whole mix so its larger channel peaks at -3 dBFS.
        var peak = 0.0;
        for (var n = 0; n < frames; n++)
        {
            peak = Math.Max(peak, Math.Max(Math.Abs(center[n] + left[n]), Math.Abs(center[n] + right[n])));
        }

        var gain = (float)(Math.Pow(10, -3.0 / 20) / Math.Max(peak, 1e-9));
        foreach (var part in new[] { center, left, right })
        {
            for (var n = 0; n < frames; n++)
            {
                part[n] *= gain;
            }
        }

        return new DemoClip(sampleRateHz, center, left, right);
    }

    // Formants (Hz) of five vowels, after Peterson and Barney's averages for a male voice.
    private static readonly double[][] Vowels =
    [
        [730, 1090, 2440], [530, 1840, 2480], [270, 2290, 3010], [570, 840, 2410], [300, 870, 2240],
    ];

    /// <summary>A glottal pulse train with vibrato through three formant resonators, sung in syllables.</summary>
    private static void AddVoice(float[] destination, int fs, Random random)
    {
        var frames = destination.Length;
        var syllableSeconds = 0.36;
        var source = new float[frames];
        var phase = 0.0;
        var notes = new[] { 0, 2, 4, 2, 7, 4, 2, 0 };
        for (var n = 0; n < frames; n++)
        {
            var t = n / (double)fs;
            var syllable = (int)(t / syllableSeconds);
            var f0 = 130.8 * Math.Pow(2, notes[syllable % notes.Length] / 12.0) * (1 + (0.015 * Math.Sin(2 * Math.PI * 5.2 * t)));
            phase += f0 / fs;
            if (phase >= 1)
            {
                phase -= 1;
            }

            // Rosenberg-like glottal flow derivative: a smooth opening and a sharp closure.
            var pulse = phase < 0.6 ? Math.Sin(Math.PI * phase / 0.6) * (phase / 0.6) : -Math.Sin(Math.PI * (phase - 0.6) / 0.4) * 0.8;
            var within = (t % syllableSeconds) / syllableSeconds;
            var envelope = Math.Sin(Math.PI * Math.Min(1, within * 1.15));
            source[n] = (float)((pulse + (0.02 * ((random.NextDouble() * 2) - 1))) * envelope * envelope);
        }

        var formantOut = new float[frames];
        var block = new float[frames];
        var syllableFrames = (int)(syllableSeconds * fs);
        for (var formant = 0; formant < 3; formant++)
        {
            var filter = new BiquadCascade(1, 1);
            for (var start = 0; start < frames; start += syllableFrames)
            {
                var count = Math.Min(syllableFrames, frames - start);
                var vowel = Vowels[(start / syllableFrames) % Vowels.Length];
                var q = vowel[formant] / (60.0 + (40.0 * formant));
                filter.SetCoefficients([BiquadDesign.BandPassConstantPeak(vowel[formant], fs, q).Scale(1.0 / (1 + formant))]);
                filter.Process(source.AsSpan(start, count), block.AsSpan(start, count), 0);
            }

            for (var n = 0; n < frames; n++)
            {
                formantOut[n] += block[n];
            }
        }

        for (var n = 0; n < frames; n++)
        {
            destination[n] += 0.6f * formantOut[n];
        }
    }

    /// <summary>A sine bass with a little second harmonic, one note per beat.</summary>
    private static void AddBass(float[] destination, int fs)
    {
        var beat = 0.48;
        var notes = new[] { 55.0, 55.0, 73.4, 65.4 };
        for (var n = 0; n < destination.Length; n++)
        {
            var t = n / (double)fs;
            var index = (int)(t / beat);
            var local = t - (index * beat);
            var f = notes[index % notes.Length];
            var envelope = Math.Min(1, local / 0.01) * Math.Exp(-local * 3);
            destination[n] += (float)(0.35 * envelope * (Math.Sin(2 * Math.PI * f * local) + (0.3 * Math.Sin(4 * Math.PI * f * local))));
        }
    }

    /// <summary>Plucked strings: harmonics that decay faster the higher they are, an arpeggio in eighths.</summary>
    private static void AddPlucks(float[] destination, int fs)
    {
        var step = 0.24;
        var notes = new[] { 261.6, 329.6, 392.0, 523.3, 392.0, 329.6 };
        AddNotes(destination, fs, step, notes, (f, local) =>
        {
            var value = 0.0;
            for (var h = 1; h <= 12 && h * f < fs / 2.2; h++)
            {
                value += Math.Sin(2 * Math.PI * h * f * local) * Math.Exp(-local * (2.0 + (1.5 * h))) / h;
            }

            return 0.3 * value;
        });
    }

    /// <summary>Marimba-like bars: a fundamental and the 4th partial, struck in quarters offset by an eighth.</summary>
    private static void AddMarimba(float[] destination, int fs)
    {
        var notes = new[] { 523.3, 587.3, 659.3, 784.0 };
        AddNotes(destination, fs, 0.48, notes, (f, local) =>
            0.35 * ((Math.Sin(2 * Math.PI * f * local) * Math.Exp(-local * 4)) + (0.4 * Math.Sin(2 * Math.PI * 4 * f * local) * Math.Exp(-local * 14))),
            offsetSeconds: 0.24);
    }

    /// <summary>High-passed noise bursts in sixteenths, accents on the beat.</summary>
    private static void AddShaker(float[] destination, int fs, Random random)
    {
        var noise = new float[destination.Length];
        var step = 0.12;
        for (var n = 0; n < noise.Length; n++)
        {
            var t = n / (double)fs;
            var index = (int)(t / step);
            var local = t - (index * step);
            var accent = index % 4 == 0 ? 1.0 : 0.5;
            noise[n] = (float)(accent * Math.Exp(-local * 40) * ((random.NextDouble() * 2) - 1) * 0.25);
        }

        var highPass = new BiquadCascade(1, [BiquadDesign.HighPass(6000, fs, 0.7071), BiquadDesign.HighPass(6000, fs, 0.7071)]);
        var filtered = new float[noise.Length];
        highPass.Process(noise, filtered, 0);
        for (var n = 0; n < destination.Length; n++)
        {
            destination[n] += filtered[n];
        }
    }

    private static void AddNotes(float[] destination, int fs, double stepSeconds, double[] notes, Func<double, double, double> voice, double offsetSeconds = 0)
    {
        for (var n = 0; n < destination.Length; n++)
        {
            var t = (n / (double)fs) - offsetSeconds;
            if (t < 0)
            {
                continue;
            }

            var index = (int)(t / stepSeconds);
            var local = t - (index * stepSeconds);

            // Let the previous note ring under the current one, as a real instrument does.
            var value = voice(notes[index % notes.Length], local);
            if (index > 0)
            {
                value += voice(notes[(index - 1) % notes.Length], local + stepSeconds);
            }

            destination[n] += (float)value;
        }
    }
}
