namespace SpatialAudio.Spatial.Upmix;

/// <summary>
/// Splits stereo L, R into L', R', C (the render matrix's inputs), block by block, on planar spans.
/// </summary>
/// <remarks>
/// Contract: <c>L' + C</c> and <c>R' + C</c> reconstruct L and R delayed by <see cref="LatencySamples"/>.
/// <see cref="Process"/> accepts any frame count (including 0), never allocates, never throws, never locks;
/// non-finite input must not poison state. Not thread-safe: one audio thread.
/// </remarks>
public interface IUpmixer
{
    /// <summary>Delay from input to output in samples.</summary>
    int LatencySamples { get; }

    /// <summary>Processes one block; all five spans have the same length.</summary>
    void Process(ReadOnlySpan<float> left, ReadOnlySpan<float> right, Span<float> leftOut, Span<float> rightOut, Span<float> centerOut);

    /// <summary>Clears all state (as if newly created).</summary>
    void Reset();
}
