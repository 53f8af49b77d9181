namespace SpatialAudio.Filters.Audio;

/// <summary>SplitMix64: a tiny, fast, seedable generator for test signals and dither (not for security).</summary>
/// <remarks>Chosen over <see cref="Random"/> because its output is pinned by its definition, not by a runtime version.</remarks>
internal struct SampleRandom
{
    private ulong state;

    public SampleRandom(long seed) => state = unchecked((ulong)seed);

    public ulong NextUInt64()
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) on a 2^-24 grid (exact in float).</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / 16777216f);
}
