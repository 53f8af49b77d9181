using System.Text.Json.Nodes;

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

    [Fact]
    public void Design_WithPresets_WritesOnlyTheNamedPresetFolders()
    {
        using var temp = new TempFolder();
        var output = temp.File("design");
        var (code, _, stderr) = CliRunner.Run("design", "--device", Device("pair"), "--out", output, "--fir-length", "1024", "--presets", "ctc, matrix");
        Assert.True(code == 0, stderr);
        Assert.Equal(["ctc", "matrix"], Directory.GetDirectories(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(1024, Spatial.RenderMatrices.RenderMatrix.Load(Path.Combine(output, "ctc")).FirLength);
        Assert.True(File.Exists(Path.Combine(output, "metrics.json")));
        Assert.True(File.Exists(Path.Combine(output, "report.html")));
        Assert.Empty(Directory.GetDirectories(temp.Path, ".*"));
    }

    [Theory]
    [InlineData("spatial,surround", "surround")]
    [InlineData("Matrix", "Matrix")]
    [InlineData(",", "no preset")]
    public void Design_WithAnUnknownPreset_FailsBeforeDesigning_AndWritesNothing(string presets, string named)
    {
        using var temp = new TempFolder();
        var output = temp.File("design");
        var (code, stdout, stderr) = CliRunner.Run("design", "--device", Device("pair"), "--out", output, "--presets", presets);
        Assert.NotEqual(0, code);
        Assert.Contains("--presets", stderr);
        Assert.Contains(named, stderr);
        Assert.Empty(stdout);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Theory]
    [InlineData("{\"beam_null_target_dB\": 20}", "unknown key 'beam_null_target_dB'")]
    [InlineData("{\"beam_null_target_db\": 90}", "0..40")]
    [InlineData("{\"beam_null_target_db\": ", "not valid JSON")]
    public void Design_BadDesignBrief_NamesTheFileAndTheProblem_AndLeavesNoOutput(string brief, string problem)
    {
        using var temp = new TempFolder();
        var device = CopyPair(temp);
        File.WriteAllText(Path.Combine(device, "design.json"), brief);

        var output = temp.File("design");
        var (code, _, stderr) = CliRunner.Run("design", "--device", device, "--out", output);
        Assert.Equal(1, code);
        Assert.Contains("design.json", stderr);
        Assert.Contains(problem, stderr);
        AssertNoOutput(temp, output);
    }

    [Fact]
    public void Design_ReadsTheDevicesDesignBrief_IntoTheRecordedParameters()
    {
        using var temp = new TempFolder();
        var device = CopyPair(temp);
        File.WriteAllText(Path.Combine(device, "design.json"), "{\"beam_null_target_db\": 18.5}");

        var output = temp.File("design");
        var (code, _, stderr) = CliRunner.Run("design", "--device", device, "--out", output, "--fir-length", "1024", "--presets", "spatial");
        Assert.True(code == 0, stderr);
        var matrix = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "spatial", "render-matrix.json")))!;
        Assert.Equal(18.5, matrix["design_parameters"]!["beam_null_target_db"]!.GetValue<double>());
    }

    [Fact]
    public void Design_DeviceRateAboveTheMeasurementRate_NamesTheMeasurementFile_AndLeavesNoOutput()
    {
        using var temp = new TempFolder();
        var device = CopyPair(temp);
        EditJson(Path.Combine(device, "device.json"), json => json["sample_rate_hz"] = 192000);

        var output = temp.File("design");
        var (code, _, stderr) = CliRunner.Run("design", "--device", device, "--out", output);
        Assert.Equal(1, code);
        Assert.Contains("mid_left.json", stderr);
        Assert.Contains("96000 Hz", stderr);
        Assert.Contains("192000 Hz", stderr);
        AssertNoOutput(temp, output);
    }

    [Fact]
    public void Design_SidecarRateDifferentFromItsWavFiles_NamesTheFile_AndLeavesNoOutput()
    {
        using var temp = new TempFolder();
        var device = CopyPair(temp);
        EditJson(Path.Combine(device, "mid_right.json"), json => json["sample_rate_hz"] = 44100);

        var output = temp.File("design");
        var (code, _, stderr) = CliRunner.Run("design", "--device", device, "--out", output);
        Assert.Equal(1, code);
        Assert.Contains("mid_right", stderr);
        Assert.Contains("44100", stderr);
        AssertNoOutput(temp, output);
    }

    [Fact]
    public void Design_MeasurementsNotCoveringTheHorizontalPlane_NameTheFileAndTheAngles_AndLeaveNoOutput()
    {
        using var temp = new TempFolder();
        var device = CopyPair(temp);
        // Drop the file that holds azimuth -180..-25 deg: the right half of the driver's front (down to -90) is missing.
        EditJson(Path.Combine(device, "mid_left.json"), json =>
        {
            var files = json["files"]!.AsArray();
            files.Remove(files.Single(f => f!["path"]!.GetValue<string>() == "mid_left_1.wav"));
        });

        var output = temp.File("design");
        var (code, _, stderr) = CliRunner.Run("design", "--device", device, "--out", output);
        Assert.Equal(1, code);
        Assert.Contains("mid_left.json", stderr);
        Assert.Contains("do not cover the needed angles", stderr);
        Assert.Contains("-20..", stderr);
        AssertNoOutput(temp, output);
    }

    private static string CopyPair(TempFolder temp)
    {
        var device = temp.File("pair");
        Directory.CreateDirectory(device);
        foreach (var file in Directory.GetFiles(Device("pair")))
        {
            File.Copy(file, Path.Combine(device, Path.GetFileName(file)));
        }

        return device;
    }

    private static void EditJson(string path, Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }

    private static void AssertNoOutput(TempFolder temp, string output)
    {
        Assert.False(Directory.Exists(output), output);
        Assert.Equal(["pair"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName));
    }
}
