using SpatialAudio.Spatial.Sensing.Detection;
using SpatialAudio.Spatial.Sensing.Evaluation;
using SpatialAudio.Spatial.Sensing.Pipeline;
using SpatialAudio.Spatial.Sensing.Simulation;
using SpatialAudio.Spatial.Tests.Support;
using Xunit;

namespace SpatialAudio.Spatial.Tests.Sensing;

/// <summary>The lists behind the figures: the walks missed or late, and the empty rooms' events.</summary>
public sealed class EvaluationListingTests
{
    private static readonly SensingGeometry Geometry = TemporarySceneCache.StudioGeometry();

    // A detector that ignores its features and always gives the same probabilities (a single layer, zero weights).
    private static DetectorModel Constant(float none, float minor, float major) =>
        new([MotionFeatures.Count, 3], [new float[3 * MotionFeatures.Count]], [[none, minor, major]]);

    [Fact]
    public void A_detector_that_never_fires_lists_every_walk_as_missed_with_its_scene()
    {
        SceneRun[] scenes =
        [
            SensingEvaluation.Simulate(SceneKind.Walk, 4101, Geometry, music: false),
            SensingEvaluation.Simulate(SceneKind.WalkThenMinor, 4102, Geometry, new SceneVariant(MaxLeadInSeconds: 5), music: true),
        ];

        var figures = SensingEvaluation.Figures(scenes, Constant(20, 0, 0));

        Assert.Equal(0, figures.MajorDetected);
        var walks = scenes.SelectMany(s => s.Labels.Where(l => l.Kind == MotionKind.Major).Select(l => (Scene: s, Label: l))).ToList();
        Assert.Equal(walks.Count, figures.LateWalks.Count);
        foreach (var (expected, listed) in walks.Zip(figures.LateWalks))
        {
            Assert.Equal(new LateWalk(expected.Scene.Kind, expected.Scene.Seed, expected.Label.StartSeconds, expected.Label.DistanceMeters, expected.Scene.MusicStartSeconds(), null), listed);
        }

        // Every small movement after the walk-in is missed too, and listed with its scene (the walk-only scene has none).
        var moves = scenes[1].Labels.Where(l => l.Kind != MotionKind.Major).ToList();
        Assert.NotEmpty(moves);
        Assert.Equal(moves.Count, figures.MinorEvents);
        Assert.Equal(0, figures.MinorDetected);
        Assert.Equal(moves.Select(l => new MissedSmallMove(4102, l.StartSeconds, l.EndSeconds - l.StartSeconds, l.DistanceMeters, scenes[1].MusicStartSeconds())),
            figures.MissedSmallMoves);
        Assert.All(figures.MissedSmallMoves, m => Assert.True(m.WithMusic));

        Assert.Empty(figures.RoomAlarms);
    }

    [Fact]
    public void A_detector_that_always_calls_walking_lists_each_room_event_where_it_is_counted()
    {
        SceneRun[] rooms =
        [
            SensingEvaluation.Simulate(SceneKind.Empty, 4103, Geometry, new SceneVariant(Seconds: 8), music: false),
            SensingEvaluation.Simulate(SceneKind.Empty, 4104, Geometry, new SceneVariant(Seconds: 8), music: true),
        ];

        var figures = SensingEvaluation.Figures(rooms, Constant(0, 0, 20));

        // Walking on every frame: one event per room, the first frame after the pipeline's start-up (the probability
        // never drops, so it never re-arms).
        Assert.Equal(figures.FalseAlarms.WithMusic + figures.FalseAlarms.WithoutMusic, figures.RoomAlarms.Count);
        Assert.Equal([4103, 4104], figures.RoomAlarms.Select(a => a.Seed));
        Assert.Equal([false, true], figures.RoomAlarms.Select(a => a.WithMusic));
        Assert.All(figures.RoomAlarms, a =>
        {
            Assert.True(a.Major);
            Assert.True(a.Confidence > 0.999f, $"{a.Confidence}");
            Assert.InRange(a.Seconds, FrameStage.StartupSeconds, FrameStage.StartupSeconds + 0.1);
        });
        Assert.Empty(figures.LateWalks);
    }

    [Fact]
    public void An_event_before_a_mid_scene_music_start_is_listed_with_the_time_the_music_started()
    {
        // The first seed whose 10 s room, music forced on, starts its music after the pipeline's start-up (half of them
        // start it mid-scene): the scene's description is the reference, the stored frames' playback reference the reading.
        const double seconds = 10;
        var (seed, scene) = Enumerable.Range(4110, 40)
            .Select(s => (s, SceneLibrary.Create(SceneKind.Empty, s, Geometry.ProbeDriverMeters, Geometry.MicMeters, seconds: seconds, music: true)))
            .First(c => c.Item2.MusicStartSeconds > FrameStage.StartupSeconds + 1);
        var withMusic = SensingEvaluation.Simulate(SceneKind.Empty, seed, Geometry, new SceneVariant(Seconds: seconds), music: true);
        var without = SensingEvaluation.Simulate(SceneKind.Empty, seed, Geometry, new SceneVariant(Seconds: seconds), music: false);

        // The reference is read over the frame's last hop (64 samples at 3 kHz): the first frame ending after the start.
        Assert.InRange(withMusic.MusicStartSeconds()!.Value, scene.MusicStartSeconds, scene.MusicStartSeconds + 0.03);
        Assert.Null(without.MusicStartSeconds());

        // A detector that always says walking fires at start-up, before the music.
        var figures = SensingEvaluation.Figures([withMusic, without], Constant(0, 0, 20));

        Assert.Equal([withMusic.MusicStartSeconds(), null], figures.RoomAlarms.Select(a => a.MusicFromSeconds));
        Assert.True(figures.RoomAlarms[0].Seconds < figures.RoomAlarms[0].MusicFromSeconds);
        Assert.Equal([true, false], figures.RoomAlarms.Select(a => a.WithMusic));
    }

    [Fact]
    public void A_threshold_sweep_gives_each_threshold_the_figures_of_a_full_replay_with_it()
    {
        SceneRun[] scenes =
        [
            SensingEvaluation.Simulate(SceneKind.Walk, 4105, Geometry, music: false),
            SensingEvaluation.Simulate(SceneKind.WalkThenMinor, 4106, Geometry, music: true),
            SensingEvaluation.Simulate(SceneKind.Empty, 4107, Geometry, new SceneVariant(Seconds: 40), music: true),
        ];
        var model = DetectorModel.Load(Path.Combine(RepoPaths.Root, "models", "sensing", "detector.json"));
        PresenceOptions[] options = [new() { MajorThreshold = 0.3f, MinorThreshold = 0.5f }, new(), new() { MajorThreshold = 0.9999f }];

        var swept = SensingEvaluation.Sweep(scenes, model, options);

        Assert.Equal(options.Length, swept.Count);
        foreach (var (o, row) in options.Zip(swept))
        {
            var full = SensingEvaluation.Figures(scenes, model, o);   // the reference: detector and tracker replayed together
            Assert.Equal((full.MajorEvents, full.MajorDetected, full.MajorClassified), (row.MajorEvents, row.MajorDetected, row.MajorClassified));
            Assert.Equal((full.MinorEvents, full.MinorDetected, full.MinorNormalMode), (row.MinorEvents, row.MinorDetected, row.MinorNormalMode));
            Assert.Equal(full.LatencySeconds, row.LatencySeconds);
            Assert.Equal(full.LatencyP95Interval, row.LatencyP95Interval);
            Assert.Equal((full.FalseAlarms, full.StartUpFalseAlarms, full.SteadyState, full.FalseWakeUps), (row.FalseAlarms, row.StartUpFalseAlarms, row.SteadyState, row.FalseWakeUps));
            Assert.Equal(full.LateWalks, row.LateWalks);
            Assert.Equal(full.MissedSmallMoves, row.MissedSmallMoves);
            Assert.Equal(full.RoomAlarms, row.RoomAlarms);
            Assert.Equal(full.SpuriousEvents, row.SpuriousEvents);
            Assert.True(double.IsNaN(row.Int8Agreement) && double.IsNaN(row.FrameErrorRate));   // the detector's own figures are not the sweep's
        }

        // The low thresholds see more than the default: the sweep is not one figure repeated.
        Assert.True(swept[0].RoomAlarms.Count > swept[1].RoomAlarms.Count || swept[0].LatencySeconds.Median < swept[1].LatencySeconds.Median,
            $"{swept[0].RoomAlarms.Count} / {swept[1].RoomAlarms.Count} room events, median {swept[0].LatencySeconds.Median} / {swept[1].LatencySeconds.Median} s");
    }
}
