using System.Text;

namespace SpatialAudio.Filters.Tests.Wav;

/// <summary>
/// An independent, hand-rolled WAV byte builder for tests: each field written explicitly with BinaryWriter,
/// so the reader is checked against the format as specified, not against our own writer.
/// </summary>
public sealed class WavBytes
{
    private readonly MemoryStream stream = new();
    private readonly BinaryWriter writer;

    public WavBytes(string riff = "RIFF", string form = "WAVE", uint? riffSize = null)
    {
        writer = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true);
        writer.Write(Encoding.ASCII.GetBytes(riff));
        writer.Write(riffSize ?? 0xDEADBEEF); // patched in ToArray unless given
        writer.Write(Encoding.ASCII.GetBytes(form));
        RiffSizeGiven = riffSize is not null;
    }

    private bool RiffSizeGiven { get; }

    /// <summary>A plain fmt chunk (16 bytes, or 18 with cbSize for float).</summary>
    public WavBytes Fmt(ushort tag, int channels, int rate, int bits, int? blockAlign = null, bool cbSize = false)
    {
        var align = blockAlign ?? channels * bits / 8;
        return Chunk("fmt ", w =>
        {
            w.Write(tag);
            w.Write((ushort)channels);
            w.Write((uint)rate);
            w.Write((uint)(rate * align));
            w.Write((ushort)align);
            w.Write((ushort)bits);
            if (cbSize)
            {
                w.Write((ushort)0);
            }
        });
    }

    /// <summary>A WAVE_FORMAT_EXTENSIBLE fmt chunk (40 bytes) with a KSDATAFORMAT subtype of <paramref name="subTag"/>.</summary>
    public WavBytes FmtExtensible(ushort subTag, int channels, int rate, int bits, int validBits, uint mask, byte[]? guidTail = null)
    {
        return Chunk("fmt ", w =>
        {
            w.Write((ushort)0xFFFE);
            w.Write((ushort)channels);
            w.Write((uint)rate);
            w.Write((uint)(rate * channels * bits / 8));
            w.Write((ushort)(channels * bits / 8));
            w.Write((ushort)bits);
            w.Write((ushort)22);
            w.Write((ushort)validBits);
            w.Write(mask);
            // KSDATAFORMAT_SUBTYPE_xxx = {0000xxxx-0000-0010-8000-00AA00389B71} in GUID byte order.
            w.Write((uint)subTag);
            w.Write((ushort)0);
            w.Write((ushort)0x0010);
            w.Write(guidTail ?? [0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]);
        });
    }

    public WavBytes Chunk(string id, Action<BinaryWriter> body, uint? declaredSize = null, bool pad = true)
    {
        var content = new MemoryStream();
        using (var w = new BinaryWriter(content, Encoding.ASCII, leaveOpen: true))
        {
            body(w);
        }

        return Raw(id, content.ToArray(), declaredSize, pad);
    }

    public WavBytes Raw(string id, byte[] content, uint? declaredSize = null, bool pad = true)
    {
        writer.Write(Encoding.ASCII.GetBytes(id));
        writer.Write(declaredSize ?? (uint)content.Length);
        writer.Write(content);
        if (pad && content.Length % 2 == 1)
        {
            writer.Write((byte)0);
        }

        return this;
    }

    public WavBytes Data(byte[] content, uint? declaredSize = null) => Raw("data", content, declaredSize);

    public WavBytes Bytes(params byte[] bytes)
    {
        writer.Write(bytes);
        return this;
    }

    public byte[] ToArray()
    {
        writer.Flush();
        var bytes = stream.ToArray();
        if (!RiffSizeGiven && bytes.Length >= 8)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        }

        return bytes;
    }

    // Sample encoders written from the format definition, independent of SampleCodec.
    public static byte[] Pcm16(params short[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            bytes[2 * i] = (byte)(values[i] & 0xFF);
            bytes[(2 * i) + 1] = (byte)((values[i] >> 8) & 0xFF);
        }

        return bytes;
    }

    public static byte[] Pcm24(params int[] values)
    {
        var bytes = new byte[values.Length * 3];
        for (var i = 0; i < values.Length; i++)
        {
            bytes[3 * i] = (byte)(values[i] & 0xFF);
            bytes[(3 * i) + 1] = (byte)((values[i] >> 8) & 0xFF);
            bytes[(3 * i) + 2] = (byte)((values[i] >> 16) & 0xFF);
        }

        return bytes;
    }

    public static byte[] Pcm32(params int[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    public static byte[] Ieee32(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    public static byte[] Ieee64(params double[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();
}

/// <summary>A temporary folder deleted at the end of a test.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "wavtests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, byte[] bytes)
    {
        var path = File(name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    public string[] Entries() => Directory.GetFileSystemEntries(Path).Select(System.IO.Path.GetFileName).ToArray()!;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>Wraps a stream and hides its ability to seek (a pipe or socket).</summary>
public sealed class UnseekableStream(Stream inner) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 1000));
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
