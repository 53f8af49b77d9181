namespace SpatialAudio.Cli.Tests;

public sealed class DesignCommandTests
{
    private static string Device(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SpatialAudio.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir!.FullName, "measurements", name);
    }

    [Fact]
    public void Design_WritesEveryPresetTheReportAndTheMetrics()
    {
        using var temp = new TempFolder();
        var output = temp.File("design");
        var (code, stdout, stderr) = CliRunner.Run("design", "--device", Device("pair"), "--out", output, "--fir-length", "1024");
        Assert.True(code == 0, stderr);
        Assert.Contains("presets", stdout);
        foreach (var preset in new[] { "spatial", "ctc", "matrix", "bypass" })
        {
            Assert.True(File.Exists(Path.Combine(output, preset, "render-matrix.json")), preset);
            var matrix = Spatial.RenderMatrices.RenderMatrix.Load(Path.Combine(output, preset));
            Assert.Equal(1024, matrix.FirLength);
        }

        var html = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains("<svg", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<script", html);
        Assert.True(File.Exists(Path.Combine(output, "metrics.json")));
        Assert.Empty(Directory.GetDirectories(temp.Path, ".*"));
    }

    [Fact]
    public void Design_IntoAnExistingFolder_FailsWithoutTouchingIt()
    {
        using var temp = new TempFolder();
        var (code, _, stderr) = CliRunner.Run("design", "--device", Device("pair"), "--out", temp.Path);
        Assert.Equal(1, code);
        Assert.Contains("already exists", stderr);
    }

    [Fact]
    public void Design_MissingDevice_NamesTheFile()
    {
        using var temp = new TempFolder();
        var (code, _, stderr) = CliRunner.Run("design", "--device", temp.File("nowhere"), "--out", temp.File("o"));
        Assert.Equal(1, code);
        Assert.Contains("nowhere", stderr);
        Assert.False(Directory.Exists(temp.File("o")));
    }

    [Fact]
    public void Design_BadFirLength_IsAUsageError()
    {
        using var temp = new TempFolder();
        var (code, _, stderr) = CliRunner.Run("design", "--device", Device("pair"), "--out", temp.File("o"), "--fir-length", "1000");
        Assert.Equal(1, code);
        Assert.Contains("power of two", stderr);
    }
}
