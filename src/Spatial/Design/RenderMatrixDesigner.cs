using System.Diagnostics;
using System.Numerics;
using System.Text.Json.Nodes;
using SpatialAudio.Drivers.Heads;
using SpatialAudio.Drivers.Paths;
using SpatialAudio.Spatial.Design.Assembly;
using SpatialAudio.Spatial.Design.Beamforming;
using SpatialAudio.Spatial.Design.Crosstalk;
using SpatialAudio.Spatial.Design.Virtualization;
using SpatialAudio.Spatial.Evaluation;
using SpatialAudio.Spatial.RenderMatrices;

namespace SpatialAudio.Spatial.Design;

/// <summary>Everything one design produced: the render matrices per preset, the stage data and the metrics.</summary>
public sealed class DesignResult
{
    internal DesignResult(DesignContext context, AssemblyDesign assembly, IReadOnlyDictionary<string, RenderMatrix> presets, JsonObject metrics,
        CrosstalkDiagnostics crosstalk, VirtualizerResult virtualizer, IHeadModel designHead, IHeadModel? kemar, double seconds)
    {
        Context = context;
        Assembly = assembly;
        Presets = presets;
        Metrics = metrics;
        Crosstalk = crosstalk;
        Virtualizer = virtualizer;
        DesignHead = designHead;
        Kemar = kemar;
        DesignSeconds = seconds;
    }

    /// <summary>The design context (device, grid, options).</summary>
    public DesignContext Context { get; }

    /// <summary>Bands, driver EQ and alignment toward the design listener (what the matrix preset is made of).</summary>
    public AssemblyDesign Assembly { get; }

    /// <summary>Render matrices by preset name: spatial, ctc, matrix, bypass.</summary>
    public IReadOnlyDictionary<string, RenderMatrix> Presets { get; }

    /// <summary>All figures (metrics.json).</summary>
    public JsonObject Metrics { get; }

    /// <summary>Per-bin diagnostics of the crosstalk canceller.</summary>
    public CrosstalkDiagnostics Crosstalk { get; }

    /// <summary>The virtualizer.</summary>
    public VirtualizerResult Virtualizer { get; }

    /// <summary>The head model the canceller was designed with (sphere).</summary>
    public IHeadModel DesignHead { get; }

    /// <summary>The measured KEMAR set, when libmysofa and its data are installed.</summary>
    public IHeadModel? Kemar { get; }

    /// <summary>Wall-clock design time, seconds.</summary>
    public double DesignSeconds { get; }
}

/// <summary>
/// <c>spatial design</c>: device acoustics in, render matrices for the presets <c>spatial</c>, <c>ctc</c>, <c>matrix</c>
/// and <c>bypass</c> out, with every figure of the evaluation.
/// </summary>
public static class RenderMatrixDesigner
{
    /// <summary>Issue 4's ceiling on any filter's gain above the matrix preset's, dB (the design keeps
    /// <see cref="DesignOptions.MaxGainOverMatrixDb"/>, a little below it); the separation bound is computed at it.</summary>
    public const double GainCeilingTargetDb = 12.0;

    /// <summary>Preset names in the order they are designed and reported.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["spatial", "ctc", "matrix", "bypass"];

    /// <summary>Designs all presets for <paramref name="acoustics"/>.</summary>
    /// <param name="acoustics">The device with its measured directivities at the device rate.</param>
    /// <param name="options">Design options (null: defaults).</param>
    /// <param name="progress">Receives (stage, fraction 0..1).</param>
    public static DesignResult Design(DeviceAcoustics acoustics, DesignOptions? options = null, IProgress<(string Stage, double Fraction)>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(acoustics);
        var clock = Stopwatch.StartNew();
        options ??= new DesignOptions();
        var context = new DesignContext(acoustics, options);
        if (context.DriverCount < 2)
        {
            throw new ArgumentException($"device '{acoustics.Device.Name}' has one driver: spatial rendering needs at least two (nothing can be steered or cancelled)", nameof(acoustics));
        }

        CrosstalkDesign.CheckNotCoincident(context);
        var sphere = new SphericalHeadModel();
        var kemar = TryKemar(acoustics.Device.SampleRateHz);

        progress?.Report(("matrix and bypass presets", 0.05));
        var assembly = MatrixPresets.Assemble(context);
        var matrix = MatrixPresets.Matrix(context, assembly);
        var bypass = MatrixPresets.Bypass(context);
        var prior = Columns(matrix, 0, 1);
        var matrixCenter = Columns(matrix, 2);

        progress?.Report(("ear matrices over the listening region", 0.15));
        var (ears, weights) = CrosstalkDesign.RegionEars(context, sphere);

        progress?.Report(("crosstalk cancellation", 0.3));
        var (ctcSides, diagnostics) = CrosstalkDesign.Design(context, ears, weights, prior);
        diagnostics = diagnostics with
        {
            SeparationBoundDb = SeparationBound.PerBin(context.EarMatrix(options.Listener, sphere), prior, 300, 9000, GainCeilingTargetDb),
        };

        progress?.Report(("centre beamformer", 0.5));
        var beam = BeamformerDesign.Design(context, matrixCenter);

        progress?.Report(("virtualizer", 0.6));
        var (virtualizer, spatialSides) = VirtualizeAndCancel(context, kemar ?? (IHeadModel)sphere, sphere, ears, weights, prior, diagnostics, assembly.Bands, matrix, beam);

        // The crosstalk and beam stages are regularized toward the matrix preset under the bands' availability, so their
        // filters are already band limited.
        var responses = new Dictionary<string, ResponseMatrix>
        {
            ["spatial"] = PresetComposer.Compose(assembly.Bands, matrix, spatialSides, beam, StageBand.BandLimited),
            ["ctc"] = PresetComposer.Compose(assembly.Bands, matrix, ctcSides, matrixCenter, StageBand.BandLimited),
            ["matrix"] = matrix,
            ["bypass"] = bypass,
        };

        progress?.Report(("FIR conversion", 0.65));
        var driverIds = acoustics.Device.Drivers.Select(d => d.Id).ToArray();
        var firs = FirConversion.Convert(responses, driverIds, options.FirLength, options.LimiterMarginDb, Parameters(context, kemar, sphere, virtualizer));
        var delay = firs["matrix"].Matrix.LatencySamples;

        var presets = new Dictionary<string, RenderMatrix>();
        var presetMetrics = new JsonObject();
        var fftLength = options.GridFftLength;
        var step = 0;
        foreach (var name in PresetNames)
        {
            var renderMatrix = firs[name].Matrix;
            progress?.Report(($"evaluating {name}", 0.7 + (0.3 * step++ / PresetNames.Count)));
            var evaluation = Evaluate(context, FilterSpectra.Of(renderMatrix, fftLength, 20, 20000), sphere, kemar);
            evaluation["filters"] = firs[name].ToJson();
            presetMetrics[name] = evaluation;
            presets[name] = renderMatrix;
        }

        // Gains relative to the matrix preset (issue 4: at most +12 dB at any frequency).
        var matrixSpectra = FilterSpectra.Of(presets["matrix"], fftLength, 20, 20000);
        foreach (var name in PresetNames)
        {
            var spectra = FilterSpectra.Of(presets[name], fftLength, 20, 20000);
            ((JsonObject)presetMetrics[name]!)["filters"]!.AsObject()["max_gain_over_matrix_db"] = Round(MaxGainOver(spectra, matrixSpectra));
        }

        var metrics = new JsonObject
        {
            ["device"] = acoustics.Device.Name,
            ["sample_rate_hz"] = context.Grid.SampleRateHz,
            ["design_seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2),
            ["design_head"] = sphere.Name,
            ["evaluation_heads"] = new JsonArray(sphere.Name, kemar?.Name ?? "KEMAR unavailable (apt-get install libmysofa1)"),
            ["latency_samples"] = delay,
            ["latency_ms"] = Math.Round(1000.0 * delay / context.Grid.SampleRateHz, 2),
            ["virtualizer"] = VirtualizerMetrics(context, virtualizer, sphere, kemar),
            ["crosstalk_design"] = new JsonObject
            {
                ["target_cancellation_db"] = options.TargetCancellationDb,
                ["condition_number_1k"] = Round(diagnostics.ConditionNumber[context.Grid.BinOf(1000)]),
                ["condition_number_500"] = Round(diagnostics.ConditionNumber[context.Grid.BinOf(500)]),
                ["predicted_separation_1k_db"] = Round(diagnostics.PredictedSeparationDb[context.Grid.BinOf(1000)]),
                ["separation_bound"] = BoundMetrics(context, diagnostics.SeparationBoundDb!),
            },
            ["beam_design"] = BeamBoundMetrics(context),
            ["presets"] = presetMetrics,
            ["assembly"] = assembly.ToJson(acoustics.Device),
        };

        foreach (var matrixEntry in presets.Values)
        {
            foreach (var (key, value) in presetMetrics[matrixEntry.Preset]!.AsObject())
            {
                matrixEntry.Metrics[key] = value?.DeepClone();
            }
        }

        progress?.Report(("done", 1.0));
        metrics["design_seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2);
        return new DesignResult(context, assembly, presets, metrics, diagnostics, virtualizer, sphere, kemar, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The virtualizer and the crosstalk stage of <c>spatial</c>, with the virtualizer's ITD pre-compensated so the
    /// rendered ITD at the design pose (design head) equals the reference head's.
    /// </summary>
    /// <remarks>Below the cancellation band the crosstalk stage falls back to the matrix mix and the woofer band is mono;
    /// both carry no ITD, so the rendered cross-correlation ITD falls short of the virtualizer's (studio5 with the earlier
    /// canceller: 229 against 275 us). The canceller is linear in the desired ear signals at fixed regularization, and the
    /// rendered ITD grows with the virtualizer's nearly in proportion; two secant steps bring it within a few
    /// microseconds.</remarks>
    private static (VirtualizerResult Virtualizer, ResponseMatrix Sides) VirtualizeAndCancel(
        DesignContext context,
        IHeadModel referenceHead,
        IHeadModel designHead,
        ResponseMatrix[] ears,
        double[] weights,
        ResponseMatrix prior,
        CrosstalkDiagnostics diagnostics,
        DriverBands bands,
        ResponseMatrix matrix,
        ResponseMatrix beam)
    {
        var options = context.Options;
        var designEars = context.EarMatrix(options.Listener, designHead);
        var frequencies = context.Grid.FrequenciesHz.ToArray();
        (VirtualizerResult, ResponseMatrix, double) Attempt(double? itd)
        {
            var virtualizer = VirtualizerDesign.Design(context.Grid, referenceHead, options.VirtualSourceAngleDeg, options.Listener.PositionMeters.Length, itd);
            var (sides, _) = CrosstalkDesign.Design(context, ears, weights, prior, virtualizer.DesiredEars, diagnostics.Regularization);
            var atEars = designEars.Multiply(PresetComposer.Compose(bands, matrix, sides, beam, StageBand.BandLimited));
            var rendered = InterauralAnalysis.ItdCrossSpectrumSeconds(atEars.Response(0, 0), atEars.Response(1, 0), frequencies);
            return (virtualizer, sides, rendered);
        }

        var (v0, s0, r0) = Attempt(null);
        var goal = v0.ReferenceItdSeconds;
        var best = (v0, s0, Math.Abs(r0 - goal));
        var (x0, y0) = (v0.ItdSeconds, r0);
        var x1 = x0 + (goal - r0);
        for (var step = 0; step < 2 && best.Item3 > 2e-6; step++)
        {
            var (v1, s1, y1) = Attempt(x1);
            if (Math.Abs(y1 - goal) < best.Item3)
            {
                best = (v1, s1, Math.Abs(y1 - goal));
            }

            var slope = (y1 - y0) / (x1 - x0);
            (x0, y0) = (x1, y1);
            x1 = slope > 0.1 ? x1 + ((goal - y1) / slope) : x1 + (goal - y1);
        }

        return (best.Item1, best.Item2);
    }

    /// <summary>Opens the measured KEMAR set at <paramref name="sampleRateHz"/>, or null when it is not installed.</summary>
    public static SofaHeadModel? TryKemar(int sampleRateHz)
    {
        if (!File.Exists(SofaHeadModel.DebianKemarPath))
        {
            return null;
        }

        try
        {
            return SofaHeadModel.Open(SofaHeadModel.DebianKemarPath, sampleRateHz);
        }
        catch (Exception e) when (e is IOException or DllNotFoundException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The evaluation of one preset's FIRs: separation (sphere, KEMAR, region), left-input cues, beam.</summary>
    public static JsonObject Evaluate(DesignContext context, FilterSpectra spectra, IHeadModel sphere, IHeadModel? kemar)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(sphere);
        var ears = new EarEvaluation(context.Acoustics, spectra);
        var pose = context.Options.Listener;
        var left = ears.Cues(pose, sphere, 0);
        var right = ears.Cues(pose, sphere, 1);
        var result = new JsonObject
        {
            ["separation_sphere_db"] = Round(0.5 * (left.MeanSeparationDb + right.MeanSeparationDb)),
            ["separation_sphere_min_band_db"] = Round(Math.Min(left.MinSeparationDb, right.MinSeparationDb)),
            ["separation_sphere_bands_db"] = Array(left.BandSeparationDb),
            ["band_centers_hz"] = Array(ears.BandCentersHz),
        };

        if (kemar is not null)
        {
            var kl = ears.Cues(pose, kemar, 0);
            var kr = ears.Cues(pose, kemar, 1);
            result["separation_kemar_db"] = Round(0.5 * (kl.MeanSeparationDb + kr.MeanSeparationDb));
            result["separation_kemar_min_band_db"] = Round(Math.Min(kl.MinSeparationDb, kr.MinSeparationDb));
            var reference = ears.RealSource(kemar, context.Options.VirtualSourceAngleDeg, pose.PositionMeters.Length);
            result["left_input_vs_kemar_30deg"] = CueErrors(left, reference, "sphere head");
            result["left_input_vs_kemar_30deg_kemar_head"] = CueErrors(kl, reference, "KEMAR head");
        }

        var region = new JsonArray();
        var sum = 0.0;
        var count = 0;
        var axis = (1.0 / pose.PositionMeters.Length) * pose.PositionMeters;
        var lateral = new Drivers.Geometry.Vector3D(-axis.Y, axis.X, 0);
        foreach (var distance in new[] { 1.5, 2.0, 2.5, 3.0 })
        {
            foreach (var offset in new[] { -0.1, -0.05, 0.0, 0.05, 0.1 })
            {
                var p = ListenerPose.FacingDevice((distance * axis) + (offset * lateral));
                var separation = ears.MeanSeparationDb(p, sphere);
                sum += separation;
                count++;
                region.Add(new JsonObject { ["distance_m"] = distance, ["lateral_m"] = offset, ["separation_db"] = Round(separation) });
            }
        }

        result["separation_region_mean_db"] = Round(sum / count);
        result["separation_region"] = region;

        var beam = new BeamEvaluation(context.Acoustics, spectra).Figures();
        result["beam"] = new JsonObject
        {
            ["null_depth_db"] = Round(beam.NullDepthDb),
            ["null_depth_mismatch_mean_db"] = Round(beam.MismatchNullDepthMeanDb),
            ["null_depth_mismatch_worst_db"] = Round(beam.MismatchNullDepthWorstDb),
            ["worst_within_45deg_db"] = Round(beam.WorstWindowDb),
            ["directivity_index_db"] = Round(beam.DirectivityIndexDb),
            ["band_null_depth_db"] = Array(beam.BandNullDepthDb),
            ["band_directivity_index_db"] = Array(beam.BandDirectivityIndexDb),
        };
        return result;
    }

    private static JsonObject CueErrors(EarCues rendered, EarCues reference, string head)
    {
        var ildError = rendered.BandIldDb.Zip(reference.BandIldDb, (a, b) => Math.Abs(a - b)).Average();
        return new JsonObject
        {
            ["evaluated_with"] = head,
            ["ild_error_mean_db"] = Round(ildError),
            ["itd_us"] = Round(rendered.ItdSeconds * 1e6),
            ["reference_itd_us"] = Round(reference.ItdSeconds * 1e6),
            ["itd_error_us"] = Round(Math.Abs(rendered.ItdSeconds - reference.ItdSeconds) * 1e6),
            ["itd_method"] = "cross-correlation peak of the ear signals low-passed at 1.5 kHz",
            ["group_delay_500_1500_us"] = Round(rendered.ItdGroupDelaySeconds * 1e6),
            ["reference_group_delay_500_1500_us"] = Round(reference.ItdGroupDelaySeconds * 1e6),
            ["band_ild_db"] = Array(rendered.BandIldDb),
            ["reference_band_ild_db"] = Array(reference.BandIldDb),
        };
    }

    /// <summary>What any centre filter with a flat on-axis response could give: nulls per beam band, DI per band centre.</summary>
    private static JsonObject BeamBoundMetrics(DesignContext context)
    {
        var centers = Bands.ThirdOctaveCenters(BeamEvaluation.LowHz, BeamEvaluation.HighHz);
        var nulls = BeamBounds.NullDepthDb(context.Acoustics.Pattern, context.Grid.FrequenciesHz, centers);
        var directivity = BeamBounds.DirectivityIndexDb(context.Acoustics.Pattern, centers);
        return new JsonObject
        {
            ["bounds_meaning"] = "what any centre filter with a flat on-axis response could give (no gain ceiling, no mismatch): deepest mean +/-90 degree null per band, highest directivity index per band centre; 99 = unbounded (an exact null pair fits)",
            ["band_centers_hz"] = Array(centers),
            ["null_bound_bands_db"] = Array(nulls),
            ["null_bound_mean_db"] = Round(nulls.Where(v => !double.IsNaN(v)).Average()),
            ["directivity_bound_bands_db"] = Array(directivity),
            ["directivity_bound_mean_db"] = Round(directivity.Average()),
        };
    }

    /// <summary>The separation bound per evaluation band: the best bin in each band bounds the band's power ratio.</summary>
    private static JsonObject BoundMetrics(DesignContext context, double[] boundDb)
    {
        var centers = Bands.ThirdOctaveCenters(EarEvaluation.LowHz, EarEvaluation.HighHz);
        var f = context.Grid.FrequenciesHz;
        var bands = new double[centers.Length];
        for (var b = 0; b < centers.Length; b++)
        {
            var (low, high) = Bands.Edges(centers[b]);
            bands[b] = double.NegativeInfinity;
            for (var k = 0; k < f.Length; k++)
            {
                if (f[k] >= low && f[k] < high && !double.IsNaN(boundDb[k]))
                {
                    bands[b] = Math.Max(bands[b], boundDb[k]);
                }
            }
        }

        // JSON has no infinity: an exact null that fits is reported as 99 dB.
        double Finite(double v) => Round(Math.Clamp(v, -99, 99));
        return new JsonObject
        {
            ["meaning"] = "best separation any filter could give at the design pose (design head), every driver free, each gain <= 12 dB above the matrix preset's largest, the wanted ear within 3 dB",
            ["band_centers_hz"] = Array(centers),
            ["bands_db"] = new JsonArray([.. bands.Select(v => (JsonNode?)Finite(v))]),
            ["min_band_db"] = Finite(bands.Min()),
        };
    }

    /// <summary>A real source's cross-correlation ITD (the evaluation's ITD) on the design grid.</summary>
    private static double CrossCorrelationItd(DesignContext context, IHeadModel head, Drivers.Geometry.Vector3D source)
    {
        var grid = context.Grid.FrequenciesHz.ToArray();
        var clamped = grid.Select(v => Math.Min(v, 0.999 * head.MaxFrequencyHz)).ToArray();
        var left = new Complex[grid.Length];
        var right = new Complex[grid.Length];
        head.Response(Ear.Left, source, clamped, left);
        head.Response(Ear.Right, source, clamped, right);
        return InterauralAnalysis.ItdCrossSpectrumSeconds(left, right, grid);
    }

    private static JsonObject VirtualizerMetrics(DesignContext context, VirtualizerResult virtualizer, IHeadModel sphere, IHeadModel? kemar)
    {
        var table = new JsonArray();
        foreach (var angle in new[] { 0.0, 15, 30, 45, 60, 75, 90 })
        {
            var row = new JsonObject { ["azimuth_deg"] = angle };
            var source = 2.0 * Drivers.Geometry.Vector3D.FromSpherical(angle, 0);
            row["sphere_itd_us"] = Round(CrossCorrelationItd(context, sphere, source) * 1e6);
            row["sphere_ild_db"] = Round(InterauralAnalysis.IldDb(sphere, source, 500, 6000));
            if (kemar is not null)
            {
                row["kemar_itd_us"] = Round(CrossCorrelationItd(context, kemar, source) * 1e6);
                row["kemar_ild_db"] = Round(InterauralAnalysis.IldDb(kemar, source, 500, 6000));
            }

            table.Add(row);
        }

        return new JsonObject
        {
            ["angle_deg"] = context.Options.VirtualSourceAngleDeg,
            ["reference_head"] = virtualizer.ReferenceHead,
            ["itd_us"] = Round(virtualizer.ReferenceItdSeconds * 1e6),
            ["carried_itd_us"] = Round(virtualizer.ItdSeconds * 1e6),
            ["cues_vs_azimuth"] = table,
        };
    }

    private static JsonObject Parameters(DesignContext context, IHeadModel? kemar, SphericalHeadModel sphere, VirtualizerResult virtualizer)
    {
        var o = context.Options;
        return new JsonObject
        {
            ["fir_length"] = o.FirLength,
            ["grid_fft_length"] = o.GridFftLength,
            ["bass_crossover_hz"] = o.BassCrossoverHz,
            ["tweeter_crossover_hz"] = o.TweeterCrossoverHz,
            ["max_eq_boost_db"] = o.MaxEqBoostDb,
            ["virtual_source_angle_deg"] = o.VirtualSourceAngleDeg,
            ["virtualizer_reference_head"] = virtualizer.ReferenceHead,
            ["design_head"] = sphere.Name,
            ["kemar_available"] = kemar is not null,
            ["listener_m"] = new JsonArray(o.Listener.PositionMeters.X, o.Listener.PositionMeters.Y, o.Listener.PositionMeters.Z),
            ["region_lateral_offsets_m"] = new JsonArray([.. o.RegionLateralOffsetsMeters.Select(v => (JsonNode)v)]),
            ["region_distances_m"] = new JsonArray([.. o.RegionDistancesMeters.Select(v => (JsonNode)v)]),
            ["region_weight"] = o.RegionWeight,
            ["target_cancellation_db"] = o.TargetCancellationDb,
            ["cancellation_band_hz"] = new JsonArray(o.CancellationLowHz, o.CancellationHighHz),
            ["max_gain_over_matrix_db"] = o.MaxGainOverMatrixDb,
            ["beam_band_hz"] = new JsonArray(o.BeamLowHz, o.BeamHighHz),
            ["beam_mismatch"] = new JsonArray(o.MismatchGainDb, o.MismatchPhaseDeg),
            ["beam_control"] = o.BeamControl.ToString(),
            ["beam_null_target_db"] = o.BeamNullTargetDb,
            ["beam_window_floor_db"] = o.BeamWindowFloorDb,
            ["beam_null_cap_db"] = o.BeamNullCapDb,
            ["beam_null_weight"] = o.BeamNullWeight,
            ["beam_lobe_exponent"] = o.BeamLobeExponent,
            ["relative_transfer_functions"] = o.RelativeTransferFunctions,
        };
    }

    private static double MaxGainOver(FilterSpectra preset, FilterSpectra matrix)
    {
        var worst = double.NegativeInfinity;
        for (var i = 0; i < preset.InputCount; i++)
        {
            for (var k = 0; k < preset.FrequenciesHz.Length; k++)
            {
                double a = 0, b = 0;
                for (var d = 0; d < preset.DriverCount; d++)
                {
                    a = Math.Max(a, preset.Response(i, d)[k].Magnitude);
                    b = Math.Max(b, matrix.Response(i, d)[k].Magnitude);
                }

                worst = Math.Max(worst, 20 * Math.Log10(Math.Max(a, 1e-12) / Math.Max(b, 1e-12)));
            }
        }

        return worst;
    }

    private static ResponseMatrix Columns(ResponseMatrix source, params int[] columns)
    {
        var result = new ResponseMatrix(source.Grid, source.Rows, columns.Length);
        for (var r = 0; r < source.Rows; r++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                source.Response(r, columns[c]).CopyTo(result.Response(r, c));
            }
        }

        return result;
    }

    private static JsonArray Array(double[] values) => new([.. values.Select(v => (JsonNode)Round(v))]);

    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 2) : -999;
}
