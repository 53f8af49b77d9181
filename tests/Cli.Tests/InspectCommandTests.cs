namespace SpatialAudio.Cli.Tests;

using System.Text.Json;

public sealed class InspectCommandTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void InspectHrtf_ReportsSphereAndKemarItdsBetweenTheClassicBounds()
    {
        var (code, stdout, stderr) = CliRunner.Run("inspect", "hrtf", "--step", "45", "--json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var sphere = doc.RootElement.GetProperty("sphere").GetProperty("rows");
        var measured = doc.RootElement.GetProperty("measured").GetProperty("rows");
        Assert.Equal(3, sphere.GetArrayLength());

        // At 90 deg a rigid sphere's ITD lies between Woodworth's high-frequency (a/c)(pi/2 + 1) and Kuhn's
        // low-frequency 3a/c (a = 8.75 cm, c = 343 m/s): 656..765 us. KEMAR's head is about that size.
        const double a = 0.0875, c = 343;
        var woodworth = a / c * ((Math.PI / 2) + 1);
        var kuhn = 3 * a / c;
        Assert.InRange(sphere[2].GetProperty("itd_cross_correlation_seconds").GetDouble(), woodworth * 0.97, kuhn * 1.03);
        Assert.InRange(measured[2].GetProperty("itd_cross_correlation_seconds").GetDouble(), 600e-6, 800e-6);
        Assert.Equal(0, sphere[0].GetProperty("itd_cross_correlation_seconds").GetDouble(), 6);
    }

    [Fact]
    public void InspectHrtf_WithAFileThatIsNotSofa_NamesTheFile()
    {
        var bogus = temp.File("x.sofa");
        File.WriteAllText(bogus, "not a SOFA file");

        var (code, _, stderr) = CliRunner.Run("inspect", "hrtf", "--sofa", bogus);

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains(bogus, stderr, StringComparison.Ordinal);
    }
}
