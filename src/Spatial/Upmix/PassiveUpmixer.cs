namespace SpatialAudio.Spatial.Upmix;

/// <summary>
/// Passive matrix upmix, the baseline: C = M = (L + R) / 2, L' = L - C = S, R' = R - C = -S. No latency, no state.
/// </summary>
public sealed class PassiveUpmixer : IUpmixer
{
    /// <inheritdoc />
    public int LatencySamples => 0;

    /// <inheritdoc />
    public void Process(ReadOnlySpan<float> left, ReadOnlySpan<float> right, Span<float> leftOut, Span<float> rightOut, Span<float> centerOut)
    {
        var n = Math.Min(Math.Min(left.Length, right.Length), Math.Min(Math.Min(leftOut.Length, rightOut.Length), centerOut.Length));
        for (var i = 0; i < n; i++)
        {
            var l = left[i];
            var r = right[i];
            var c = 0.5f * (l + r);
            centerOut[i] = c;
            leftOut[i] = l - c;
            rightOut[i] = r - c;
        }
    }

    /// <inheritdoc />
    public void Reset()
    {
    }
}
