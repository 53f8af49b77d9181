using SpatialAudio.Spatial.Sensing.Simulation;
using Xunit;
using static SpatialAudio.Spatial.Tests.Sensing.SensingTestGeometry;

namespace SpatialAudio.Spatial.Tests.Sensing;

/// <summary>The simulated airflow's slow swell: drawn per scene, so start-ups do not all meet the same swell.</summary>
public sealed class HvacSwellTests
{
    [Fact]
    public void Each_scene_draws_its_own_swell_rate_and_phase_spread_over_the_circle()
    {
        var swells = Enumerable.Range(700, 200).Select(seed => SceneLibrary.Create(SceneKind.Empty, seed, Driver, Mics, seconds: 30)).ToList();

        Assert.All(swells, s => Assert.InRange(s.HvacSwellHz, 0.08, 0.2));
        Assert.All(swells, s => Assert.InRange(s.HvacSwellPhase, 0, 2 * Math.PI));
        // Uniform phases: the mean resultant length of 200 is about 1 / sqrt(200) = 0.07; one shared phase would give 1.
        var re = swells.Average(s => Math.Cos(s.HvacSwellPhase));
        var im = swells.Average(s => Math.Sin(s.HvacSwellPhase));
        Assert.True(Math.Sqrt((re * re) + (im * im)) < 0.25);
        Assert.True(swells.Select(s => s.HvacSwellHz).Distinct().Count() > 190);
    }

    [Fact]
    public void The_swell_is_drawn_from_the_seed_alone_and_repeats_with_it()
    {
        var scene = SceneLibrary.Create(SceneKind.Walk, 42, Driver, Mics);
        var again = SceneLibrary.Create(SceneKind.Walk, 42, Driver, Mics);

        Assert.Equal(SceneLibrary.HvacSwell(42), (scene.HvacSwellHz, scene.HvacSwellPhase));
        Assert.Equal(scene.HvacSwellPhase, again.HvacSwellPhase);
        Assert.NotEqual(SceneLibrary.HvacSwell(42), SceneLibrary.HvacSwell(43));
    }

    [Fact]
    public void The_low_power_sessions_draw_the_swell_as_the_scene_sets_do()
    {
        var session = SessionScenes.Create(SessionScenes.SeedBase + 3, Driver, Mics, (20, 30), tailSeconds: 5);

        Assert.Equal(SceneLibrary.HvacSwell(session.Scene.Seed), (session.Scene.HvacSwellHz, session.Scene.HvacSwellPhase));
        Assert.NotEqual(0.13, session.Scene.HvacSwellHz);   // not the old fixed swell
    }
}
