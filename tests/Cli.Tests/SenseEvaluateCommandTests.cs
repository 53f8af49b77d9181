using System.Text.Json.Nodes;
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
    public void Validation_and_thresholds_do_not_go_with_low_power()
    {
        var (code, _, stderr) = CliRunner.Run("sense", "evaluate", "--low-power", "--validation");
        Assert.Equal(1, code);
        Assert.Contains("--low-power", stderr, StringComparison.Ordinal);
    }
}
