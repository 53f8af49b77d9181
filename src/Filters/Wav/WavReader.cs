using System.Buffers.Binary;
using System.Runtime.InteropServices;
using SpatialAudio.Filters.Audio;

namespace SpatialAudio.Filters.Wav;

/// <summary>Streams the samples of a WAV file as interleaved float, a block at a time.</summary>
/// <remarks>
/// <para>Reads PCM 8 (unsigned), 16, 24 and 32 bit, IEEE float 32 and 64 bit, plain or WAVE_FORMAT_EXTENSIBLE
/// (PCM or IEEE float subformat), 1..<see cref="AudioFormat.MaxChannels"/> channels. Chunks other than
/// <c>fmt </c> and <c>data</c> are skipped (with their RIFF pad byte); chunks after <c>data</c> are never read.
/// PCM becomes float by dividing by 2^(bits-1) (see <see cref="WavEncoding"/>).</para>
/// <para>Sizes: a data size of 0xFFFFFFFF (left by a writer that streamed and never patched its header) means
/// "to the end of the file". A data size larger than the file is an error at <see cref="Open(string, WavReadOptions?)"/>
/// (or, on an unseekable stream, from the <see cref="Read"/> that hits the end) unless
/// <see cref="WavReadOptions.AllowTruncatedData"/> is set. Trailing bytes that do not fill a frame are ignored.
/// RF64 (files over 4 GiB) is not supported and named as such.</para>
/// <para>Every problem with the file is a <see cref="WavFormatException"/> naming the file, byte offset and problem.
/// After opening, reads go through one fixed scratch buffer and allocate nothing. Not thread-safe.</para>
/// </remarks>
public sealed class WavReader : ISampleSource, IDisposable
{
    private const int ScratchBytes = 64 * 1024;
    private const int MaxFmtBytesParsed = 40;
    private const ushort TagPcm = 1;
    private const ushort TagFloat = 3;
    private const ushort TagExtensible = 0xFFFE;

    private readonly Stream stream;
    private readonly bool leaveOpen;
    private readonly long streamStart;
    private readonly byte[] scratch;
    private readonly int scratchFrames;
    private readonly WavEncoding encoding;
    private readonly int channels;
    private readonly int blockAlign;
    private readonly bool allowTruncated;
    private float[]? planarScratch;
    private long position;
    private bool ended;
    private WavFormatException? pendingError;
    private bool disposed;

    private WavReader(Stream stream, string displayName, bool leaveOpen, WavReadOptions options)
    {
        this.stream = stream;
        this.leaveOpen = leaveOpen;
        FilePath = displayName;
        allowTruncated = options.AllowTruncatedData;
        streamStart = stream.CanSeek ? stream.Position : 0;
        scratch = new byte[ScratchBytes];
        FileFormat = ReadHeader();
        encoding = FileFormat.Encoding;
        channels = FileFormat.Channels;
        blockAlign = FileFormat.BlockAlign;
        scratchFrames = ScratchBytes / blockAlign;
        Format = new AudioFormat(FileFormat.SampleRateHz, channels);
    }

    /// <summary>Opens a WAV file and reads its header.</summary>
    /// <param name="path">File path.</param>
    /// <param name="options">Leniency options; null for strict.</param>
    /// <exception cref="FileNotFoundException">The path does not exist or is a directory (the message names it).</exception>
    /// <exception cref="WavFormatException">The header is malformed or unsupported.</exception>
    public static WavReader Open(string path, WavReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' is a directory, not a WAV file.", path);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"WAV file '{path}' does not exist.", path);
        }

        // Unbuffered: the reader's own scratch buffer is the only buffer.
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        try
        {
            return new WavReader(stream, path, leaveOpen: false, options ?? WavReadOptions.Default);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads WAV data from a stream, starting at its current position.</summary>
    /// <remarks>Offsets in errors count from that position. An unseekable stream works too, except for <see cref="SeekToFrame"/>.</remarks>
    /// <param name="stream">Readable stream.</param>
    /// <param name="displayName">Name used in error messages (e.g. the URL or the archive entry).</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open on <see cref="Dispose"/>.</param>
    /// <param name="options">Leniency options; null for strict.</param>
    /// <exception cref="WavFormatException">The header is malformed or unsupported.</exception>
    public static WavReader Open(Stream stream, string displayName, bool leaveOpen = false, WavReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(displayName);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream is not readable.", nameof(stream));
        }

        return new WavReader(stream, displayName, leaveOpen, options ?? WavReadOptions.Default);
    }

    /// <summary>Sample rate and channel count of the float samples <see cref="Read"/> produces.</summary>
    public AudioFormat Format { get; }

    /// <summary>What the header says: encoding, bits, channel mask, frame count, data offset.</summary>
    public WavFileFormat FileFormat { get; }

    /// <summary>The path or display name given when opening.</summary>
    public string FilePath { get; }

    /// <summary>Index of the next frame <see cref="Read"/> returns.</summary>
    public long FramePosition { get; private set; }

    /// <summary>Reads interleaved samples; see <see cref="ISampleSource.Read"/>.</summary>
    /// <param name="buffer">Destination; its length must be a multiple of the channel count.</param>
    /// <returns>Samples written; 0 at the end of the data.</returns>
    /// <exception cref="ArgumentException">The buffer length is not a multiple of the channel count.</exception>
    /// <exception cref="WavFormatException">The file ends before the size its data chunk declares.</exception>
    public int Read(Span<float> buffer)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (buffer.Length % channels != 0)
        {
            throw new ArgumentException($"Buffer length {buffer.Length} is not a multiple of {channels} channels.", nameof(buffer));
        }

        if (pendingError is not null)
        {
            throw pendingError;
        }

        if (ended)
        {
            return 0;
        }

        var framesLeft = FileFormat.FrameCount is { } count ? count - FramePosition : long.MaxValue;
        var wanted = (int)Math.Min(buffer.Length / channels, framesLeft);
        var done = 0;
        while (done < wanted)
        {
            var frames = Math.Min(wanted - done, scratchFrames);
            var bytes = frames * blockAlign;
            var destination = buffer.Slice(done * channels, frames * channels);
            int got;
            if (encoding == WavEncoding.IeeeFloat32 && BitConverter.IsLittleEndian)
            {
                got = ReadFully(MemoryMarshal.AsBytes(destination));
            }
            else
            {
                got = ReadFully(scratch.AsSpan(0, bytes));
                var whole = got / blockAlign;
                SampleCodec.Decode(encoding, scratch.AsSpan(0, whole * blockAlign), destination[..(whole * channels)]);
            }

            done += got / blockAlign;
            FramePosition += got / blockAlign;
            if (got < bytes)
            {
                ended = true;
                if (FileFormat.FrameCount is { } declared && !allowTruncated)
                {
                    // Deliver what was read now; the error comes with the next call.
                    pendingError = Error(position,
                        $"the file ends inside the 'data' chunk after {FramePosition} of {declared} frames (truncated file)");
                    if (done == 0)
                    {
                        throw pendingError;
                    }
                }

                break;
            }
        }

        return done * channels;
    }

    /// <summary>Reads up to <paramref name="frameCount"/> frames into one array per channel.</summary>
    /// <param name="destination">One array per channel (exactly <see cref="AudioFormat.Channels"/> of them).</param>
    /// <param name="offset">First frame written in each array.</param>
    /// <param name="frameCount">Frames wanted; each array must hold <paramref name="offset"/> + this many.</param>
    /// <returns>Frames read; fewer than wanted only at the end of the data.</returns>
    /// <exception cref="ArgumentException">Wrong channel count or arrays too short.</exception>
    /// <exception cref="WavFormatException">The file ends before the size its data chunk declares.</exception>
    public int ReadPlanar(ReadOnlySpan<float[]> destination, int offset, int frameCount)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (destination.Length != channels)
        {
            throw new ArgumentException($"Expected {channels} channel arrays, got {destination.Length}.", nameof(destination));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);
        foreach (var channel in destination)
        {
            if (channel is null || channel.Length - offset < frameCount)
            {
                throw new ArgumentException($"Every channel array must hold {offset} + {frameCount} samples.", nameof(destination));
            }
        }

        planarScratch ??= new float[scratchFrames * channels];
        var done = 0;
        while (done < frameCount)
        {
            var frames = Math.Min(frameCount - done, scratchFrames);
            var read = Read(planarScratch.AsSpan(0, frames * channels));
            if (read == 0)
            {
                break;
            }

            Interleaving.Deinterleave(planarScratch.AsSpan(0, read), destination, offset + done);
            done += read / channels;
        }

        return done;
    }

    /// <summary>Moves to a frame; the next <see cref="Read"/> starts there.</summary>
    /// <param name="frame">Frame index, 0..<see cref="WavFileFormat.FrameCount"/>.</param>
    /// <exception cref="NotSupportedException">The stream cannot seek, or the frame count is unknown.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="frame"/> is outside the data.</exception>
    public void SeekToFrame(long frame)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!stream.CanSeek || FileFormat.FrameCount is not { } count)
        {
            throw new NotSupportedException($"{FilePath}: the stream cannot seek.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frame, count);
        position = FileFormat.DataOffset + (frame * blockAlign);
        stream.Position = streamStart + position;
        FramePosition = frame;
        ended = false;
        pendingError = null;
    }

    /// <summary>Closes the file (or the stream, unless it was opened with leaveOpen).</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (!leaveOpen)
        {
            stream.Dispose();
        }
    }

    private WavFileFormat ReadHeader()
    {
        long? length = stream.CanSeek ? stream.Length - streamStart : null;
        Span<byte> header = stackalloc byte[12];
        var got = ReadFully(header);
        if (got == 0)
        {
            throw Error(0, "the file is empty (0 bytes), not a WAV file");
        }

        if (got < 12)
        {
            throw Error(got, $"truncated RIFF header: the file ends after {got} bytes, 12 are needed");
        }

        var riff = header[..4];
        if (!riff.SequenceEqual("RIFF"u8))
        {
            var problem = riff.SequenceEqual("RF64"u8) ? "RF64 (WAV over 4 GiB) is not supported"
                : riff.SequenceEqual("RIFX"u8) ? "big-endian RIFX files are not supported"
                : $"not a RIFF file: it starts with {DescribeFourCC(riff)}, not 'RIFF'";
            throw Error(0, problem);
        }

        if (!header[8..12].SequenceEqual("WAVE"u8))
        {
            throw Error(8, $"RIFF form type is {DescribeFourCC(header[8..12])}, not 'WAVE'");
        }

        Span<byte> chunkHeader = stackalloc byte[8];
        Span<byte> fmt = stackalloc byte[MaxFmtBytesParsed];
        WavFileFormat? format = null;
        while (true)
        {
            var chunkStart = position;
            got = ReadFully(chunkHeader);
            if (got == 0)
            {
                throw Error(chunkStart, format is null
                    ? "no 'fmt ' chunk before the end of the file"
                    : "no 'data' chunk before the end of the file");
            }

            if (got < 8)
            {
                throw Error(chunkStart, $"truncated chunk header: the file ends after {got} of its 8 bytes");
            }

            var id = chunkHeader[..4];
            long size = BinaryPrimitives.ReadUInt32LittleEndian(chunkHeader[4..]);
            if (id.SequenceEqual("data"u8))
            {
                if (format is null)
                {
                    throw Error(chunkStart, "the 'data' chunk comes before the 'fmt ' chunk");
                }

                return WithData(format, chunkStart, size, length);
            }

            long consumed = 0;
            if (id.SequenceEqual("fmt "u8) && format is null)
            {
                if (size < 16)
                {
                    throw Error(chunkStart, $"'fmt ' chunk is too short: {size} bytes, at least 16 are needed");
                }

                var wanted = (int)Math.Min(size, MaxFmtBytesParsed);
                got = ReadFully(fmt[..wanted]);
                if (got < wanted)
                {
                    throw Error(position, $"truncated 'fmt ' chunk: the file ends after {got} of its {size} bytes");
                }

                format = ParseFmt(fmt[..wanted], chunkStart + 8);
                consumed = wanted;
            }

            // Unknown chunks (LIST, fact, cue, JUNK, bext, a second fmt...) are skipped with their pad byte.
            if (length is { } total && chunkStart + 8 + size > total)
            {
                throw Error(chunkStart,
                    $"chunk {DescribeFourCC(id)} declares {size} bytes, but the file ends at byte {total}");
            }

            var skip = size - consumed + (size & 1);
            if (length is { } end)
            {
                skip = Math.Min(skip, end - position);
            }

            Skip(skip, chunkStart, id, size);
        }
    }

    private WavFileFormat ParseFmt(ReadOnlySpan<byte> fmt, long fmtOffset)
    {
        var tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        var channelCount = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        var sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        var align = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        var validBits = (int)bits;
        var mask = WavChannelMask.None;
        var isExtensible = tag == TagExtensible;
        var sampleTag = tag;
        if (isExtensible)
        {
            if (fmt.Length < 40)
            {
                throw Error(fmtOffset - 8,
                    $"'fmt ' chunk of WAVE_FORMAT_EXTENSIBLE is {fmt.Length} bytes, 40 are needed");
            }

            var extensionSize = BinaryPrimitives.ReadUInt16LittleEndian(fmt[16..]);
            if (extensionSize < 22)
            {
                throw Error(fmtOffset + 16, $"WAVE_FORMAT_EXTENSIBLE extension size (cbSize) is {extensionSize}, 22 are needed");
            }

            validBits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[18..]);
            mask = (WavChannelMask)BinaryPrimitives.ReadUInt32LittleEndian(fmt[20..]);
            var subFormat = fmt.Slice(24, 16);
            if (!subFormat[2..].SequenceEqual(KsDataFormatTail))
            {
                throw Error(fmtOffset + 24, $"unsupported WAVE_FORMAT_EXTENSIBLE subformat {new Guid(subFormat):B}");
            }

            sampleTag = BinaryPrimitives.ReadUInt16LittleEndian(subFormat);
        }

        if (sampleTag is not (TagPcm or TagFloat))
        {
            throw Error(isExtensible ? fmtOffset + 24 : fmtOffset,
                $"unsupported format tag 0x{sampleTag:X4} ({DescribeTag(sampleTag)}){(isExtensible ? " in WAVE_FORMAT_EXTENSIBLE" : "")}: " +
                "only PCM (1), IEEE float (3) and EXTENSIBLE with a PCM or float subformat are read");
        }

        if (channelCount == 0)
        {
            throw Error(fmtOffset + 2, "the file declares zero channels");
        }

        if (channelCount > AudioFormat.MaxChannels)
        {
            throw Error(fmtOffset + 2, $"the file declares {channelCount} channels, at most {AudioFormat.MaxChannels} are supported");
        }

        if (sampleRate is < AudioFormat.MinSampleRateHz or > AudioFormat.MaxSampleRateHz)
        {
            throw Error(fmtOffset + 4,
                $"sample rate {sampleRate} Hz is outside the supported {AudioFormat.MinSampleRateHz}..{AudioFormat.MaxSampleRateHz} Hz");
        }

        WavEncoding fileEncoding;
        if (sampleTag == TagPcm)
        {
            fileEncoding = bits switch
            {
                8 => WavEncoding.Pcm8,
                16 => WavEncoding.Pcm16,
                24 => WavEncoding.Pcm24,
                32 => WavEncoding.Pcm32,
                _ => throw Error(fmtOffset + 14, $"unsupported PCM sample container of {bits} bits (8, 16, 24 or 32 are read)"),
            };
        }
        else
        {
            fileEncoding = bits switch
            {
                32 => WavEncoding.IeeeFloat32,
                64 => WavEncoding.IeeeFloat64,
                _ => throw Error(fmtOffset + 14, $"unsupported IEEE float sample size of {bits} bits (32 or 64 are read)"),
            };
        }

        var expectedAlign = channelCount * (bits / 8);
        if (align != expectedAlign)
        {
            throw Error(fmtOffset + 12,
                $"block align is {align} bytes, but {channelCount} channels of {bits} bits need {expectedAlign}");
        }

        if (validBits == 0)
        {
            validBits = bits; // Some writers leave wValidBitsPerSample at zero.
        }

        if (validBits > bits)
        {
            throw Error(fmtOffset + 18, $"valid bits per sample ({validBits}) exceed the {bits}-bit container");
        }

        return new WavFileFormat
        {
            Encoding = fileEncoding,
            SampleRateHz = (int)sampleRate,
            Channels = channelCount,
            ValidBitsPerSample = validBits,
            IsExtensible = isExtensible,
            ChannelMask = mask,
            FrameCount = null,
            DataOffset = 0,
        };
    }

    private WavFileFormat WithData(WavFileFormat format, long chunkStart, long declaredBytes, long? length)
    {
        var dataOffset = chunkStart + 8;
        long? dataBytes = declaredBytes;
        var truncated = false;
        if (declaredBytes == uint.MaxValue)
        {
            // A streaming writer's placeholder: the data runs to the end of the file.
            dataBytes = length - dataOffset;
        }
        else if (length is { } total && declaredBytes > total - dataOffset)
        {
            if (!allowTruncated)
            {
                throw Error(chunkStart,
                    $"the 'data' chunk declares {declaredBytes} bytes, but only {total - dataOffset} follow: the file is truncated " +
                    "(WavReadOptions.AllowTruncatedData reads what is there)");
            }

            dataBytes = total - dataOffset;
            truncated = true;
        }

        return format with
        {
            DataOffset = dataOffset,
            FrameCount = dataBytes / format.BlockAlign,
            IsTruncated = truncated,
        };
    }

    private void Skip(long count, long chunkStart, ReadOnlySpan<byte> id, long size)
    {
        if (count <= 0)
        {
            return;
        }

        if (stream.CanSeek)
        {
            stream.Seek(count, SeekOrigin.Current);
            position += count;
            return;
        }

        while (count > 0)
        {
            var got = ReadFully(scratch.AsSpan(0, (int)Math.Min(count, scratch.Length)));
            if (got == 0)
            {
                // A missing pad byte after the last chunk is harmless; a short chunk body is not.
                if (count == 1 && (size & 1) == 1)
                {
                    return;
                }

                throw Error(chunkStart, $"chunk {DescribeFourCC(id)} declares {size} bytes, but the file ends at byte {position}");
            }

            count -= got;
        }
    }

    private int ReadFully(Span<byte> destination)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var got = stream.Read(destination[total..]);
            if (got == 0)
            {
                break;
            }

            total += got;
        }

        position += total;
        return total;
    }

    private WavFormatException Error(long offset, string problem) => new(FilePath, offset, problem);

    private static ReadOnlySpan<byte> KsDataFormatTail =>
        [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    private static string DescribeFourCC(ReadOnlySpan<byte> id)
    {
        foreach (var b in id)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return $"bytes {Convert.ToHexString(id)}";
            }
        }

        return $"'{System.Text.Encoding.ASCII.GetString(id)}'";
    }

    private static string DescribeTag(ushort tag) => tag switch
    {
        0x0002 => "Microsoft ADPCM",
        0x0006 => "A-law",
        0x0007 => "mu-law",
        0x0011 => "IMA ADPCM",
        0x0031 => "GSM 6.10",
        0x0050 => "MPEG",
        0x0055 => "MPEG Layer 3",
        0x0161 or 0x0162 or 0x0163 => "Windows Media Audio",
        0x2000 => "AC-3",
        0xF1AC => "FLAC",
        _ => "unknown format",
    };
}
