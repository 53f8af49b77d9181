using SpatialAudio.Spatial.Sensing.Evaluation;
using SpatialAudio.Spatial.Sensing.FrontEnd;
using SpatialAudio.Spatial.Sensing.Simulation;
using SpatialAudio.Spatial.Tests.Support;
using Xunit;

namespace SpatialAudio.Spatial.Tests.Sensing;

public sealed class SceneVariantTests
{
    [Fact]
    public void Scenes_cached_before_the_variant_record_keep_their_keys()
    {
        // The keys of the sessions before SceneVariant: nothing added at the scene sets' old probe level, the level named
        // otherwise, and a lead-in never named for an empty room (it has no people to lead in to).
        Assert.Equal("", (SceneVariant.Default with { ProbeLevelDbfs = -20 }).KeySuffix(SceneKind.Walk));
        Assert.Equal("|probe -14 dBFS", SceneVariant.Default.KeySuffix(SceneKind.Walk));
        Assert.Equal("|600 s|probe -14 dBFS|without Fan, Hvac", new SceneVariant(Seconds: 600, MaxLeadInSeconds: 25, Removed: SceneParts.Fan | SceneParts.Hvac).KeySuffix(SceneKind.Empty));
        Assert.Equal("|lead-in 25 s|probe -14 dBFS", new SceneVariant(MaxLeadInSeconds: 25).KeySuffix(SceneKind.Walk));
    }

    [Fact]
    public void Front_ends_that_start_fast_or_cancel_longer_are_cached_apart_and_the_others_keep_their_keys()
    {
        Assert.Equal("|probe -14 dBFS|fast start 0.3 s", new SceneVariant(FastStart: true).KeySuffix(SceneKind.Walk));
        Assert.Equal("|probe -14 dBFS|fan canceller " + PeriodicClutterCanceller.Version + "|fast start 0.3 s",
            new SceneVariant(CancelFans: true, FastStart: true).KeySuffix(SceneKind.Empty));
        Assert.Equal(SceneVariant.Default.KeySuffix(SceneKind.Walk), new SceneVariant(FastStart: false).KeySuffix(SceneKind.Walk));
        Assert.Equal("|probe -14 dBFS|fast start 0.3 s|canceller taps 96", new SceneVariant(FastStart: true, CancellerTaps: 96).KeySuffix(SceneKind.Walk));
        Assert.Equal(SceneVariant.Default.KeySuffix(SceneKind.Walk), new SceneVariant(CancellerTaps: DistortionCanceller.DefaultTaps).KeySuffix(SceneKind.Walk));
        Assert.Equal("|probe -14 dBFS|fast start 0.3 s|canceller taps 96|lattice canceller 0.9998 from 24 taps",
            new SceneVariant(FastStart: true, CancellerTaps: 96, LatticeCanceller: true).KeySuffix(SceneKind.Walk));
        Assert.Equal(SceneVariant.Default.KeySuffix(SceneKind.Walk), new SceneVariant(LatticeCanceller: false).KeySuffix(SceneKind.Walk));
        Assert.Equal("|probe -14 dBFS|canceller taps 96|lattice canceller 0.9998 from 24 taps|lattice power floor 0.01",
            new SceneVariant(CancellerTaps: 96, LatticeCanceller: true, LatticePowerFloor: 0.01).KeySuffix(SceneKind.Walk));
        Assert.Equal(new SceneVariant(LatticeCanceller: true).KeySuffix(SceneKind.Walk),
            new SceneVariant(LatticeCanceller: true, LatticePowerFloor: LatticeDistortionCanceller.DefaultPowerFloor).KeySuffix(SceneKind.Walk));
    }

    [Fact]
    public void Runs_with_the_fan_canceller_are_cached_apart_under_its_version_and_have_the_fan_taken_out()
    {
        Assert.EndsWith($"|fan canceller {PeriodicClutterCanceller.Version}", new SceneVariant(CancelFans: true).KeySuffix(SceneKind.Walk));
        using var cache = new TemporarySceneCache();
        var seed = 4200;
        while (!SceneLibrary.Create(SceneKind.Empty, seed, cache.Geometry.ProbeDriverMeters, cache.Geometry.MicMeters).Actors.OfType<RotatingFan>().Any())
        {
            seed++;
        }

        (SceneKind, int)[] plan = [(SceneKind.Empty, seed)];
        var plain = SceneRunCache.GetOrSimulate(cache.Folder, plan, cache.Geometry, new SceneVariant(Seconds: 6))[0];
        var cancelled = SceneRunCache.GetOrSimulate(cache.Folder, plan, cache.Geometry, new SceneVariant(Seconds: 6, CancelFans: true))[0];
        var again = SceneRunCache.GetOrSimulate(cache.Folder, plan, cache.Geometry, new SceneVariant(Seconds: 6, CancelFans: true))[0];

        Assert.Equal(2, cache.SceneFiles);
        Assert.Equal(cancelled.Bands, again.Bands);
        // Once the canceller holds the period (about 1 s), the fan's bands are lower; summed over every band, by more
        // than 3 dB on average (the bands the fan does not reach are the same in both).
        var width = (plain.MicCount * DopplerFrontEnd.BandCount) + DopplerFrontEnd.ReferenceCount;
        double Mean(SceneRun run) => Enumerable.Range(0, run.Times.Length).Where(f => run.Times[f] > 3)
            .Average(f => Enumerable.Range(0, run.MicCount * DopplerFrontEnd.BandCount).Average(b => run.Bands[(f * width) + b]));
        Assert.True(Mean(cancelled) < Mean(plain) - 3, $"{Mean(cancelled):0.0} dB with the canceller against {Mean(plain):0.0} dB");
    }
}
