using SpatialAudio.Filters.Convolution;
using SpatialAudio.Filters.Design;

namespace SpatialAudio.Spatial.Sensing.Simulation;

/// <summary>Which music the simulated scenes play.</summary>
public enum MusicSource
{
    /// <summary>Excerpts of the one demo clip (<see cref="Stimuli.DemoClip"/>: 125 bpm, a four-note bass line): the scene
    /// sets' music since the first session, so the detector was trained and is evaluated on it.</summary>
    Demo = 0,

    /// <summary>A song of its own per scene (<see cref="SyntheticSong"/>, drawn from the scene's music seed): tempo, key,
    /// bass line, kick pattern and arrangement differ, so the figures say what music the detector never heard costs.</summary>
    Varied = 1,
}

/// <summary>
/// A synthesized song, rendered sample by sample without a buffer: kick drum, bass line, a sustained chord and hi-hats
/// on a 16-step grid, in sections of 8 bars that drop the bass or the kick now and then (so the bass comes back
/// mid-song, an onset the distortion canceller meets cold). Tempo 80..160 bpm, key, scale steps, note lengths, decays
/// and the kick pattern are drawn from the seed. The bass and kick reach down to 30..45 Hz, where a loudspeaker's
/// excursion, and so its distortion, is largest.
/// </summary>
/// <remarks>
/// Every part is a sum of sines below 12 kHz; the notes' starts and ends still click, so the output is band-limited to
/// 20 kHz as the renderer's music path is (and as the demo clip the scenes used before is). The first section plays
/// every part; <see cref="PeakOfFirstSection"/> measures it, so a scene can set its music level.
/// </remarks>
public sealed class SyntheticSong
{
    private const int StepsPerBar = 16;
    private const int BarsPerSection = 8;
    private static readonly int[] Pentatonic = [0, 3, 5, 7, 10, 12];
    private static readonly double[] HatPartials = [7040, 8210, 9630, 11170];

    private readonly int sampleRateHz;
    private readonly double stepSeconds;
    private readonly double rootHz;
    private readonly double[] bassNotes;     // per step of a bar: Hz, 0 = rest
    private readonly bool[] kicks;           // per step of a bar
    private readonly bool[] hats;            // per step of a bar
    private readonly double bassDecay, chordThird;
    private readonly int bassEvery;
    private readonly int seed;
    private readonly DirectFormFir lowPass;
    private long sample;

    /// <summary>Draws the song.</summary>
    /// <param name="seed">Song seed.</param>
    /// <param name="sampleRateHz">Output rate, Hz (at least 24 kHz).</param>
    public SyntheticSong(int seed, int sampleRateHz)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRateHz, 24000);
        this.seed = seed;
        this.sampleRateHz = sampleRateHz;
        lowPass = new DirectFormFir(WindowedSinc.LowPassForSpec(Math.Min(20000, 0.2 * sampleRateHz), Math.Min(24000, 0.25 * sampleRateHz), 100, sampleRateHz), 1);
        var random = new Random(seed);
        var bpm = 80 + (80 * random.NextDouble());
        stepSeconds = 60 / bpm / 4;
        rootHz = 30 + (25 * random.NextDouble());
        bassDecay = 1 + (7 * random.NextDouble());
        chordThird = random.NextDouble() < 0.5 ? Math.Pow(2, 3 / 12.0) : Math.Pow(2, 4 / 12.0);

        // The bass plays on eighths or quarters, with rests; the kick four on the floor, on 1 and 3, or syncopated.
        bassEvery = random.NextDouble() < 0.5 ? 2 : 4;
        bassNotes = new double[StepsPerBar];
        for (var s = 0; s < StepsPerBar; s += bassEvery)
        {
            bassNotes[s] = random.NextDouble() < 0.15 ? 0 : rootHz * Math.Pow(2, Pentatonic[random.Next(Pentatonic.Length)] / 12.0);
        }

        var pattern = random.Next(3);
        kicks = new bool[StepsPerBar];
        for (var s = 0; s < StepsPerBar; s++)
        {
            kicks[s] = pattern switch
            {
                0 => s % 4 == 0,
                1 => s % 8 == 0,
                _ => s is 0 or 6 or 10 || (s == 14 && random.NextDouble() < 0.5),
            };
        }

        var hatEvery = random.NextDouble() < 0.5 ? 1 : 2;
        hats = [.. Enumerable.Range(0, StepsPerBar).Select(s => s % hatEvery == 0)];
    }

    /// <summary>Beats per minute.</summary>
    public double Bpm => 60 / (stepSeconds * 4);

    /// <summary>The bass line's root, Hz.</summary>
    public double RootHz => rootHz;

    /// <summary>Length of a section, s (every part plays in the first).</summary>
    public double SectionSeconds => BarsPerSection * StepsPerBar * stepSeconds;

    /// <summary>Whether section <paramref name="section"/> has the bass and the kick (the first has both; later ones
    /// drop either a quarter of the time).</summary>
    public (bool Bass, bool Kick) Arrangement(int section)
    {
        if (section == 0)
        {
            return (true, true);
        }

        var h = Hash(seed, section);
        return ((h & 0xff) >= 64, ((h >> 8) & 0xff) >= 64);
    }

    /// <summary>Writes the next samples (band-limited to 20 kHz).</summary>
    public void Render(Span<float> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)At(sample++);
        }

        lowPass.Process(0, destination, destination);
    }

    /// <summary>The largest magnitude of the first section (every part playing), computed apart from <see cref="Render"/>
    /// and before its 20 kHz filter (which moves the peak by a fraction of a dB); the song's position is not touched.</summary>
    public double PeakOfFirstSection()
    {
        var peak = 0.0;
        var count = (long)(SectionSeconds * sampleRateHz);
        for (long n = 0; n < count; n++)
        {
            peak = Math.Max(peak, Math.Abs(At(n)));
        }

        return peak;
    }

    private double At(long n)
    {
        var t = n / (double)sampleRateHz;
        var stepIndex = (long)(t / stepSeconds);
        var step = (int)(stepIndex % StepsPerBar);
        var section = (int)(stepIndex / (StepsPerBar * BarsPerSection));
        var (bassOn, kickOn) = Arrangement(section);
        var value = 0.0;

        // The latest kick, bass note and hat at or before this step, and the time since each.
        if (kickOn && Latest(kicks, stepIndex, out var kickSteps))
        {
            var local = t - ((stepIndex - kickSteps) * stepSeconds);
            // Pitch falling from 155 to 45 Hz (time constant 30 ms); the phase is the sweep's integral.
            var phase = 2 * Math.PI * ((45 * local) + (110 * 0.03 * (1 - Math.Exp(-local / 0.03))));
            value += Math.Sin(phase) * Math.Exp(-local / 0.25) * Math.Min(1, local / 0.002);
        }

        if (bassOn && LatestNote(stepIndex, out var bassSteps, out var hz))
        {
            var local = t - ((stepIndex - bassSteps) * stepSeconds);
            var envelope = Math.Min(1, local / 0.01) * Math.Exp(-local * bassDecay);
            value += 0.7 * envelope * (Math.Sin(2 * Math.PI * hz * local) + (0.3 * Math.Sin(4 * Math.PI * hz * local)));
        }

        // A sustained chord two octaves over the root, breathing once a bar.
        var chord = 4 * rootHz;
        var swell = 0.75 + (0.25 * Math.Sin(2 * Math.PI * t / (StepsPerBar * stepSeconds)));
        value += 0.08 * swell * (Math.Sin(2 * Math.PI * chord * t) + Math.Sin(2 * Math.PI * chord * chordThird * t) + Math.Sin(2 * Math.PI * chord * 1.5 * t));

        if (hats[step])
        {
            var local = t - (stepIndex * stepSeconds);
            var decay = Math.Exp(-local / 0.03) * Math.Min(1, local / 0.001);
            foreach (var f in HatPartials)
            {
                value += 0.03 * decay * Math.Sin(2 * Math.PI * f * local);
            }
        }

        return value;
    }

    // The most recent step (at most a bar back) on which the pattern plays.
    private static bool Latest(bool[] pattern, long stepIndex, out long stepsBack)
    {
        for (stepsBack = 0; stepsBack < StepsPerBar && stepsBack <= stepIndex; stepsBack++)
        {
            if (pattern[(int)((stepIndex - stepsBack) % StepsPerBar)])
            {
                return true;
            }
        }

        return false;
    }

    // The most recent step on which the bass plays or rests (a rest ends the note before it).
    private bool LatestNote(long stepIndex, out long stepsBack, out double hz)
    {
        stepsBack = stepIndex % bassEvery;
        hz = bassNotes[(int)((stepIndex - stepsBack) % StepsPerBar)];
        return hz > 0;
    }

    private static uint Hash(int a, int b)
    {
        var h = (uint)a * 2654435761u ^ ((uint)b * 2246822519u);
        h ^= h >> 15;
        h *= 2654435761u;
        return h ^ (h >> 13);
    }
}
