using SpatialAudio.Filters.Wav;
using SpatialAudio.Spatial.Sensing.Probe;

namespace SpatialAudio.Cli.Tests;

/// <summary>One design of the bundled pair shared by the render tests.</summary>
public sealed class PairDesign : IDisposable
{
    public PairDesign()
    {
        var (code, _, stderr) = CliRunner.Run("design", "--device", Device, "--out", Folder.File("design"), "--fir-length", "1024");
        Assert.True(code == 0, stderr);
    }

    public TempFolder Folder { get; } = new();

    public string Design => Folder.File("design");

    public static string Device => Path.Combine(Root(), "measurements", "pair");

    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SpatialAudio.sln")))
        {
            dir = dir.Parent;
        }

        return dir!.FullName;
    }

    public void Dispose() => Folder.Dispose();
}

public sealed class RenderCommandTests(PairDesign design) : IClassFixture<PairDesign>, IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private string Stereo(int channels = 2, int rate = 48000)
    {
        var path = temp.File($"in-{channels}-{rate}.wav");
        var rng = new Random(1);
        var data = Enumerable.Range(0, channels).Select(_ => Enumerable.Range(0, rate / 2).Select(_ => (float)(rng.NextDouble() - 0.5) * 0.2f).ToArray()).ToArray();
        WavFile.Write(path, rate, data, WavEncoding.Pcm24);
        return path;
    }

    [Fact]
    public void Render_WritesOneChannelPerDriver_AndAHeadphonePreview()
    {
        var output = temp.File("out.wav");
        var headphones = temp.File("hp.wav");
        var (code, stdout, stderr) = CliRunner.Run("render", Stereo(), output, "--device", PairDesign.Device, "--design", design.Design, "--preset", "ctc", "--binaural", headphones, "--json");
        Assert.True(code == 0, stderr);
        Assert.Contains("real_time_factor", stdout);
        var wav = WavFile.ReadAll(output);
        Assert.Equal(2, wav.Format.Channels);
        Assert.True(wav.FrameCount >= 24000);
        Assert.True(WavFile.ReadAll(headphones).FrameCount > 24000);
    }

    [Fact]
    public void Render_At44k1_IsResampledToTheDeviceRate()
    {
        var output = temp.File("out44.wav");
        var (code, _, stderr) = CliRunner.Run("render", Stereo(2, 44100), output, "--device", PairDesign.Device, "--design", design.Design, "--preset", "matrix");
        Assert.True(code == 0, stderr);
        var wav = WavFile.ReadAll(output);
        Assert.Equal(48000, wav.Format.SampleRateHz);
        Assert.InRange(wav.FrameCount, 24000, 24000 + 8000);
    }

    [Fact]
    public void Ultrasound_Adds96kHzProbeOnTheProbeDrivers_AndMusicPlusProbeNeverClips()
    {
        // studio5: the tweeter is its probe driver. Loud stereo noise so the limiter works.
        var studio5 = Path.Combine(PairDesign.Root(), "measurements", "studio5");
        var input = temp.File("loud.wav");
        var rng = new Random(2);
        var loud = Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, 24000).Select(_ => (float)(rng.NextDouble() - 0.5) * 1.9f).ToArray()).ToArray();
        WavFile.Write(input, 48000, loud, WavEncoding.IeeeFloat32);
        var design = temp.File("d5");
        Assert.Equal(0, CliRunner.Run("design", "--device", studio5, "--out", design, "--fir-length", "1024").ExitCode);
        var output = temp.File("us.wav");
        var (code, _, stderr) = CliRunner.Run("render", input, output, "--device", studio5, "--design", design, "--ultrasound", "--carrier", "38000");
        Assert.True(code == 0, stderr);
        var wav = WavFile.ReadAll(output);
        Assert.Equal(96000, wav.Format.SampleRateHz);
        var ceiling = Math.Pow(10, -1 / 20.0);
        Assert.All(wav.Channels, c => Assert.True(c.Max(Math.Abs) <= ceiling + 1e-4, $"peak {c.Max(Math.Abs)}"));

        // Probe amplitude on the tweeter (index 1) by least squares at 38 kHz; none on the woofer (index 0).
        double Amplitude(float[] x)
        {
            double s = 0, c = 0;
            for (var n = 9600; n < 48000; n++)
            {
                s += x[n] * Math.Sin(2 * Math.PI * 38000 * n / 96000);
                c += x[n] * Math.Cos(2 * Math.PI * 38000 * n / 96000);
            }

            return 2 * Math.Sqrt((s * s) + (c * c)) / 38400;
        }

        Assert.Equal(Math.Pow(10, ProbeGenerator.DefaultLevelDbfs / 20), Amplitude(wav.Channels[1]), 2);
        Assert.True(Amplitude(wav.Channels[0]) < 1e-4);
    }

    [Fact]
    public void MonoInput_IsRefusedAndLeavesNoOutput()
    {
        var output = temp.File("mono-out.wav");
        var (code, _, stderr) = CliRunner.Run("render", Stereo(1), output, "--device", PairDesign.Device, "--design", design.Design);
        Assert.Equal(1, code);
        Assert.Contains("stereo", stderr);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp*"));
    }

    [Fact]
    public void UnknownPreset_AndMatrixOfAnotherDevice_AreRefused()
    {
        var input = Stereo();
        var (code, _, stderr) = CliRunner.Run("render", input, temp.File("o.wav"), "--device", PairDesign.Device, "--design", design.Design, "--preset", "loud");
        Assert.Equal(1, code);
        Assert.Contains("--preset", stderr);

        (code, _, stderr) = CliRunner.Run("render", input, temp.File("o.wav"), "--device", Path.Combine(PairDesign.Root(), "measurements", "studio5"), "--design", design.Design);
        Assert.Equal(1, code);
        Assert.Contains("render matrix is for drivers", stderr);
    }

    [Fact]
    public void OutputEqualToInput_IsRefused()
    {
        var input = Stereo();
        var (code, _, _) = CliRunner.Run("render", input, input, "--device", PairDesign.Device, "--design", design.Design);
        Assert.Equal(1, code);
    }
}
