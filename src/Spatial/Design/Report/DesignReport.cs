using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using SpatialAudio.Drivers.Paths;
using SpatialAudio.Spatial.Design.Assembly;
using SpatialAudio.Spatial.Evaluation;

namespace SpatialAudio.Spatial.Design.Report;

/// <summary>
/// <c>report.html</c>: builds the <see cref="ReportDocument"/> of a design (the plots a DSP engineer checks a design
/// with, and the figures of <c>metrics.json</c>) and renders it as one self-contained page.
/// </summary>
/// <remarks>Every plot is computed from the FIRs as written (not from the design-grid responses), so what is shown
/// is what the renderer runs. Presets missing from the result are skipped, so the same builder serves partial
/// designs.</remarks>
public static class DesignReport
{
    private static readonly string[] InputLabels = ["L'", "R'", "C"];
    private static readonly string[] MapPresets = ["ctc", "spatial", "matrix"];
    private static readonly string[] BeamPresets = ["spatial", "matrix"];
    private static readonly double[] PolarFrequenciesHz = [500, 1000, 2000, 4000];

    /// <summary>Renders the report of <paramref name="result"/>.</summary>
    public static string Html(DesignResult result) => Build(result).ToHtml();

    /// <summary>The report's data model for <paramref name="result"/> (add sections to it before rendering).</summary>
    public static ReportDocument Build(DesignResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var context = result.Context;
        var device = context.Acoustics.Device;
        var doc = new ReportDocument($"Design report: {device.Name}");
        doc.Summary.Add(I($"{device.Drivers.Count} drivers ({string.Join(", ", device.Drivers.Select(d => d.Id))}), {context.Grid.SampleRateHz} Hz. ") +
            I($"FIR length {context.Options.FirLength} taps, latency {result.Metrics["latency_ms"]} ms. Designed in {result.DesignSeconds:0.0} s."));
        doc.Summary.Add($"Design head: {result.DesignHead.Name}; evaluation also with {result.Kemar?.Name ?? "(KEMAR not installed)"}.");
        var spectra = result.Presets.ToDictionary(p => p.Key, p => FilterSpectra.Of(p.Value, context.Grid.FftLength, 20, 20000));
        Summary(doc, result);
        EarSection(doc, result, spectra);
        MapSection(doc, result);
        BeamSection(doc, result, spectra);
        AssemblySection(doc, result);
        FilterSection(doc, result, spectra);
        FirSection(doc, result);
        VirtualizerSection(doc, result);
        CrosstalkSection(doc, result);
        return doc;
    }

    private static IEnumerable<string> Presets(DesignResult result) => RenderMatrixDesigner.PresetNames.Where(result.Presets.ContainsKey);

    private static void Summary(ReportDocument doc, DesignResult result)
    {
        var section = doc.AddSection("Figures",
            "Separation: ipsilateral minus contralateral ear level of the L' and R' inputs, mean over 1/3-octave bands 500 Hz..6 kHz, listener 2 m on axis (region: lateral ±10 cm, 1.5..3 m). " +
            "Beam: centre input, far field, 500 Hz..4 kHz; null = level at ±90° below on axis; mismatch = 64 draws of ±0.5 dB / ±5° per driver. All figures from the FIRs as written.");
        var rows = new List<IReadOnlyList<string>>();
        var bands = new List<Series>();
        foreach (var name in Presets(result))
        {
            var m = result.Metrics["presets"]?[name];
            if (m is null)
            {
                continue;
            }

            rows.Add([name, C(m["separation_sphere_db"]), C(m["separation_kemar_db"]), C(m["separation_region_mean_db"]), C(m["separation_sphere_min_band_db"]),
                C(m["beam"]?["null_depth_db"]), C(m["beam"]?["null_depth_mismatch_worst_db"]), C(m["beam"]?["worst_within_45deg_db"]), C(m["beam"]?["directivity_index_db"]),
                C(m["filters"]?["max_gain_over_matrix_db"]), C(m["filters"]?["truncation_error_db"])]);
            if (m["band_centers_hz"] is JsonArray centers && m["separation_sphere_bands_db"] is JsonArray values)
            {
                bands.Add(new Series(name, Doubles(centers), Doubles(values)));
            }
        }

        section.Figures.Add(new TableFigure("Targets and figures per preset", ["preset", "separation sphere (dB)", "separation KEMAR (dB)", "region mean (dB)", "worst band (dB)",
            "beam null (dB)", "null, mismatch worst (dB)", "worst in ±45° (dB)", "DI (dB)", "gain over matrix (dB)", "truncation (dB)"], rows));
        section.Figures.Add(new LineFigure("Separation per 1/3-octave band, sweet spot, sphere head (L' input)", bands, "frequency (Hz)", "ipsi - contra (dB)", true, -10, 40));
    }

    private static void EarSection(ReportDocument doc, DesignResult result, Dictionary<string, FilterSpectra> spectra)
    {
        var section = doc.AddSection("Ear responses and separation (sweet spot)",
            "L' input at both ears through the FIRs and the device's measured directivities; normalized so a driver aimed at the listener with unit gain reads about 0 dB.");
        var separation = new List<Series>();
        var kemarSeparation = new List<Series>();
        foreach (var name in Presets(result))
        {
            var evaluation = new EarEvaluation(result.Context.Acoustics, spectra[name]);
            var ears = evaluation.EarResponses(result.Context.Options.Listener, result.DesignHead);
            var f = Decimate(spectra[name].FrequenciesHz);
            var ipsi = Decimate([.. ears[0][0].Select(Db)]);
            var contra = Decimate([.. ears[1][0].Select(Db)]);
            section.Figures.Add(new LineFigure($"{name}: L' input at the ears (sphere head)", [new Series("ipsilateral (left)", f, ipsi), new Series("contralateral (right)", f, contra)],
                "frequency (Hz)", "level (dB)", true, -50, 15));
            separation.Add(new Series(name, f, [.. ipsi.Zip(contra, (a, b) => a - b)]));
            if (result.Kemar is not null)
            {
                var k = evaluation.EarResponses(result.Context.Options.Listener, result.Kemar);
                kemarSeparation.Add(new Series(name, f, [.. Decimate([.. k[0][0].Select(Db)]).Zip(Decimate([.. k[1][0].Select(Db)]), (a, b) => a - b)]));
            }
        }

        section.Figures.Add(new LineFigure("Separation vs frequency, sphere head (L' input)", separation, "frequency (Hz)", "ipsi - contra (dB)", true, -10, 40));
        if (kemarSeparation.Count > 0)
        {
            section.Figures.Add(new LineFigure("Separation vs frequency, measured KEMAR HRTFs", kemarSeparation, "frequency (Hz)", "ipsi - contra (dB)", true, -10, 40));
        }
    }

    private static void MapSection(ReportDocument doc, DesignResult result)
    {
        var section = doc.AddSection("Separation over listener positions (sphere head)", "Mean separation 500 Hz..6 kHz of the L' and R' inputs for a listener facing the device at each position.");
        var xs = new[] { 1.0, 1.5, 2.0, 2.5, 3.0, 3.5 };
        var ys = new[] { -0.4, -0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.3, 0.4 };
        foreach (var name in MapPresets.Where(result.Presets.ContainsKey))
        {
            var spectra = FilterSpectra.Of(result.Presets[name], result.Context.Grid.FftLength, 400, 7000);
            var evaluation = new EarEvaluation(result.Context.Acoustics, spectra);
            var values = new double[xs.Length][];
            for (var r = 0; r < xs.Length; r++)
            {
                values[r] = [.. ys.Select(y => evaluation.MeanSeparationDb(ListenerPose.FacingDevice(new Drivers.Geometry.Vector3D(xs[r], y, 0)), result.DesignHead))];
            }

            section.Figures.Add(new HeatmapFigure($"{name}: mean separation 500 Hz..6 kHz", ys, xs, values, "lateral position y (m, + = device's left)", "distance x (m)", 0, 30, "dB"));
        }
    }

    private static void BeamSection(ReportDocument doc, DesignResult result, Dictionary<string, FilterSpectra> spectra)
    {
        var bound = result.Metrics["beam_design"];
        var boundText = bound is null ? string.Empty : I($" What is possible at all: the deepest mean ±90° null any centre filter with a flat on-axis response could give, per band (no gain ceiling, no mismatch; 99 = an exact null pair fits): {string.Join(" / ", Doubles(bound["null_bound_bands_db"]).Select(v => v.ToString("0.#", CultureInfo.InvariantCulture)))} dB, mean {bound["null_bound_mean_db"]} dB; the highest directivity index, mean over band centres, {bound["directivity_bound_mean_db"]} dB (superdirective gain included).");
        var nullTarget = result.Context.Options.BeamNullTargetDb;
        if (bound is not null && Number(bound["null_bound_mean_db"]) < nullTarget)
        {
            boundText += I($" The null target ({nullTarget} dB) is therefore out of reach on this device, for any design; the centre keeps the ±45° listening window instead (one driver where the in-phase feed's interference notch falls inside it).");
        }
        var section = doc.AddSection("Centre channel: beam pattern and directivity", "C input, far field, horizontal plane, level relative to on axis." + boundText);
        var azimuths = Enumerable.Range(0, 73).Select(i => -180.0 + (i * 5)).ToArray();
        var frequencies = Enumerable.Range(0, 40).Select(i => 100 * Math.Pow(160, i / 39.0)).ToArray();
        var di = new List<Series>();
        foreach (var name in BeamPresets.Where(result.Presets.ContainsKey))
        {
            var beam = new BeamEvaluation(result.Context.Acoustics, spectra[name]);
            section.Figures.Add(new HeatmapFigure($"{name}: level re on axis (azimuth x frequency)", frequencies, azimuths, beam.PatternDb(azimuths, frequencies), "frequency (Hz, log spaced)", "azimuth (deg)", -30, 3, "dB"));
            var polar = beam.PatternDb(azimuths, PolarFrequenciesHz);
            section.Figures.Add(new PolarFigure($"{name}: polar, dB re on axis", azimuths,
                [.. PolarFrequenciesHz.Select((f, k) => new Series(I($"{f} Hz"), azimuths, [.. polar.Select(row => row[k])]))]));
            if (result.Metrics["presets"]?[name]?["beam"] is JsonObject m)
            {
                var centers = Bands.ThirdOctaveCenters(BeamEvaluation.LowHz, BeamEvaluation.HighHz);
                di.Add(new Series($"{name} DI", centers, Doubles(m["band_directivity_index_db"])));
                di.Add(new Series($"{name} null depth", centers, Doubles(m["band_null_depth_db"])));
            }
        }

        section.Figures.Add(new LineFigure("Directivity index and null depth per band", di, "frequency (Hz)", "dB", true, 0, 40));
    }

    private static void AssemblySection(ReportDocument doc, DesignResult result)
    {
        var context = result.Context;
        var assembly = result.Assembly;
        var section = doc.AddSection("Crossovers, driver EQ and alignment",
            I($"LR4 bass management at {context.Options.BassCrossoverHz} Hz") + (assembly.Bands.HasBassManagement ? "" : " (no woofer: every driver full band, bass availability limited by its measured response)") +
            I($", tweeter/mid LR4 at {context.Options.TweeterCrossoverHz} Hz where a side group has both. EQ: inverse of the 1/3-octave-smoothed level toward the listener, +{assembly.Eq.MaxBoostDb} / -{assembly.Eq.MaxCutDb} dB at most, faded out outside each driver's band. ") +
            "Alignment: every driver delayed to the slowest arrival at the listener (arrival = phase slope 1-4 kHz).");
        var ids = context.Acoustics.Device.Drivers.Select(d => d.Id).ToArray();
        var f = Decimate(context.Grid.FrequenciesHz[1..].ToArray());
        var bins = Decimate([.. Enumerable.Range(1, context.Grid.BinCount - 1).Select(k => (double)k)]).Select(k => (int)k).ToArray();
        var bands = new List<Series>();
        var eq = new List<Series>();
        var raw = new List<Series>();
        var sum = new double[bins.Length];
        for (var d = 0; d < ids.Length; d++)
        {
            var band = assembly.Bands.Band(d).ToArray();
            bands.Add(new Series($"{ids[d]} band", f, [.. bins.Select(k => Db(band[k]))]));
            eq.Add(new Series($"{ids[d]} EQ", f, [.. bins.Select(k => 20 * Math.Log10(assembly.EqGains[d][k]))]));
            var toward = assembly.TowardListener.Response(0, d).ToArray();
            raw.Add(new Series(ids[d], f, [.. bins.Select(k => Db(toward[k]))]));
        }

        section.Figures.Add(new LineFigure("Driver bands (crossover magnitudes)", bands, "frequency (Hz)", "gain (dB)", true, -40, 5));
        section.Figures.Add(new LineFigure("Measured responses toward the listener (normalized)", raw, "frequency (Hz)", "level (dB)", true, -40, 15));
        section.Figures.Add(new LineFigure("Driver EQ (zero phase)", eq, "frequency (Hz)", "gain (dB)", true, -15, 10));
        section.Figures.Add(new TableFigure("Arrival and alignment delay per driver", ["driver", "role", "arrival (µs)", "alignment delay (µs)", "alignment delay (samples)"],
            [.. ids.Select((id, d) => (IReadOnlyList<string>)[id, context.Acoustics.Device.Drivers[d].Role.ToString(), TableFigure.Cell(assembly.ArrivalSeconds[d] * 1e6),
                TableFigure.Cell(assembly.AlignmentDelaySeconds[d] * 1e6), TableFigure.Cell(assembly.AlignmentDelaySeconds[d] * context.Grid.SampleRateHz)])]));
    }

    private static void FilterSection(ReportDocument doc, DesignResult result, Dictionary<string, FilterSpectra> spectra)
    {
        var section = doc.AddSection("Filters: magnitude, phase, impulse responses, gain vs the matrix preset",
            "Per input, the FIR to each driver (latency removed from the phase). Gain envelope: the largest |H| over inputs and drivers per frequency; the issue asks every designed filter to stay within +12 dB of the matrix preset.");
        var ids = result.Context.Acoustics.Device.Drivers.Select(d => d.Id).ToArray();
        var envelope = new List<Series>();
        foreach (var name in Presets(result))
        {
            var matrix = result.Presets[name];
            var s = spectra[name];
            var f = Decimate(s.FrequenciesHz);
            var picks = Decimate([.. Enumerable.Range(0, s.FrequenciesHz.Length).Select(k => (double)k)]).Select(k => (int)k).ToArray();
            envelope.Add(new Series(name, f, [.. picks.Select(k => Enumerable.Range(0, s.InputCount).SelectMany(i => Enumerable.Range(0, s.DriverCount).Select(d => Db(s.Response(i, d)[k]))).Max())]));
            if (name is not ("spatial" or "matrix" or "ctc"))
            {
                continue;
            }

            for (var input = 0; input < 3; input++)
            {
                var magnitude = new List<Series>();
                var phase = new List<Series>();
                var impulse = new List<Series>();
                var t = Enumerable.Range(0, matrix.FirLength).Select(n => 1000.0 * n / matrix.SampleRateHz).ToArray();
                var latency = 2 * Math.PI * matrix.LatencySamples / matrix.SampleRateHz;
                for (var d = 0; d < ids.Length; d++)
                {
                    var h = s.Response(input, d);
                    magnitude.Add(new Series(ids[d], f, [.. picks.Select(k => Db(h[k]))]));
                    phase.Add(new Series(ids[d], f, [.. picks.Select(k => Wrap((h[k] * Complex.FromPolarCoordinates(1, latency * s.FrequenciesHz[k])).Phase * 180 / Math.PI))]));
                    impulse.Add(new Series(ids[d], t, [.. matrix.Filter(input, d).ToArray().Select(v => (double)v)]));
                }

                section.Figures.Add(new LineFigure($"{name}: {InputLabels[input]} to each driver, magnitude", magnitude, "frequency (Hz)", "gain (dB)", true, -40, 20));
                if (name != "matrix" || input == 0)
                {
                    section.Figures.Add(new LineFigure($"{name}: {InputLabels[input]} phase (latency removed)", phase, "frequency (Hz)", "phase (deg)", true, -180, 180));
                    var peak = impulse.SelectMany(x => x.Y).Select(Math.Abs).DefaultIfEmpty(1).Max();
                    section.Figures.Add(new LineFigure($"{name}: {InputLabels[input]} impulse responses", impulse, "time (ms)", "amplitude", false, -peak, peak));
                }
            }
        }

        section.Figures.Add(new LineFigure("Gain envelope per preset (max over inputs and drivers)", envelope, "frequency (Hz)", "gain (dB)", true, -30, 30));
    }

    private static void FirSection(ReportDocument doc, DesignResult result)
    {
        var section = doc.AddSection("FIR length, latency and headroom",
            "One modelling delay for all presets (switching presets keeps the timing). Truncation error = energy outside the window; tail = energy in the last quarter (far below -40 dB: the FIRs could be shorter). " +
            "Energy decay: energy remaining after time t relative to the total, all filters of a preset together.");
        var rows = new List<IReadOnlyList<string>>();
        var decay = new List<Series>();
        foreach (var name in Presets(result))
        {
            var m = result.Metrics["presets"]?[name]?["filters"];
            rows.Add([name, C(m?["fir_length"]), C(m?["latency_samples"]), C(m?["latency_ms"]), C(m?["truncation_error_db"]), C(m?["tail_energy_db"]),
                C(m?["worst_case_sine_gain_db"]), C(m?["headroom_gain_db"]), C(m?["max_gain_over_matrix_db"])]);
            var matrix = result.Presets[name];
            var energy = new double[matrix.FirLength];
            for (var i = 0; i < matrix.InputCount; i++)
            {
                for (var d = 0; d < matrix.DriverCount; d++)
                {
                    var h = matrix.Filter(i, d);
                    for (var n = 0; n < h.Length; n++)
                    {
                        energy[n] += (double)h[n] * h[n];
                    }
                }
            }

            var remaining = new double[energy.Length];
            var acc = 0.0;
            for (var n = energy.Length - 1; n >= 0; n--)
            {
                acc += energy[n];
                remaining[n] = acc;
            }

            var total = Math.Max(remaining[0], 1e-300);
            var step = Math.Max(1, energy.Length / 256);
            var idx = Enumerable.Range(0, energy.Length / step).Select(j => j * step).ToArray();
            decay.Add(new Series(name, [.. idx.Select(n => 1000.0 * n / matrix.SampleRateHz)], [.. idx.Select(n => 10 * Math.Log10(Math.Max(remaining[n] / total, 1e-15)))]));
        }

        section.Figures.Add(new TableFigure("Per preset", ["preset", "FIR length", "latency (samples)", "latency (ms)", "truncation error (dB)", "energy in last quarter (dB)",
            "worst-case sine gain, all inputs (dB)", "headroom gain (dB)", "max gain over matrix (dB)"], rows));
        section.Figures.Add(new LineFigure("Energy decay of the FIRs", decay, "time (ms)", "remaining energy (dB)", false, -120, 0));
    }

    private static void VirtualizerSection(ReportDocument doc, DesignResult result)
    {
        if (result.Metrics["virtualizer"] is not JsonObject v)
        {
            return;
        }

        var section = doc.AddSection("Virtualizer: interaural cues vs KEMAR",
            I($"Pair at ±{v["angle_deg"]}°, fitted to {v["reference_head"]}: ITD {v["itd_us"]} µs, carried as {v["carried_itd_us"]} µs so that the rendered ITD at the sweet spot (design head) matches it (the crosstalk stage carries no ITD below its band). ITD = cross-correlation peak of the ear signals low-passed at 1.5 kHz. Cues of real sources vs azimuth for the sphere model and the measured KEMAR set."));
        var table = v["cues_vs_azimuth"]?.AsArray() ?? [];
        var az = table.Select(r => Number(r!["azimuth_deg"])).ToArray();
        double[] Column(string key) => [.. table.Select(r => Number(r![key]))];
        section.Figures.Add(new LineFigure("ITD vs azimuth", [new Series("sphere", az, Column("sphere_itd_us")), new Series("KEMAR", az, Column("kemar_itd_us"))],
            "azimuth (deg)", "ITD (µs)", false, 0, 900));
        section.Figures.Add(new LineFigure("ILD 0.5-6 kHz vs azimuth", [new Series("sphere", az, Column("sphere_ild_db")), new Series("KEMAR", az, Column("kemar_ild_db"))],
            "azimuth (deg)", "ILD (dB)", false, 0, 20));
        section.Figures.Add(new TableFigure("Cues of real sources", ["azimuth (deg)", "sphere ITD (µs)", "KEMAR ITD (µs)", "sphere ILD (dB)", "KEMAR ILD (dB)"],
            [.. table.Select(r => (IReadOnlyList<string>)[C(r!["azimuth_deg"]), C(r["sphere_itd_us"]), C(r["kemar_itd_us"]), C(r["sphere_ild_db"]), C(r["kemar_ild_db"])])]));
        if (result.Metrics["presets"]?["spatial"] is JsonObject spatial && spatial["left_input_vs_kemar_30deg"] is JsonObject cues)
        {
            var centers = Doubles(spatial["band_centers_hz"]);
            var series = new List<Series>
            {
                new("spatial preset, L' (sphere head)", centers, Doubles(cues["band_ild_db"])),
                new("real source at +30° (KEMAR)", centers, Doubles(cues["reference_band_ild_db"])),
            };
            if (spatial["left_input_vs_kemar_30deg_kemar_head"] is JsonObject kemarCues)
            {
                series.Add(new Series("spatial preset, L' (KEMAR head)", centers, Doubles(kemarCues["band_ild_db"])));
            }

            var kemarItd = spatial["left_input_vs_kemar_30deg_kemar_head"] is JsonObject k ? I($", KEMAR head {k["itd_us"]}") : string.Empty;
            section.Figures.Add(new LineFigure(I($"ILD per band: rendered vs real source (error {cues["ild_error_mean_db"]} dB; ITD sphere head {cues["itd_us"]}{kemarItd} vs {cues["reference_itd_us"]} µs)"),
                series, "frequency (Hz)", "ILD (dB)", true, -5, 25));
        }
    }

    private static void CrosstalkSection(ReportDocument doc, DesignResult result)
    {
        var bound = result.Metrics["crosstalk_design"]?["separation_bound"];
        var boundText = bound is null ? string.Empty : I($" What is possible at all: for every bin, the best separation ANY filter could give at the design pose with every driver free, each driver's gain at most 12 dB above the matrix preset's largest, and the wanted ear within 3 dB (a convex program; metrics.json crosstalk_design.separation_bound). Its worst 1/3-octave band reaches {bound["min_band_db"]} dB (99 = an exact null fits): a band whose bound is below 10 dB cannot reach 10 dB in any design within the gain ceiling.");
        var section = doc.AddSection("Crosstalk canceller: conditioning and regularization",
            "Per bin: the target cancellation gain, the separation the filters give at the design pose, the ear matrix's condition number and the chosen regularization." + boundText);
        var f = result.Context.Grid.FrequenciesHz.ToArray();
        var d = result.Crosstalk;
        var idx = Enumerable.Range(1, f.Length - 1).Where(k => f[k] >= 50 && f[k] <= 20000).ToArray();
        var pick = Decimate([.. idx.Select(k => (double)k)]).Select(v => (int)v).ToArray();
        var x = pick.Select(k => f[k]).ToArray();
        section.Figures.Add(new LineFigure("Design pose: target vs predicted separation", [
            new Series("target cancellation gain", x, [.. pick.Select(k => d.TargetDb[k])]),
            new Series("predicted separation", x, [.. pick.Select(k => d.PredictedSeparationDb[k])]),
            new Series("best possible, any filter (<= +12 dB)", x, [.. pick.Select(k => d.SeparationBoundDb is { } b ? Math.Clamp(b[k], -40, 60) : double.NaN)]),
            new Series("condition number (dB)", x, [.. pick.Select(k => 20 * Math.Log10(d.ConditionNumber[k]))]),
            new Series("log10 regularization x10", x, [.. pick.Select(k => 10 * Math.Log10(d.Regularization[k]))]),
        ], "frequency (Hz)", "dB", true, -40, 60));
    }

    // Keep plots small: at most ~400 points, log-spaced.
    private static double[] Decimate(double[] values)
    {
        if (values.Length <= 400)
        {
            return values;
        }

        var picks = new SortedSet<int>();
        for (var i = 0; i < 400; i++)
        {
            picks.Add((int)Math.Round(Math.Pow(values.Length - 1, i / 399.0)));
        }

        return [.. picks.Select(i => values[i])];
    }

    private static double[] Doubles(JsonNode? array) => array is JsonArray a ? [.. a.Select(Number)] : [];

    private static string C(JsonNode? node) => node is null ? "-" : TableFigure.Cell(Number(node));

    // metrics.json holds integers and doubles; anything else (a note string) reads as missing.
    private static double Number(JsonNode? node) => node is JsonValue v
        ? v.TryGetValue<double>(out var d) ? d : v.TryGetValue<int>(out var i) ? i : v.TryGetValue<long>(out var l) ? l : double.NaN
        : double.NaN;

    private static double Wrap(double degrees) => degrees - (360 * Math.Round(degrees / 360));

    private static double Db(Complex v) => 20 * Math.Log10(Math.Max(v.Magnitude, 1e-9));

    private static string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
