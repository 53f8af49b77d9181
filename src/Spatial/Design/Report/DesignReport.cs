using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using SpatialAudio.Drivers.Paths;
using SpatialAudio.Spatial.Evaluation;

namespace SpatialAudio.Spatial.Design.Report;

/// <summary>
/// <c>report.html</c>: one self-contained page (inline SVG and CSS, no scripts, nothing fetched) with the plots a DSP
/// engineer checks a design with, and the figures of <c>metrics.json</c>.
/// </summary>
public static class DesignReport
{
    private static readonly string[] Presets = ["spatial", "ctc", "matrix", "bypass"];
    private static readonly double[] PolarFrequenciesHz = [500, 1000, 2000, 4000];

    /// <summary>Renders the report of <paramref name="result"/>.</summary>
    public static string Html(DesignResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var context = result.Context;
        var device = context.Acoustics.Device;
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>SpatialAudio design report: ")
          .Append(Svg.Esc(device.Name))
          .Append("</title><style>body{font-family:sans-serif;max-width:1100px;margin:auto;padding:1em;color:#222}")
          .Append("table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
          .Append("th{background:#f4f4f4}h2{border-bottom:1px solid #ccc;margin-top:1.6em}.fig{display:inline-block;vertical-align:top;margin:4px}")
          .Append("p.note{color:#555;font-size:0.9em}</style></head><body>");
        sb.Append(I($"<h1>Design report: {Svg.Esc(device.Name)}</h1>"));
        sb.Append(I($"<p>{device.Drivers.Count} drivers ({Svg.Esc(string.Join(", ", device.Drivers.Select(d => d.Id)))}), {context.Grid.SampleRateHz} Hz. "));
        sb.Append(I($"FIR length {context.Options.FirLength} taps, latency {result.Metrics["latency_ms"]} ms. Designed in {result.DesignSeconds:0.0} s. "));
        sb.Append(I($"Design head: {Svg.Esc(result.DesignHead.Name)}; evaluation also with {Svg.Esc(result.Kemar?.Name ?? "(KEMAR not installed)")}.</p>"));

        Summary(sb, result.Metrics);
        EarSection(sb, result);
        MapSection(sb, result);
        BeamSection(sb, result);
        FilterSection(sb, result);
        VirtualizerSection(sb, result);
        CrosstalkSection(sb, result);
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static void Summary(StringBuilder sb, JsonObject metrics)
    {
        sb.Append("<h2>Figures</h2><table><tr><th>preset</th><th>separation sphere (dB)</th><th>separation KEMAR (dB)</th><th>region mean (dB)</th>")
          .Append("<th>worst band (dB)</th><th>beam null (dB)</th><th>null, mismatch worst (dB)</th><th>worst in &plusmn;45&deg; (dB)</th><th>DI (dB)</th><th>gain over matrix (dB)</th><th>truncation (dB)</th></tr>");
        foreach (var name in Presets)
        {
            var m = metrics["presets"]?[name];
            if (m is null)
            {
                continue;
            }

            sb.Append(I($"<tr><th>{name}</th><td>{m["separation_sphere_db"]}</td><td>{m["separation_kemar_db"]?.ToString() ?? "-"}</td><td>{m["separation_region_mean_db"]}</td>"));
            sb.Append(I($"<td>{m["separation_sphere_min_band_db"]}</td><td>{m["beam"]!["null_depth_db"]}</td><td>{m["beam"]!["null_depth_mismatch_worst_db"]}</td><td>{m["beam"]!["worst_within_45deg_db"]}</td>"));
            sb.Append(I($"<td>{m["beam"]!["directivity_index_db"]}</td><td>{m["filters"]!["max_gain_over_matrix_db"]}</td><td>{m["filters"]!["truncation_error_db"]}</td></tr>"));
        }

        sb.Append("</table><p class='note'>Separation: ipsilateral minus contralateral ear level of the L' and R' inputs, mean over 1/3-octave bands 500 Hz..6 kHz, listener 2 m on axis (region: lateral &plusmn;10 cm, 1.5..3 m). ")
          .Append("Beam: centre input, far field, 500 Hz..4 kHz; null = level at &plusmn;90&deg; below on axis; mismatch = 64 draws of &plusmn;0.5 dB / &plusmn;5&deg; per driver. All figures from the FIRs as written.</p>");
    }

    private static void EarSection(StringBuilder sb, DesignResult result)
    {
        sb.Append("<h2>Ear responses and separation (sphere head, sweet spot)</h2>");
        var separation = new List<Series>();
        foreach (var name in Presets)
        {
            var spectra = FilterSpectra.Of(result.Presets[name], result.Context.Grid.FftLength, 100, 16000);
            var evaluation = new EarEvaluation(result.Context.Acoustics, spectra);
            var ears = evaluation.EarResponses(result.Context.Options.Listener, result.DesignHead);
            var f = Decimate(spectra.FrequenciesHz);
            var ipsi = Decimate(ears[0][0].Select(Db).ToArray());
            var contra = Decimate(ears[1][0].Select(Db).ToArray());
            sb.Append("<div class='fig'>").Append(Svg.LinePlot($"{name}: L' input at the ears", [new Series("ipsilateral (left)", f, ipsi), new Series("contralateral (right)", f, contra)],
                "frequency (Hz)", "level (dB)", true, -50, 15)).Append("</div>");
            separation.Add(new Series(name, f, [.. ipsi.Zip(contra, (a, b) => a - b)]));
        }

        sb.Append("<div class='fig'>").Append(Svg.LinePlot("Separation vs frequency (L' input)", separation, "frequency (Hz)", "ipsi - contra (dB)", true, -10, 40)).Append("</div>");
        if (result.Kemar is not null)
        {
            var kemarSeries = new List<Series>();
            foreach (var name in new[] { "spatial", "ctc", "matrix" })
            {
                var spectra = FilterSpectra.Of(result.Presets[name], result.Context.Grid.FftLength, 100, 16000);
                var ears = new EarEvaluation(result.Context.Acoustics, spectra).EarResponses(result.Context.Options.Listener, result.Kemar);
                var f = Decimate(spectra.FrequenciesHz);
                kemarSeries.Add(new Series(name, f, [.. Decimate(ears[0][0].Select(Db).ToArray()).Zip(Decimate(ears[1][0].Select(Db).ToArray()), (a, b) => a - b)]));
            }

            sb.Append("<div class='fig'>").Append(Svg.LinePlot("Separation evaluated with measured KEMAR HRTFs", kemarSeries, "frequency (Hz)", "ipsi - contra (dB)", true, -10, 40)).Append("</div>");
        }
    }

    private static void MapSection(StringBuilder sb, DesignResult result)
    {
        sb.Append("<h2>Separation over listener positions (sphere head)</h2>");
        var xs = new[] { 1.0, 1.5, 2.0, 2.5, 3.0, 3.5 };
        var ys = new[] { -0.4, -0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.3, 0.4 };
        foreach (var name in new[] { "ctc", "spatial", "matrix" })
        {
            var spectra = FilterSpectra.Of(result.Presets[name], result.Context.Grid.FftLength, 400, 7000);
            var evaluation = new EarEvaluation(result.Context.Acoustics, spectra);
            var values = new double[xs.Length][];
            for (var r = 0; r < xs.Length; r++)
            {
                values[r] = [.. ys.Select(y => evaluation.MeanSeparationDb(ListenerPose.FacingDevice(new Drivers.Geometry.Vector3D(xs[r], y, 0)), result.DesignHead))];
            }

            sb.Append("<div class='fig'>").Append(Svg.Heatmap($"{name}: mean separation 500 Hz..6 kHz", ys, xs, values, "lateral position y (m, + = device's left)", "distance x (m)", 0, 30, "dB")).Append("</div>");
        }
    }

    private static void BeamSection(StringBuilder sb, DesignResult result)
    {
        sb.Append("<h2>Centre channel: beam pattern (far field, horizontal plane)</h2>");
        var azimuths = Enumerable.Range(0, 73).Select(i => -180.0 + (i * 5)).ToArray();
        var frequencies = Enumerable.Range(0, 40).Select(i => 100 * Math.Pow(160, i / 39.0)).ToArray();
        foreach (var name in new[] { "spatial", "matrix" })
        {
            var spectra = FilterSpectra.Of(result.Presets[name], result.Context.Grid.FftLength, 50, 20000);
            var beam = new BeamEvaluation(result.Context.Acoustics, spectra);
            var pattern = beam.PatternDb(azimuths, frequencies);
            sb.Append("<div class='fig'>").Append(Svg.Heatmap($"{name}: level re on axis", frequencies, azimuths, pattern, "frequency (Hz)", "azimuth (deg)", -30, 3, "dB")).Append("</div>");
            var polarSeries = new List<Series>();
            var polar = beam.PatternDb(azimuths, PolarFrequenciesHz);
            for (var k = 0; k < 4; k++)
            {
                polarSeries.Add(new Series($"{PolarFrequenciesHz[k]} Hz", azimuths, [.. polar.Select(row => row[k])]));
            }

            sb.Append("<div class='fig'>").Append(Svg.Polar($"{name}: polar, dB re on axis", azimuths, polarSeries)).Append("</div>");
        }

        var di = new List<Series>();
        foreach (var name in new[] { "spatial", "matrix" })
        {
            var m = result.Metrics["presets"]![name]!["beam"]!;
            var centers = Bands.ThirdOctaveCenters(BeamEvaluation.LowHz, BeamEvaluation.HighHz);
            di.Add(new Series($"{name} DI", centers, [.. m["band_directivity_index_db"]!.AsArray().Select(v => v!.GetValue<double>())]));
            di.Add(new Series($"{name} null depth", centers, [.. m["band_null_depth_db"]!.AsArray().Select(v => v!.GetValue<double>())]));
        }

        sb.Append("<div class='fig'>").Append(Svg.LinePlot("Directivity index and null depth per band", di, "frequency (Hz)", "dB", true, 0, 40)).Append("</div>");
    }

    private static void FilterSection(StringBuilder sb, DesignResult result)
    {
        sb.Append("<h2>Filters</h2>");
        var ids = result.Context.Acoustics.Device.Drivers.Select(d => d.Id).ToArray();
        foreach (var name in new[] { "spatial", "matrix" })
        {
            var matrix = result.Presets[name];
            var spectra = FilterSpectra.Of(matrix, result.Context.Grid.FftLength, 20, 20000);
            for (var input = 0; input < 3; input++)
            {
                var series = new List<Series>();
                var f = Decimate(spectra.FrequenciesHz);
                for (var d = 0; d < ids.Length; d++)
                {
                    series.Add(new Series(ids[d], f, Decimate(spectra.Response(input, d).Select(Db).ToArray())));
                }

                var label = new[] { "L'", "R'", "C" }[input];
                sb.Append("<div class='fig'>").Append(Svg.LinePlot($"{name}: {label} to each driver, magnitude", series, "frequency (Hz)", "gain (dB)", true, -40, 20)).Append("</div>");
                if (name == "spatial" && input != 1)
                {
                    var phase = new List<Series>();
                    for (var d = 0; d < ids.Length; d++)
                    {
                        phase.Add(new Series(ids[d], f, Decimate(spectra.Response(input, d).Select(v => v.Phase * 180 / Math.PI).ToArray())));
                    }

                    sb.Append("<div class='fig'>").Append(Svg.LinePlot($"{name}: {label} phase (latency removed)", phase, "frequency (Hz)", "phase (deg)", true, -180, 180)).Append("</div>");
                    var impulse = new List<Series>();
                    var t = Enumerable.Range(0, matrix.FirLength).Select(n => 1000.0 * n / matrix.SampleRateHz).ToArray();
                    for (var d = 0; d < ids.Length; d++)
                    {
                        impulse.Add(new Series(ids[d], t, [.. matrix.Filter(input, d).ToArray().Select(v => (double)v)]));
                    }

                    var peak = impulse.SelectMany(s => s.Y).Select(Math.Abs).DefaultIfEmpty(1).Max();
                    sb.Append("<div class='fig'>").Append(Svg.LinePlot($"{name}: {label} impulse responses", impulse, "time (ms)", "amplitude", false, -peak, peak)).Append("</div>");
                }
            }
        }

        sb.Append("<table><tr><th>preset</th><th>FIR length</th><th>latency (samples)</th><th>truncation error (dB)</th><th>energy in last quarter (dB)</th><th>worst-case gain (dB)</th><th>headroom gain (dB)</th><th>max gain over matrix (dB)</th></tr>");
        foreach (var name in Presets)
        {
            var m = result.Metrics["presets"]![name]!["filters"]!;
            sb.Append(I($"<tr><th>{name}</th><td>{m["fir_length"]}</td><td>{m["latency_samples"]}</td><td>{m["truncation_error_db"]}</td><td>{m["tail_energy_db"]}</td><td>{m["worst_case_gain_db"]}</td><td>{m["headroom_gain_db"]}</td><td>{m["max_gain_over_matrix_db"]}</td></tr>"));
        }

        sb.Append("</table>");
    }

    private static void VirtualizerSection(StringBuilder sb, DesignResult result)
    {
        sb.Append("<h2>Virtualizer: interaural cues</h2>");
        var v = result.Metrics["virtualizer"]!;
        sb.Append(I($"<p>Pair at &plusmn;{v["angle_deg"]}&deg;, fitted to {Svg.Esc(v["reference_head"]!.GetValue<string>())}; contralateral delay (ITD) {v["itd_us"]} &micro;s.</p>"));
        sb.Append("<table><tr><th>azimuth (deg)</th><th>sphere ITD (&micro;s)</th><th>KEMAR ITD (&micro;s)</th><th>sphere ILD 0.5-6k (dB)</th><th>KEMAR ILD 0.5-6k (dB)</th></tr>");
        foreach (var row in v["cues_vs_azimuth"]!.AsArray())
        {
            sb.Append(I($"<tr><td>{row!["azimuth_deg"]}</td><td>{row["sphere_itd_us"]}</td><td>{row["kemar_itd_us"]?.ToString() ?? "-"}</td><td>{row["sphere_ild_db"]}</td><td>{row["kemar_ild_db"]?.ToString() ?? "-"}</td></tr>"));
        }

        sb.Append("</table>");
        var spatial = result.Metrics["presets"]!["spatial"]!;
        if (spatial["left_input_vs_kemar_30deg"] is JsonObject cues)
        {
            var centers = spatial["band_centers_hz"]!.AsArray().Select(x => x!.GetValue<double>()).ToArray();
            var series = new List<Series>
            {
                new("spatial preset, L' (sphere head)", centers, [.. cues["band_ild_db"]!.AsArray().Select(x => x!.GetValue<double>())]),
                new("real source at +30 deg (KEMAR)", centers, [.. cues["reference_band_ild_db"]!.AsArray().Select(x => x!.GetValue<double>())]),
            };
            if (spatial["left_input_vs_kemar_30deg_kemar_head"] is JsonObject kemarCues)
            {
                series.Add(new Series("spatial preset, L' (KEMAR head)", centers, [.. kemarCues["band_ild_db"]!.AsArray().Select(x => x!.GetValue<double>())]));
            }

            sb.Append("<div class='fig'>").Append(Svg.LinePlot("ILD per band: rendered vs real source", series, "frequency (Hz)", "ILD (dB)", true, -5, 25)).Append("</div>");
            sb.Append(I($"<p>ILD error {cues["ild_error_mean_db"]} dB (mean over bands), ITD {cues["itd_us"]} &micro;s vs {cues["reference_itd_us"]} &micro;s (error {cues["itd_error_us"]} &micro;s).</p>"));
        }
    }

    private static void CrosstalkSection(StringBuilder sb, DesignResult result)
    {
        sb.Append("<h2>Crosstalk canceller: conditioning and regularization</h2>");
        var f = result.Context.Grid.FrequenciesHz.ToArray();
        var d = result.Crosstalk;
        var idx = Enumerable.Range(1, f.Length - 1).Where(k => f[k] >= 50 && f[k] <= 20000).ToArray();
        var pick = Decimate(idx.Select(k => (double)k).ToArray()).Select(v => (int)v).ToArray();
        var x = pick.Select(k => f[k]).ToArray();
        sb.Append("<div class='fig'>").Append(Svg.LinePlot("Design pose: target vs predicted separation", [
            new Series("target cancellation gain", x, [.. pick.Select(k => d.TargetDb[k])]),
            new Series("predicted separation", x, [.. pick.Select(k => d.PredictedSeparationDb[k])]),
            new Series("condition number (dB)", x, [.. pick.Select(k => 20 * Math.Log10(d.ConditionNumber[k]))]),
            new Series("log10 regularization x10", x, [.. pick.Select(k => 10 * Math.Log10(d.Regularization[k]))]),
        ], "frequency (Hz)", "dB", true, -40, 60)).Append("</div>");
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

    private static double Db(Complex v) => 20 * Math.Log10(Math.Max(v.Magnitude, 1e-9));

    private static string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
