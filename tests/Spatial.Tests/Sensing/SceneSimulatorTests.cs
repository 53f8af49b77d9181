using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Spatial.Sensing.Simulation;
using Xunit;

namespace SpatialAudio.Spatial.Tests.Sensing;

public sealed class SceneSimulatorTests
{
    [Fact]
    public void RenderAll_IsTheBlocksOfRender_PutEndToEnd()
    {
        Vector3D driver = new(0, 0, 0.03);
        Vector3D[] mics = [new(-0.03, 0.057, 0.1), new(-0.03, -0.057, 0.1)];
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
}
