using SpatialAudio.Filters.Audio;

namespace SpatialAudio.Filters.Wav;

/// <summary>A whole WAV file in memory: planar float samples and what its header said.</summary>
/// <param name="Format">Sample rate and channel count.</param>
/// <param name="FileFormat">The header: encoding, bits, channel mask.</param>
/// <param name="Channels">One array per channel, all of <see cref="FrameCount"/> samples.</param>
public sealed record WavData(AudioFormat Format, WavFileFormat FileFormat, float[][] Channels)
{
    /// <summary>Frames per channel.</summary>
    public int FrameCount => Channels.Length == 0 ? 0 : Channels[0].Length;
}

/// <summary>Outcome of writing a file.</summary>
/// <param name="FramesWritten">Frames in the file.</param>
/// <param name="ClippedSampleCount">Samples clipped to the PCM range or written as 0 because they were NaN.</param>
public readonly record struct WavWriteResult(long FramesWritten, long ClippedSampleCount);

/// <summary>Whole-file conveniences for design time (impulse responses, short clips); stream long audio with
/// <see cref="WavReader"/> and <see cref="WavWriter"/>.</summary>
public static class WavFile
{
    /// <summary>Reads a whole file into one float array per channel.</summary>
    /// <param name="path">File path.</param>
    /// <param name="options">Leniency options; null for strict.</param>
    /// <exception cref="FileNotFoundException">The path does not exist or is a directory.</exception>
    /// <exception cref="WavFormatException">The file is malformed, truncated or unsupported, or too long for an array.</exception>
    public static WavData ReadAll(string path, WavReadOptions? options = null)
    {
        using var reader = WavReader.Open(path, options);
        var format = reader.FileFormat;
        float[][] channels;
        if (format.FrameCount is { } count)
        {
            if (count > Array.MaxLength)
            {
                throw new WavFormatException(path, format.DataOffset, $"{count} frames are too many to hold in memory; stream the file with WavReader");
            }

            channels = new float[format.Channels][];
            for (var c = 0; c < channels.Length; c++)
            {
                channels[c] = new float[count];
            }

            var read = reader.ReadPlanar(channels, 0, (int)count);
            if (read != count)
            {
                throw new WavFormatException(path, reader.FileFormat.DataOffset, $"read {read} of {count} frames");
            }
        }
        else
        {
            channels = reader.ReadAll(Array.MaxLength);
        }

        return new WavData(reader.Format, format, channels);
    }

    /// <summary>Writes planar samples to a file (through a temporary file renamed on success).</summary>
    /// <param name="path">Target file; replaced if it exists.</param>
    /// <param name="sampleRateHz">Frames per second.</param>
    /// <param name="channels">One array per channel, all the same length.</param>
    /// <param name="encoding">Sample storage.</param>
    /// <param name="options">Header and dither choices; null for defaults.</param>
    /// <returns>Frames written and the count of clipped samples.</returns>
    /// <exception cref="ArgumentException">No channels, or channels of different lengths.</exception>
    public static WavWriteResult Write(string path, int sampleRateHz, ReadOnlySpan<float[]> channels, WavEncoding encoding,
        WavWriteOptions? options = null)
    {
        if (channels.IsEmpty)
        {
            throw new ArgumentException("At least one channel is required.", nameof(channels));
        }

        var frames = channels[0]?.Length ?? 0;
        foreach (var channel in channels)
        {
            if (channel is null || channel.Length != frames)
            {
                throw new ArgumentException("All channels must be non-null and the same length.", nameof(channels));
            }
        }

        using var writer = WavWriter.Create(path, new AudioFormat(sampleRateHz, channels.Length), encoding, options);
        writer.WritePlanar(channels, 0, frames);
        writer.Complete();
        return new WavWriteResult(writer.FramesWritten, writer.ClippedSampleCount);
    }

    /// <summary>Writes a source to a file until it ends (or <paramref name="maxFrames"/>), through a temporary file.</summary>
    /// <param name="path">Target file; replaced if it exists.</param>
    /// <param name="source">Samples to write; read in blocks of 4096 frames.</param>
    /// <param name="encoding">Sample storage.</param>
    /// <param name="options">Header and dither choices; null for defaults.</param>
    /// <param name="maxFrames">Stop after this many frames (needed for endless sources).</param>
    /// <returns>Frames written and the count of clipped samples.</returns>
    public static WavWriteResult Write(string path, ISampleSource source, WavEncoding encoding, WavWriteOptions? options = null,
        long maxFrames = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(maxFrames);
        var channelCount = source.Format.Channels;
        var buffer = new float[4096 * channelCount];
        using var writer = WavWriter.Create(path, source.Format, encoding, options);
        while (writer.FramesWritten < maxFrames)
        {
            var frames = (int)Math.Min(4096, maxFrames - writer.FramesWritten);
            var read = source.Read(buffer.AsSpan(0, frames * channelCount));
            if (read == 0)
            {
                break;
            }

            writer.Write(buffer.AsSpan(0, read));
        }

        writer.Complete();
        return new WavWriteResult(writer.FramesWritten, writer.ClippedSampleCount);
    }
}
