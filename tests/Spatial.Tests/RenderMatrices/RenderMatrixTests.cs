using System.Text.Json.Nodes;
using SpatialAudio.Spatial.RenderMatrices;
using SpatialAudio.Filters.Wav;

namespace SpatialAudio.Spatial.Tests.RenderMatrices;

public sealed class RenderMatrixTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"rm-tests-{Guid.NewGuid():N}");

    public RenderMatrixTests() => Directory.CreateDirectory(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static RenderMatrix Sample(int length = 64)
    {
        var rng = new Random(7);
        var filters = new float[3][][];
        for (var i = 0; i < 3; i++)
        {
            filters[i] = new float[2][];
            for (var d = 0; d < 2; d++)
            {
                filters[i][d] = [.. Enumerable.Range(0, length).Select(_ => (float)(rng.NextDouble() - 0.5))];
            }
        }

        return new RenderMatrix("matrix", 48000, ["a", "b"], filters, 10,
            new JsonObject { ["fir_length_requested"] = length }, new JsonObject { ["separation_db"] = 21.5 });
    }

    [Fact]
    public void SaveThenLoad_RoundTripsEveryTapAndField()
    {
        var original = Sample();
        var folder = Path.Combine(root, "matrix");
        original.Save(folder);
        var loaded = RenderMatrix.Load(folder);

        Assert.Equal("matrix", loaded.Preset);
        Assert.Equal(48000, loaded.SampleRateHz);
        Assert.Equal(["a", "b"], loaded.DriverIds);
        Assert.Equal(10, loaded.LatencySamples);
        Assert.Equal(64, loaded.FirLength);
        Assert.Equal(21.5, loaded.Metrics["separation_db"]!.GetValue<double>());
        for (var i = 0; i < 3; i++)
        {
            for (var d = 0; d < 2; d++)
            {
                Assert.Equal(original.Filter(i, d).ToArray(), loaded.Filter(i, d).ToArray());
            }
        }

        // Each input's WAV has one channel per driver, as DESIGN.md says.
        var wav = WavFile.ReadAll(Path.Combine(folder, "C.wav"));
        Assert.Equal(2, wav.Channels.Length);
        Assert.Equal(original.Filter(2, 1).ToArray(), wav.Channels[1]);
        Assert.Empty(Directory.GetDirectories(root, ".*tmp*"));
    }

    [Fact]
    public void Save_IntoExistingFolder_IsRefusedAndLeavesItUntouched()
    {
        var folder = Path.Combine(root, "exists");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "keep.txt"), "x");
        var e = Assert.Throws<RenderMatrixException>(() => Sample().Save(folder));
        Assert.Contains("already exists", e.Message);
        Assert.Equal(["keep.txt"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Load_MissingWav_NamesTheFile()
    {
        var folder = Path.Combine(root, "m");
        Sample().Save(folder);
        File.Delete(Path.Combine(folder, "R.wav"));
        var e = Assert.Throws<RenderMatrixException>(() => RenderMatrix.Load(folder));
        Assert.EndsWith("R.wav", e.FilePath);
    }

    [Fact]
    public void Load_MalformedJson_NamesTheDescription()
    {
        var folder = Path.Combine(root, "m");
        Sample().Save(folder);
        File.WriteAllText(Path.Combine(folder, RenderMatrix.DescriptionFileName), "{ \"preset\": ");
        var e = Assert.Throws<RenderMatrixException>(() => RenderMatrix.Load(folder));
        Assert.EndsWith(RenderMatrix.DescriptionFileName, e.FilePath);
        Assert.Contains("malformed JSON", e.Message);
    }

    [Fact]
    public void Load_WavWithWrongRate_IsRefused()
    {
        var folder = Path.Combine(root, "m");
        Sample().Save(folder);
        WavFile.Write(Path.Combine(folder, "L.wav"), 44100, new[] { new float[64], new float[64] }, WavEncoding.IeeeFloat32);
        var e = Assert.Throws<RenderMatrixException>(() => RenderMatrix.Load(folder));
        Assert.Contains("44100", e.Message);
    }

    [Fact]
    public void Constructor_NonFiniteTap_IsRefused()
    {
        var filters = new[] { new[] { new float[] { 1, float.NaN } }, new[] { new float[2] }, new[] { new float[2] } };
        Assert.Throws<ArgumentException>(() => new RenderMatrix("x", 48000, ["d"], filters, 0));
    }
}
