using SpatialAudio.Spatial.Sensing.Detection;
using SpatialAudio.Spatial.Sensing.FrontEnd;

namespace SpatialAudio.Spatial.Tests.Sensing;

/// <summary>The feature extractor's start-up: after settling, a still room must look the same at once as a minute later,
/// and the background's rise follows its rate.</summary>
public class MotionFeaturesTests
{
    private const int Mics = 2;
    private const int Width = (Mics * DopplerFrontEnd.BandCount) + DopplerFrontEnd.ReferenceCount;

    // Index of the common-mode (median) feature of each time scale: now, peak of 4, mean of 16, mean of 128.
    private static readonly int[] Medians = [.. Enumerable.Range(0, 4).Select(s => (s * (DopplerFrontEnd.BandCount + 1)) + DopplerFrontEnd.BandCount)];

    [Fact]
    public void A_still_room_gives_the_same_features_right_after_settling_as_a_minute_later()
    {
        var features = new MotionFeatures(Mics);
        var random = new Random(6);
        var output = new float[MotionFeatures.Count];
        var early = new double[4];
        var late = new double[4];
        for (var frame = 0; frame < 28 + 3000; frame++)
        {
            var settling = frame < 28;
            features.Process(StillRoom(random), output, learnOnly: settling);
            var after = frame - 28;
            for (var s = 0; s < 4; s++)
            {
                if (after is >= 10 and < 60)
                {
                    early[s] += output[Medians[s]] / 50;
                }
                else if (after >= 2000)
                {
                    late[s] += output[Medians[s]] / 1000;
                }
            }
        }

        // Averaging windows over frames that do not exist yet (zeros) made the first seconds look like an onset.
        for (var s = 0; s < 4; s++)
        {
            Assert.True(Math.Abs(early[s] - late[s]) < 0.02, $"scale {s}: first second {early[s]:0.000}, a minute later {late[s]:0.000} (units of 20 dB)");
        }
    }

    [Fact]
    public void A_rise_in_some_bands_right_after_settling_stands_out_at_once()
    {
        var features = new MotionFeatures(Mics);
        var random = new Random(7);
        var output = new float[MotionFeatures.Count];
        for (var frame = 0; frame < 28 + 5; frame++)
        {
            features.Process(StillRoom(random), output, learnOnly: frame < 28);
        }

        var walker = StillRoom(random);
        for (var m = 0; m < Mics; m++)
        {
            for (var b = 3; b <= 5; b++)
            {
                walker[(m * DopplerFrontEnd.BandCount) + b] += 15;
            }
        }

        features.Process(walker, output);
        for (var b = 3; b <= 5; b++)
        {
            Assert.InRange(output[b], 0.55, 0.9);   // 15 dB over the median is 0.75 units; the background adds noise
        }
    }

    [Theory]
    [InlineData(false, 1.0)]
    [InlineData(true, MotionFeatures.StartupRiseFactor)]
    public void A_step_in_every_band_is_learnt_at_the_background_rate_and_faster_before_the_first_judgement(bool startup, double factor)
    {
        // A level that steps up by 6 dB in every band and stays: the background rises by a fixed share r of the excess per
        // frame, so the excess after n frames is 6 (1 - r)^n dB, r = 0.004 (time constant about 5 s), times the start-up
        // factor while the cold start's hold lasts. The common-mode feature of "now" is that excess in units of 20 dB.
        var features = new MotionFeatures(Mics);
        var output = new float[MotionFeatures.Count];
        var still = new float[Width];
        Array.Fill(still, -95f);
        for (var frame = 0; frame < 28; frame++)
        {
            features.Process(still, output, learnOnly: true);
        }

        var stepped = still.Select(v => v + 6f).ToArray();
        var rate = 0.004 * factor;
        for (var n = 0; n < 100; n++)
        {
            features.Process(stepped, output, startup: startup);
            var expected = 6 * Math.Pow(1 - rate, n) / 20;
            Assert.True(Math.Abs(output[Medians[0]] - expected) < 2e-4, $"frame {n}: {output[Medians[0]]:0.00000}, expected {expected:0.00000}");
        }
    }

    [Fact]
    public void The_music_onset_memory_is_the_largest_recent_onset_over_4_and_16_frames()
    {
        // Music at -40 dB with kicks (+12..20 dB for two frames) at irregular times and a bass line that drops out: the
        // appended features must be the largest non-negative onset feature of the last 4 and 16 frames (frames before the
        // first count as no onset).
        var features = new MotionFeatures(Mics);
        var random = new Random(8);
        var output = new float[MotionFeatures.Count];
        var onsets = new List<float>();
        for (var frame = 0; frame < 28 + 400; frame++)
        {
            var levels = StillRoom(random);
            var music = -40f + (float)random.NextDouble();
            if (frame % 37 is 0 or 1 || frame % 53 == 5)
            {
                music += 12 + (8 * (float)random.NextDouble());
            }
            else if (frame % 150 > 120)
            {
                music -= 25;
            }

            levels[Mics * DopplerFrontEnd.BandCount] = music;
            features.Process(levels, output, learnOnly: frame < 28);
            onsets.Add(output[MotionFeatures.BaseCount - 1]);
            var recent = onsets.TakeLast(4).Append(0f).Max();
            var longer = onsets.TakeLast(16).Append(0f).Max();
            Assert.Equal(recent, output[MotionFeatures.BaseCount], 6);
            Assert.Equal(longer, output[MotionFeatures.BaseCount + 1], 6);
        }

        Assert.True(onsets.Max() > 0.5f, "the kicks should show as onsets: the test would test nothing");
        Assert.Equal(MotionFeatures.BaseCount + 2, MotionFeatures.Count);
    }

    // Band levels of an empty room: each band the dB mean of a few exponential (noise) bins around -95 dB.
    private static float[] StillRoom(Random random)
    {
        var frame = new float[Width];
        for (var i = 0; i < Mics * DopplerFrontEnd.BandCount; i++)
        {
            var power = 0.0;
            for (var k = 0; k < 3; k++)
            {
                power += -Math.Log(1 - random.NextDouble()) / 3;
            }

            frame[i] = (float)(-95 + (10 * Math.Log10(power)));
        }

        frame[Width - 2] = frame[Width - 1] = -120;
        return frame;
    }
}
