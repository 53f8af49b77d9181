namespace SpatialAudio.Filters.Audio;

/// <summary>
/// The format of an interleaved 32-bit float sample stream: sample rate and channel count.
/// </summary>
/// <remarks>Mirrors the part of NAudio's <c>WaveFormat.CreateIeeeFloatWaveFormat</c> the engine needs.</remarks>
public readonly record struct AudioFormat
{
    /// <summary>Largest channel count the engine accepts (WAV files and processors alike).</summary>
    public const int MaxChannels = 32;

    /// <summary>Lowest accepted sample rate in Hz.</summary>
    public const int MinSampleRateHz = 1000;

    /// <summary>Highest accepted sample rate in Hz.</summary>
    public const int MaxSampleRateHz = 768_000;

    /// <summary>Creates a format, validating both values.</summary>
    /// <param name="sampleRateHz">Frames per second, <see cref="MinSampleRateHz"/>..<see cref="MaxSampleRateHz"/>.</param>
    /// <param name="channels">Interleaved channels per frame, 1..<see cref="MaxChannels"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range.</exception>
    public AudioFormat(int sampleRateHz, int channels)
    {
        if (sampleRateHz is < MinSampleRateHz or > MaxSampleRateHz)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz,
                $"Sample rate must be {MinSampleRateHz}..{MaxSampleRateHz} Hz.");
        }

        if (channels is < 1 or > MaxChannels)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels,
                $"Channel count must be 1..{MaxChannels}.");
        }

        SampleRateHz = sampleRateHz;
        Channels = channels;
    }

    /// <summary>Frames per second.</summary>
    public int SampleRateHz { get; }

    /// <summary>Interleaved channels per frame.</summary>
    public int Channels { get; }

    /// <inheritdoc />
    public override string ToString() => $"{SampleRateHz} Hz, {Channels} ch, float32";
}
