using SpatialAudio.Filters.Audio;

namespace SpatialAudio.Filters.Tests.Audio;

public sealed class InterleavingTests
{
    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 1001)]
    [InlineData(3, 7)]
    [InlineData(32, 65)]
    public void Jagged_MatchesTheIndexDefinition_BothWays(int channels, int frames)
    {
        var planar = Enumerable.Range(0, channels).Select(c => Enumerable.Range(0, frames + 3).Select(i => (c * 10000f) + i).ToArray()).ToArray();
        var interleaved = new float[frames * channels];
        Interleaving.Interleave(planar, 3, interleaved);
        for (var n = 0; n < frames; n++)
        {
            for (var c = 0; c < channels; c++)
            {
                Assert.Equal(planar[c][n + 3], interleaved[(n * channels) + c]);
            }
        }

        var back = Enumerable.Range(0, channels).Select(_ => new float[frames + 5]).ToArray();
        Interleaving.Deinterleave(interleaved, back, 5);
        for (var c = 0; c < channels; c++)
        {
            Assert.Equal(planar[c][3..(frames + 3)], back[c][5..]);
            Assert.All(back[c][..5], v => Assert.Equal(0f, v));
        }
    }

    [Theory]
    [InlineData(1, 9)]
    [InlineData(2, 100)]
    [InlineData(5, 13)]
    public void ChannelMajorBlock_MatchesTheIndexDefinition_BothWays(int channels, int frames)
    {
        var planar = Enumerable.Range(0, channels * frames).Select(i => (float)i).ToArray();
        var interleaved = new float[planar.Length];
        Interleaving.Interleave(planar, channels, interleaved);
        for (var n = 0; n < frames; n++)
        {
            for (var c = 0; c < channels; c++)
            {
                Assert.Equal(planar[(c * frames) + n], interleaved[(n * channels) + c]);
            }
        }

        var back = new float[planar.Length];
        Interleaving.Deinterleave(interleaved, channels, back);
        Assert.Equal(planar, back);
    }

    [Fact]
    public void MismatchedLengths_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => Interleaving.Interleave(new float[6], 4, new float[6]));
        Assert.Throws<ArgumentException>(() => Interleaving.Deinterleave(new float[6], 2, new float[8]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Interleaving.Deinterleave(new float[6], 0, new float[6]));
        Assert.Throws<ArgumentException>(() => Interleaving.Interleave([new float[4], new float[2]], 0, new float[8]));
        Assert.Throws<ArgumentException>(() => Interleaving.Deinterleave(new float[5], [new float[4], new float[4]], 0));
        Assert.Throws<ArgumentException>(() => Interleaving.Deinterleave(new float[4], ReadOnlySpan<float[]>.Empty, 0));
    }
}
