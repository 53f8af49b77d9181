namespace SpatialAudio.Filters.Audio;

/// <summary>
/// A pull-based source of interleaved 32-bit float samples; the engine's mirror of NAudio 3's
/// <c>ISampleProvider</c> (<c>WaveFormat</c> becomes <see cref="Format"/>, <c>Read(Span&lt;float&gt;)</c> is identical).
/// </summary>
/// <remarks>
/// Contract: <see cref="Read"/> accepts any buffer whose length is a multiple of <see cref="AudioFormat.Channels"/>,
/// writes whole frames from the start of the buffer and returns the number of samples (not frames) written.
/// It returns fewer than requested only at the end of the stream, and 0 once the stream has ended.
/// </remarks>
public interface ISampleSource
{
    /// <summary>Sample rate and channel count of the samples <see cref="Read"/> produces.</summary>
    AudioFormat Format { get; }

    /// <summary>Fills <paramref name="buffer"/> with interleaved samples.</summary>
    /// <param name="buffer">Destination; its length must be a multiple of the channel count.</param>
    /// <returns>Samples written; 0 at the end of the stream.</returns>
    int Read(Span<float> buffer);
}
