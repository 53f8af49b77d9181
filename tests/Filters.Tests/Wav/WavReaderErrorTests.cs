using SpatialAudio.Filters.Wav;

namespace SpatialAudio.Filters.Tests.Wav;

public sealed class WavReaderErrorTests
{
    // Offsets: RIFF header 0..11, first chunk header at 12, first fmt body at 20 (tag 20, channels 22,
    // rate 24, block align 32, bits 34); a data chunk after a 16-byte fmt starts at 36.
    public static TheoryData<string, byte[], long, string> MalformedFiles() => new()
    {
        { "not RIFF", "ABCD\0\0\0\0WAVE"u8.ToArray(), 0, "not a RIFF file" },
        { "RIFX", new WavBytes("RIFX").Fmt(1, 1, 8000, 8).Data([1]).ToArray(), 0, "big-endian" },
        { "RF64", new WavBytes("RF64").Fmt(1, 1, 8000, 8).Data([1]).ToArray(), 0, "RF64" },
        { "not WAVE", new WavBytes(form: "AVI ").ToArray(), 8, "not 'WAVE'" },
        { "truncated header", "RIFF\u0004\0\0"u8.ToArray(), 7, "truncated RIFF header" },
        { "truncated chunk header", new WavBytes().Fmt(1, 1, 8000, 8).Bytes(0x64, 0x61, 0x74).ToArray(), 36, "truncated chunk header" },
        { "truncated fmt", new WavBytes().Bytes("fmt "u8.ToArray()).Bytes(16, 0, 0, 0, 1, 0, 1, 0).ToArray(), 24, "truncated 'fmt ' chunk: the file ends after 4 of its 16 bytes" },
        { "fmt too short", new WavBytes().Raw("fmt ", new byte[14]).Data([1, 2]).ToArray(), 12, "too short" },
        { "missing fmt", new WavBytes().Raw("LIST", new byte[8]).ToArray(), 28, "no 'fmt '" },
        { "missing data", new WavBytes().Fmt(1, 1, 8000, 8).Raw("LIST", new byte[8]).ToArray(), 52, "no 'data'" },
        { "data before fmt", new WavBytes().Data([1, 2]).Fmt(1, 1, 8000, 8).ToArray(), 12, "before the 'fmt '" },
        { "wrong block align", new WavBytes().Fmt(1, 2, 8000, 16, blockAlign: 3).Data(new byte[12]).ToArray(), 32, "block align is 3" },
        { "zero channels", new WavBytes().Fmt(1, 0, 8000, 16).Data(new byte[4]).ToArray(), 22, "zero channels" },
        { "33 channels", new WavBytes().Fmt(1, 33, 8000, 16).Data(new byte[66]).ToArray(), 22, "33 channels" },
        { "rate 0", new WavBytes().Fmt(1, 1, 0, 16).Data(new byte[2]).ToArray(), 24, "sample rate 0 Hz" },
        { "rate 800 kHz", new WavBytes().Fmt(1, 1, 800_000, 16).Data(new byte[2]).ToArray(), 24, "sample rate 800000 Hz" },
        { "12-bit", new WavBytes().Fmt(1, 1, 8000, 12, blockAlign: 2).Data(new byte[2]).ToArray(), 34, "12 bits" },
        { "20-bit container", new WavBytes().Fmt(1, 1, 8000, 20, blockAlign: 3).Data(new byte[3]).ToArray(), 34, "20 bits" },
        { "16-bit float", new WavBytes().Fmt(3, 1, 8000, 16).Data(new byte[2]).ToArray(), 34, "float sample size of 16 bits" },
        { "ADPCM", new WavBytes().Fmt(2, 1, 8000, 4, blockAlign: 256).Data(new byte[256]).ToArray(), 20, "0x0002 (Microsoft ADPCM)" },
        { "mu-law", new WavBytes().Fmt(7, 1, 8000, 8).Data(new byte[2]).ToArray(), 20, "0x0007 (mu-law)" },
        { "extensible mu-law", new WavBytes().FmtExtensible(7, 1, 8000, 8, 8, 4).Data(new byte[2]).ToArray(), 44, "0x0007 (mu-law) in WAVE_FORMAT_EXTENSIBLE" },
        { "extensible unknown GUID", new WavBytes().FmtExtensible(1, 1, 8000, 16, 16, 4, [1, 2, 3, 4, 5, 6, 7, 8]).Data(new byte[2]).ToArray(), 44, "subformat" },
        { "extensible fmt too short", new WavBytes().Chunk("fmt ", w => { w.Write((ushort)0xFFFE); w.Write((ushort)1); w.Write(8000u); w.Write(16000u); w.Write((ushort)2); w.Write((ushort)16); w.Write((ushort)0); }).Data(new byte[2]).ToArray(), 12, "40 are needed" },
        { "valid bits over container", new WavBytes().FmtExtensible(1, 1, 8000, 16, 24, 4).Data(new byte[2]).ToArray(), 38, "exceed the 16-bit container" },
        { "huge data size", new WavBytes().Fmt(1, 1, 8000, 16).Data(new byte[10], declaredSize: 2_000_000_000).ToArray(), 36, "declares 2000000000 bytes, but only 10 follow" },
        { "chunk past EOF", new WavBytes().Fmt(1, 1, 8000, 16).Raw("LIST", new byte[10], declaredSize: 1000).ToArray(), 36, "'LIST' declares 1000 bytes, but the file ends at byte 54" },
        { "binary chunk id past EOF", new WavBytes().Raw("\u0001\u0002\u0003\u0004", new byte[2], declaredSize: 99).ToArray(), 12, "bytes 01020304" },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void MalformedFile_IsAClearErrorNamingFileOffsetAndProblem(string name, byte[] bytes, long offset, string problem)
    {
        using var folder = new TempFolder();
        var path = folder.Write(name.Replace(' ', '_') + ".wav", bytes);
        var error = Assert.Throws<WavFormatException>(() =>
        {
            using var reader = WavReader.Open(path);
            var buffer = new float[64];
            while (reader.Read(buffer) > 0)
            {
            }
        });
        Assert.Equal(path, error.FilePath);
        Assert.Equal(offset, error.Offset);
        Assert.Contains(problem, error.Problem);
        Assert.StartsWith($"{path}: at byte {offset}: ", error.Message);
        Assert.IsAssignableFrom<IOException>(error);
    }

    [Fact]
    public void EmptyFile_IsAClearError()
    {
        using var folder = new TempFolder();
        var path = folder.Write("empty.wav", []);
        var error = Assert.Throws<WavFormatException>(() => WavReader.Open(path));
        Assert.Equal(0, error.Offset);
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void MissingPath_IsFileNotFoundWithThePath()
    {
        using var folder = new TempFolder();
        var path = folder.File("nope.wav");
        var error = Assert.Throws<FileNotFoundException>(() => WavReader.Open(path));
        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Directory_IsFileNotFoundWithThePath()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<FileNotFoundException>(() => WavReader.Open(folder.Path));
        Assert.Equal(folder.Path, error.FileName);
        Assert.Contains("directory", error.Message);
    }

    [Fact]
    public void TruncatedDataAtOpen_OnSeekableFile_IsAnErrorUnlessAllowed()
    {
        var bytes = new WavBytes().Fmt(1, 1, 8000, 16).Data(WavBytes.Pcm16(1, 2, 3), declaredSize: 100).ToArray();
        var error = Assert.Throws<WavFormatException>(() => WavReader.Open(new MemoryStream(bytes), "x.wav"));
        Assert.Contains("AllowTruncatedData", error.Message);
    }

    [Fact]
    public void RandomlyCorruptedFiles_EitherReadOrFailWithWavFormatException()
    {
        var valid = new WavBytes().Raw("JUNK", new byte[3]).FmtExtensible(1, 3, 48000, 24, 24, 7)
            .Data(WavBytes.Pcm24(Enumerable.Range(0, 300).ToArray())).Raw("LIST", new byte[6]).ToArray();
        var random = new Random(42);
        var buffer = new float[3 * 50];
        for (var trial = 0; trial < 3000; trial++)
        {
            var bytes = (byte[])valid.Clone();
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                bytes[random.Next(Math.Min(bytes.Length, 80))] = (byte)random.Next(256);
            }

            var length = random.Next(4) == 0 ? random.Next(bytes.Length) : bytes.Length;
            var seekable = trial % 2 == 0;
            Stream stream = seekable ? new MemoryStream(bytes, 0, length) : new UnseekableStream(new MemoryStream(bytes, 0, length));
            try
            {
                using var reader = WavReader.Open(stream, "fuzz.wav");
                var total = 0L;
                int read;
                while ((read = reader.Read(buffer)) > 0)
                {
                    total += read;
                    Assert.True(total <= bytes.Length, "a reader must not produce more samples than bytes");
                }
            }
            catch (WavFormatException error)
            {
                Assert.InRange(error.Offset, 0, length);
            }
        }
    }
}
