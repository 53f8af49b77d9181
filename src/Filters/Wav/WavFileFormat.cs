namespace SpatialAudio.Filters.Wav;

/// <summary>What a WAV header says: storage format, layout and length of the sample data.</summary>
public sealed record WavFileFormat
{
    /// <summary>Sample storage.</summary>
    public required WavEncoding Encoding { get; init; }

    /// <summary>Frames per second.</summary>
    public required int SampleRateHz { get; init; }

    /// <summary>Channels per frame.</summary>
    public required int Channels { get; init; }

    /// <summary>Container size of one sample in bits (<c>wBitsPerSample</c>).</summary>
    public int BitsPerSample => Encoding.BitsPerSample();

    /// <summary>Significant bits per sample (<c>wValidBitsPerSample</c> of EXTENSIBLE; the container size otherwise).</summary>
    /// <remarks>Samples are left-justified in their container, so reading uses the container size either way.</remarks>
    public required int ValidBitsPerSample { get; init; }

    /// <summary>Bytes per frame (<c>nBlockAlign</c>).</summary>
    public int BlockAlign => Channels * Encoding.BytesPerSample();

    /// <summary>True when the header is WAVE_FORMAT_EXTENSIBLE.</summary>
    public required bool IsExtensible { get; init; }

    /// <summary>Speaker positions (EXTENSIBLE only; <see cref="WavChannelMask.None"/> otherwise).</summary>
    public required WavChannelMask ChannelMask { get; init; }

    /// <summary>Frames in the data chunk; null when unknown (a streaming-written size read from an unseekable stream).</summary>
    public required long? FrameCount { get; init; }

    /// <summary>Byte offset of the first sample from the start of the file.</summary>
    public required long DataOffset { get; init; }

    /// <summary>True when the data chunk declares more bytes than the file holds and the reader was told to accept that.</summary>
    public bool IsTruncated { get; init; }

    /// <summary>Duration in seconds, or null when the frame count is unknown.</summary>
    public double? DurationSeconds => FrameCount is { } frames ? (double)frames / SampleRateHz : null;
}
