using System.Text;
using SpatialAudio.Filters.Audio;
using SpatialAudio.Filters.Wav;

namespace SpatialAudio.Filters.Tests.Wav;

public sealed class WavWriterTests
{
    /// <summary>Values exactly on the encoding's grid (so the round trip must be bit-exact), extremes included.</summary>
    internal static float[] GridValues(WavEncoding encoding, int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = encoding switch
            {
                WavEncoding.Pcm8 => random.Next(-128, 128) / 128f,
                WavEncoding.Pcm16 => random.Next(-32768, 32768) / 32768f,
                WavEncoding.Pcm24 => random.Next(-8388608, 8388608) / 8388608f,
                // Float holds 24 significant bits: multiples of 2^8 are on both grids.
                WavEncoding.Pcm32 => (float)(random.Next(-8388608, 8388608) * 256.0 / 2147483648.0),
                _ => (float)((random.NextDouble() * 4) - 2) * MathF.Pow(2, random.Next(-30, 3)),
            };
        }

        if (!encoding.IsFloat())
        {
            var bits = encoding.BitsPerSample();
            values[0] = -1f;
            values[^1] = (float)(1 - Math.Pow(2, bits == 32 ? -24 : 1 - bits));
        }

        return values;
    }

    [Theory]
    [MemberData(nameof(EncodingsTimesChannels))]
    public void WriteThenRead_IsExactOnTheGrid(WavEncoding encoding, int channels)
    {
        using var folder = new TempFolder();
        var path = folder.File("x.wav");
        var values = GridValues(encoding, channels * 1001, channels);
        using (var writer = WavWriter.Create(path, new AudioFormat(44100, channels), encoding))
        {
            writer.Write(values);
            writer.Complete();
            Assert.Equal(0, writer.ClippedSampleCount);
        }

        using var reader = WavReader.Open(path);
        Assert.Equal(encoding, reader.FileFormat.Encoding);
        Assert.Equal(new AudioFormat(44100, channels), reader.Format);
        Assert.Equal(1001, reader.FileFormat.FrameCount);
        var read = new float[values.Length + channels];
        Assert.Equal(values.Length, reader.Read(read));
        Assert.Equal(values, read[..values.Length]);
    }

    public static TheoryData<WavEncoding, int> EncodingsTimesChannels()
    {
        var data = new TheoryData<WavEncoding, int>();
        foreach (var encoding in Enum.GetValues<WavEncoding>())
        {
            foreach (var channels in new[] { 1, 2, 3, 8, 32 })
            {
                data.Add(encoding, channels);
            }
        }

        return data;
    }

    [Theory]
    [InlineData(WavEncoding.Pcm8)]
    [InlineData(WavEncoding.Pcm16)]
    [InlineData(WavEncoding.Pcm24)]
    [InlineData(WavEncoding.Pcm32)]
    public void FloatToPcm_RoundsHalfToEvenAndClips_LikeANaiveReference(WavEncoding encoding)
    {
        var bits = encoding.BitsPerSample();
        var scale = Math.Pow(2, bits - 1);
        var random = new Random(bits);
        var values = Enumerable.Range(0, 20000).Select(_ => (float)((random.NextDouble() * 2.4) - 1.2)).ToList();
        values.AddRange([1f, -1f, 0.5f / (float)scale, 1.5f / (float)scale, -2.5f / (float)scale, float.NaN, float.PositiveInfinity, float.NegativeInfinity]);

        var stream = new MemoryStream();
        long clipped;
        using (var writer = WavWriter.Create(stream, new AudioFormat(48000, 1), encoding, leaveOpen: true))
        {
            writer.Write(values.ToArray());
            writer.Complete();
            clipped = writer.ClippedSampleCount;
        }

        var bytes = stream.ToArray();
        var dataStart = FindChunk(bytes, "data") + 8;
        var expectedClipped = 0;
        for (var i = 0; i < values.Count; i++)
        {
            double expected;
            var x = values[i];
            if (double.IsNaN(x))
            {
                expected = 0;
                expectedClipped++;
            }
            else
            {
                expected = Math.Round(x * scale, MidpointRounding.ToEven);
                if (expected > scale - 1 || expected < -scale)
                {
                    expectedClipped++;
                    expected = Math.Clamp(expected, -scale, scale - 1);
                }
            }

            Assert.Equal((long)expected, DecodeCode(bytes, dataStart, i, bits));
        }

        Assert.Equal(expectedClipped, clipped);
    }

    [Fact]
    public void TpdfDither_LinearizesASubLsbLevel()
    {
        var quarterLsb = new float[100_000];
        Array.Fill(quarterLsb, 0.25f / 32768f);
        var plain = EncodeCodes(quarterLsb, new WavWriteOptions());
        var dithered = EncodeCodes(quarterLsb, new WavWriteOptions { Dither = true, DitherSeed = 7 });

        Assert.All(plain, code => Assert.Equal(0, code));
        Assert.All(dithered, code => Assert.InRange(code, -1, 1));
        Assert.InRange(dithered.Average(), 0.24, 0.26);
        // TPDF (+-1 LSB) plus rounding: total error variance 1/6 + 1/12 = 1/4 LSB^2 for a level between codes.
        var variance = dithered.Select(c => (c - 0.25) * (c - 0.25)).Average();
        Assert.InRange(variance, 0.2, 0.3);
        Assert.Equal(dithered, EncodeCodes(quarterLsb, new WavWriteOptions { Dither = true, DitherSeed = 7 }));
    }

    private static long[] EncodeCodes(float[] values, WavWriteOptions options)
    {
        var stream = new MemoryStream();
        using (var writer = WavWriter.Create(stream, new AudioFormat(48000, 1), WavEncoding.Pcm16, options, leaveOpen: true))
        {
            writer.Write(values);
            writer.Complete();
        }

        var bytes = stream.ToArray();
        var start = FindChunk(bytes, "data") + 8;
        return Enumerable.Range(0, values.Length).Select(i => DecodeCode(bytes, start, i, 16)).ToArray();
    }

    private static long DecodeCode(byte[] bytes, int dataStart, int index, int bits)
    {
        var size = bits / 8;
        var offset = dataStart + (index * size);
        if (bits == 8)
        {
            return bytes[offset] - 128;
        }

        long value = 0;
        for (var b = size - 1; b >= 0; b--)
        {
            value = (value << 8) | bytes[offset + b];
        }

        return value >= 1L << (bits - 1) ? value - (1L << bits) : value;
    }

    internal static int FindChunk(byte[] bytes, string id)
    {
        var position = 12;
        while (position + 8 <= bytes.Length)
        {
            var size = BitConverter.ToUInt32(bytes, position + 4);
            if (Encoding.ASCII.GetString(bytes, position, 4) == id)
            {
                return position;
            }

            position += 8 + (int)size + (int)(size & 1);
        }

        return -1;
    }

    private static byte[] WriteToBytes(int channels, WavEncoding encoding, WavWriteOptions? options, int frames)
    {
        var stream = new MemoryStream();
        using var writer = WavWriter.Create(stream, new AudioFormat(48000, channels), encoding, options, leaveOpen: true);
        writer.Write(new float[frames * channels]);
        writer.Complete();
        return stream.ToArray();
    }

    [Theory]
    [InlineData(2, WavEncoding.Pcm16, null, false, 1, 16, 0x0u)]
    [InlineData(1, WavEncoding.Pcm8, null, false, 1, 16, 0x0u)]
    [InlineData(1, WavEncoding.Pcm16, null, false, 1, 16, 0x0u)]
    [InlineData(2, WavEncoding.IeeeFloat32, false, false, 3, 18, 0x0u)]
    [InlineData(2, WavEncoding.IeeeFloat32, null, true, 3, 40, 0x3u)]
    [InlineData(2, WavEncoding.Pcm24, null, true, 1, 40, 0x3u)]
    [InlineData(3, WavEncoding.Pcm16, null, true, 1, 40, 0x7u)]
    [InlineData(6, WavEncoding.Pcm16, null, true, 1, 40, 0x3Fu)]
    [InlineData(8, WavEncoding.IeeeFloat64, null, true, 3, 40, 0x63Fu)]
    [InlineData(12, WavEncoding.Pcm32, null, true, 1, 40, 0x0u)]
    [InlineData(1, WavEncoding.Pcm24, null, true, 1, 40, 0x4u)]
    public void Header_FollowsMicrosoftsExtensibleRule(int channels, WavEncoding encoding, bool? forceExtensible, bool extensible,
        int subTag, int fmtSize, uint mask)
    {
        const int frames = 3;
        var bytes = WriteToBytes(channels, encoding, new WavWriteOptions { UseExtensible = forceExtensible }, frames);
        using var r = new BinaryReader(new MemoryStream(bytes));
        var bits = encoding.BitsPerSample();
        var dataBytes = frames * channels * bits / 8;
        Assert.Equal("RIFF", Encoding.ASCII.GetString(r.ReadBytes(4)));
        Assert.Equal((uint)(bytes.Length - 8), r.ReadUInt32());
        Assert.Equal("WAVE", Encoding.ASCII.GetString(r.ReadBytes(4)));
        Assert.Equal("fmt ", Encoding.ASCII.GetString(r.ReadBytes(4)));
        Assert.Equal((uint)fmtSize, r.ReadUInt32());
        Assert.Equal(extensible ? 0xFFFE : subTag, r.ReadUInt16());
        Assert.Equal(channels, r.ReadUInt16());
        Assert.Equal(48000u, r.ReadUInt32());
        Assert.Equal((uint)(48000 * channels * bits / 8), r.ReadUInt32());
        Assert.Equal(channels * bits / 8, r.ReadUInt16());
        Assert.Equal(bits, r.ReadUInt16());
        if (fmtSize >= 18)
        {
            Assert.Equal(fmtSize - 18, r.ReadUInt16());
        }

        if (extensible)
        {
            Assert.Equal(bits, r.ReadUInt16());
            Assert.Equal(mask, r.ReadUInt32());
            Assert.Equal(new Guid($"{subTag:X8}-0000-0010-8000-00aa00389b71"), new Guid(r.ReadBytes(16)));
        }

        var fact = FindChunk(bytes, "fact");
        Assert.Equal(encoding.IsFloat(), fact >= 0);
        if (fact >= 0)
        {
            Assert.Equal(4u, BitConverter.ToUInt32(bytes, fact + 4));
            Assert.Equal((uint)frames, BitConverter.ToUInt32(bytes, fact + 8));
        }

        var data = FindChunk(bytes, "data");
        Assert.Equal((uint)dataBytes, BitConverter.ToUInt32(bytes, data + 4));
        Assert.Equal(data + 8 + dataBytes + (dataBytes & 1), bytes.Length);
    }

    [Fact]
    public void GivenChannelMask_IsWrittenAndReadBack()
    {
        var mask = WavChannelMask.FrontLeft | WavChannelMask.FrontRight | WavChannelMask.TopCenter;
        var stream = new MemoryStream();
        using (var writer = WavWriter.Create(stream, new AudioFormat(48000, 3), WavEncoding.Pcm16, new WavWriteOptions { ChannelMask = mask }, leaveOpen: true))
        {
            writer.Write(new float[30]);
            writer.Complete();
        }

        stream.Position = 0;
        using var reader = WavReader.Open(stream, "mem");
        Assert.Equal(mask, reader.FileFormat.ChannelMask);
    }

    [Fact]
    public void ContradictoryOptions_AreRejectedBeforeAnyFileIsCreated()
    {
        using var folder = new TempFolder();
        var format = new AudioFormat(48000, 2);
        Assert.Throws<ArgumentException>(() => WavWriter.Create(folder.File("a.wav"), format, WavEncoding.Pcm16,
            new WavWriteOptions { ChannelMask = WavChannelMask.Surround51 }));
        Assert.Throws<ArgumentException>(() => WavWriter.Create(folder.File("b.wav"), format, WavEncoding.Pcm16,
            new WavWriteOptions { ChannelMask = WavChannelMask.Stereo, UseExtensible = false }));
        Assert.Throws<ArgumentOutOfRangeException>(() => WavWriter.Create(folder.File("c.wav"), format, (WavEncoding)42));
        Assert.Throws<ArgumentException>(() => WavWriter.Create(folder.Path, format, WavEncoding.Pcm16));
        Assert.Throws<DirectoryNotFoundException>(() => WavWriter.Create(folder.File("no/such/dir.wav"), format, WavEncoding.Pcm16));
        Assert.Empty(folder.Entries());
    }

    [Fact]
    public void WhileWriting_OnlyATempFileExists_ThenCompleteRenamesIt()
    {
        using var folder = new TempFolder();
        var path = folder.File("out.wav");
        using var writer = WavWriter.Create(path, new AudioFormat(48000, 2), WavEncoding.Pcm24);
        writer.Write(new float[2000]);
        var entries = folder.Entries();
        Assert.Single(entries);
        Assert.Matches(@"^out\.wav\.[a-z0-9]+\.tmp$", entries[0]);
        writer.Complete();
        Assert.Equal(["out.wav"], folder.Entries());
        Assert.Equal(1000, WavFile.ReadAll(path).FrameCount);
        writer.Complete(); // idempotent
        Assert.Throws<ObjectDisposedException>(() => writer.Write(new float[2]));
    }

    [Fact]
    public void DisposeWithoutComplete_DeletesTheTempFile_AndKeepsTheOldTarget()
    {
        using var folder = new TempFolder();
        var path = folder.Write("out.wav", [1, 2, 3]);
        using (var writer = WavWriter.Create(path, new AudioFormat(48000, 1), WavEncoding.Pcm16))
        {
            writer.Write(new float[100]);
        }

        Assert.Equal(["out.wav"], folder.Entries());
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));

        var writer2 = WavWriter.Create(path, new AudioFormat(48000, 1), WavEncoding.Pcm16);
        writer2.Write(new float[10]);
        writer2.Abort();
        Assert.Equal(["out.wav"], folder.Entries());
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
    }

    [Fact]
    public void ExceptionWhileRendering_LeavesNoOutputAtAll()
    {
        using var folder = new TempFolder();
        var path = folder.File("render.wav");
        Assert.Throws<InvalidOperationException>(Render);
        Assert.Empty(folder.Entries());

        void Render()
        {
            using var writer = WavWriter.Create(path, new AudioFormat(48000, 2), WavEncoding.IeeeFloat32);
            writer.Write(new float[4096]);
            throw new InvalidOperationException("renderer failed");
        }
    }

    [Fact]
    public void CompleteOverwritesAnExistingTarget()
    {
        using var folder = new TempFolder();
        var path = folder.Write("out.wav", [9, 9, 9]);
        WavFile.Write(path, 48000, [new float[] { 0.5f, -0.5f }], WavEncoding.Pcm16);
        Assert.Equal([0.5f, -0.5f], WavFile.ReadAll(path).Channels[0]);
    }

    [Fact]
    public void DataBeyondTheRiffLimit_IsRefusedWithAClearError_AndTheFileSoFarCanStillComplete()
    {
        var stream = new MemoryStream();
        using var writer = WavWriter.Create(stream, new AudioFormat(48000, 2), WavEncoding.Pcm16, leaveOpen: true);

        // 44-byte header: RIFF size = 36 + data + pad must fit 32 bits.
        Assert.InRange(writer.MaxDataBytes, uint.MaxValue - 40L, uint.MaxValue - 37L);
        Assert.Equal(0, writer.MaxDataBytes % 4);

        writer.MaxDataBytes = 400;
        writer.Write(new float[200]);
        var error = Assert.Throws<InvalidOperationException>(() => writer.Write(new float[2]));
        Assert.Contains("RF64", error.Message);
        Assert.Contains("4 GiB", error.Message);
        writer.Complete();
        stream.Position = 0;
        using var reader = WavReader.Open(stream, "mem");
        Assert.Equal(100, reader.FileFormat.FrameCount);
    }

    [Fact]
    public void WritePlanar_EqualsInterleavedWrite()
    {
        var left = Enumerable.Range(0, 70000).Select(i => (i % 200) / 256f).ToArray();
        var right = left.Select(v => -v).ToArray();
        var interleaved = new float[left.Length * 2];
        Interleaving.Interleave([left, right], 0, interleaved);

        var a = new MemoryStream();
        using (var w = WavWriter.Create(a, new AudioFormat(48000, 2), WavEncoding.Pcm24, leaveOpen: true))
        {
            w.WritePlanar([left, right], 0, 30000);
            w.WritePlanar([left, right], 30000, 40000);
            w.Complete();
        }

        var b = new MemoryStream();
        using (var w = WavWriter.Create(b, new AudioFormat(48000, 2), WavEncoding.Pcm24, leaveOpen: true))
        {
            w.Write(interleaved);
            w.Complete();
        }

        Assert.Equal(b.ToArray(), a.ToArray());
    }

    [Theory]
    [InlineData(WavEncoding.Pcm16)]
    [InlineData(WavEncoding.Pcm24)]
    [InlineData(WavEncoding.IeeeFloat32)]
    public void Write_DoesNotAllocate(WavEncoding encoding)
    {
        using var folder = new TempFolder();
        using var writer = WavWriter.Create(folder.File("a.wav"), new AudioFormat(48000, 2), encoding, new WavWriteOptions { Dither = true });
        var block = Enumerable.Range(0, 2048).Select(i => MathF.Sin(i * 0.01f)).ToArray();
        writer.Write(block);
        var allocated = Support.Allocations.OnCurrentThread(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                writer.Write(block);
            }
        });
        Assert.Equal(0, allocated);
        writer.Complete();
    }

    [Fact]
    public void WavFile_WritesASourceAndReadsItBackPlanar()
    {
        using var folder = new TempFolder();
        var path = folder.File("sine.wav");
        var format = new AudioFormat(48000, 3);
        var result = WavFile.Write(path, SignalGenerator.Sine(format, 1000, 0.5), WavEncoding.IeeeFloat32, maxFrames: 10_000);
        Assert.Equal(new WavWriteResult(10_000, 0), result);

        var data = WavFile.ReadAll(path);
        Assert.Equal(format, data.Format);
        Assert.Equal(10_000, data.FrameCount);
        for (var n = 0; n < 10_000; n += 97)
        {
            var expected = 0.5 * Math.Sin(2 * Math.PI * 1000 * n / 48000);
            Assert.Equal(expected, data.Channels[0][n], 1e-6);
            Assert.Equal(data.Channels[0][n], data.Channels[2][n]);
        }
    }

    [Fact]
    public void WavFile_ReportsClipping()
    {
        using var folder = new TempFolder();
        var result = WavFile.Write(folder.File("c.wav"), 48000, [new[] { 0f, 1f, -1f, 2f, float.NaN }], WavEncoding.Pcm16);
        Assert.Equal(new WavWriteResult(5, 3), result);
    }
}
