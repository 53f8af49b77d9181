using SpatialAudio.Spatial.Sensing.Detection;
using SpatialAudio.Spatial.Sensing.Evaluation;
using SpatialAudio.Spatial.Sensing.FrontEnd;
using SpatialAudio.Spatial.Sensing.Pipeline;
using SpatialAudio.Spatial.Sensing.Simulation;
using SpatialAudio.Spatial.Tests.Support;
using Xunit;

namespace SpatialAudio.Spatial.Tests.Sensing;

public sealed class EmptyRoomTallyTests
{
    [Fact]
    public void Events_are_pooled_by_music_and_split_into_start_up_window_and_steady_state()
    {
        var tally = new EmptyRoomTally();
        tally.Add(RoomWithMusicFrom(30, 0), [5.0, 12.0]);
        tally.Add(RoomWithMusicFrom(600, null), [10.0, 29.99, 30.0, 400.0]);

        // By hand: both rooms are watched from the pipeline's start-up on; the first 30 s of each is its start-up window.
        Assert.Equal((2, 4), tally.FalseAlarms);
        Assert.Equal((30 - FrameStage.StartupSeconds) / 3600, tally.Hours.WithMusic, 12);
        Assert.Equal((600 - FrameStage.StartupSeconds) / 3600, tally.Hours.WithoutMusic, 12);
        Assert.Equal((2, 4), tally.StartUp);
        Assert.Equal(570.0 / 3600, tally.SteadyState.Hours, 12);
        Assert.Equal(2, tally.SteadyState.FalseAlarms);
    }

    [Fact]
    public void A_room_whose_music_starts_late_counts_its_time_and_events_before_the_music_as_without_it()
    {
        var tally = new EmptyRoomTally();
        var room = RoomWithMusicFrom(600, 200);
        var musicFrom = room.MusicStartSeconds()!.Value;   // the first frame whose reference is not silent
        Assert.InRange(musicFrom, 200, 200 + (DopplerFrontEnd.Hop / 3000.0));

        tally.Add(room, [10.0, 150.0, 250.0]);

        Assert.Equal((1, 2), tally.FalseAlarms);
        Assert.Equal((600 - musicFrom) / 3600, tally.Hours.WithMusic, 12);
        Assert.Equal((musicFrom - FrameStage.StartupSeconds) / 3600, tally.Hours.WithoutMusic, 12);
    }

    [Fact]
    public void Steady_state_rate_per_day_and_its_interval_follow_the_events_and_hours()
    {
        var figures = new SensingFigures { SteadyState = (48, 3) };   // 3 events in two days

        var (rate, low, high) = figures.SteadyStatePerDay;

        Assert.Equal(1.5, rate, 12);
        // Garwood's exact 95 % limits for 3 events are 0.619 and 8.77; over 2 days, half of each.
        Assert.Equal(0.619 / 2, low, 2);
        Assert.Equal(8.77 / 2, high, 2);
    }

    [Fact]
    public void The_cache_keeps_scenes_of_another_length_apart_and_reads_them_back()
    {
        using var cache = new TemporarySceneCache();
        (SceneKind, int)[] plan = [(SceneKind.Empty, 4242)];

        var three = SceneRunCache.GetOrSimulate(cache.Folder, plan, cache.Geometry, new SceneVariant(Seconds: 3))[0];
        var again = SceneRunCache.GetOrSimulate(cache.Folder, plan, cache.Geometry, new SceneVariant(Seconds: 3))[0];
        var four = SceneRunCache.GetOrSimulate(cache.Folder, plan, cache.Geometry, new SceneVariant(Seconds: 4))[0];

        Assert.Equal(3, three.DurationSeconds);
        Assert.InRange(three.Times[^1], 2.9, 3.0);
        Assert.Equal(three.Bands, again.Bands);
        Assert.Equal(4, four.DurationSeconds);
        Assert.Equal(2, cache.SceneFiles);
        Assert.True(four.Times.Length > three.Times.Length);
    }

    [Fact]
    public void False_wake_ups_count_presence_turned_on_and_rooms_count_once_however_many_events()
    {
        // A detector scripted by the music-level feature: p(walking) = 1 while the reference reads -40 dBFS, 0 at -120.
        var weights = new float[3 * MotionFeatures.Count];
        weights[(2 * MotionFeatures.Count) + MotionFeatures.BaseCount - 2] = 40;   // the music level
        var model = new DetectorModel([MotionFeatures.Count, 3], [weights], [[0f, 0f, -20f]]);

        // Room 1, 300 s: walking pulses at 10 s and 20 s (one presence, its timeout 120 s) and at 200 s (a second one).
        // Room 2, 300 s: nothing.
        var one = ScriptedRoom(300, [10, 20, 200]);
        var two = ScriptedRoom(300, []);
        var f = SensingEvaluation.Figures([one, two], model);

        Assert.Equal(3, f.StartUpFalseAlarms.FalseAlarms + f.SteadyState.FalseAlarms);
        Assert.Equal((2, 1), (f.StartUpFalseAlarms.FalseAlarms, f.SteadyState.FalseAlarms));
        Assert.Equal((1, 1), f.FalseWakeUps);   // 10 s turns presence on, 20 s finds it on, 200 s after the timeout
        Assert.Equal(1, f.RoomsWithFalseAlarms);
    }

    // A still room whose playback reference is silent until musicFrom (null: no music) and at -40 dBFS after it.
    private static SceneRun RoomWithMusicFrom(double seconds, double? musicFrom)
    {
        var silent = ScriptedRoom(seconds, []);
        var width = (silent.MicCount * DopplerFrontEnd.BandCount) + DopplerFrontEnd.ReferenceCount;
        var bands = silent.Bands.ToArray();
        for (var k = 0; k < silent.Times.Length; k++)
        {
            bands[(k * width) + (silent.MicCount * DopplerFrontEnd.BandCount)] = silent.Times[k] >= musicFrom ? -40f : -120f;
        }

        return silent with { WithMusic = musicFrom is not null, Bands = bands };
    }

    // Frames of a still room at the front end's rate, with the playback reference at -40 dBFS for 0.5 s at each pulse.
    private static SceneRun ScriptedRoom(double seconds, double[] pulses)
    {
        const int mics = 2;
        var width = (mics * DopplerFrontEnd.BandCount) + DopplerFrontEnd.ReferenceCount;
        var hop = DopplerFrontEnd.Hop / 3000.0;
        var frames = (int)(seconds / hop);
        var times = new double[frames];
        var bands = new float[frames * width];
        for (var k = 0; k < frames; k++)
        {
            times[k] = (DopplerFrontEnd.FrameLength / 3000.0) + (k * hop);
            bands.AsSpan(k * width, width).Fill(-95f);
            var music = pulses.Any(p => times[k] >= p && times[k] < p + 0.5);
            bands[(k * width) + (mics * DopplerFrontEnd.BandCount)] = music ? -40f : -120f;
        }

        return new SceneRun(SceneKind.Empty, 1, seconds, false, [], mics, times, [.. times.Select(t => t < SensingPipeline.SettleSeconds)], bands, new bool[times.Length]);
    }
}
