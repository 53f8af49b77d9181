using System.Numerics;

namespace SpatialAudio.Filters.Delays;

/// <summary>A multi-channel integer delay: each channel delayed by its own whole number of samples, up to a maximum.</summary>
/// <remarks>
/// <para>Planar: one call per channel per block. A delay changes at the next block boundary, abruptly (a jump in the
/// read position); cross-fade outside if the change must be click-free, or use <see cref="FarrowDelay"/> for a
/// smooth trajectory.</para>
/// <para>Memory: one power-of-two ring per channel of at least maxDelay + 256 samples; blocks longer than
/// ring - maxDelay are processed in chunks, so any block length works. Real-time safe; one instance per thread.</para>
/// </remarks>
public sealed class IntegerDelayLine
{
    private const int MinimumChunk = 256;

    private readonly float[] ring;
    private readonly int[] writeIndex;
    private readonly int[] delays;
    private readonly int ringLength;
    private readonly int mask;
    private readonly int maxDelaySamples;
    private readonly int chunk;

    /// <summary>Creates the line with every channel at delay 0 and silent history.</summary>
    /// <param name="channelCount">Number of channels, at least 1.</param>
    /// <param name="maxDelaySamples">Largest delay, 0 .. 2^24.</param>
    public IntegerDelayLine(int channelCount, int maxDelaySamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channelCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDelaySamples);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDelaySamples, 1 << 24);
        this.maxDelaySamples = maxDelaySamples;
        ringLength = (int)BitOperations.RoundUpToPowerOf2((uint)(maxDelaySamples + MinimumChunk));
        mask = ringLength - 1;
        chunk = ringLength - maxDelaySamples;
        ring = new float[channelCount * ringLength];
        writeIndex = new int[channelCount];
        delays = new int[channelCount];
    }

    /// <summary>Number of channels.</summary>
    public int ChannelCount => delays.Length;

    /// <summary>Largest delay this line was built for, in samples.</summary>
    public int MaxDelaySamples => maxDelaySamples;

    /// <summary>Current delay of a channel in samples.</summary>
    /// <param name="channel">Channel index.</param>
    public int GetDelaySamples(int channel) => delays[channel];

    /// <summary>Sets one channel's delay, effective from the next processed sample.</summary>
    /// <param name="channel">Channel index.</param>
    /// <param name="delaySamples">Delay, 0 .. <see cref="MaxDelaySamples"/>.</param>
    public void SetDelay(int channel, int delaySamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, delays.Length);
        ArgumentOutOfRangeException.ThrowIfNegative(delaySamples);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(delaySamples, maxDelaySamples);
        delays[channel] = delaySamples;
    }

    /// <summary>Sets every channel's delay.</summary>
    /// <param name="delaySamples">Delay, 0 .. <see cref="MaxDelaySamples"/>.</param>
    public void SetDelay(int delaySamples)
    {
        for (var c = 0; c < delays.Length; c++)
        {
            SetDelay(c, delaySamples);
        }
    }

    /// <summary>Clears the history of every channel (delays are kept).</summary>
    public void Reset()
    {
        Array.Clear(ring);
        Array.Clear(writeIndex);
    }

    /// <summary>Delays one block of one channel.</summary>
    /// <param name="input">Input samples.</param>
    /// <param name="output">Output, at least as long as the input; may be the same span.</param>
    /// <param name="channel">Channel index.</param>
    public void Process(ReadOnlySpan<float> input, Span<float> output, int channel)
    {
        var channelRing = ring.AsSpan(channel * ringLength, ringLength);
        var delay = delays[channel];
        var write = writeIndex[channel];
        for (var start = 0; start < input.Length; start += chunk)
        {
            var length = Math.Min(chunk, input.Length - start);
            CopyIn(input.Slice(start, length), channelRing, write);
            CopyOut(channelRing, (write - delay) & mask, output.Slice(start, length));
            write = (write + length) & mask;
        }

        writeIndex[channel] = write;
    }

    private void CopyIn(ReadOnlySpan<float> source, Span<float> channelRing, int position)
    {
        var first = Math.Min(source.Length, ringLength - position);
        source[..first].CopyTo(channelRing[position..]);
        source[first..].CopyTo(channelRing);
    }

    private void CopyOut(ReadOnlySpan<float> channelRing, int position, Span<float> destination)
    {
        var first = Math.Min(destination.Length, ringLength - position);
        channelRing.Slice(position, first).CopyTo(destination);
        channelRing[..(destination.Length - first)].CopyTo(destination[first..]);
    }
}
