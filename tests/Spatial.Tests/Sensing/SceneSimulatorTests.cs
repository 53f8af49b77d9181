using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Spatial.Sensing.Simulation;
using Xunit;

namespace SpatialAudio.Spatial.Tests.Sensing;

public sealed class SceneSimulatorTests
{
    [Fact]
    public void RenderAll_IsTheBlocksOfRender_PutEndToEnd()
    {
        var (driver, mics) = (SensingTestGeometry.Driver, SensingTestGeometry.Mics);
        var scene = SceneLibrary.Create(SceneKind.Empty, 41, driver, mics, seconds: 1, music: true);

        var (whole, playback) = new SceneSimulator(scene).RenderAll();

        // Reference: the block API, one block at a time, concatenated by hand.
        var simulator = new SceneSimulator(scene);
        var block = new[] { new float[SceneSimulator.BlockSize], new float[SceneSimulator.BlockSize] };
        var blockPlayback = new float[SceneSimulator.BlockSize];
        var at = 0;
        int n;
        while ((n = simulator.Render(block, blockPlayback)) > 0)
        {
            for (var i = 0; i < n; i++)
            {
                Assert.Equal(block[0][i], whole[0][at + i]);
                Assert.Equal(block[1][i], whole[1][at + i]);
                Assert.Equal(blockPlayback[i], playback[at + i]);
            }

            at += n;
        }

        Assert.Equal(at, whole[0].Length);
        Assert.Equal(scene.SampleRateHz, at);   // 1 s
        Assert.Contains(whole[0], v => v != 0);
    }

    [Fact]
    public void A_scene_longer_than_the_music_clip_loops_it_and_keeps_playing_to_the_end()
    {
        // The simulator reads its music from one 60 s clip as it plays; a 61 s scene must wrap around it, not fall silent.
        Vector3D driver = new(0, 0, 0.03);
        Vector3D[] mics = [new(-0.03, 0.057, 0.1)];
        var scene = SceneLibrary.Create(SceneKind.Empty, 43, driver, mics, seconds: 61, music: true) with { Actors = [], MusicStartSeconds = 0 };

        var (_, playback) = new SceneSimulator(scene).RenderAll();

        var period = 60 * scene.SampleRateHz;
        var last = playback.AsSpan(period);
        Assert.Equal(scene.SampleRateHz, last.Length);
        Assert.True(last.ToArray().Max(Math.Abs) > 0.1 * playback.Max(Math.Abs), "music is still playing in the last second");
        Assert.True(last.SequenceEqual(playback.AsSpan(0, last.Length)), "the last second is the clip's first again");
    }
}
