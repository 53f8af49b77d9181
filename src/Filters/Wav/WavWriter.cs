using System.Buffers.Binary;
using System.Runtime.InteropServices;
using SpatialAudio.Filters.Audio;

namespace SpatialAudio.Filters.Wav;

/// <summary>Streams interleaved float samples into a WAV file, never leaving a half-written file behind.</summary>
/// <remarks>
/// <para>A file writer writes to <c>name.wav.&lt;random&gt;.tmp</c> in the target's folder. <see cref="Complete"/>
/// patches the RIFF, data and fact sizes, flushes to disk and renames the temporary file over the target.
/// <see cref="Dispose"/> without <see cref="Complete"/> (an exception, an early return) or <see cref="Abort"/>
/// deletes the temporary file and leaves any existing target untouched. Until completed, the header's sizes hold
/// 0xFFFFFFFF, which <see cref="WavReader"/> reads as "to the end of the file".</para>
/// <para>Float to PCM: multiply by 2^(bits-1), optional TPDF dither, round half to even, clip; clipped samples
/// (including exactly +1.0, which has no PCM code) and NaNs (written as 0) are counted in
/// <see cref="ClippedSampleCount"/>. Float encodings store the values as they are.</para>
/// <para>RIFF sizes are 32-bit: data beyond 4 GiB is refused with <see cref="InvalidOperationException"/>
/// (RF64 is not written). Writes go through one fixed scratch buffer and allocate nothing. Not thread-safe.</para>
/// </remarks>
public sealed class WavWriter : IDisposable
{
    private const int ScratchBytes = 64 * 1024;
    private const uint UnknownSize = uint.MaxValue;

    private readonly Stream stream;
    private readonly bool leaveOpen;
    private readonly string? targetPath;
    private readonly string? tempPath;
    private readonly long streamStart;
    private readonly byte[] scratch;
    private readonly int scratchFrames;
    private readonly int channels;
    private readonly int blockAlign;
    private readonly bool useDither;
    private readonly int headerBytes;
    private readonly int dataSizeOffset;
    private readonly int factOffset;
    private SampleRandom dither;
    private float[]? planarScratch;
    private long dataBytes;
    private State state;

    private WavWriter(Stream stream, bool leaveOpen, string? targetPath, string? tempPath, AudioFormat format,
        WavEncoding encoding, WavWriteOptions options)
    {
        this.stream = stream;
        this.leaveOpen = leaveOpen;
        this.targetPath = targetPath;
        this.tempPath = tempPath;
        Format = format;
        Encoding = encoding;
        channels = format.Channels;
        blockAlign = channels * encoding.BytesPerSample();
        scratch = new byte[ScratchBytes];
        scratchFrames = ScratchBytes / blockAlign;
        useDither = options.Dither && !encoding.IsFloat();
        dither = new SampleRandom(options.DitherSeed);

        IsExtensible = options.UseExtensible ?? (channels > 2 || encoding.BitsPerSample() > 16 || options.ChannelMask is not null);
        ChannelMask = IsExtensible ? options.ChannelMask ?? WavChannelMasks.DefaultFor(channels) : WavChannelMask.None;

        Span<byte> header = stackalloc byte[80];
        headerBytes = BuildHeader(header, encoding, out dataSizeOffset, out factOffset);
        streamStart = stream.Position;
        stream.Write(header[..headerBytes]);

        // The RIFF size counts everything after its own 8 bytes, plus a pad byte after odd data.
        var limit = uint.MaxValue - (headerBytes - 8L) - 1;
        MaxDataBytes = limit - (limit % blockAlign);
    }

    private enum State
    {
        Open,
        Faulted,
        Completed,
        Closed,
    }

    /// <summary>Creates <paramref name="path"/> (through a temporary file, see remarks of <see cref="WavWriter"/>).</summary>
    /// <param name="path">Target file; replaced on <see cref="Complete"/> if it exists.</param>
    /// <param name="format">Sample rate and channel count.</param>
    /// <param name="encoding">Sample storage.</param>
    /// <param name="options">Header and dither choices; null for defaults.</param>
    /// <exception cref="ArgumentException">Inconsistent options (see <see cref="WavWriteOptions"/>), or the path is a directory.</exception>
    /// <exception cref="DirectoryNotFoundException">The target's folder does not exist.</exception>
    public static WavWriter Create(string path, AudioFormat format, WavEncoding encoding, WavWriteOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= WavWriteOptions.Default;
        Validate(format, encoding, options);
        var fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            throw new ArgumentException($"'{path}' is a directory.", nameof(path));
        }

        var folder = Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The folder '{folder}' for '{path}' does not exist.");
        }

        var tempPath = $"{fullPath}.{Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal)}.tmp";
        var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        try
        {
            return new WavWriter(stream, leaveOpen: false, fullPath, tempPath, format, encoding, options);
        }
        catch
        {
            stream.Dispose();
            File.Delete(tempPath);
            throw;
        }
    }

    /// <summary>Writes WAV data into a stream, from its current position (no temporary file, no rename).</summary>
    /// <remarks>Disposing without <see cref="Complete"/> leaves the stream as written so far, sizes unpatched.</remarks>
    /// <param name="stream">Writable, seekable stream (the sizes are patched at the end).</param>
    /// <param name="format">Sample rate and channel count.</param>
    /// <param name="encoding">Sample storage.</param>
    /// <param name="options">Header and dither choices; null for defaults.</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open after <see cref="Complete"/> or <see cref="Dispose"/>.</param>
    /// <exception cref="ArgumentException">The stream cannot write or seek, or inconsistent options.</exception>
    public static WavWriter Create(Stream stream, AudioFormat format, WavEncoding encoding, WavWriteOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite || !stream.CanSeek)
        {
            throw new ArgumentException("The stream must be writable and seekable.", nameof(stream));
        }

        options ??= WavWriteOptions.Default;
        Validate(format, encoding, options);
        return new WavWriter(stream, leaveOpen, targetPath: null, tempPath: null, format, encoding, options);
    }

    /// <summary>Sample rate and channel count.</summary>
    public AudioFormat Format { get; }

    /// <summary>Sample storage.</summary>
    public WavEncoding Encoding { get; }

    /// <summary>True when the header is WAVE_FORMAT_EXTENSIBLE.</summary>
    public bool IsExtensible { get; }

    /// <summary>The channel mask written (EXTENSIBLE only; <see cref="WavChannelMask.None"/> otherwise).</summary>
    public WavChannelMask ChannelMask { get; }

    /// <summary>Frames written so far.</summary>
    public long FramesWritten => dataBytes / blockAlign;

    /// <summary>Samples clipped to the PCM range or written as 0 because they were NaN.</summary>
    public long ClippedSampleCount { get; private set; }

    /// <summary>The target path (null for a stream writer).</summary>
    public string? FilePath => targetPath;

    /// <summary>Largest data chunk the 32-bit RIFF sizes allow for this header, in bytes; settable lower for tests.</summary>
    internal long MaxDataBytes { get; set; }

    /// <summary>Appends interleaved frames.</summary>
    /// <param name="interleaved">Samples; length a multiple of the channel count.</param>
    /// <exception cref="ArgumentException">The length is not a multiple of the channel count.</exception>
    /// <exception cref="InvalidOperationException">The data would exceed 4 GiB, or the writer failed earlier.</exception>
    /// <exception cref="ObjectDisposedException">The writer is completed or disposed.</exception>
    public void Write(ReadOnlySpan<float> interleaved)
    {
        ThrowIfNotOpen();
        if (interleaved.Length % channels != 0)
        {
            throw new ArgumentException($"Length {interleaved.Length} is not a multiple of {channels} channels.", nameof(interleaved));
        }

        var bytes = (long)interleaved.Length / channels * blockAlign;
        if (dataBytes + bytes > MaxDataBytes)
        {
            throw new InvalidOperationException(
                $"{targetPath ?? "WAV stream"}: the data would exceed {MaxDataBytes} bytes, the limit of 32-bit RIFF sizes " +
                "(about 4 GiB; RF64 is not supported). Split the output or use fewer channels or bits.");
        }

        try
        {
            if (Encoding == WavEncoding.IeeeFloat32 && BitConverter.IsLittleEndian)
            {
                stream.Write(MemoryMarshal.AsBytes(interleaved));
            }
            else
            {
                var samplesPerChunk = scratchFrames * channels;
                var bytesPerSample = blockAlign / channels;
                for (var start = 0; start < interleaved.Length; start += samplesPerChunk)
                {
                    var chunk = interleaved.Slice(start, Math.Min(samplesPerChunk, interleaved.Length - start));
                    var encoded = scratch.AsSpan(0, chunk.Length * bytesPerSample);
                    ClippedSampleCount += SampleCodec.Encode(Encoding, chunk, encoded, ref dither, useDither);
                    stream.Write(encoded);
                }
            }

            dataBytes += bytes;
        }
        catch
        {
            state = State.Faulted;
            throw;
        }
    }

    /// <summary>Appends frames taken from one array per channel.</summary>
    /// <param name="source">One array per channel (exactly <see cref="AudioFormat.Channels"/>).</param>
    /// <param name="offset">First frame taken from each array.</param>
    /// <param name="frameCount">Frames to write; each array must hold <paramref name="offset"/> + this many.</param>
    /// <exception cref="ArgumentException">Wrong channel count or arrays too short.</exception>
    /// <exception cref="InvalidOperationException">The data would exceed 4 GiB, or the writer failed earlier.</exception>
    public void WritePlanar(ReadOnlySpan<float[]> source, int offset, int frameCount)
    {
        ThrowIfNotOpen();
        if (source.Length != channels)
        {
            throw new ArgumentException($"Expected {channels} channel arrays, got {source.Length}.", nameof(source));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);
        planarScratch ??= new float[scratchFrames * channels];
        for (var done = 0; done < frameCount;)
        {
            var frames = Math.Min(frameCount - done, scratchFrames);
            var block = planarScratch.AsSpan(0, frames * channels);
            Interleaving.Interleave(source, offset + done, block);
            Write(block);
            done += frames;
        }
    }

    /// <summary>Finishes the file: patches the sizes, flushes to disk and renames the temporary file over the target.</summary>
    /// <remarks>Calling it again does nothing.</remarks>
    /// <exception cref="InvalidOperationException">An earlier write failed; the file is discarded.</exception>
    public void Complete()
    {
        if (state == State.Completed)
        {
            return;
        }

        ThrowIfNotOpen();
        try
        {
            var pad = (int)(dataBytes & 1);
            if (pad == 1)
            {
                stream.WriteByte(0);
            }

            var end = stream.Position;
            PatchUInt32(4, (uint)(headerBytes - 8 + dataBytes + pad));
            PatchUInt32(dataSizeOffset, (uint)dataBytes);
            if (factOffset >= 0)
            {
                PatchUInt32(factOffset, (uint)FramesWritten);
            }

            stream.Position = end;
            if (stream is FileStream file)
            {
                file.Flush(flushToDisk: true);
            }
            else
            {
                stream.Flush();
            }

            if (tempPath is not null)
            {
                stream.Dispose();
                File.Move(tempPath, targetPath!, overwrite: true);
            }
            else if (!leaveOpen)
            {
                stream.Dispose();
            }

            state = State.Completed;
        }
        catch
        {
            state = State.Faulted;
            Dispose();
            throw;
        }
    }

    /// <summary>Abandons the file: the temporary file is deleted and the target is left as it was.</summary>
    public void Abort() => Dispose();

    /// <summary>Completed: nothing left to do. Otherwise the same as <see cref="Abort"/>.</summary>
    public void Dispose()
    {
        if (state is State.Completed or State.Closed)
        {
            return;
        }

        state = State.Closed;
        if (tempPath is not null)
        {
            stream.Dispose();
            try
            {
                File.Delete(tempPath);
            }
            catch (IOException)
            {
                // Best effort: Dispose must not throw; the .tmp name marks the leftover as incomplete.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        else if (!leaveOpen)
        {
            stream.Dispose();
        }
    }

    private static void Validate(AudioFormat format, WavEncoding encoding, WavWriteOptions options)
    {
        if (format.Channels == 0)
        {
            throw new ArgumentException("Format is uninitialized.", nameof(format));
        }

        if (!Enum.IsDefined(encoding))
        {
            throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown WAV encoding.");
        }

        if (options.ChannelMask is { } mask)
        {
            if (options.UseExtensible == false)
            {
                throw new ArgumentException("A channel mask needs WAVE_FORMAT_EXTENSIBLE; UseExtensible is false.", nameof(options));
            }

            if (WavChannelMasks.PositionCount(mask) > format.Channels)
            {
                throw new ArgumentException(
                    $"Channel mask {mask} has more positions than the {format.Channels} channels.", nameof(options));
            }
        }
    }

    private int BuildHeader(Span<byte> header, WavEncoding encoding, out int dataSize, out int fact)
    {
        var isFloat = encoding.IsFloat();
        var bits = encoding.BitsPerSample();
        var fmtSize = IsExtensible ? 40 : isFloat ? 18 : 16;
        header.Clear();
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], UnknownSize);
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], (uint)fmtSize);
        var fmt = header[20..];
        var tag = (ushort)(isFloat ? 3 : 1);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, IsExtensible ? (ushort)0xFFFE : tag);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt[2..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt[4..], (uint)Format.SampleRateHz);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt[8..], (uint)(Format.SampleRateHz * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt[12..], (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt[14..], (ushort)bits);
        if (IsExtensible)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(fmt[16..], 22);
            BinaryPrimitives.WriteUInt16LittleEndian(fmt[18..], (ushort)bits);
            BinaryPrimitives.WriteUInt32LittleEndian(fmt[20..], (uint)ChannelMask);
            KsDataFormatGuid(tag).CopyTo(fmt[24..]);
        }

        // cbSize of a plain float header stays 0 (already cleared).
        var next = 20 + fmtSize;
        fact = -1;
        if (isFloat)
        {
            // Non-PCM formats carry a fact chunk with the frame count.
            "fact"u8.CopyTo(header[next..]);
            BinaryPrimitives.WriteUInt32LittleEndian(header[(next + 4)..], 4);
            fact = next + 8;
            BinaryPrimitives.WriteUInt32LittleEndian(header[fact..], UnknownSize);
            next += 12;
        }

        "data"u8.CopyTo(header[next..]);
        dataSize = next + 4;
        BinaryPrimitives.WriteUInt32LittleEndian(header[dataSize..], UnknownSize);
        return next + 8;
    }

    private static byte[] KsDataFormatGuid(ushort tag) =>
        [(byte)tag, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    private void PatchUInt32(int offset, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        stream.Position = streamStart + offset;
        stream.Write(bytes);
    }

    private void ThrowIfNotOpen()
    {
        ObjectDisposedException.ThrowIf(state is State.Completed or State.Closed, this);
        if (state == State.Faulted)
        {
            throw new InvalidOperationException("An earlier write failed; the WAV file is discarded.");
        }
    }
}
