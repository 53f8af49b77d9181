namespace SpatialAudio.Filters.Wav;

/// <summary>How forgiving <see cref="WavReader"/> is.</summary>
public sealed record WavReadOptions
{
    /// <summary>Default, strict options.</summary>
    public static WavReadOptions Default { get; } = new();

    /// <summary>
    /// Accept a data chunk that declares more bytes than the file holds (a recording cut short) and read the
    /// whole frames that are there; <see cref="WavFileFormat.IsTruncated"/> tells. Default false: that is an error.
    /// </summary>
    public bool AllowTruncatedData { get; init; }
}
