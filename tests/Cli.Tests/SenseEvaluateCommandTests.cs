using System.Globalization;
using System.Text.Json.Nodes;
using SpatialAudio.Spatial.Sensing.Probe;
using Xunit;

namespace SpatialAudio.Cli.Tests;

public sealed class SenseEvaluateCommandTests
{
    [Fact]
    public void Validation_scenes_and_thresholds_are_what_the_figures_say_they_are()
    {
        // One scene per labelled kind and one empty room of the validation seeds, not cached.
        var (code, stdout, stderr) = CliRunner.Run("sense", "evaluate", "--validation", "--scenes", "1", "--empty-hours", "0.005",
            "--walk-threshold", "0.5", "--minor-threshold", "0.99", "--sensitive-threshold", "0.6", "--no-cache", "--json");
        Assert.True(code == 0, stderr);
        var figures = JsonNode.Parse(stdout)!;
        Assert.Equal("validation (seeds 500000+)", figures["scene_set"]!.GetValue<string>());
        Assert.Equal("walk 0.5, small movement 0.99, high sensitivity 0.6", figures["thresholds"]!.GetValue<string>());
        // The plan: one walk and one walk-then-minor (two walks), and one 30 s empty room watched after the 3.5 s start-up.
        Assert.EndsWith("/2", figures["major_detected"]!.GetValue<string>(), StringComparison.Ordinal);
        var watched = figures["empty_hours_with_music"]!.GetValue<double>() + figures["empty_hours_without_music"]!.GetValue<double>();
        Assert.Equal(26.5 / 3600, watched, 3);
        Assert.Equal(ProbeGenerator.DefaultLevelDbfs, figures["probe_level_dbfs"]!.GetValue<double>());

        // Two walks say little: the rate's exact 95 % interval spans most of 0..1 and contains the rate.
        var interval = figures["major_detection_rate_95ci"]!.GetValue<string>().Split("..").Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.InRange(figures["major_detection_rate"]!.GetValue<double>(), interval[0], interval[1]);
        Assert.True(interval[1] - interval[0] > 0.5, $"{interval[0]}..{interval[1]}");

        // Nor can two latencies bound a 95th percentile from above.
        if (figures["latency_p95_ms"] is not null)
        {
            Assert.EndsWith("..unbounded", figures["latency_p95_ms_95ci"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_holdout_scenes_are_their_own_seeds()
    {
        JsonNode Figures(string? set)
        {
            var (code, stdout, stderr) = CliRunner.Run(["sense", "evaluate", .. set is null ? Array.Empty<string>() : [set], "--scenes", "1", "--empty-hours", "0", "--no-cache", "--json"]);
            Assert.True(code == 0, stderr);
            return JsonNode.Parse(stdout)!;
        }

        var holdout = Figures("--holdout");
        Assert.Equal("holdout (seeds 600000+)", holdout["scene_set"]!.GetValue<string>());
        // Other scenes than validation's and evaluation's: the same detector's frame error differs from both.
        double Error(JsonNode figures) => figures["frame_error_rate"]!.GetValue<double>();
        Assert.NotEqual(Error(holdout), Error(Figures("--validation")));
        Assert.NotEqual(Error(holdout), Error(Figures(null)));
    }

    [Fact]
    public void Without_empty_rooms_there_is_no_false_alarm_rate_to_report()
    {
        var (code, stdout, stderr) = CliRunner.Run("sense", "evaluate", "--validation", "--scenes", "1", "--empty-hours", "0", "--no-cache", "--json");
        Assert.True(code == 0, stderr);
        var figures = JsonNode.Parse(stdout)!;
        Assert.Null(figures["false_alarms_per_24h"]);
        Assert.Null(figures["false_alarms_per_24h_95ci"]);
        Assert.EndsWith("/2", figures["major_detected"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Scenes_at_another_probe_level_are_simulated_at_it_and_say_so()
    {
        using var folder = new TempFolder();
        var (code, _, stderr) = CliRunner.Run("sense", "simulate", folder.Path, "--kind", "empty", "--seconds", "1", "--music", "off", "--probe-level", "-8");
        Assert.True(code == 0, stderr);
        var labels = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Path, "labels.json")))!;
        Assert.Equal(-8, labels["probe_level_dbfs"]!.GetValue<double>());

        // The probe reaches the microphones straight from the driver, far above their noise (no music here): the peaks of
        // the two recordings of the same room differ by the 6 dB.
        var (code20, _, stderr20) = CliRunner.Run("sense", "simulate", folder.File("standard"), "--kind", "empty", "--seconds", "1", "--music", "off");
        Assert.True(code20 == 0, stderr20);
        var louder = Peak(Path.Combine(folder.Path, "mics.wav"));
        var standard = Peak(Path.Combine(folder.File("standard"), "mics.wav"));
        Assert.Equal(6, 20 * Math.Log10(louder / standard), 0.5);
    }

    private static double Peak(string wav)
    {
        var channels = SpatialAudio.Filters.Wav.WavFile.ReadAll(wav).Channels;
        return channels[0].Max(Math.Abs);
    }

    [Theory]
    [InlineData("--walk-threshold", "1.2")]
    [InlineData("--minor-threshold", "0")]
    [InlineData("--sensitive-threshold", "-0.5")]
    public void A_threshold_outside_zero_to_one_is_refused_before_anything_is_simulated(string option, string value)
    {
        var (code, _, stderr) = CliRunner.Run("sense", "evaluate", option, value);
        Assert.Equal(1, code);
        Assert.Contains(option, stderr, StringComparison.Ordinal);
        Assert.Contains("between 0 and 1", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_walking_threshold_sweep_has_one_row_per_threshold_matching_a_plain_run_at_it()
    {
        string[] common = ["sense", "evaluate", "--validation", "--scenes", "1", "--empty-hours", "0.005", "--json"];
        var (code, stdout, stderr) = CliRunner.Run([.. common, "--walk-thresholds", "0.2, 0.95", "--no-cache"]);
        Assert.True(code == 0, stderr);
        var rows = JsonNode.Parse(stdout)!["walk_threshold_sweep"]!.AsArray();
        Assert.Equal([0.2, 0.95], rows.Select(r => Math.Round(r!["walk_threshold"]!.GetValue<double>(), 3)));

        // The reference: the same scenes evaluated plainly at 0.2.
        var (plainCode, plainOut, plainErr) = CliRunner.Run([.. common, "--walk-threshold", "0.2", "--no-cache"]);
        Assert.True(plainCode == 0, plainErr);
        var plain = JsonNode.Parse(plainOut)!;
        foreach (var key in new[] { "major_detected", "major_within_300ms", "minor_high_sensitivity_detected", "latency_median_ms", "latency_p95_ms", "latency_p95_ms_95ci", "false_alarms_per_24h", "empty_rooms_with_false_alarms", "spurious_events_in_labelled_scenes" })
        {
            Assert.Equal(plain[key]?.ToJsonString(), rows[0]![key]?.ToJsonString());
        }
    }

    [Theory]
    [InlineData("0.9,1.5")]
    [InlineData("0.9;0.95")]
    public void A_walking_threshold_list_with_a_bad_entry_is_refused_before_anything_is_simulated(string list)
    {
        var (code, _, stderr) = CliRunner.Run("sense", "evaluate", "--walk-thresholds", list);
        Assert.Equal(1, code);
        Assert.Contains($"--walk-thresholds {list}", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_walking_threshold_sweep_does_not_mix_with_one_walking_threshold()
    {
        var (code, _, stderr) = CliRunner.Run("sense", "evaluate", "--walk-thresholds", "0.9,0.95", "--walk-threshold", "0.9");
        Assert.Equal(1, code);
        Assert.Contains("--walk-thresholds replaces --walk-threshold", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Longer_empty_rooms_add_a_steady_state_reported_apart_from_the_start_ups()
    {
        // One labelled scene per kind and one empty room of 40 s (its own seed range), not cached.
        var (code, stdout, stderr) = CliRunner.Run("sense", "evaluate", "--validation", "--scenes", "1", "--empty-hours", "0.011",
            "--room-seconds", "40", "--no-cache", "--json");
        Assert.True(code == 0, stderr);
        var figures = JsonNode.Parse(stdout)!;
        Assert.Equal(1, figures["start_ups"]!.GetValue<int>());
        Assert.Equal(30, figures["start_up_window_s"]!.GetValue<double>());
        Assert.Equal(Math.Round(10.0 / 3600, 3), figures["steady_state_hours"]!.GetValue<double>());
        var watched = figures["empty_hours_with_music"]!.GetValue<double>() + figures["empty_hours_without_music"]!.GetValue<double>();
        Assert.Equal(36.5 / 3600, watched, 3);
        var total = figures["false_alarms_with_music"]!.GetValue<int>() + figures["false_alarms_without_music"]!.GetValue<int>();
        Assert.Equal(total, figures["start_up_false_alarms"]!.GetValue<int>() + figures["steady_state_false_alarms"]!.GetValue<int>());
        Assert.InRange(figures["false_wake_ups_start_up"]!.GetValue<int>(), 0, figures["start_up_false_alarms"]!.GetValue<int>());
        Assert.InRange(figures["false_wake_ups_steady_state"]!.GetValue<int>(), 0, total);
        Assert.Equal(total > 0 ? "1/1" : "0/1", figures["empty_rooms_with_false_alarms"]!.GetValue<string>());
    }

    [Fact]
    public void A_lead_in_the_probe_level_and_the_walk_rates_interval_are_reported_with_the_figures()
    {
        // The same plan as above with people up to 5 s later into each labelled scene (a running device), not cached.
        var (code, stdout, stderr) = CliRunner.Run("sense", "evaluate", "--validation", "--scenes", "1", "--empty-hours", "0.005",
            "--lead-in", "5", "--no-cache", "--json");
        Assert.True(code == 0, stderr);
        var figures = JsonNode.Parse(stdout)!;
        Assert.Equal(5, figures["lead_in_s"]!.GetValue<double>());
        Assert.EndsWith("/2", figures["major_detected"]!.GetValue<string>(), StringComparison.Ordinal);
        var watched = figures["empty_hours_with_music"]!.GetValue<double>() + figures["empty_hours_without_music"]!.GetValue<double>();
        Assert.Equal(26.5 / 3600, watched, 3);   // empty rooms have no people to delay
    }

    [Fact]
    public void The_list_names_each_missed_walk_so_that_simulate_renders_the_same_scene()
    {
        // A detector that never fires (zero weights, "none" bias): both walks of the plan are missed, whatever the scenes.
        using var folder = new TempFolder();
        var never = ConstantModel(folder, "never.json", None);
        var (code, stdout, stderr) = CliRunner.Run("sense", "evaluate", "--model", never, "--validation", "--scenes", "1", "--empty-hours", "0.005",
            "--lead-in", "5", "--list", "--no-cache", "--json");
        Assert.True(code == 0, stderr);
        var figures = JsonNode.Parse(stdout)!;
        Assert.Equal("0/2", figures["major_detected"]!.GetValue<string>());
        Assert.Equal("0/2", figures["major_within_300ms"]!.GetValue<string>());
        Assert.Null(figures["latency_p95_ms"]);   // no walk found, no latency (JSON has no NaN)
        Assert.Empty(figures["room_alarms"]!.AsArray());
        var walks = figures["late_walks"]!.AsArray();
        Assert.Equal(["walk", "walk-then-minor"], walks.Select(w => w!["kind"]!.GetValue<string>()));
        Assert.Equal([500000, 500001], walks.Select(w => w!["seed"]!.GetValue<int>()));
        Assert.All(walks, w => Assert.Null(w!["latency_ms"]));
        Assert.Equal("nothing", figures["without"]!.GetValue<string>());

        // Each names the Doppler its walker had in the first 300 ms (EchoDoppler: tested against the range rate there).
        var (torso, strongest) = SpatialAudio.Spatial.Sensing.Evaluation.EchoDoppler.EarlyWalk(
            SpatialAudio.Spatial.Sensing.Simulation.SceneKind.WalkThenMinor, 500001, GeometryOfStudio5(), 5, 0.3);
        Assert.Equal(Math.Round(torso.ShiftHz, 1), walks[1]!["early_shift_hz_torso"]!.GetValue<double>());
        Assert.Equal(Math.Round(strongest.ShiftHz, 1), walks[1]!["early_shift_hz"]!.GetValue<double>());
        Assert.Equal(Math.Round(strongest.LevelDb, 1), walks[1]!["early_level_db"]!.GetValue<double>());

        // The second one, rendered with the same lead-in, has its walk where the list says and as close as it says.
        var scene = folder.File("scene");
        var (simCode, _, simErr) = CliRunner.Run("sense", "simulate", scene, "--kind", "walk-then-minor", "--seed", "500001", "--lead-in", "5");
        Assert.True(simCode == 0, simErr);
        var walk = JsonNode.Parse(File.ReadAllText(Path.Combine(scene, "labels.json")))!["labels"]!.AsArray().First(l => l!["kind"]!.GetValue<string>() == "major")!;
        Assert.Equal(walks[1]!["onset_s"]!.GetValue<double>(), walk["start"]!.GetValue<double>(), 3);
        Assert.Equal(walks[1]!["closest_m"]!.GetValue<double>(), walk["distance_m"]!.GetValue<double>(), 2);

        // And names when its music started, as the simulated scene says (null without music).
        var labels = JsonNode.Parse(File.ReadAllText(Path.Combine(scene, "labels.json")))!;
        if (labels["music_dbfs"] is null)
        {
            Assert.Null(walks[1]!["music_from_s"]);
        }
        else
        {
            Assert.InRange(walks[1]!["music_from_s"]!.GetValue<double>(), labels["music_start_s"]!.GetValue<double>(), labels["music_start_s"]!.GetValue<double>() + 0.03);
        }

        // Its small movements after the walk-in are all missed, and listed where the rendered scene has them.
        var moves = labels["labels"]!.AsArray().Where(l => l!["kind"]!.GetValue<string>() == "minor").ToList();
        var missedMoves = figures["missed_small_movements"]!.AsArray();
        Assert.NotEmpty(moves);
        Assert.Equal(moves.Count, missedMoves.Count);
        Assert.Equal($"0/{moves.Count}", figures["minor_high_sensitivity_detected"]!.GetValue<string>());
        foreach (var (label, listed) in moves.Zip(missedMoves))
        {
            Assert.Equal(500001, listed!["seed"]!.GetValue<int>());
            Assert.Equal(label!["start"]!.GetValue<double>(), listed["onset_s"]!.GetValue<double>(), 3);
            Assert.Equal(label["end"]!.GetValue<double>() - label["start"]!.GetValue<double>(), listed["duration_s"]!.GetValue<double>(), 3);
            Assert.Equal(label["distance_m"]!.GetValue<double>(), listed["closest_m"]!.GetValue<double>(), 2);
        }

        // The text form lists the same walks and small movements, one line each.
        var (textCode, text, textErr) = CliRunner.Run("sense", "evaluate", "--model", never, "--validation", "--scenes", "1", "--empty-hours", "0",
            "--lead-in", "5", "--list", "--no-cache");
        Assert.True(textCode == 0, textErr);
        Assert.Contains("2 walks missed or later than 300 ms", text, StringComparison.Ordinal);
        Assert.Contains($"{moves.Count} small movements missed in high sensitivity", text, StringComparison.Ordinal);
        Assert.Equal(2, text.Split('\n').Count(l => l.Contains(" missed ", StringComparison.Ordinal) && l.Contains(" torso ", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_baseline_runs_behind_its_own_front_end_and_is_paired_on_the_same_movements()
    {
        // The baseline never fires and has no front-end fields (so no fan canceller); the candidate is the committed
        // detector, which runs behind the fan canceller: two front ends, the same scenes.
        using var folder = new TempFolder();
        var never = ConstantModel(folder, "never.json", None);
        string[] set = ["sense", "evaluate", "--validation", "--scenes", "1", "--empty-hours", "0", "--lead-in", "5", "--no-cache", "--json"];
        JsonNode Run(params string[] more)
        {
            var (code, stdout, stderr) = CliRunner.Run([.. set, .. more]);
            Assert.True(code == 0, stderr);
            return JsonNode.Parse(stdout)!;
        }

        var committed = Run();
        var paired = Run("--baseline", never)["paired"]!;
        int Count(JsonNode figures, string key) => int.Parse(figures[key]!.GetValue<string>().Split('/')[0], CultureInfo.InvariantCulture);
        (string Paired, string Figure)[] counts = [("walks_found", "major_detected"), ("walks_within_300ms", "major_within_300ms"), ("small_movements_high_sensitivity", "minor_high_sensitivity_detected")];

        // Against a baseline that finds nothing, every movement the candidate finds is gained and none is lost.
        Assert.True(Count(committed, "major_detected") > 0, "the committed detector finds a walk of the two");
        foreach (var (row, figure) in counts)
        {
            Assert.Equal(committed[figure]!.GetValue<string>(), paired[row]!["model"]!.GetValue<string>());
            Assert.StartsWith("0/", paired[row]!["baseline"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(0, paired[row]!["lost"]!.GetValue<int>());
            Assert.Equal(Count(committed, figure), paired[row]!["gained"]!.GetValue<int>());
            Assert.Equal(1.0, paired[row]!["sign_test_p"]!.GetValue<double>());
        }

        // The other way round the baseline is the committed detector, behind its own front end (the fan canceller the
        // never-firing model does not ask for): its counts are the committed run's, and all of them are lost.
        var reversed = Run("--model", never, "--baseline", Path.Combine(PairDesign.Root(), "models", "sensing", "detector.json"))["paired"]!;
        foreach (var (row, figure) in counts)
        {
            Assert.Equal(committed[figure]!.GetValue<string>(), reversed[row]!["baseline"]!.GetValue<string>());
            Assert.Equal(Count(committed, figure), reversed[row]!["lost"]!.GetValue<int>());
            Assert.Equal(0, reversed[row]!["gained"]!.GetValue<int>());
            Assert.Equal(Math.Round(Math.Pow(0.5, Count(committed, figure)), 4), reversed[row]!["sign_test_p"]!.GetValue<double>());
        }

        Assert.Equal(committed["spurious_events_in_labelled_scenes"]!.GetValue<int>(), reversed["baseline_spurious_events_in_labelled_scenes"]!.GetValue<int>());
    }

    [Fact]
    public void A_model_that_carries_a_walking_threshold_is_evaluated_at_it_unless_told_otherwise()
    {
        // The committed detector with presence.walk_threshold 0.5: the same figures as the committed file at --walk-threshold 0.5.
        using var folder = new TempFolder();
        var committed = Path.Combine(PairDesign.Root(), "models", "sensing", "detector.json");
        var root = JsonNode.Parse(File.ReadAllText(committed))!.AsObject();
        root["presence"] = new JsonObject { ["walk_threshold"] = 0.5 };
        var carrying = folder.File("carrying.json");
        File.WriteAllText(carrying, root.ToJsonString());
        string[] set = ["sense", "evaluate", "--validation", "--scenes", "1", "--empty-hours", "0.005", "--no-cache", "--json"];
        JsonNode Run(params string[] more)
        {
            var (code, stdout, stderr) = CliRunner.Run([.. set, .. more]);
            Assert.True(code == 0, stderr);
            return JsonNode.Parse(stdout)!;
        }

        var own = Run("--model", carrying);
        var told = Run("--model", committed, "--walk-threshold", "0.5");
        Assert.Equal("walk 0.5, small movement 0.999, high sensitivity 0.9", own["thresholds"]!.GetValue<string>());
        foreach (var key in new[] { "thresholds", "major_detected", "major_within_300ms", "latency_median_ms", "minor_high_sensitivity_detected", "spurious_events_in_labelled_scenes", "false_alarms_with_music", "int8_agreement_decisions" })
        {
            Assert.Equal(told[key]?.ToJsonString(), own[key]?.ToJsonString());
        }

        // An option given on the command line still wins.
        Assert.Equal("walk 0.97, small movement 0.999, high sensitivity 0.9", Run("--model", carrying, "--walk-threshold", "0.97")["thresholds"]!.GetValue<string>());
    }

    [Fact]
    public void The_list_names_the_events_in_labelled_scenes_that_no_motion_explains()
    {
        // A detector that always says "walking": besides each scene's motions it fires while nobody moves.
        using var folder = new TempFolder();
        var always = ConstantModel(folder, "always.json", Major);
        var (code, stdout, stderr) = CliRunner.Run("sense", "evaluate", "--model", always, "--validation", "--scenes", "1", "--empty-hours", "0",
            "--list", "--no-cache", "--json");
        Assert.True(code == 0, stderr);
        var figures = JsonNode.Parse(stdout)!;
        var spurious = figures["spurious_events"]!.AsArray();
        Assert.NotEmpty(spurious);
        Assert.Equal(figures["spurious_events_in_labelled_scenes"]!.GetValue<int>(), spurious.Count);
        Assert.All(spurious, e => Assert.Contains(e!["scene"]!.GetValue<string>(), new[] { "walk", "walk-then-minor", "minor" }));
        Assert.All(spurious, e => Assert.InRange(e!["seed"]!.GetValue<int>(), 500000, 500002));
    }

    [Fact]
    public void A_detector_trained_behind_the_fan_canceller_says_so_and_is_evaluated_behind_it()
    {
        using var folder = new TempFolder();
        var output = folder.File("model.json");
        var (code, stdout, stderr) = CliRunner.Run("sense", "train", "--scenes", "1", "--eval-scenes", "1", "--hidden", "4", "--fan-canceller",
            "--no-cache", "--json", "--out", output);
        Assert.True(code == 0, stderr);
        Assert.True(JsonNode.Parse(stdout)!["fan_canceller"]!.GetValue<bool>());
        Assert.True(SpatialAudio.Spatial.Sensing.Detection.DetectorModel.Load(output).FanCanceller);

        var (evalCode, evalOut, evalErr) = CliRunner.Run("sense", "evaluate", "--model", output, "--validation", "--scenes", "1", "--empty-hours", "0",
            "--no-cache", "--json");
        Assert.True(evalCode == 0, evalErr);
        Assert.True(JsonNode.Parse(evalOut)!["fan_canceller"]!.GetValue<bool>());   // without --fan-canceller: the model asks for it
    }

    [Fact]
    public void The_committed_detector_runs_behind_the_fan_canceller_unless_told_not_to()
    {
        var (code, stdout, stderr) = CliRunner.Run("sense", "evaluate", "--validation", "--scenes", "1", "--empty-hours", "0", "--no-cache", "--json");
        Assert.True(code == 0, stderr);
        Assert.True(JsonNode.Parse(stdout)!["fan_canceller"]!.GetValue<bool>());

        var (offCode, offOut, offErr) = CliRunner.Run("sense", "evaluate", "--validation", "--scenes", "1", "--empty-hours", "0", "--no-cache", "--json",
            "--no-fan-canceller");
        Assert.True(offCode == 0, offErr);
        Assert.False(JsonNode.Parse(offOut)!["fan_canceller"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("--distortion-guard", "distortion_guard")]
    [InlineData("--fast-start", "fast_start")]
    public void A_front_end_option_follows_the_model_unless_told_otherwise_and_changes_what_the_detector_sees(string option, string key)
    {
        // A model that asks for neither the guard nor the fast start; the option runs it anyway. The scenes have loud
        // music (songs of their own) and two empty rooms, whose start the fast start changes, so the other front end
        // must give other frames: other frame error rates, same scenes.
        using var folder = new TempFolder();
        string[] common = ["sense", "evaluate", "--model", CommittedBehindTheOlderFrontEnd(folder), "--validation", "--scenes", "1", "--empty-hours", "0.01", "--no-cache", "--json", "--songs", "varied"];
        var (code, stdout, stderr) = CliRunner.Run(common);
        Assert.True(code == 0, stderr);
        var (onCode, onOut, onErr) = CliRunner.Run([.. common, option]);
        Assert.True(onCode == 0, onErr);
        var (off, on) = (JsonNode.Parse(stdout)!, JsonNode.Parse(onOut)!);
        Assert.False(off[key]!.GetValue<bool>());
        Assert.True(on[key]!.GetValue<bool>());
        Assert.Equal(24, off["canceller_taps"]!.GetValue<int>());
        Assert.Equal(off["major_detected"]!.GetValue<string>().Split('/')[1], on["major_detected"]!.GetValue<string>().Split('/')[1]);
        Assert.NotEqual(off["frame_error_rate"]!.GetValue<double>(), on["frame_error_rate"]!.GetValue<double>());
    }

    [Fact]
    public void The_lattice_option_runs_the_lattice_canceller_whatever_the_model_asks_for_and_says_so()
    {
        // The lattice computes the same least-squares filter, so at 24 taps its frames may not differ visibly; with 48 taps
        // the longer filter must change them where there is loud music (varied songs: the demo clip is quiet in these
        // three scenes, and their frame error rates agreed to four digits). The scenes, and so the walks, are the same.
        using var folder = new TempFolder();
        string[] common = ["sense", "evaluate", "--model", CommittedBehindTheOlderFrontEnd(folder), "--validation", "--scenes", "1", "--empty-hours", "0", "--no-cache", "--json", "--songs", "varied"];
        var (code, stdout, stderr) = CliRunner.Run(common);
        Assert.True(code == 0, stderr);
        var (onCode, onOut, onErr) = CliRunner.Run([.. common, "--lattice-canceller", "--canceller-taps", "48"]);
        Assert.True(onCode == 0, onErr);
        var (off, on) = (JsonNode.Parse(stdout)!, JsonNode.Parse(onOut)!);
        Assert.False(off["lattice_canceller"]!.GetValue<bool>());
        Assert.True(on["lattice_canceller"]!.GetValue<bool>());
        Assert.Equal(48, on["canceller_taps"]!.GetValue<int>());
        Assert.Equal(off["major_detected"]!.GetValue<string>().Split('/')[1], on["major_detected"]!.GetValue<string>().Split('/')[1]);
        Assert.NotEqual(off["frame_error_rate"]!.GetValue<double>(), on["frame_error_rate"]!.GetValue<double>());
    }

    [Fact]
    public void The_committed_detector_runs_behind_the_front_end_it_was_trained_behind_unless_told_otherwise()
    {
        string[] common = ["sense", "evaluate", "--validation", "--scenes", "1", "--empty-hours", "0", "--no-cache", "--json", "--songs", "varied"];
        var (code, stdout, stderr) = CliRunner.Run(common);
        Assert.True(code == 0, stderr);
        var committed = JsonNode.Parse(stdout)!;
        Assert.True(committed["fast_start"]!.GetValue<bool>());
        Assert.True(committed["lattice_canceller"]!.GetValue<bool>());
        Assert.Equal(96, committed["canceller_taps"]!.GetValue<int>());
        Assert.Equal("walk 0.9, small movement 0.999, high sensitivity 0.9", committed["thresholds"]!.GetValue<string>());

        // Each "--no-" option runs the older front end in front of it instead: other frames, same scenes.
        var (oldCode, oldOut, oldErr) = CliRunner.Run([.. common, "--no-fast-start", "--no-lattice-canceller", "--canceller-taps", "24"]);
        Assert.True(oldCode == 0, oldErr);
        var older = JsonNode.Parse(oldOut)!;
        Assert.False(older["fast_start"]!.GetValue<bool>());
        Assert.False(older["lattice_canceller"]!.GetValue<bool>());
        Assert.Equal(24, older["canceller_taps"]!.GetValue<int>());
        Assert.Equal(committed["major_detected"]!.GetValue<string>().Split('/')[1], older["major_detected"]!.GetValue<string>().Split('/')[1]);
        Assert.NotEqual(committed["frame_error_rate"]!.GetValue<double>(), older["frame_error_rate"]!.GetValue<double>());

        // The lattice's powers' floor is listed only when it is not the default, and the option sets it.
        Assert.Null(committed["lattice_power_floor"]);
        var (floorCode, floorOut, floorErr) = CliRunner.Run([.. common, "--lattice-power-floor", "0.01"]);
        Assert.True(floorCode == 0, floorErr);
        var floored = JsonNode.Parse(floorOut)!;
        Assert.Equal(0.01, floored["lattice_power_floor"]!.GetValue<double>());
        Assert.Equal(committed["major_detected"]!.GetValue<string>().Split('/')[1], floored["major_detected"]!.GetValue<string>().Split('/')[1]);
    }

    // The committed detector's weights with the training facts of a model trained behind the front end before the
    // twenty-third session (no fast start, the 24-tap inverse-QR canceller): what the front-end options are tested on.
    private static string CommittedBehindTheOlderFrontEnd(TempFolder folder)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(PairDesign.Root(), "models", "sensing", "detector.json")))!.AsObject();
        var training = root["training"]!.AsObject();
        training["fast_start"] = false;
        training["lattice_canceller"] = false;
        training["canceller_taps"] = 24;
        training["distortion_guard"] = false;
        root.Remove("front_end");
        var path = folder.File("older-front-end.json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    private const int None = 0, Major = 2;

    // A detector that ignores its input and always says one class (zero weights, a large bias on it), saved in the folder.
    private static string ConstantModel(TempFolder folder, string name, int saying)
    {
        var inputs = SpatialAudio.Spatial.Sensing.Detection.MotionFeatures.Count;
        var bias = new float[3];
        bias[saying] = 20f;
        var path = folder.File(name);
        new SpatialAudio.Spatial.Sensing.Detection.DetectorModel([inputs, 3], [new float[3 * inputs]], [bias]).Save(path);
        return path;
    }

    private static SpatialAudio.Spatial.Sensing.Evaluation.SensingGeometry GeometryOfStudio5() =>
        SpatialAudio.Spatial.Sensing.Evaluation.SensingGeometry.FromDevice(SpatialAudio.Drivers.Devices.DeviceFile.Load(
            Path.Combine(PairDesign.Root(), "measurements", "studio5", "device.json")));

    // `evaluate --list --json` on the evaluation scenes, walks only, nothing cached.
    private static JsonNode EvaluateListing(string model, int scenes, params string[] extra)
    {
        var (code, stdout, stderr) = CliRunner.Run(["sense", "evaluate", "--model", model, "--scenes", scenes.ToString(CultureInfo.InvariantCulture),
            "--empty-hours", "0", "--list", "--no-cache", "--json", .. extra]);
        Assert.True(code == 0, stderr);
        return JsonNode.Parse(stdout)!;
    }

    [Fact]
    public void Scenes_without_their_music_are_the_same_walks_with_the_music_off()
    {
        // A detector that never fires: every walk is listed, with its music as simulated.
        using var folder = new TempFolder();
        var never = ConstantModel(folder, "never.json", None);

        var plain = EvaluateListing(never, 2);
        var muted = EvaluateListing(never, 2, "--without", "music,hvac");

        Assert.Equal("music, hvac", muted["without"]!.GetValue<string>());
        var plainWalks = plain["late_walks"]!.AsArray();
        var mutedWalks = muted["late_walks"]!.AsArray();
        Assert.Equal(plainWalks.Select(w => (w!["seed"]!.GetValue<int>(), w["onset_s"]!.GetValue<double>(), w["closest_m"]!.GetValue<double>())),
            mutedWalks.Select(w => (w!["seed"]!.GetValue<int>(), w["onset_s"]!.GetValue<double>(), w["closest_m"]!.GetValue<double>())));
        Assert.All(mutedWalks, w => Assert.False(w!["music"]!.GetValue<bool>()));
        Assert.All(mutedWalks, w => Assert.Null(w!["music_from_s"]));
    }

    [Fact]
    public void Varied_songs_change_the_music_and_nothing_else_and_say_so()
    {
        // The same walks (room, people, onsets) with the demo clip or a song per scene; the figures name the music.
        using var folder = new TempFolder();
        var never = ConstantModel(folder, "never.json", None);

        var demo = EvaluateListing(never, 1);
        var varied = EvaluateListing(never, 1, "--songs", "varied");

        Assert.Equal("demo", demo["songs"]!.GetValue<string>());
        Assert.Equal("varied", varied["songs"]!.GetValue<string>());
        Assert.Equal(demo["late_walks"]!.AsArray().Select(w => (w!["seed"]!.GetValue<int>(), w["onset_s"]!.GetValue<double>(), w["music"]!.GetValue<bool>())),
            varied["late_walks"]!.AsArray().Select(w => (w!["seed"]!.GetValue<int>(), w["onset_s"]!.GetValue<double>(), w["music"]!.GetValue<bool>())));
    }

    [Fact]
    public void Simulate_with_a_lead_in_delays_the_people_by_at_most_that()
    {
        using var folder = new TempFolder();
        double Onset(string name, params string[] extra)
        {
            var (code, _, stderr) = CliRunner.Run(["sense", "simulate", folder.File(name), "--kind", "walk", "--seed", "77", "--music", "off", .. extra]);
            Assert.True(code == 0, stderr);
            return JsonNode.Parse(File.ReadAllText(Path.Combine(folder.File(name), "labels.json")))!["labels"]![0]!["start"]!.GetValue<double>();
        }

        var plain = Onset("plain");
        var delayed = Onset("delayed", "--lead-in", "25");
        Assert.InRange(delayed - plain, 1e-3, 25);
    }

    [Fact]
    public void Training_with_hard_negatives_mines_new_rooms_and_records_it_in_the_model()
    {
        // One scene per kind, one long room, and one more room to mine: tiny, but the whole two-round path.
        using var folder = new TempFolder();
        var output = folder.File("model.json");
        var (code, stdout, stderr) = CliRunner.Run("sense", "train", "--scenes", "1", "--eval-scenes", "1", "--hidden", "4",
            "--long-rooms", "1", "--room-seconds", "40", "--hard-negative-rooms", "1", "--hard-negative-weight", "3",
            "--no-cache", "--json", "--out", output);
        Assert.True(code == 0, stderr);
        var figures = JsonNode.Parse(stdout)!;
        var mined = figures["hard_negative_frames"]!.GetValue<int>();
        Assert.Contains($"{mined} hard negative frames", stderr, StringComparison.Ordinal);
        Assert.InRange(mined, 0, (int)(40 / 0.0213));   // at most every frame of one 40 s room
        Assert.Equal(1, figures["hard_negative_rooms"]!.GetValue<int>());
        Assert.Equal(3, figures["hard_negative_weight"]!.GetValue<double>());
        var model = SpatialAudio.Spatial.Sensing.Detection.DetectorModel.Load(output);
        Assert.Equal(mined, model.Training["hard_negative_frames"]!.GetValue<int>());
        Assert.Equal(4, model.Sizes[1]);
    }

    [Fact]
    public void Training_on_mixed_songs_records_it_in_the_model()
    {
        // Which scene plays which music, and that each is cached under its own music, is SyntheticSongTests'.
        using var folder = new TempFolder();
        var output = folder.File("model.json");
        var (code, _, stderr) = CliRunner.Run("sense", "train", "--scenes", "1", "--eval-scenes", "1", "--hidden", "4", "--songs", "Mixed",
            "--no-cache", "--out", output);
        Assert.True(code == 0, stderr);
        Assert.Equal("mixed", SpatialAudio.Spatial.Sensing.Detection.DetectorModel.Load(output).Training["songs"]!.GetValue<string>());

        var (refused, _, message) = CliRunner.Run("sense", "train", "--songs", "jazz");
        Assert.Equal(1, refused);
        Assert.Contains("--songs jazz: use demo, varied or mixed.", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--low-power", "evaluate", "--low-power", "--validation")]
    [InlineData("--lead-in", "evaluate", "--low-power", "--lead-in", "10")]
    [InlineData("--room-seconds", "evaluate", "--room-seconds", "10")]      // shorter than the start-up window
    [InlineData("--room-seconds", "evaluate", "--room-seconds", "7200")]    // longer than an hour
    [InlineData("--lead-in", "evaluate", "--lead-in", "-1")]
    [InlineData("--lead-in", "evaluate", "--lead-in", "1000")]
    [InlineData("--lead-in", "train", "--lead-in", "-0.5")]
    [InlineData("--long-rooms", "train", "--long-rooms", "-1", "--room-seconds", "300")]
    [InlineData("--long-rooms", "train", "--long-rooms", "4", "--room-seconds", "20")]
    [InlineData("--long-rooms", "train", "--long-rooms", "4", "--room-seconds", "7200")]
    [InlineData("--hard-negative-rooms", "train", "--hard-negative-rooms", "-1")]
    [InlineData("--hard-negative-weight", "train", "--hard-negative-rooms", "2", "--hard-negative-weight", "0")]
    [InlineData("--hard-negative-rooms", "train", "--hard-negative-rooms", "2", "--room-seconds", "20")]
    [InlineData("--probe-level", "evaluate", "--probe-level", "0")]
    [InlineData("--probe-level", "evaluate", "--probe-level", "-70")]
    [InlineData("--probe-level", "evaluate", "--low-power", "--probe-level", "-20")]
    [InlineData("--probe-level", "train", "--probe-level", "-3")]
    [InlineData("--probe-level", "simulate", "out", "--probe-level", "-100")]
    [InlineData("--without", "evaluate", "--without", "music,banana")]
    [InlineData("--without", "evaluate", "--low-power", "--without", "music")]
    [InlineData("--fan-canceller", "evaluate", "--low-power", "--fan-canceller")]
    [InlineData("--no-fan-canceller", "evaluate", "--low-power", "--no-fan-canceller")]
    [InlineData("--no-fan-canceller", "evaluate", "--fan-canceller", "--no-fan-canceller")]
    [InlineData("--distortion-guard", "evaluate", "--low-power", "--distortion-guard")]
    [InlineData("--no-distortion-guard", "evaluate", "--distortion-guard", "--no-distortion-guard")]
    [InlineData("--fast-start", "evaluate", "--low-power", "--fast-start")]
    [InlineData("--no-fast-start", "evaluate", "--fast-start", "--no-fast-start")]
    [InlineData("--canceller-taps", "evaluate", "--canceller-taps", "4")]
    [InlineData("--canceller-taps", "evaluate", "--low-power", "--canceller-taps", "48")]
    [InlineData("--canceller-taps", "train", "--canceller-taps", "500")]
    [InlineData("--lattice-canceller", "evaluate", "--low-power", "--lattice-canceller")]
    [InlineData("--no-lattice-canceller", "evaluate", "--lattice-canceller", "--no-lattice-canceller")]
    [InlineData("--lattice-power-floor", "evaluate", "--lattice-power-floor", "0")]
    [InlineData("--lattice-power-floor", "evaluate", "--lattice-power-floor", "0.01", "--no-lattice-canceller")]
    [InlineData("--lattice-power-floor", "evaluate", "--low-power", "--lattice-power-floor", "0.01")]
    [InlineData("--lattice-power-floor", "train", "--lattice-power-floor", "0.01")]   // without the lattice
    [InlineData("--lattice-power-floor", "train", "--lattice-canceller", "--lattice-power-floor", "5")]
    [InlineData("--songs", "evaluate", "--songs", "jazz")]
    [InlineData("--songs", "evaluate", "--low-power", "--songs", "varied")]
    [InlineData("--songs", "simulate", "out", "--songs", "jazz")]
    [InlineData("--songs", "train", "--songs", "jazz")]
    [InlineData("--scene-seed", "train", "--scene-seed", "0")]
    [InlineData("--scene-seed", "train", "--scene-seed", "41")]    // would be the validation seeds
    [InlineData("--holdout", "evaluate", "--validation", "--holdout")]
    [InlineData("--holdout", "evaluate", "--low-power", "--holdout")]
    [InlineData("--early-walk-weight", "train", "--early-walk-weight", "0")]
    [InlineData("--early-walk-weight", "train", "--early-walk-weight", "1000")]
    [InlineData("--baseline", "evaluate", "--low-power", "--baseline", "models/sensing/detector.json")]
    [InlineData("--baseline", "evaluate", "--walk-thresholds", "0.9,0.95", "--baseline", "models/sensing/detector.json")]
    [InlineData("no-such-baseline.json", "evaluate", "--scenes", "1", "--baseline", "no-such-baseline.json")]
    public void Options_out_of_range_or_out_of_place_are_refused_before_anything_is_simulated(string named, params string[] args)
    {
        var (code, _, stderr) = CliRunner.Run(["sense", .. args]);
        Assert.Equal(1, code);
        Assert.Contains(named, stderr, StringComparison.Ordinal);
    }
}
