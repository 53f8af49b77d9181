using System.Text.Json.Nodes;
using SpatialAudio.Drivers.Heads;
using SpatialAudio.Drivers.Measurements;
using SpatialAudio.Spatial.Design;
using SpatialAudio.Spatial.Tests.Support;

namespace SpatialAudio.Spatial.Tests.Design;

/// <summary>One full design of the bundled pair, shared by the target tests (about 6 s).</summary>
public sealed class PairDesignFixture
{
    public PairDesignFixture() => Result = RenderMatrixDesigner.Design(MeasuredDevice.Load(RepoPaths.Device("pair"), 48000));

    public DesignResult Result { get; }

    public JsonNode Preset(string name) => Result.Metrics["presets"]![name]!;
}

public sealed class DesignTargetsTests(PairDesignFixture fixture) : IClassFixture<PairDesignFixture>
{
    [Fact]
    public void KemarIsInstalled_SoTheMeasuredHeadTargetsAreEvaluated()
    {
        Assert.True(File.Exists(SofaHeadModel.DebianKemarPath), "apt-get install libmysofa1 (./test.sh does)");
        Assert.NotNull(fixture.Result.Kemar);
    }

    [Fact]
    public void Ctc_SeparatesTheEarsFarBetterThanMatrixMixing_WithSphereAndKemar()
    {
        var ctc = fixture.Preset("ctc");
        var matrix = fixture.Preset("matrix");
        Assert.True(ctc["separation_sphere_db"]!.GetValue<double>() >= 15, ctc.ToJsonString());
        Assert.True(ctc["separation_kemar_db"]!.GetValue<double>() >= 12, ctc.ToJsonString());
        Assert.True(ctc["separation_region_mean_db"]!.GetValue<double>() >= 8, ctc.ToJsonString());
        Assert.True(ctc["separation_sphere_min_band_db"]!.GetValue<double>() >= 10, ctc.ToJsonString());
        Assert.True(matrix["separation_sphere_db"]!.GetValue<double>() < 3, "two drivers 16 cm apart cannot separate the ears by mixing alone");
    }

    [Fact]
    public void Spatial_LeftInputCarriesTheIldAndItdOfARealSourceAt30Degrees()
    {
        foreach (var key in new[] { "left_input_vs_kemar_30deg", "left_input_vs_kemar_30deg_kemar_head" })
        {
            var cues = fixture.Preset("spatial")[key]!;
            Assert.True(cues["ild_error_mean_db"]!.GetValue<double>() <= 2.0, cues.ToJsonString());
            Assert.True(cues["itd_error_us"]!.GetValue<double>() <= 50.0, cues.ToJsonString());
        }

        // Matrix mixing of a forward pair carries almost no ITD: the metric can fail.
        Assert.True(fixture.Preset("matrix")["left_input_vs_kemar_30deg"]!["itd_error_us"]!.GetValue<double>() > 150.0);
    }

    [Fact]
    public void PairBeam_NullsAndDirectivityAreOutOfReach_SoTheCentreKeepsTheListeningWindow()
    {
        // The bounds prove the beam's null and DI targets impossible on a mirror-image pair...
        var bounds = fixture.Result.Metrics["beam_design"]!;
        var matrixBeam = fixture.Preset("matrix")["beam"]!;
        Assert.True(bounds["null_bound_mean_db"]!.GetValue<double>() < 15, bounds.ToJsonString());
        Assert.True(bounds["directivity_bound_mean_db"]!.GetValue<double>() < matrixBeam["directivity_index_db"]!.GetValue<double>() + 3, bounds.ToJsonString());

        // ...so the design meets the one beam target within reach, which matrix mixing misses.
        var beam = fixture.Preset("spatial")["beam"]!;
        Assert.True(beam["worst_within_45deg_db"]!.GetValue<double>() >= -6, beam.ToJsonString());
        Assert.True(matrixBeam["worst_within_45deg_db"]!.GetValue<double>() < -6, matrixBeam.ToJsonString());
    }

    [Fact]
    public void EveryDesignedFilter_StaysWithin12dBOfTheMatrixPreset()
    {
        foreach (var name in new[] { "spatial", "ctc" })
        {
            Assert.True(fixture.Preset(name)["filters"]!["max_gain_over_matrix_db"]!.GetValue<double>() <= 12.0, name);
        }
    }

    [Fact]
    public void AllPresetsShareOneLatency_AndTheFirsHoldTheirEnergy()
    {
        var latencies = fixture.Result.Presets.Values.Select(p => p.LatencySamples).Distinct().ToArray();
        Assert.Single(latencies);
        foreach (var preset in fixture.Result.Presets.Values)
        {
            Assert.True(preset.Metrics["filters"]!["truncation_error_db"]!.GetValue<double>() < -25, preset.Preset);
        }
    }
}
