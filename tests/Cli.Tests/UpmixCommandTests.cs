using SpatialAudio.Filters.Wav;

namespace SpatialAudio.Cli.Tests;

public sealed class UpmixCommandTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Upmix_WritesLPrimeRPrimeC_ThatAddBackToTheInput()
    {
        var rng = new Random(1);
        var center = Enumerable.Range(0, 24000).Select(_ => (float)(rng.NextDouble() - 0.5) * 0.3f).ToArray();
        var left = center.Select(v => v + ((float)(rng.NextDouble() - 0.5) * 0.2f)).ToArray();
        var right = center.Select(v => v + ((float)(rng.NextDouble() - 0.5) * 0.2f)).ToArray();
        var input = temp.File("in.wav");
        WavFile.Write(input, 48000, new[] { left, right }, WavEncoding.IeeeFloat32);
        var output = temp.File("lrc.wav");
        var (code, _, stderr) = CliRunner.Run("upmix", input, output);
        Assert.True(code == 0, stderr);
        var lrc = WavFile.ReadAll(output);
        Assert.Equal(3, lrc.Format.Channels);
        Assert.Equal(left.Length, lrc.FrameCount);
        for (var t = 0; t < left.Length; t++)
        {
            Assert.True(Math.Abs(left[t] - (lrc.Channels[0][t] + lrc.Channels[2][t])) < 1e-6, $"L at {t}");
            Assert.True(Math.Abs(right[t] - (lrc.Channels[1][t] + lrc.Channels[2][t])) < 1e-6, $"R at {t}");
        }
    }

    [Fact]
    public void Upmix_MonoInput_IsRefusedWithoutOutput()
    {
        var input = temp.File("mono.wav");
        WavFile.Write(input, 48000, new[] { new float[4800] }, WavEncoding.Pcm16);
        var (code, _, stderr) = CliRunner.Run("upmix", input, temp.File("o.wav"));
        Assert.Equal(1, code);
        Assert.Contains("stereo", stderr);
        Assert.False(File.Exists(temp.File("o.wav")));
    }

    [Fact]
    public void UpmixEvaluate_PrintsTheFigures()
    {
        var (code, stdout, stderr) = CliRunner.Run("upmix", "--evaluate", "--json");
        Assert.True(code == 0, stderr);
        Assert.Contains("leakage_improvement_db", stdout);
        Assert.Contains("steady_tone_modulation_db", stdout);
    }
}
