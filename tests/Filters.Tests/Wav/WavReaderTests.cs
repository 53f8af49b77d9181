using SpatialAudio.Filters.Audio;
using SpatialAudio.Filters.Tests.Audio;
using SpatialAudio.Filters.Wav;

namespace SpatialAudio.Filters.Tests.Wav;

public sealed class WavReaderTests
{
    private static WavReader OpenBytes(byte[] bytes, WavReadOptions? options = null) =>
        WavReader.Open(new MemoryStream(bytes), "test.wav", options: options);

    private static float[] ReadAllInterleaved(WavReader reader) => SampleSourceContract.ReadWith(reader, _ => 333);

    [Fact]
    public void Pcm16_ValuesAreIntegersOver32768()
    {
        short[] values = [0, 1, -1, 32767, -32768, 12345, -54, 7];
        var bytes = new WavBytes().Fmt(1, 2, 48000, 16).Data(WavBytes.Pcm16(values)).ToArray();
        using var reader = OpenBytes(bytes);
        Assert.Equal(new AudioFormat(48000, 2), reader.Format);
        Assert.Equal(WavEncoding.Pcm16, reader.FileFormat.Encoding);
        Assert.False(reader.FileFormat.IsExtensible);
        Assert.Equal(4, reader.FileFormat.FrameCount);
        Assert.Equal(44, reader.FileFormat.DataOffset);
        Assert.Equal(values.Select(v => v / 32768f), ReadAllInterleaved(reader));
    }

    [Fact]
    public void Pcm8_IsUnsignedWith128AsZero()
    {
        byte[] values = [128, 0, 255, 129, 127];
        var bytes = new WavBytes().Fmt(1, 1, 8000, 8).Data(values).ToArray();
        using var reader = OpenBytes(bytes);
        Assert.Equal(values.Select(v => (v - 128) / 128f), ReadAllInterleaved(reader));
    }

    [Fact]
    public void Pcm24_ValuesAreIntegersOver2Pow23()
    {
        int[] values = [0, 1, -1, 8388607, -8388608, 1234567, -7654321];
        var bytes = new WavBytes().Fmt(1, 1, 44100, 24).Data(WavBytes.Pcm24(values)).ToArray();
        using var reader = OpenBytes(bytes);
        Assert.Equal(values.Select(v => (float)(v / 8388608.0)), ReadAllInterleaved(reader));
    }

    [Fact]
    public void Pcm32_ValuesAreIntegersOver2Pow31()
    {
        int[] values = [0, 256, -256, int.MaxValue, int.MinValue, 123456789];
        var bytes = new WavBytes().Fmt(1, 2, 96000, 32).Data(WavBytes.Pcm32(values)).ToArray();
        using var reader = OpenBytes(bytes);
        Assert.Equal(values.Select(v => (float)(v / 2147483648.0)), ReadAllInterleaved(reader));
    }

    [Fact]
    public void Float32_IsReadExactly()
    {
        float[] values = [0f, 1f, -1f, 1e-30f, float.Epsilon, 3.5f, -0.123456789f, float.MaxValue];
        var bytes = new WavBytes().Fmt(3, 1, 48000, 32, cbSize: true).Chunk("fact", w => w.Write(8u)).Data(WavBytes.Ieee32(values)).ToArray();
        using var reader = OpenBytes(bytes);
        Assert.Equal(WavEncoding.IeeeFloat32, reader.FileFormat.Encoding);
        Assert.Equal(values, ReadAllInterleaved(reader));
    }

    [Fact]
    public void Float64_IsRoundedToNearestFloat()
    {
        double[] values = [0.1, -0.7, 1.0 / 3.0, 1e-300, 0.5 + 1e-12];
        var bytes = new WavBytes().Fmt(3, 1, 48000, 64).Data(WavBytes.Ieee64(values)).ToArray();
        using var reader = OpenBytes(bytes);
        var read = ReadAllInterleaved(reader);
        for (var i = 0; i < values.Length; i++)
        {
            // Within half an ulp of the float nearest to the double.
            var ulp = MathF.BitIncrement(MathF.Abs(read[i])) - MathF.Abs(read[i]);
            Assert.True(Math.Abs(read[i] - values[i]) <= 0.5 * ulp, $"{read[i]} vs {values[i]}");
        }
    }

    [Theory]
    [InlineData(1, 24, 24, 0x3Fu)]
    [InlineData(3, 32, 32, 0x4u)]
    [InlineData(1, 24, 20, 0x0u)]
    [InlineData(1, 32, 24, 0x60Fu)]
    public void Extensible_SubformatAndMaskAreRead(int subTag, int bits, int validBits, uint mask)
    {
        const int channels = 6;
        var frame = new float[channels];
        byte[] data;
        if (subTag == 3)
        {
            frame = [0.5f, -0.25f, 0.125f, 1f, -1f, 0.75f];
            data = WavBytes.Ieee32(frame);
        }
        else if (bits == 24)
        {
            // Left-justified: 20 valid bits are the top of the 24-bit container.
            int[] codes = [16, -16, 1 << 22, -(1 << 23), (1 << 23) - 16, 4096];
            data = WavBytes.Pcm24(codes);
            frame = codes.Select(c => (float)(c / 8388608.0)).ToArray();
        }
        else
        {
            int[] codes = [256, -256, 1 << 30, int.MinValue, 0x7FFFFF00, -4096];
            data = WavBytes.Pcm32(codes);
            frame = codes.Select(c => (float)(c / 2147483648.0)).ToArray();
        }

        var bytes = new WavBytes().FmtExtensible((ushort)subTag, channels, 48000, bits, validBits, mask).Data(data).ToArray();
        using var reader = OpenBytes(bytes);
        Assert.True(reader.FileFormat.IsExtensible);
        Assert.Equal((WavChannelMask)mask, reader.FileFormat.ChannelMask);
        Assert.Equal(validBits, reader.FileFormat.ValidBitsPerSample);
        Assert.Equal(bits, reader.FileFormat.BitsPerSample);
        Assert.Equal(frame, ReadAllInterleaved(reader));
    }

    [Fact]
    public void ThirtyTwoChannels_AreRead()
    {
        var codes = Enumerable.Range(0, 32 * 3).Select(i => (short)((i * 977) - 30000)).ToArray();
        var bytes = new WavBytes().FmtExtensible(1, 32, 48000, 16, 16, 0).Data(WavBytes.Pcm16(codes)).ToArray();
        using var reader = OpenBytes(bytes);
        Assert.Equal(32, reader.Format.Channels);
        Assert.Equal(codes.Select(c => c / 32768f), ReadAllInterleaved(reader));
    }

    [Fact]
    public void UnknownChunks_AreSkippedWithPadByte_AndDataNeedNotBeLast()
    {
        short[] values = [1, 2, 3, 4];
        var bytes = new WavBytes()
            .Raw("JUNK", new byte[27])            // odd size: a pad byte follows
            .Fmt(1, 2, 44100, 16)
            .Raw("LIST", "INFOISFT\u0005\0\0\0abcd\0"u8.ToArray())
            .Raw("bext", new byte[3])
            .Chunk("cue ", w => w.Write(0u))
            .Data(WavBytes.Pcm16(values))
            .Raw("LIST", new byte[9])             // after data: never read
            .ToArray();
        using var reader = OpenBytes(bytes);
        Assert.Equal(values.Select(v => v / 32768f), ReadAllInterleaved(reader));
    }

    [Fact]
    public void OddSizedData_WithPadAndTrailingChunk_IsReadExactly()
    {
        byte[] samples = [10, 20, 30];
        var bytes = new WavBytes().Fmt(1, 1, 8000, 8).Data(samples).Raw("LIST", new byte[4]).ToArray();
        using var reader = OpenBytes(bytes);
        Assert.Equal(samples.Select(v => (v - 128) / 128f), ReadAllInterleaved(reader));
    }

    [Fact]
    public void StreamingPlaceholderSize_ReadsToEndOfFile()
    {
        short[] values = [5, 6, 7, 8, 9, 10];
        var bytes = new WavBytes(riffSize: uint.MaxValue).Fmt(1, 2, 48000, 16).Data(WavBytes.Pcm16(values), declaredSize: uint.MaxValue)
            .Bytes(0x01) // a stray partial frame at the end is ignored
            .ToArray();
        using var reader = OpenBytes(bytes);
        Assert.Equal(3, reader.FileFormat.FrameCount);
        Assert.Equal(values.Select(v => v / 32768f), ReadAllInterleaved(reader));
    }

    [Fact]
    public void StreamingPlaceholderSize_OnUnseekableStream_ReadsToEnd()
    {
        short[] values = Enumerable.Range(0, 5000).Select(i => (short)i).ToArray();
        var bytes = new WavBytes().Fmt(1, 1, 48000, 16).Data(WavBytes.Pcm16(values), declaredSize: uint.MaxValue).ToArray();
        using var reader = WavReader.Open(new UnseekableStream(new MemoryStream(bytes)), "pipe");
        Assert.Null(reader.FileFormat.FrameCount);
        Assert.Equal(values.Select(v => v / 32768f), ReadAllInterleaved(reader));
    }

    [Fact]
    public void UnseekableStream_SkipsChunksByReading()
    {
        short[] values = [1, -2, 3, -4];
        var bytes = new WavBytes().Raw("JUNK", new byte[4097]).Fmt(1, 1, 48000, 16).Raw("LIST", new byte[2001]).Data(WavBytes.Pcm16(values)).ToArray();
        using var reader = WavReader.Open(new UnseekableStream(new MemoryStream(bytes)), "pipe");
        Assert.Equal(values.Select(v => v / 32768f), ReadAllInterleaved(reader));
    }

    [Fact]
    public void TruncatedData_OnUnseekableStream_DeliversWhatIsThereThenThrows()
    {
        short[] values = [1, 2, 3, 4, 5, 6];
        var bytes = new WavBytes().Fmt(1, 1, 48000, 16).Data(WavBytes.Pcm16(values), declaredSize: 100).ToArray();
        using var reader = WavReader.Open(new UnseekableStream(new MemoryStream(bytes)), "pipe.wav");
        var buffer = new float[50];
        Assert.Equal(6, reader.Read(buffer));
        Assert.Equal(values.Select(v => v / 32768f), buffer[..6]);
        var error = Assert.Throws<WavFormatException>(() => reader.Read(buffer));
        Assert.Equal("pipe.wav", error.FilePath);
        Assert.Equal(bytes.Length, error.Offset);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void TruncatedData_WhenAllowed_ReadsWholeFramesThatExist()
    {
        short[] values = [1, 2, 3, 4, 5];
        var bytes = new WavBytes().Fmt(1, 2, 48000, 16).Data(WavBytes.Pcm16(values), declaredSize: 4000).ToArray();
        using var reader = OpenBytes(bytes, new WavReadOptions { AllowTruncatedData = true });
        Assert.True(reader.FileFormat.IsTruncated);
        Assert.Equal(2, reader.FileFormat.FrameCount);
        Assert.Equal(values[..4].Select(v => v / 32768f), ReadAllInterleaved(reader));
    }

    [Fact]
    public void BlockwiseReads_MatchOneShot_AndMeetTheSourceContract()
    {
        var codes = Enumerable.Range(0, 3 * 10007).Select(i => (int)(((i * 7919L) % 16777216) - 8388608)).ToArray();
        var bytes = new WavBytes().FmtExtensible(1, 3, 48000, 24, 24, 7).Data(WavBytes.Pcm24(codes)).ToArray();
        SampleSourceContract.Verify(() => OpenBytes(bytes));
    }

    [Fact]
    public void ReadPlanar_SplitsChannels()
    {
        var codes = Enumerable.Range(0, 2 * 40000).Select(i => (short)(i % 30000)).ToArray();
        var bytes = new WavBytes().Fmt(1, 2, 48000, 16).Data(WavBytes.Pcm16(codes)).ToArray();
        using var reader = OpenBytes(bytes);
        float[][] planar = [new float[40010], new float[40010]];
        Assert.Equal(40000, reader.ReadPlanar(planar, 5, 40005));
        for (var i = 0; i < 40000; i++)
        {
            Assert.Equal(codes[2 * i] / 32768f, planar[0][i + 5]);
            Assert.Equal(codes[(2 * i) + 1] / 32768f, planar[1][i + 5]);
        }
    }

    [Fact]
    public void SeekToFrame_RestartsThere()
    {
        var codes = Enumerable.Range(0, 2 * 1000).Select(i => (short)i).ToArray();
        var bytes = new WavBytes().Raw("JUNK", new byte[5]).Fmt(1, 2, 48000, 16).Data(WavBytes.Pcm16(codes)).ToArray();
        using var reader = OpenBytes(bytes);
        ReadAllInterleaved(reader);
        reader.SeekToFrame(990);
        Assert.Equal(990, reader.FramePosition);
        Assert.Equal(codes[1980..].Select(v => v / 32768f), ReadAllInterleaved(reader));
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.SeekToFrame(1001));
    }

    [Fact]
    public void Read_WithBufferNotWholeFrames_Throws()
    {
        var bytes = new WavBytes().Fmt(1, 2, 48000, 16).Data(WavBytes.Pcm16(1, 2)).ToArray();
        using var reader = OpenBytes(bytes);
        Assert.Throws<ArgumentException>(() => reader.Read(new float[3]));
    }

    [Theory]
    [InlineData(WavEncoding.Pcm16)]
    [InlineData(WavEncoding.Pcm24)]
    [InlineData(WavEncoding.IeeeFloat32)]
    [InlineData(WavEncoding.IeeeFloat64)]
    public void Read_AfterOpen_DoesNotAllocate(WavEncoding encoding)
    {
        using var folder = new TempFolder();
        var path = folder.File("a.wav");
        var noise = SignalGenerator.WhiteNoise(new AudioFormat(48000, 2), 0.5, 3, 48000 * 4);
        WavFile.Write(path, noise, encoding);
        using var reader = WavReader.Open(path);
        var buffer = new float[2 * 1024];
        reader.Read(buffer);
        var allocated = Support.Allocations.OnCurrentThread(() =>
        {
            while (reader.Read(buffer) > 0)
            {
            }
        });
        Assert.Equal(0, allocated);
    }
}
