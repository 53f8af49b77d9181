using System.Text.Json.Nodes;
using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Measurements;
using SpatialAudio.Drivers.Paths;
using SpatialAudio.Spatial.Design;
using SpatialAudio.Spatial.Design.Beamforming;
using SpatialAudio.Spatial.Evaluation;
using SpatialAudio.Spatial.RenderMatrices;
using SpatialAudio.Spatial.Tests.Support;

namespace SpatialAudio.Spatial.Tests.Design;

/// <summary>One design of studio5 (shorter FIRs than the default to keep the suite fast).</summary>
public sealed class Studio5DesignFixture
{
    public Studio5DesignFixture() =>
        Result = RenderMatrixDesigner.Design(MeasuredDevice.Load(RepoPaths.Device("studio5"), 48000), new DesignOptions { FirLength = 1024, GridFftLength = 4096 });

    public DesignResult Result { get; }

    public JsonNode Beam(string preset) => Result.Metrics["presets"]![preset]!["beam"]!;
}

public sealed class BeamTests(Studio5DesignFixture fixture) : IClassFixture<Studio5DesignFixture>
{
    [Fact]
    public void BeamEvaluation_OfTwoOmnisInPhase_MatchesTheAnalyticBroadsidePattern()
    {
        // Two ideal omni drivers at y = +/-d/2 fed equally: P(az) = cos(pi f d sin(az) / c), relative to on axis.
        const double d = 0.2;
        var drivers = new[]
        {
            new DriverDescription("a", DriverRole.Mid, new Vector3D(0, -d / 2, 0), 0, 0, 0.01, null),
            new DriverDescription("b", DriverRole.Mid, new Vector3D(0, d / 2, 0), 0, 0, 0.01, null),
        };
        var acoustics = DeviceAcoustics.Omni(new DeviceDescription("two", 48000, drivers, [], []));
        var firs = new float[3][][];
        for (var i = 0; i < 3; i++)
        {
            firs[i] = [new float[64], new float[64]];
            firs[i][0][10] = 0.5f;
            firs[i][1][10] = 0.5f;
        }

        var spectra = FilterSpectra.Of(new RenderMatrix("x", 48000, ["a", "b"], firs, 10), 4096, 100, 5000);
        var evaluation = new BeamEvaluation(acoustics, spectra);
        double[] frequencies = [300, 600, 1000];
        var pattern = evaluation.PatternDb([30, 60, 90], frequencies);
        var c = acoustics.Air.SpeedOfSoundMetersPerSecond;
        for (var a = 0; a < 3; a++)
        {
            for (var k = 0; k < frequencies.Length; k++)
            {
                var azimuth = new[] { 30.0, 60, 90 }[a] * Math.PI / 180;
                var expected = 20 * Math.Log10(Math.Abs(Math.Cos(Math.PI * frequencies[k] * d * Math.Sin(azimuth) / c)));
                Assert.Equal(expected, pattern[a][k], 1);
            }
        }
    }

    [Fact]
    public void BeamBounds_OfTwoOmnis_AreTheSymmetricFeeds_AndThreeDriversCanNullExactly()
    {
        // Two omnis at y = +/-d/2: the side responses are mirror images, so the best mean +/-90 degree power with the
        // axis fixed to 1 is the symmetric feed's, cos^2(pi f d / c): an exact null pair only where d is half a wavelength.
        const double d = 0.16;
        var two = DeviceAcoustics.Omni(new DeviceDescription("two", 48000,
        [
            new DriverDescription("a", DriverRole.Mid, new Vector3D(0, -d / 2, 0), 0, 0, 0.01, null),
            new DriverDescription("b", DriverRole.Mid, new Vector3D(0, d / 2, 0), 0, 0, 0.01, null),
        ], [], []));
        var c = two.Air.SpeedOfSoundMetersPerSecond;
        foreach (var f in new[] { 500.0, 800, 1600, 2500 })
        {
            var bound = BeamBounds.NullDepthDb(two.Pattern, [f], [f]);
            var expected = -20 * Math.Log10(Math.Abs(Math.Cos(Math.PI * f * d / c)));
            Assert.Equal(expected, bound[0], 6);
        }

        // A third omni in front of the pair breaks the symmetry that forced it: exact nulls fit.
        var three = DeviceAcoustics.Omni(new DeviceDescription("three", 48000,
        [
            new DriverDescription("a", DriverRole.Mid, new Vector3D(0, -d / 2, 0), 0, 0, 0.01, null),
            new DriverDescription("b", DriverRole.Mid, new Vector3D(0, d / 2, 0), 0, 0, 0.01, null),
            new DriverDescription("c", DriverRole.Mid, new Vector3D(0.05, 0, 0), 0, 0, 0.01, null),
        ], [], []));
        Assert.Equal(BeamBounds.ExactNullDb, BeamBounds.NullDepthDb(three.Pattern, [800.0], [800.0])[0]);

        // Directivity: broadside, the in-phase feed is already the most directive (symmetry again):
        // DI = 10 log10(2 / (1 + sinc(kd))) for two omnis.
        foreach (var f in new[] { 500.0, 1000, 2500 })
        {
            var kd = 2 * Math.PI * f * d / c;
            var expected = 10 * Math.Log10(2 / (1 + (Math.Sin(kd) / kd)));
            Assert.Equal(expected, BeamBounds.DirectivityIndexDb(two.Pattern, [f])[0], 2);
        }
    }

    [Fact]
    public void Studio5Beam_StaysWithinWhatAnyFilterCouldGive()
    {
        var bounds = fixture.Result.Metrics["beam_design"]!;
        var beam = fixture.Beam("spatial");
        var nullBounds = bounds["null_bound_bands_db"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var diBounds = bounds["directivity_bound_bands_db"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var nulls = beam["band_null_depth_db"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var di = beam["band_directivity_index_db"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.All(nulls.Zip(nullBounds), p => Assert.True(p.First <= p.Second + 0.5, $"null {p.First} above its bound {p.Second}"));
        Assert.All(di.Zip(diBounds), p => Assert.True(p.First <= p.Second + 0.3, $"DI {p.First} above its bound {p.Second}"));
    }

    [Fact]
    public void Studio5Beam_MeetsEveryIssue4BeamTarget_AgainstMatrixMixing()
    {
        var beam = fixture.Beam("spatial");
        var matrix = fixture.Beam("matrix");
        Assert.True(beam["null_depth_db"]!.GetValue<double>() >= 15, beam.ToJsonString());
        Assert.True(beam["null_depth_mismatch_worst_db"]!.GetValue<double>() >= 12, beam.ToJsonString());
        Assert.True(beam["worst_within_45deg_db"]!.GetValue<double>() >= -6, beam.ToJsonString());
        Assert.True(beam["directivity_index_db"]!.GetValue<double>() >= matrix["directivity_index_db"]!.GetValue<double>() + 3, beam.ToJsonString());
    }

    [Fact]
    public void Studio5Ctc_MeetsTheSphereAndKemarSeparationTargets()
    {
        var ctc = fixture.Result.Metrics["presets"]!["ctc"]!;
        Assert.True(ctc["separation_sphere_db"]!.GetValue<double>() >= 20, ctc.ToJsonString());
        Assert.True(ctc["separation_kemar_db"]!.GetValue<double>() >= 12, ctc.ToJsonString());
        Assert.True(ctc["separation_region_mean_db"]!.GetValue<double>() >= 8, ctc.ToJsonString());
        Assert.True(ctc["separation_sphere_min_band_db"]!.GetValue<double>() >= 10, ctc.ToJsonString());
        Assert.True(ctc["filters"]!["max_gain_over_matrix_db"]!.GetValue<double>() <= 12, ctc.ToJsonString());

        // No design within the gain ceiling can beat the separation bound: the filters as built stay below it.
        var bound = fixture.Result.Metrics["crosstalk_design"]!["separation_bound"]!["bands_db"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var achieved = ctc["separation_sphere_bands_db"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.Equal(achieved.Length, bound.Length);
        Assert.All(achieved.Zip(bound), p => Assert.True(p.First <= p.Second + 0.5, $"{p.First} dB above the bound {p.Second} dB"));
    }

    [Fact]
    public void Studio5Spatial_LeftInputCarriesTheCuesOfARealSourceAt30Degrees_OnTheDesignHeadAndOnKemar()
    {
        // The virtualizer's ITD is pre-compensated on the design head (sphere); KEMAR is the independent check.
        var spatial = fixture.Result.Metrics["presets"]!["spatial"]!;
        foreach (var key in new[] { "left_input_vs_kemar_30deg", "left_input_vs_kemar_30deg_kemar_head" })
        {
            var cues = spatial[key]!;
            Assert.True(cues["ild_error_mean_db"]!.GetValue<double>() <= 2.0, cues.ToJsonString());
            Assert.True(cues["itd_error_us"]!.GetValue<double>() <= 50.0, cues.ToJsonString());
        }

        Assert.True(spatial["left_input_vs_kemar_30deg"]!["itd_error_us"]!.GetValue<double>() <= 5.0, "the design head's ITD is fitted");
    }
}
