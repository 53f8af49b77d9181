using System.Numerics.Tensors;
using SpatialAudio.Spatial.Sensing.Evaluation;
using SpatialAudio.Spatial.Sensing.FrontEnd;
using SpatialAudio.Spatial.Sensing.Simulation;
using SpatialAudio.Spatial.Tests.Support;
using Xunit;

namespace SpatialAudio.Spatial.Tests.Sensing;

public sealed class ProbeLevelTests
{
    [Fact]
    public void A_louder_probe_raises_the_walkers_Doppler_bands_by_as_much_and_is_cached_apart()
    {
        using var cache = new TemporarySceneCache();
        (SceneKind, int)[] plan = [(SceneKind.Walk, 4243)];

        var standard = SceneRunCache.GetOrSimulate(cache.Folder, plan, cache.Geometry)[0];
        var named = SceneRunCache.GetOrSimulate(cache.Folder, plan, cache.Geometry, new SceneVariant(ProbeLevelDbfs: Scene.DefaultProbeLevelDbfs))[0];
        var louder = SceneRunCache.GetOrSimulate(cache.Folder, plan, cache.Geometry, new SceneVariant(ProbeLevelDbfs: Scene.DefaultProbeLevelDbfs + 6))[0];

        // The default level named explicitly is the same scene file; another level is its own.
        Assert.Equal(standard.Bands, named.Bands);
        Assert.Equal(2, cache.SceneFiles);

        // The echo of everything that moves scales with the probe, the microphones' noise does not: while the walker is
        // at full speed the strongest band of each frame (his Doppler) rises by the 6 dB, a little less where noise is
        // a part of it.
        var walk = standard.Labels.Single();
        var width = (standard.MicCount * DopplerFrontEnd.BandCount) + DopplerFrontEnd.ReferenceCount;
        var rises = new List<double>();
        for (var f = 0; f < standard.Times.Length; f++)
        {
            if (standard.Times[f] > walk.StartSeconds + 0.5 && standard.Times[f] < walk.EndSeconds - 0.5)
            {
                var strongest = TensorPrimitives.IndexOfMax<float>(standard.Bands.AsSpan(f * width, DopplerFrontEnd.BandCount));
                rises.Add(louder.Bands[(f * width) + strongest] - standard.Bands[(f * width) + strongest]);
            }
        }

        rises.Sort();
        Assert.NotEmpty(rises);
        Assert.InRange(rises[rises.Count / 2], 5.0, 6.2);
    }
}
