using SpatialAudio.Spatial.Sensing.Evaluation;
using SpatialAudio.Spatial.Sensing.Simulation;
using SpatialAudio.Spatial.Tests.Support;
using Xunit;
using static SpatialAudio.Spatial.Tests.Sensing.SensingTestGeometry;

namespace SpatialAudio.Spatial.Tests.Sensing;

public sealed class SceneLeadInTests
{
    [Theory]
    [InlineData(SceneKind.Walk, 11)]
    [InlineData(SceneKind.WalkThenMinor, 12)]
    [InlineData(SceneKind.Minor, 13)]
    public void A_lead_in_delays_every_person_and_label_by_the_drawn_time_and_leaves_the_room_as_it_was(SceneKind kind, int seed)
    {
        var plain = SceneLibrary.Create(kind, seed, Driver, Mics);
        var led = SceneLibrary.Create(kind, seed, Driver, Mics, maxLeadInSeconds: 25);
        var lead = SceneLibrary.LeadInSeconds(seed, 25);

        Assert.InRange(lead, 0.0, 25.0);
        Assert.Equal(plain.DurationSeconds + lead, led.DurationSeconds, 9);
        Assert.Equal(plain.Labels.Count, led.Labels.Count);
        Assert.NotEmpty(plain.Labels);
        for (var i = 0; i < plain.Labels.Count; i++)
        {
            Assert.Equal(plain.Labels[i].StartSeconds + lead, led.Labels[i].StartSeconds, 9);
            Assert.Equal(plain.Labels[i].EndSeconds + lead, led.Labels[i].EndSeconds, 9);
            Assert.Equal(plain.Labels[i].Kind, led.Labels[i].Kind);
            Assert.Equal(plain.Labels[i].DistanceMeters, led.Labels[i].DistanceMeters, 9);
        }

        // The same room, unit, distractors and music: only the people moved in time.
        Assert.Equal(plain.Room.DimensionsMeters, led.Room.DimensionsMeters);
        Assert.Equal(plain.Device.PositionMeters, led.Device.PositionMeters);
        Assert.Equal(plain.MicGainsDb, led.MicGainsDb);
        Assert.Equal(plain.MusicLevelDbfs, led.MusicLevelDbfs);
        Assert.Equal(plain.MusicStartSeconds, led.MusicStartSeconds);
        Assert.Equal(plain.HvacNoiseDbfs, led.HvacNoiseDbfs);
        Assert.Equal(plain.Actors.Select(a => a.GetType()), led.Actors.Select(a => a.GetType()));
    }

    [Fact]
    public void Lead_ins_spread_over_the_whole_range_and_empty_rooms_get_none()
    {
        // 500 seeds into five bins of 5 s: a uniform draw puts 100 in each (binomial sd 9); a draw stuck at either end,
        // or at 0 for want of a maximum, fails.
        var bins = new int[5];
        for (var seed = 0; seed < 500; seed++)
        {
            var lead = SceneLibrary.LeadInSeconds(100_000 + seed, 25);
            Assert.InRange(lead, 0.0, 25.0);
            bins[Math.Min(4, (int)(lead / 5))]++;
        }

        Assert.All(bins, n => Assert.InRange(n, 65, 135));
        Assert.Equal(0, SceneLibrary.LeadInSeconds(7, 0));
        Assert.Equal(SceneLibrary.LeadInSeconds(7, 25), SceneLibrary.LeadInSeconds(7, 25));
        Assert.Equal(
            SceneLibrary.Create(SceneKind.Empty, 14, Driver, Mics).DurationSeconds,
            SceneLibrary.Create(SceneKind.Empty, 14, Driver, Mics, maxLeadInSeconds: 25).DurationSeconds);
    }

    [Fact]
    public void The_cache_keeps_scenes_with_a_lead_in_apart_from_those_without()
    {
        using var cache = new TemporarySceneCache();
        (SceneKind, int)[] plan = [(SceneKind.Minor, 4243)];

        var plain = SceneRunCache.GetOrSimulate(cache.Folder, plan, cache.Geometry)[0];
        var led = SceneRunCache.GetOrSimulate(cache.Folder, plan, cache.Geometry, new SceneVariant(MaxLeadInSeconds: 4))[0];
        var again = SceneRunCache.GetOrSimulate(cache.Folder, plan, cache.Geometry, new SceneVariant(MaxLeadInSeconds: 4))[0];

        var lead = SceneLibrary.LeadInSeconds(4243, 4);
        Assert.True(lead > 0.1, $"seed 4243 draws a lead-in of {lead:0.000} s; pick a seed with a visible one");
        Assert.Equal(plain.DurationSeconds + lead, led.DurationSeconds, 9);
        Assert.Equal(plain.Labels[0].StartSeconds + lead, led.Labels[0].StartSeconds, 9);
        Assert.Equal(led.Bands, again.Bands);
        Assert.Equal(2, cache.SceneFiles);
    }
}
