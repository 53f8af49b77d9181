using SpatialAudio.Spatial.Sensing.Evaluation;
using SpatialAudio.Spatial.Sensing.FrontEnd;
using SpatialAudio.Spatial.Sensing.Simulation;
using SpatialAudio.Spatial.Tests.Support;
using Xunit;

namespace SpatialAudio.Spatial.Tests.Sensing;

public sealed class SceneWithoutTests
{
    // The first scene from `seed` on with music, a fan and a curtain.
    private static Scene BusyScene(SceneKind kind, int seed, SensingGeometry geometry, out int found)
    {
        for (found = seed; ; found++)
        {
            var scene = SceneLibrary.Create(kind, found, geometry.ProbeDriverMeters, geometry.MicMeters);
            if (scene.MusicLevelDbfs is not null && scene.Actors.OfType<RotatingFan>().Any() && scene.Actors.OfType<SwayingCurtain>().Any())
            {
                return scene;
            }
        }
    }

    [Fact]
    public void Taking_parts_out_leaves_the_people_room_and_unit_as_they_were()
    {
        var geometry = TemporarySceneCache.StudioGeometry();
        var scene = BusyScene(SceneKind.Walk, 4000, geometry, out _);

        var quiet = scene.Without(SceneParts.Music | SceneParts.Fan);

        Assert.Null(quiet.MusicLevelDbfs);
        Assert.Empty(quiet.Actors.OfType<RotatingFan>());
        Assert.Equal(scene.Actors.OfType<SwayingCurtain>().Count(), quiet.Actors.OfType<SwayingCurtain>().Count());
        Assert.Same(scene.Actors.OfType<Walker>().Single(), quiet.Actors.OfType<Walker>().Single());
        Assert.Equal(scene.Labels, quiet.Labels);
        Assert.Equal(scene.HvacNoiseDbfs, quiet.HvacNoiseDbfs);
        Assert.Equal(scene.Room, quiet.Room);
        Assert.Equal(scene.MicGainsDb, quiet.MicGainsDb);
        Assert.Equal(scene.Seed, quiet.Seed);
        Assert.Same(scene, scene.Without(SceneParts.None));
        var bare = scene.Without(SceneParts.Music | SceneParts.Fan | SceneParts.Curtain | SceneParts.Hvac);
        Assert.Null(bare.HvacNoiseDbfs);
        Assert.Equal([scene.Actors.OfType<Walker>().Single()], bare.Actors);
    }

    [Fact]
    public void An_empty_room_without_its_distractors_is_quieter_in_every_band_and_is_cached_apart()
    {
        using var cache = new TemporarySceneCache();
        BusyScene(SceneKind.Empty, 4100, cache.Geometry, out var seed);
        (SceneKind, int)[] plan = [(SceneKind.Empty, seed)];
        const SceneParts all = SceneParts.Music | SceneParts.Fan | SceneParts.Curtain | SceneParts.Hvac;

        var room = SceneRunCache.GetOrSimulate(cache.Folder, plan, cache.Geometry, new SceneVariant(Seconds: 4))[0];
        var bare = SceneRunCache.GetOrSimulate(cache.Folder, plan, cache.Geometry, new SceneVariant(Seconds: 4, Removed: all))[0];

        Assert.Equal(2, cache.SceneFiles);
        Assert.True(room.WithMusic);
        Assert.False(bare.WithMusic);
        // After the front end has settled, each microphone band's mean level: the fan, the curtain and the music's
        // distortion all put energy in the Doppler bands (this room: 10..22 dB over what is left), so the bare room
        // (microphone noise and what the static-echo filter leaves) is far lower in each of them.
        var width = (room.MicCount * DopplerFrontEnd.BandCount) + DopplerFrontEnd.ReferenceCount;
        for (var b = 0; b < room.MicCount * DopplerFrontEnd.BandCount; b++)
        {
            double Mean(SceneRun run) => Enumerable.Range(0, run.Times.Length).Where(f => run.Times[f] > 2).Average(f => run.Bands[(f * width) + b]);
            Assert.True(Mean(bare) < Mean(room) - 6, $"band {b}: {Mean(bare):0.0} dB bare against {Mean(room):0.0} dB");
        }
    }
}
