using SpatialAudio.Drivers.Devices;
using SpatialAudio.Spatial.Sensing.Evaluation;
using SpatialAudio.Spatial.Sensing.Pipeline;
using SpatialAudio.Spatial.Sensing.Simulation;
using SpatialAudio.Spatial.Tests.Support;
using Xunit;

namespace SpatialAudio.Spatial.Tests.Sensing;

public sealed class EmptyRoomTallyTests
{
    private static SceneRun Room(double seconds, bool music) => new(SceneKind.Empty, 1, seconds, music, [], 2, [], [], []);

    [Fact]
    public void Events_are_pooled_by_music_and_split_into_start_up_window_and_steady_state()
    {
        var tally = new EmptyRoomTally();
        tally.Add(Room(30, music: true), [5.0, 12.0]);
        tally.Add(Room(600, music: false), [10.0, 29.99, 30.0, 400.0]);

        // By hand: both rooms are watched from the pipeline's start-up on; the first 30 s of each is its start-up window.
        Assert.Equal((2, 4), tally.FalseAlarms);
        Assert.Equal((30 - FrameStage.StartupSeconds) / 3600, tally.Hours.WithMusic, 12);
        Assert.Equal((600 - FrameStage.StartupSeconds) / 3600, tally.Hours.WithoutMusic, 12);
        Assert.Equal((2, 4), tally.StartUp);
        Assert.Equal(570.0 / 3600, tally.SteadyState.Hours, 12);
        Assert.Equal(2, tally.SteadyState.FalseAlarms);
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
        var folder = Path.Combine(Path.GetTempPath(), $"scene-cache-{Guid.NewGuid():N}");
        try
        {
            var geometry = SensingGeometry.FromDevice(DeviceFile.Load(Path.Combine(RepoPaths.Device("studio5"), "device.json")));
            (SceneKind, int)[] plan = [(SceneKind.Empty, 4242)];

            var three = SceneRunCache.GetOrSimulate(folder, plan, geometry, seconds: 3)[0];
            var again = SceneRunCache.GetOrSimulate(folder, plan, geometry, seconds: 3)[0];
            var four = SceneRunCache.GetOrSimulate(folder, plan, geometry, seconds: 4)[0];

            Assert.Equal(3, three.DurationSeconds);
            Assert.InRange(three.Times[^1], 2.9, 3.0);
            Assert.Equal(three.Bands, again.Bands);
            Assert.Equal(4, four.DurationSeconds);
            Assert.Equal(2, Directory.GetFiles(folder, "*.scene").Length);
            Assert.True(four.Times.Length > three.Times.Length);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
