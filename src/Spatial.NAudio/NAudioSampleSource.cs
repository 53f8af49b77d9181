using NAudio.Wave;
using SpatialAudio.Filters.Audio;

namespace SpatialAudio.NAudio;

/// <summary>Presents an NAudio 3 <see cref="ISampleProvider"/> (a file reader, a capture device) as our <see cref="ISampleSource"/>.</summary>
/// <remarks>
/// Some NAudio providers (a <c>BufferedWaveProvider</c> without <c>ReadFully</c>, network streams) may return fewer
/// samples than asked before their end; our contract allows that only at the end, so <see cref="Read"/> asks again
/// until the buffer is full or the provider returns 0.
/// </remarks>
public sealed class NAudioSampleSource : ISampleSource
{
    // KSDATAFORMAT_SUBTYPE_IEEE_FLOAT (NAudio's own constant lives in NAudio.Dmo and is not public in every build).
    private static readonly Guid IeeeFloatSubFormat = new("00000003-0000-0010-8000-00aa00389b71");

    private readonly ISampleProvider provider;

    /// <summary>Wraps <paramref name="provider"/>.</summary>
    /// <param name="provider">An IEEE float provider (NAudio's sample providers always are; use
    /// <c>ToSampleProvider()</c> on a wave provider first).</param>
    /// <exception cref="ArgumentException">The provider's format is not 32-bit IEEE float, or its rate or channel
    /// count is outside what <see cref="AudioFormat"/> accepts.</exception>
    public NAudioSampleSource(ISampleProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var format = provider.WaveFormat;
        var isFloat = format.Encoding == WaveFormatEncoding.IeeeFloat
            || (format is WaveFormatExtensible extensible && extensible.SubFormat == IeeeFloatSubFormat);
        if (!isFloat || format.BitsPerSample != 32)
        {
            throw new ArgumentException(
                $"The provider delivers {format} ({format.Encoding}, {format.BitsPerSample} bits); 32-bit IEEE float is required.",
                nameof(provider));
        }

        try
        {
            Format = new AudioFormat(format.SampleRate, format.Channels);
        }
        catch (ArgumentOutOfRangeException error)
        {
            throw new ArgumentException($"The provider's format {format} is not supported: {error.Message}", nameof(provider), error);
        }

        this.provider = provider;
    }

    /// <summary>The provider's sample rate and channel count.</summary>
    public AudioFormat Format { get; }

    /// <summary>Fills <paramref name="buffer"/> from the provider, asking again after short reads.</summary>
    /// <param name="buffer">Destination; its length must be a multiple of the channel count.</param>
    /// <returns>Samples written; fewer than asked only at the end, 0 once ended.</returns>
    public int Read(Span<float> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = provider.Read(buffer[total..]);
            if (read <= 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
