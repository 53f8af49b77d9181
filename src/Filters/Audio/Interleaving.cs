namespace SpatialAudio.Filters.Audio;

/// <summary>
/// Converts between interleaved frames (the <see cref="ISampleSource"/> and file layout) and planar channels
/// (the engine's layout: one contiguous run of samples per channel).
/// </summary>
/// <remarks>
/// Two planar shapes are supported: a single channel-major span (channel <c>c</c> occupies
/// <c>[c * frames, (c + 1) * frames)</c>) and one array per channel with a common frame offset.
/// The methods allocate nothing. They throw only for mismatched lengths, which is a caller bug, never for data.
/// </remarks>
public static class Interleaving
{
    /// <summary>Interleaves a channel-major planar block.</summary>
    /// <param name="planar">Channel-major samples, <paramref name="channels"/> runs of equal length.</param>
    /// <param name="channels">Number of channels, at least 1.</param>
    /// <param name="interleaved">Destination, same length as <paramref name="planar"/>; must not overlap it.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channels"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The lengths differ or are not a multiple of <paramref name="channels"/>.</exception>
    public static void Interleave(ReadOnlySpan<float> planar, int channels, Span<float> interleaved)
    {
        var frames = CheckBlock(planar.Length, channels, interleaved.Length, nameof(interleaved));
        for (var c = 0; c < channels; c++)
        {
            var source = planar.Slice(c * frames, frames);
            for (int i = 0, j = c; i < source.Length; i++, j += channels)
            {
                interleaved[j] = source[i];
            }
        }
    }

    /// <summary>Splits interleaved frames into a channel-major planar block.</summary>
    /// <param name="interleaved">Interleaved samples; length a multiple of <paramref name="channels"/>.</param>
    /// <param name="channels">Number of channels, at least 1.</param>
    /// <param name="planar">Destination, same length as <paramref name="interleaved"/>; must not overlap it.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channels"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The lengths differ or are not a multiple of <paramref name="channels"/>.</exception>
    public static void Deinterleave(ReadOnlySpan<float> interleaved, int channels, Span<float> planar)
    {
        var frames = CheckBlock(interleaved.Length, channels, planar.Length, nameof(planar));
        for (var c = 0; c < channels; c++)
        {
            var destination = planar.Slice(c * frames, frames);
            for (int i = 0, j = c; i < destination.Length; i++, j += channels)
            {
                destination[i] = interleaved[j];
            }
        }
    }

    /// <summary>Interleaves <c>interleaved.Length / channels.Length</c> frames taken from per-channel arrays.</summary>
    /// <param name="channels">One array per channel; each holds at least <paramref name="sourceOffset"/> + frames samples.</param>
    /// <param name="sourceOffset">First frame to take from each channel array.</param>
    /// <param name="interleaved">Destination; its length (a multiple of the channel count) sets the frame count.</param>
    /// <exception cref="ArgumentException">No channels, a null or too-short channel array, or a bad destination length.</exception>
    public static void Interleave(ReadOnlySpan<float[]> channels, int sourceOffset, Span<float> interleaved)
    {
        var frames = CheckJagged(channels, sourceOffset, interleaved.Length, nameof(channels));
        var count = channels.Length;
        if (count == 2)
        {
            var left = channels[0].AsSpan(sourceOffset, frames);
            var right = channels[1].AsSpan(sourceOffset, frames);
            for (var i = 0; i < left.Length; i++)
            {
                interleaved[2 * i] = left[i];
                interleaved[(2 * i) + 1] = right[i];
            }

            return;
        }

        for (var c = 0; c < count; c++)
        {
            var source = channels[c].AsSpan(sourceOffset, frames);
            for (int i = 0, j = c; i < source.Length; i++, j += count)
            {
                interleaved[j] = source[i];
            }
        }
    }

    /// <summary>Splits <c>interleaved.Length / channels.Length</c> frames into per-channel arrays.</summary>
    /// <param name="interleaved">Interleaved samples; length a multiple of the channel count.</param>
    /// <param name="channels">One destination array per channel; each holds at least <paramref name="destinationOffset"/> + frames samples.</param>
    /// <param name="destinationOffset">First frame written in each channel array.</param>
    /// <exception cref="ArgumentException">No channels, a null or too-short channel array, or a bad source length.</exception>
    public static void Deinterleave(ReadOnlySpan<float> interleaved, ReadOnlySpan<float[]> channels, int destinationOffset)
    {
        var frames = CheckJagged(channels, destinationOffset, interleaved.Length, nameof(channels));
        var count = channels.Length;
        if (count == 2)
        {
            var left = channels[0].AsSpan(destinationOffset, frames);
            var right = channels[1].AsSpan(destinationOffset, frames);
            for (var i = 0; i < left.Length; i++)
            {
                left[i] = interleaved[2 * i];
                right[i] = interleaved[(2 * i) + 1];
            }

            return;
        }

        for (var c = 0; c < count; c++)
        {
            var destination = channels[c].AsSpan(destinationOffset, frames);
            for (int i = 0, j = c; i < destination.Length; i++, j += count)
            {
                destination[i] = interleaved[j];
            }
        }
    }

    private static int CheckBlock(int sourceLength, int channels, int destinationLength, string destinationName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (sourceLength % channels != 0)
        {
            throw new ArgumentException($"Length {sourceLength} is not a multiple of {channels} channels.", nameof(channels));
        }

        if (destinationLength != sourceLength)
        {
            throw new ArgumentException($"Destination length {destinationLength} differs from source length {sourceLength}.", destinationName);
        }

        return sourceLength / channels;
    }

    private static int CheckJagged(ReadOnlySpan<float[]> channels, int offset, int interleavedLength, string channelsName)
    {
        if (channels.IsEmpty)
        {
            throw new ArgumentException("At least one channel is required.", channelsName);
        }

        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (interleavedLength % channels.Length != 0)
        {
            throw new ArgumentException(
                $"Interleaved length {interleavedLength} is not a multiple of {channels.Length} channels.", channelsName);
        }

        var frames = interleavedLength / channels.Length;
        for (var c = 0; c < channels.Length; c++)
        {
            if (channels[c] is null || channels[c].Length - offset < frames)
            {
                throw new ArgumentException(
                    $"Channel {c} must hold at least {offset} + {frames} samples.", channelsName);
            }
        }

        return frames;
    }
}
