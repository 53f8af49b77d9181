using SpatialAudio.Filters.Audio;

namespace SpatialAudio.Filters.Tests.Audio;

/// <summary>
/// Checks the <see cref="ISampleSource"/> contract on fresh instances of a source: any whole-frame buffer works,
/// block size does not change the stream, the last read may be partial, and the end returns 0 (repeatedly).
/// Other areas can call <see cref="Verify"/> on their own sources.
/// </summary>
public static class SampleSourceContract
{
    /// <summary>Runs all checks; <paramref name="create"/> must return an equivalent, fresh, finite source each call.</summary>
    public static void Verify(Func<ISampleSource> create, int seed = 1)
    {
        var reference = ReadWith(create(), _ => 1);
        var channels = create().Format.Channels;
        Assert.True(reference.Length % channels == 0, "the stream must end on a whole frame");

        var random = new Random(seed);
        var randomBlocks = ReadWith(create(), _ => random.Next(1, 700));
        Assert.Equal(reference, randomBlocks);

        var oneShot = ReadWith(create(), _ => (reference.Length / channels) + 5);
        Assert.Equal(reference, oneShot);

        // Partial last read: ask for one frame more than there is.
        var source = create();
        var buffer = new float[reference.Length + channels];
        var read = source.Read(buffer);
        Assert.Equal(reference.Length, read);
        Assert.Equal(0, source.Read(buffer));
        Assert.Equal(0, source.Read(buffer));
        Assert.Equal(0, source.Read(Span<float>.Empty));
    }

    /// <summary>Reads a source to the end with the block sizes (in frames) <paramref name="framesPerRead"/> picks.</summary>
    public static float[] ReadWith(ISampleSource source, Func<int, int> framesPerRead, int maxSamples = 1 << 24)
    {
        var channels = source.Format.Channels;
        var all = new List<float>();
        for (var call = 0; all.Count < maxSamples; call++)
        {
            var buffer = new float[framesPerRead(call) * channels];
            var read = source.Read(buffer);
            Assert.True(read % channels == 0, $"read {read} samples, not whole frames of {channels}");
            Assert.True(read <= buffer.Length);
            if (read == 0)
            {
                break;
            }

            all.AddRange(buffer.AsSpan(0, read));
        }

        return [.. all];
    }
}
