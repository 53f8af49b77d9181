namespace SpatialAudio.Cli.Tests;

using System.Text.Json;
using SpatialAudio.Filters.Wav;

public sealed class CommandTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Demo_DesignsAndRendersEveryPreset_WithHeadphonePreviewsAndTheReport()
    {
        var folder = temp.File("demo");

        var (code, stdout, stderr) = CliRunner.Run("demo", "--out", folder, "--seconds", "2", "--json");

        Assert.True(code == 0, stderr);
        using var metrics = JsonDocument.Parse(stdout);
        var root = metrics.RootElement;
        Assert.InRange(root.GetProperty("clip_seconds").GetDouble(), 1.999, 2.001);
        var presets = root.GetProperty("presets").EnumerateArray().ToDictionary(p => p.GetProperty("preset").GetString()!);
        Assert.Equal(["spatial", "ctc", "matrix", "bypass"], presets.Keys);
        var previewLoudness = new Dictionary<string, double>();
        Assert.True(presets["ctc"].GetProperty("separation_sphere_db").GetDouble() > presets["matrix"].GetProperty("separation_sphere_db").GetDouble() + 10);
        foreach (var name in presets.Keys)
        {
            var drivers = WavFile.ReadAll(Path.Combine(folder, $"{name}-drivers.wav"));
            Assert.Equal(5, drivers.Format.Channels);
            Assert.True(drivers.FrameCount >= 2 * 48000);
            Assert.All(drivers.Channels, c => Assert.All(c, v => Assert.True(float.IsFinite(v) && Math.Abs(v) <= 1)));
            var headphones = WavFile.ReadAll(Path.Combine(folder, $"{name}-headphones.wav"));
            Assert.Equal(2, headphones.Format.Channels);
            var meter = new SpatialAudio.Filters.Loudness.LoudnessMeter(headphones.Format.SampleRateHz, 2);
            meter.ProcessPlanar([.. headphones.Channels.SelectMany(c => c)], headphones.FrameCount);
            previewLoudness[name] = meter.IntegratedLoudness;
            Assert.True(presets[name].GetProperty("headphones_gain_db").GetDouble() <= 0);   // previews are only attenuated
        }

        // The previews are matched in loudness for listening (the presets themselves differ by several dB).
        Assert.True(previewLoudness.Values.Max() - previewLoudness.Values.Min() < 0.1, string.Join(", ", previewLoudness.Select(kv => $"{kv.Key} {kv.Value:0.00} LUFS")));
        Assert.Contains(presets.Values, p => p.GetProperty("headphones_gain_db").GetDouble() == 0);
        Assert.Contains(presets.Values, p => p.GetProperty("headphones_gain_db").GetDouble() < -1);

        Assert.True(File.Exists(Path.Combine(folder, "design", "report.html")));
        Assert.True(File.Exists(Path.Combine(folder, "metrics.json")));
    }

    [Fact]
    public void Info_ReadsMinus23LufsForTheEbuReferenceTone()
    {
        // EBU Tech 3341 case 1: 1 kHz sine at -23 dBFS in both channels reads -23.0 LUFS.
        var path = temp.File("tone.wav");
        var tone = Sine(48000, 1000, -23, seconds: 10);
        WavFile.Write(path, 48000, [tone, tone], WavEncoding.IeeeFloat32);

        var (code, stdout, stderr) = CliRunner.Run("info", path, "--json");

        Assert.True(code == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        Assert.InRange(report.RootElement.GetProperty("integrated_lufs").GetDouble(), -23.1, -22.9);
        Assert.InRange(report.RootElement.GetProperty("sample_peak_dbfs").GetDouble(), -23.05, -22.95);
        Assert.Equal(2, report.RootElement.GetProperty("channels").GetInt32());
    }

    [Fact]
    public void Resample_DoublesTheRateAndKeepsTheTone()
    {
        var input = temp.File("in.wav");
        var output = temp.File("out.wav");
        WavFile.Write(input, 48000, [Sine(48000, 997, -6, seconds: 1)], WavEncoding.Pcm24);

        var (code, _, stderr) = CliRunner.Run("resample", input, output, "--rate", "96000", "--encoding", "float32");

        Assert.True(code == 0, stderr);
        var result = WavFile.ReadAll(output);
        Assert.Equal(96000, result.Format.SampleRateHz);
        Assert.Equal(96000, result.FrameCount);
        var expected = Sine(96000, 997, -6, seconds: 1);
        var error = 0.0;
        var energy = 0.0;
        for (var n = 2000; n < 94000; n++)
        {
            error += Math.Pow(result.Channels[0][n] - expected[n], 2);
            energy += Math.Pow(expected[n], 2);
        }

        Assert.True(10 * Math.Log10(error / energy) < -80, "resampled tone differs from the analytic tone at 96 kHz");
    }

    [Fact]
    public void MissingInput_IsAnInputErrorNamingTheFile()
    {
        var missing = temp.File("missing.wav");

        var (code, _, stderr) = CliRunner.Run("info", missing);

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains(missing, stderr, StringComparison.Ordinal);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedWav_IsAnInputErrorAndLeavesNoOutput()
    {
        var input = temp.File("broken.wav");
        File.WriteAllBytes(input, "RIFF\x10\0\0\0WAVEfmt "u8.ToArray());
        var output = temp.File("out.wav");

        var (code, _, stderr) = CliRunner.Run("resample", input, output, "--rate", "96000");

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("broken.wav", stderr, StringComparison.Ordinal);
        Assert.Equal(["broken.wav"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void OutputEqualToInput_IsRefused()
    {
        var path = temp.File("same.wav");
        WavFile.Write(path, 48000, [new float[480]], WavEncoding.Pcm16);
        var before = File.ReadAllBytes(path);

        var (code, _, stderr) = CliRunner.Run("resample", path, path, "--rate", "96000");

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("is the input file", stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void UnknownOption_IsAUsageError()
    {
        var (code, _, stderr) = CliRunner.Run("demo", "--no-such-option");

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("--no-such-option", stderr, StringComparison.Ordinal);
    }

    private static float[] Sine(int rate, double frequencyHz, double levelDbfs, double seconds)
    {
        var amplitude = Math.Pow(10, levelDbfs / 20);
        var samples = new float[(int)(rate * seconds)];
        for (var n = 0; n < samples.Length; n++)
        {
            samples[n] = (float)(amplitude * Math.Sin(2 * Math.PI * frequencyHz * n / rate));
        }

        return samples;
    }
}
