using SpatialAudio.Filters.Wav;
using Xunit;

namespace SpatialAudio.Cli.Tests;

public sealed class RenderRoomTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("room-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData("5,4", "expected L,W,H")]
    [InlineData("5,4,1", "each 2..50")]
    public void Bad_room_sizes_are_refused_before_any_output(string room, string message)
    {
        var input = Path.Combine(folder, "in.wav");
        WavFile.Write(input, 48000, new[] { new float[4800], new float[4800] }, WavEncoding.IeeeFloat32);
        var output = Path.Combine(folder, "out.wav");
        var (code, _, stderr) = CliRunner.Run("render", input, output, "--device", Path.Combine(PairDesign.Root(), "measurements", "studio5"), "--binaural", Path.Combine(folder, "ears.wav"), "--room", room);
        Assert.NotEqual(0, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Room_without_binaural_is_an_error()
    {
        var input = Path.Combine(folder, "in.wav");
        WavFile.Write(input, 48000, new[] { new float[4800], new float[4800] }, WavEncoding.IeeeFloat32);
        var (code, _, stderr) = CliRunner.Run("render", input, Path.Combine(folder, "out.wav"), "--device", Path.Combine(PairDesign.Root(), "measurements", "studio5"), "--room", "5,4,2.7");
        Assert.NotEqual(0, code);
        Assert.Contains("--binaural", stderr, StringComparison.Ordinal);
    }
}
