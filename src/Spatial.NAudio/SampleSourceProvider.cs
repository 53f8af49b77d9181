using NAudio.Wave;
using SpatialAudio.Filters.Audio;

namespace SpatialAudio.NAudio;

/// <summary>Presents one of our <see cref="ISampleSource"/>s (e.g. the renderer) as an NAudio 3 <see cref="ISampleProvider"/>.</summary>
/// <remarks>
/// Pure forwarding: the two contracts are identical (interleaved 32-bit float, <c>Read(Span&lt;float&gt;)</c> returns
/// samples written, 0 at the end). NAudio calls <see cref="Read"/> on its playback thread; the source must be
/// real-time safe there, which the engine's sources are.
/// </remarks>
public sealed class SampleSourceProvider : ISampleProvider
{
    private readonly ISampleSource source;

    /// <summary>Wraps <paramref name="source"/>.</summary>
    /// <param name="source">The source to play.</param>
    public SampleSourceProvider(ISampleSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        this.source = source;
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(source.Format.SampleRateHz, source.Format.Channels);
    }

    /// <summary>IEEE float, the source's sample rate and channel count.</summary>
    public WaveFormat WaveFormat { get; }

    /// <summary>Fills <paramref name="buffer"/> from the source.</summary>
    /// <param name="buffer">Destination; NAudio passes whole frames.</param>
    /// <returns>Samples written; 0 at the end.</returns>
    public int Read(Span<float> buffer) => source.Read(buffer);
}
