using System.Diagnostics;
using SpatialAudio.Filters.Audio;
using SpatialAudio.Filters.Tests.Audio;
using SpatialAudio.Filters.Wav;

namespace SpatialAudio.Filters.Tests.Wav;

/// <summary>
/// Cross-checks against SoX, an independent WAV implementation: SoX must accept what we write and decode it to
/// the same samples, and we must read what SoX writes as SoX decodes it. Needs the <c>sox</c> binary
/// (./test.sh installs it); without it these tests fail with a message saying so.
/// </summary>
public sealed class SoxCrossCheckTests
{
    private static (string Stdout, string Stderr) Sox(params string[] arguments)
    {
        var info = new ProcessStartInfo("sox") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail("sox is not installed: these cross-checks need it (./test.sh installs it; or apt-get install sox).");
            throw;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"sox {string.Join(' ', arguments)} failed: {stderr}");
            return (stdout.Result, stderr);
        }
    }

    /// <summary>
    /// SoX's own decoding of a file to raw little-endian float64, undithered. (Its float32 output rounds to 24 bits
    /// below full scale, 2^-24 absolute, so float64 is used to see SoX's internal 32-bit integer samples exactly.)
    /// </summary>
    private static double[] SoxDecode(string path, string folder)
    {
        var raw = Path.Combine(folder, Path.GetFileName(path) + ".f64");
        Sox("-D", path, "-t", "raw", "-e", "floating-point", "-b", "64", "-L", raw);
        var bytes = File.ReadAllBytes(raw);
        var samples = new double[bytes.Length / 8];
        Buffer.BlockCopy(bytes, 0, samples, 0, bytes.Length);
        return samples;
    }

    /// <summary>
    /// How far our float may be from SoX's value: integer PCM up to 24 bits is exact in float; 32-bit PCM rounds to
    /// the nearest float (half an ulp); SoX holds float files as 32-bit integers (2^-31 steps) before decoding.
    /// </summary>
    private static double Tolerance(bool isFloatFile, int bits, float ours)
    {
        var halfUlp = 0.5 * (MathF.BitIncrement(MathF.Abs(ours)) - MathF.Abs(ours));
        return isFloatFile ? Math.Pow(2, -31) + halfUlp : bits == 32 ? halfUlp : 0;
    }

    private static string Field(string soxInfo, string name) =>
        soxInfo.Split('\n').Single(line => line.StartsWith(name, StringComparison.Ordinal)).Split(':', 2)[1].Trim();

    [Theory]
    [InlineData(WavEncoding.Pcm8, 1, "8-bit Unsigned Integer PCM")]
    [InlineData(WavEncoding.Pcm16, 2, "16-bit Signed Integer PCM")]
    [InlineData(WavEncoding.Pcm16, 6, "16-bit Signed Integer PCM")]
    [InlineData(WavEncoding.Pcm24, 2, "24-bit Signed Integer PCM")]
    [InlineData(WavEncoding.Pcm32, 3, "32-bit Signed Integer PCM")]
    [InlineData(WavEncoding.IeeeFloat32, 2, "32-bit Floating Point PCM")]
    [InlineData(WavEncoding.IeeeFloat32, 32, "32-bit Floating Point PCM")]
    [InlineData(WavEncoding.IeeeFloat64, 1, "64-bit Floating Point PCM")]
    public void SoxAcceptsWhatWeWrite_AndDecodesTheSameSamples(WavEncoding encoding, int channels, string soxEncoding)
    {
        using var folder = new TempFolder();
        var path = folder.File($"ours-{encoding}-{channels}.wav");
        var values = WavWriterTests.GridValues(encoding, channels * 777, 5);
        if (encoding.IsFloat())
        {
            // SoX decodes through 32-bit integers and clips at full scale: stay inside it.
            values = values.Select(v => Math.Clamp(v, -1f, 0.999f)).ToArray();
        }

        using (var writer = WavWriter.Create(path, new AudioFormat(44100, channels), encoding))
        {
            writer.Write(values);
            writer.Complete();
        }

        var info = Sox("--i", path).Stdout;
        Assert.Equal(channels.ToString(), Field(info, "Channels"));
        Assert.Equal("44100", Field(info, "Sample Rate"));
        Assert.Equal(soxEncoding, Field(info, "Sample Encoding"));

        var decoded = SoxDecode(path, folder.Path);
        Assert.Equal(values.Length, decoded.Length);
        for (var i = 0; i < values.Length; i++)
        {
            var tolerance = Tolerance(encoding.IsFloat(), encoding.BitsPerSample(), values[i]);
            Assert.True(Math.Abs(values[i] - decoded[i]) <= tolerance, $"sample {i}: {values[i]} vs sox {decoded[i]}");
        }
    }

    [Theory]
    [InlineData("wavpcm", "signed-integer", 16, 2)]
    [InlineData("wavpcm", "unsigned-integer", 8, 1)]
    [InlineData("wavpcm", "signed-integer", 24, 1)]
    [InlineData("wav", "signed-integer", 24, 3)]
    [InlineData("wav", "signed-integer", 32, 2)]
    [InlineData("wav", "signed-integer", 16, 8)]
    [InlineData("wav", "floating-point", 32, 2)]
    [InlineData("wavpcm", "floating-point", 32, 1)]
    [InlineData("wav", "floating-point", 64, 4)]
    public void WeReadWhatSoxWrites_AsSoxDecodesIt(string type, string soxEncoding, int bits, int channels)
    {
        using var folder = new TempFolder();
        var path = folder.File($"sox-{type}-{soxEncoding}-{bits}-{channels}.wav");
        // A different tone per channel (SoX cycles the synth list over the channels) and some noise.
        Sox("-n", "-r", "48000", "-c", channels.ToString(), "-b", bits.ToString(), "-e", soxEncoding, "-t", type, path,
            "synth", "0.05", "sine", "997", "sine", "3001", "pinknoise", "sine", "51", "gain", "-1");

        using var reader = WavReader.Open(path);
        Assert.Equal(new AudioFormat(48000, channels), reader.Format);
        var header = File.ReadAllBytes(path).AsSpan(20, 2);
        Assert.Equal(header.SequenceEqual(new byte[] { 0xFE, 0xFF }), reader.FileFormat.IsExtensible);
        Assert.Equal(bits, reader.FileFormat.BitsPerSample);
        var ours = SampleSourceContract.ReadWith(reader, _ => 1000);

        var theirs = SoxDecode(path, folder.Path);
        Assert.Equal(theirs.Length, ours.Length);
        for (var i = 0; i < ours.Length; i++)
        {
            var tolerance = Tolerance(soxEncoding == "floating-point", bits, ours[i]);
            Assert.True(Math.Abs(ours[i] - theirs[i]) <= tolerance, $"sample {i}: ours {ours[i]} vs sox {theirs[i]}");
        }

        Assert.Contains(ours, v => Math.Abs(v) > 0.1f); // not silence
    }
}
