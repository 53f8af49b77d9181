using SpatialAudio.Spatial.Sensing.FrontEnd;

namespace SpatialAudio.Spatial.Sensing.Detection;

/// <summary>
/// Turns the front end's per-microphone band levels into the detector's input: each band relative to its own slowly
/// tracked background (so steady fans, HVAC and each unit's microphone gain drop out), averaged over microphones, at
/// four time scales (this frame, the peak of the last 4 frames, the means of the last 16 and 128 frames); at each scale the
/// bands minus their median, and the median; then the music level and its onset (level over its 16-frame mean), and the
/// largest onset over the last 4 and 16 frames.
/// </summary>
/// <remarks>
/// The background falls fast (a quieter frame is believed at once) and rises slowly (time constant about 5 s, and ten
/// times slower while the band is more than 10 dB above it, so a walker is not learnt as background while walking);
/// during a cold start's hold, before the detector judges anything, it rises seven times faster.
/// Values are in units of 20 dB. Allocation-free.
/// </remarks>
public sealed class MotionFeatures
{
    /// <summary>How many times faster the background rises during a cold start's hold (chosen on training-seed rooms:
    /// 5..10 gave the fewest start-up false alarms, 20 and more rise onto a curtain's swells).</summary>
    public const float StartupRiseFactor = 7;

    /// <summary>Features per frame.</summary>
    public const int Count = BaseCount + 2;

    /// <summary>The features of the first layout (until the twenty-first session): the bands and the music's level and
    /// onset. Later features are appended, so a model reads the first as many features as it takes
    /// (<see cref="DetectorModel.InputCount"/>), from <see cref="BaseCount"/> to <see cref="Count"/>.</summary>
    public const int BaseCount = BandFeatures + 2;

    // Four time scales of (bands minus their median, the median).
    private const int BandFeatures = 4 * (DopplerFrontEnd.BandCount + 1);

    private const int Bands = DopplerFrontEnd.BandCount;
    private const int LongFrames = 16;
    private const int ShortFrames = 4;
    private const int SlowFrames = 128;
    private readonly int micCount;
    private readonly float[] background;
    private readonly float[] history = new float[LongFrames * Bands];
    private readonly float[] sorted = new float[Bands];
    private readonly float[] musicHistory = new float[LongFrames];
    private readonly float[] onsetHistory = new float[LongFrames];
    private readonly float[] slowHistory = new float[SlowFrames * Bands];
    private readonly double[] slowSum = new double[Bands];
    private int head, seen, valid, recent;
    private bool settling;

    /// <summary>Creates the extractor.</summary>
    /// <param name="micCount">Microphones.</param>
    public MotionFeatures(int micCount)
    {
        this.micCount = micCount;
        background = new float[micCount * Bands];
    }

    /// <summary>Frames seen since the last reset.</summary>
    public int FramesSeen => seen;

    /// <summary>Feeds one frame and writes its features.</summary>
    /// <param name="bandsDb">The front end's frame: <see cref="DopplerFrontEnd.BandCount"/> dB values per microphone, then the reference levels.</param>
    /// <param name="features">Receives <see cref="Count"/> values.</param>
    /// <param name="learnOnly">True while the front end settles: the background tracks the input fast, the frame enters no
    /// history and the features are zero.</param>
    /// <param name="startup">True from the end of a cold start's settling until the detector's first judgement: the
    /// background rises <see cref="StartupRiseFactor"/> times faster (time constant about 0.8 s, not 5 s). It starts at
    /// the settling frames' low quantile, so a swaying curtain or a fan the canceller has not locked on yet would otherwise
    /// still read as an excess at the first judgements (docs/sensing-notebook.md, seventeenth session).</param>
    public void Process(ReadOnlySpan<float> bandsDb, Span<float> features, bool learnOnly = false, bool startup = false)
    {
        var rise = startup ? StartupRiseFactor : 1f;
        var current = history.AsSpan(head * Bands, Bands);
        current.Clear();
        for (var m = 0; m < micCount; m++)
        {
            for (var b = 0; b < Bands; b++)
            {
                var i = (m * Bands) + b;
                var x = bandsDb[i];
                ref var bg = ref background[i];
                if (seen == 0 || (learnOnly && !settling))
                {
                    bg = x;   // first frame, or the first of a new settling period
                }
                else if (learnOnly)
                {
                    // Settling: the tracker below with both rates raised (falls at once, rises 1/75 as fast as it falls, as
                    // below), so it starts near the low quantile it settles on in a still room rather than at one noisy frame.
                    bg += (x < bg ? 1f : 0.0133f) * (x - bg);
                }

                var rel = x - bg;
                current[b] += rel / micCount;
                var rate = rel < 0 ? 0.3f : (rel > 10 ? 0.0004f : 0.004f) * rise;
                bg += rate * rel;
            }
        }

        seen++;
        var newSettling = learnOnly && !settling;
        settling = learnOnly;
        if (learnOnly)
        {
            // Settling frames never enter the histories: after a cold start the windows average over the frames that
            // exist (not over zeros, which made the first seconds look like an onset against a quiet past). After a
            // low-power sleep the short windows (peak of 4, mean of 16) restart, so a movement just before the sleep
            // does not reappear in the first frames after it, while the 2.7 s context is kept, so a curtain that was
            // stirring is still known.
            if (newSettling)
            {
                Array.Clear(history);
                recent = 0;
            }

            MusicFeatures(bandsDb, features);
            features[..BandFeatures].Clear();
            return;
        }

        valid++;
        recent++;
        head = (head + 1) % LongFrames;
        var shortCount = Math.Min(recent, ShortFrames);
        var longCount = Math.Min(recent, LongFrames);
        Span<float> now = stackalloc float[Bands];
        Span<float> peak = stackalloc float[Bands];
        Span<float> mean = stackalloc float[Bands];
        for (var b = 0; b < Bands; b++)
        {
            float top = float.NegativeInfinity, sum = 0;
            for (var k = 0; k < LongFrames; k++)
            {
                var v = history[(k * Bands) + b];
                sum += v;
                var age = (head - 1 - k + (2 * LongFrames)) % LongFrames;
                if (age < shortCount)
                {
                    top = Math.Max(top, v);
                }
            }

            now[b] = current[b];
            peak[b] = top;
            mean[b] = sum / longCount;
        }

        Write(now, features[..(Bands + 1)]);
        Write(peak, features.Slice(Bands + 1, Bands + 1));
        Write(mean, features.Slice(2 * (Bands + 1), Bands + 1));

        // 2.7 s of context: a curtain or a fan keeps stirring the slow bands, a hand moves once out of stillness.
        Span<float> slow = stackalloc float[Bands];
        var slot = (valid - 1) % SlowFrames;
        var slowCount = Math.Min(valid, SlowFrames);
        for (var b = 0; b < Bands; b++)
        {
            slowSum[b] += current[b] - slowHistory[(slot * Bands) + b];
            slowHistory[(slot * Bands) + b] = current[b];
            slow[b] = (float)(slowSum[b] / slowCount);
        }

        Write(slow, features.Slice(3 * (Bands + 1), Bands + 1));
        MusicFeatures(bandsDb, features);
    }

    private void MusicFeatures(ReadOnlySpan<float> bandsDb, Span<float> features)
    {
        // The music: how loud (the distortion it can cause) and how much louder than over the last 16 frames (onsets,
        // where the distortion canceller lags).
        var music = bandsDb[micCount * Bands];
        var musicMean = 0f;
        foreach (var m in musicHistory)
        {
            musicMean += m / LongFrames;
        }

        musicHistory[seen % LongFrames] = music;
        var onset = seen < LongFrames ? 0f : Scale(music - musicMean);
        features[BandFeatures] = Math.Clamp((music + 80f) / 40f, 0f, 2f);
        features[BandFeatures + 1] = onset;

        // The largest onset over the bands' peak (4 frames) and mean (16 frames) windows: a kick lifts the bands for a
        // frame or three, and those two features carry the lift for up to 16 frames after the onset feature is back down.
        onsetHistory[seen % LongFrames] = Math.Max(0f, onset);
        float recentPeak = 0, longPeak = 0;
        for (var age = 0; age < LongFrames; age++)
        {
            var value = onsetHistory[(seen - age + LongFrames) % LongFrames];
            longPeak = Math.Max(longPeak, value);
            recentPeak = age < ShortFrames ? Math.Max(recentPeak, value) : recentPeak;
        }

        features[BaseCount] = recentPeak;
        features[BaseCount + 1] = longPeak;
    }

    // A rise common to all bands (the noise floor or music distortion swelling) is split from what stands out in some
    // bands (a moving reflector): band values minus their median, then the median itself.
    private void Write(ReadOnlySpan<float> values, Span<float> destination)
    {
        values.CopyTo(sorted);
        Array.Sort(sorted);
        var median = 0.5f * (sorted[(Bands / 2) - 1] + sorted[Bands / 2]);
        for (var b = 0; b < Bands; b++)
        {
            destination[b] = Scale(values[b] - median);
        }

        destination[Bands] = Scale(median);
    }

    /// <summary>Forgets the background and the history.</summary>
    public void Reset()
    {
        Array.Clear(background);
        Array.Clear(history);
        Array.Clear(musicHistory);
        Array.Clear(onsetHistory);
        Array.Clear(slowHistory);
        Array.Clear(slowSum);
        head = seen = valid = recent = 0;
        settling = false;
    }

    private static float Scale(float db) => Math.Clamp(db / 20f, -1f, 3f);
}
