namespace SpatialAudio.Filters.Audio;

/// <summary>Serves interleaved samples held in memory as an <see cref="ISampleSource"/>.</summary>
/// <remarks>Reads copy from the array; nothing is allocated per <see cref="Read"/>. Not thread-safe.</remarks>
public sealed class ArraySampleSource : ISampleSource
{
    private readonly ReadOnlyMemory<float> samples;
    private int position;

    /// <summary>Creates a source over interleaved samples (not copied: later changes to the memory are served).</summary>
    /// <param name="format">Sample rate and channel count.</param>
    /// <param name="interleaved">Interleaved samples; length a multiple of the channel count.</param>
    /// <exception cref="ArgumentException">The length is not a whole number of frames.</exception>
    public ArraySampleSource(AudioFormat format, ReadOnlyMemory<float> interleaved)
    {
        if (format.Channels == 0)
        {
            throw new ArgumentException("Format is uninitialized.", nameof(format));
        }

        if (interleaved.Length % format.Channels != 0)
        {
            throw new ArgumentException(
                $"Length {interleaved.Length} is not a multiple of {format.Channels} channels.", nameof(interleaved));
        }

        Format = format;
        samples = interleaved;
    }

    /// <summary>Creates a source from per-channel arrays of equal length (interleaved once, here).</summary>
    /// <param name="sampleRateHz">Frames per second.</param>
    /// <param name="channels">One array per channel, all the same length.</param>
    /// <exception cref="ArgumentException">No channels, or channels of different lengths.</exception>
    public static ArraySampleSource FromPlanar(int sampleRateHz, params float[][] channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        var format = new AudioFormat(sampleRateHz, channels.Length);
        var frames = channels[0]?.Length ?? 0;
        if (Array.Exists(channels, c => c is null || c.Length != frames))
        {
            throw new ArgumentException("All channels must be non-null and the same length.", nameof(channels));
        }

        var interleaved = new float[frames * channels.Length];
        Interleaving.Interleave(channels, 0, interleaved);
        return new ArraySampleSource(format, interleaved);
    }

    /// <inheritdoc />
    public AudioFormat Format { get; }

    /// <summary>Total length in frames.</summary>
    public long FrameCount => samples.Length / Format.Channels;

    /// <summary>Frame the next <see cref="Read"/> starts at; settable to rewind or skip (0..<see cref="FrameCount"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 0..<see cref="FrameCount"/>.</exception>
    public long FramePosition
    {
        get => position / Format.Channels;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, FrameCount);
            position = (int)value * Format.Channels;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The buffer length is not a multiple of the channel count.</exception>
    public int Read(Span<float> buffer)
    {
        if (buffer.Length % Format.Channels != 0)
        {
            throw new ArgumentException(
                $"Buffer length {buffer.Length} is not a multiple of {Format.Channels} channels.", nameof(buffer));
        }

        var count = Math.Min(buffer.Length, samples.Length - position);
        samples.Span.Slice(position, count).CopyTo(buffer);
        position += count;
        return count;
    }
}
