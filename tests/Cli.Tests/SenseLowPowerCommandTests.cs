using System.Text.Json.Nodes;
using Xunit;

namespace SpatialAudio.Cli.Tests;

public sealed class SenseLowPowerCommandTests
{
    [Fact]
    public void Low_power_evaluation_runs_a_closed_loop_session_and_reports_its_figures_as_json()
    {
        // One short session (a 15..30 s stay, 5 s sleeps, 10 s timeout: about 55 s simulated).
        var (code, stdout, stderr) = CliRunner.Run("sense", "evaluate", "--low-power", "--sessions", "1", "--stay", "30", "--sleep", "5", "--presence-timeout", "10", "--json");
        Assert.True(code == 0, stderr);
        var json = JsonNode.Parse(stdout)!;
        Assert.Equal(1, json["sessions"]!.GetValue<int>());
        Assert.Equal(5, json["sleep_s"]!.GetValue<double>());
        var session = Assert.Single(json["per_session"]!.AsArray())!;
        Assert.Equal(700000, session["seed"]!.GetValue<int>());

        // The probe slept while the person was there (it is on all the time without the low-power mode), at least one
        // burst came, and presence ended within a timeout of the person leaving.
        Assert.InRange(json["duty_cycle_occupied"]!.GetValue<double>(), 0.05, 0.9);
        Assert.True(json["bursts"]!.GetValue<int>() >= 1);
        Assert.True(json["presence_held"]!.GetValue<double>() > 0.5);
        Assert.Equal("1/1", json["presence_ended_after_leaving"]!.GetValue<string>());
        Assert.InRange(json["leave_to_off_median_s"]!.GetValue<double>(), 0, 10 + 0.1);
    }

    [Fact]
    public void Schedule_options_need_low_power_and_a_burst_must_outlast_the_settling()
    {
        var (code, _, stderr) = CliRunner.Run("sense", "evaluate", "--sleep", "5");
        Assert.NotEqual(0, code);
        Assert.Contains("--low-power", stderr, StringComparison.Ordinal);

        (code, _, stderr) = CliRunner.Run("sense", "evaluate", "--low-power", "--burst", "0.5");
        Assert.NotEqual(0, code);
        Assert.Contains("settling", stderr, StringComparison.Ordinal);
    }
}
