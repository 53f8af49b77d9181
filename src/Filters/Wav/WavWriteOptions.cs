namespace SpatialAudio.Filters.Wav;

/// <summary>Header and conversion choices for <see cref="WavWriter"/>.</summary>
public sealed record WavWriteOptions
{
    /// <summary>Defaults: automatic header type, default channel mask, no dither.</summary>
    public static WavWriteOptions Default { get; } = new();

    /// <summary>
    /// Speaker positions to record; null for <see cref="WavChannelMasks.DefaultFor"/>. Giving a mask selects
    /// WAVE_FORMAT_EXTENSIBLE (the only header that carries one). At most one bit per channel.
    /// </summary>
    public WavChannelMask? ChannelMask { get; init; }

    /// <summary>
    /// Null (default) follows Microsoft's recommendation: WAVE_FORMAT_EXTENSIBLE when there are more than 2 channels,
    /// more than 16 bits per sample or a <see cref="ChannelMask"/>; plain PCM / IEEE float otherwise.
    /// True or false forces the header type (false with a <see cref="ChannelMask"/> is an error).
    /// </summary>
    public bool? UseExtensible { get; init; }

    /// <summary>Add TPDF dither (triangular, +-1 LSB peak) before rounding to PCM; ignored for float encodings.</summary>
    public bool Dither { get; init; }

    /// <summary>Seed of the dither noise; the same seed gives the same file.</summary>
    public long DitherSeed { get; init; } = 1;
}
