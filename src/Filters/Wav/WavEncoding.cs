namespace SpatialAudio.Filters.Wav;

/// <summary>How samples are stored in a WAV data chunk.</summary>
/// <remarks>
/// PCM convention (both directions): integer <c>k</c> of a <c>b</c>-bit container is the float <c>k / 2^(b-1)</c>,
/// so full scale is [-1, 1 - 2^(1-b)]; 8-bit PCM is unsigned with 128 as zero.
/// </remarks>
public enum WavEncoding
{
    /// <summary>8-bit unsigned integer PCM (offset 128).</summary>
    Pcm8,

    /// <summary>16-bit signed integer PCM.</summary>
    Pcm16,

    /// <summary>24-bit signed integer PCM, packed in 3 bytes.</summary>
    Pcm24,

    /// <summary>32-bit signed integer PCM.</summary>
    Pcm32,

    /// <summary>32-bit IEEE 754 float.</summary>
    IeeeFloat32,

    /// <summary>64-bit IEEE 754 float.</summary>
    IeeeFloat64,
}

/// <summary>Facts about a <see cref="WavEncoding"/>.</summary>
public static class WavEncodingExtensions
{
    /// <summary>Container size of one sample in bits.</summary>
    /// <param name="encoding">The encoding.</param>
    public static int BitsPerSample(this WavEncoding encoding) => encoding switch
    {
        WavEncoding.Pcm8 => 8,
        WavEncoding.Pcm16 => 16,
        WavEncoding.Pcm24 => 24,
        WavEncoding.Pcm32 or WavEncoding.IeeeFloat32 => 32,
        WavEncoding.IeeeFloat64 => 64,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown WAV encoding."),
    };

    /// <summary>Container size of one sample in bytes.</summary>
    /// <param name="encoding">The encoding.</param>
    public static int BytesPerSample(this WavEncoding encoding) => encoding.BitsPerSample() / 8;

    /// <summary>True for the IEEE float encodings.</summary>
    /// <param name="encoding">The encoding.</param>
    public static bool IsFloat(this WavEncoding encoding) => encoding is WavEncoding.IeeeFloat32 or WavEncoding.IeeeFloat64;
}
