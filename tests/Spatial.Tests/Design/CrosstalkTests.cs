using System.Numerics;
using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Heads;
using SpatialAudio.Drivers.Measurements;
using SpatialAudio.Drivers.Paths;
using SpatialAudio.Spatial.Design;
using SpatialAudio.Spatial.Design.Assembly;
using SpatialAudio.Spatial.Design.Crosstalk;
using SpatialAudio.Spatial.Design.Virtualization;
using SpatialAudio.Spatial.Tests.Support;

namespace SpatialAudio.Spatial.Tests.Design;

public sealed class CrosstalkTests
{
    private static DesignContext Pair(DesignOptions? options = null) =>
        new(MeasuredDevice.Load(RepoPaths.Device("pair"), 48000), options ?? new DesignOptions { GridFftLength = 2048, FirLength = 512 });

    [Fact]
    public void WithoutRegularizationLimits_TheCancellerInvertsTheEarMatrix()
    {
        // Target and ceiling so high that the smallest regularization is chosen: C is then the inverse of H (2 x 2),
        // so H C = I - compared with the analytic 2 x 2 inverse.
        var context = Pair(new DesignOptions
        {
            GridFftLength = 2048, FirLength = 512, TargetCancellationDb = 200, MaxGainOverMatrixDb = 200,
            RegionLateralOffsetsMeters = [], RegionDistancesMeters = [],
        });
        var sphere = new SphericalHeadModel();
        var (ears, weights) = CrosstalkDesign.RegionEars(context, sphere);
        var prior = new ResponseMatrix(context.Grid, 2, 2);
        var (filters, diagnostics) = CrosstalkDesign.Design(context, ears, weights, prior);
        var k = context.Grid.BinOf(1000);
        var h = ears[0];
        var det = (h[0, 0, k] * h[1, 1, k]) - (h[0, 1, k] * h[1, 0, k]);
        var inverse = new[,] { { h[1, 1, k] / det, -h[0, 1, k] / det }, { -h[1, 0, k] / det, h[0, 0, k] / det } };
        for (var r = 0; r < 2; r++)
        {
            for (var c = 0; c < 2; c++)
            {
                Assert.True((filters[r, c, k] - inverse[r, c]).Magnitude < 1e-3 * inverse[r, c].Magnitude + 1e-6, $"C[{r},{c}]");
            }
        }

        Assert.True(diagnostics.PredictedSeparationDb[k] > 50, $"{diagnostics.PredictedSeparationDb[k]} dB");
    }

    [Fact]
    public void TheTargetCurve_IsMetAndNotExceededByMuch_WhereTheGainCeilingAllows()
    {
        var context = Pair();
        var (ears, weights) = CrosstalkDesign.RegionEars(context, new SphericalHeadModel());
        var matrix = MatrixPresets.Matrix(context);
        var prior = new ResponseMatrix(context.Grid, 2, 2);
        for (var d = 0; d < 2; d++)
        {
            matrix.Response(d, 0).CopyTo(prior.Response(d, 0));
            matrix.Response(d, 1).CopyTo(prior.Response(d, 1));
        }

        var (_, diagnostics) = CrosstalkDesign.Design(context, ears, weights, prior);
        var f = context.Grid.FrequenciesHz.ToArray();
        var inBand = Enumerable.Range(0, f.Length).Where(k => f[k] >= 1000 && f[k] <= 6000).ToArray();
        foreach (var k in inBand)
        {
            Assert.Equal(context.Options.TargetCancellationDb, diagnostics.TargetDb[k], 9);
            // The regularization is the largest that reaches the target: the design never over-fits far beyond it.
            Assert.True(diagnostics.PredictedSeparationDb[k] <= context.Options.TargetCancellationDb + 15, $"{f[k]} Hz: {diagnostics.PredictedSeparationDb[k]} dB");
        }

        Assert.True(inBand.Average(k => diagnostics.PredictedSeparationDb[k]) >= 15);
        // Far below the band the target is 0 dB and the result is the matrix mix (prior): no cancellation asked.
        Assert.Equal(0, diagnostics.TargetDb[context.Grid.BinOf(60)]);
    }

    [Fact]
    public void CoincidentDrivers_AreRefusedWithTheReason()
    {
        var driver = new DriverDescription("a", DriverRole.Mid, new Vector3D(0, 0, 0), 0, 0, 0.05, null);
        var device = new DeviceDescription("twin", 48000, [driver, driver with { Id = "b" }], [], []);
        var context = new DesignContext(DeviceAcoustics.Omni(device), new DesignOptions { GridFftLength = 2048, FirLength = 512 });
        var e = Assert.Throws<ArgumentException>(() => RenderMatrixDesigner.Design(context.Acoustics, context.Options));
        Assert.Contains("rank 1", e.Message);
    }

    [Fact]
    public void OneDriver_IsRefusedWithTheReason()
    {
        var device = new DeviceDescription("mono", 48000, [new DriverDescription("a", DriverRole.Mid, new Vector3D(0, 0, 0), 0, 0, 0.05, null)], [], []);
        var e = Assert.Throws<ArgumentException>(() => RenderMatrixDesigner.Design(DeviceAcoustics.Omni(device)));
        Assert.Contains("one driver", e.Message);
    }

    [Fact]
    public void Virtualizer_IpsilateralIsAllPass_ContralateralCarriesTheReferenceCrossCorrelationItdAndShadow()
    {
        var grid = new DesignGrid(48000, 4096);
        var sphere = new SphericalHeadModel();
        var result = VirtualizerDesign.Design(grid, sphere, 30);
        var f = grid.FrequenciesHz;
        for (var k = 0; k < grid.BinCount; k++)
        {
            Assert.Equal(1.0, result.DesiredEars[0, 0, k].Magnitude, 12);
            Assert.Equal(1.0, result.DesiredEars[1, 1, k].Magnitude, 12);
            Assert.True(result.DesiredEars[1, 0, k].Magnitude <= 1.0 + 1e-3, "the head shadow never boosts");
        }

        // Independent reference: the sphere's cross-correlation ITD for a source at +30 degrees, measured in the time
        // domain on synthesized HRIRs; the pair (ipsi = 1, contra = the designed path) must carry the same.
        var source = 2.0 * Vector3D.FromSpherical(30, 0);
        var reference = InterauralAnalysis.ItdCrossCorrelationSeconds(
            HeadModels.ImpulseResponse(sphere, Ear.Left, source, 48000, 4096, 0.002),
            HeadModels.ImpulseResponse(sphere, Ear.Right, source, 48000, 4096, 0.002),
            48000);
        var contra = new Complex[f.Length];
        for (var k = 0; k < f.Length; k++)
        {
            contra[k] = result.DesiredEars[1, 0, k];
        }

        var ipsi = Enumerable.Repeat(Complex.One, f.Length).ToArray();
        Assert.InRange(reference, 280e-6, 340e-6);
        Assert.Equal(reference, InterauralAnalysis.ItdCrossSpectrumSeconds(ipsi, contra, f), 5e-6);
        Assert.Equal(result.ItdSeconds, result.ReferenceItdSeconds);

        // Asked for a larger ITD (the design's pre-compensation), the pair carries that instead.
        var longer = VirtualizerDesign.Design(grid, sphere, 30, itdSeconds: reference + 50e-6);
        for (var k = 0; k < f.Length; k++)
        {
            contra[k] = longer.DesiredEars[1, 0, k];
        }

        Assert.Equal(reference + 50e-6, InterauralAnalysis.ItdCrossSpectrumSeconds(ipsi, contra, f), 5e-6);
    }
}
