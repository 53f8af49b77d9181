namespace SpatialAudio.Filters.Audio;

/// <summary>Design-time conveniences on <see cref="ISampleSource"/> (they allocate; keep them off the audio thread).</summary>
public static class SampleSourceExtensions
{
    /// <summary>Reads a source to its end into one array per channel.</summary>
    /// <param name="source">The source; read until <see cref="ISampleSource.Read"/> returns 0.</param>
    /// <param name="maxFrames">Guard against endless sources: more frames than this is an error.</param>
    /// <returns>Planar samples, one array per channel, all of the same length.</returns>
    /// <exception cref="InvalidOperationException">The source delivers more than <paramref name="maxFrames"/> frames.</exception>
    public static float[][] ReadAll(this ISampleSource source, int maxFrames = 1 << 26)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(maxFrames);
        var channels = source.Format.Channels;
        var buffer = new float[channels * 4096];
        var total = 0;
        while (true)
        {
            if (buffer.Length - total < channels * 1024)
            {
                Array.Resize(ref buffer, checked(buffer.Length * 2));
            }

            // Ask for one frame more than allowed so an overlong source is detected, not silently cut.
            var room = (int)Math.Min(buffer.Length - total, ((long)maxFrames + 1) * channels - total);
            room -= room % channels;
            var read = source.Read(buffer.AsSpan(total, room));
            if (read == 0)
            {
                break;
            }

            total += read;
            if (total > (long)maxFrames * channels)
            {
                throw new InvalidOperationException($"The source delivers more than {maxFrames} frames.");
            }
        }

        var frames = total / channels;
        var planar = new float[channels][];
        for (var c = 0; c < channels; c++)
        {
            planar[c] = new float[frames];
        }

        Interleaving.Deinterleave(buffer.AsSpan(0, frames * channels), planar, 0);
        return planar;
    }
}
