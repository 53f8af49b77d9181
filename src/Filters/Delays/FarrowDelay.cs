using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SpatialAudio.Filters.Delays;

/// <summary>
/// A continuously variable fractional delay: a ring buffer read through a Lagrange interpolator in Farrow form, so
/// the delay may change every sample (Doppler from moving sources or scatterers, smooth path-alignment changes).
/// </summary>
/// <remarks>
/// <para>Order N is odd (1 = linear, 3 = cubic, 5, 7). For a total delay tau the interpolator runs centered:
/// tau = (N - 1)/2 + i + mu with integer i and mu in [0, 1), so the taps straddle the read point and the magnitude
/// response never exceeds 1. With a constant delay the output equals the fixed Lagrange FIR of
/// <see cref="LagrangeDesign.Taps"/> for (N - 1)/2 + mu, shifted by i samples.</para>
/// <para>Delays are clamped to [<see cref="MinDelaySamples"/>, <see cref="MaxDelaySamples"/>]; NaN reads as the
/// minimum (no throw on the real-time path). Delay convention: output sample n is the input at time n - tau[n].
/// A delay decreasing by r samples per sample raises frequencies by the factor 1 + r.</para>
/// <para>Interpolation in double, samples in float; no feedback, so a NaN/Inf input leaves the output once it has
/// passed the delay. Real-time safe; one instance per thread.</para>
/// </remarks>
public sealed class FarrowDelay
{
    private readonly int channelCount;
    private readonly int order;
    private readonly int baseDelay;
    private readonly int maxDelaySamples;
    private readonly int ringLength;
    private readonly int mask;
    private readonly double[] coefficients; // transposed: [p * (N + 1) + k]
    private readonly float[] ring;
    private readonly int[] writeIndex;

    /// <summary>Creates the delay with silent history.</summary>
    /// <param name="channelCount">Number of channels, at least 1.</param>
    /// <param name="order">Odd interpolation order, 1 .. 7.</param>
    /// <param name="maxDelaySamples">Largest delay in samples, at least (N + 1)/2, at most 2^24.</param>
    public FarrowDelay(int channelCount, int order, int maxDelaySamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channelCount, 1);
        if (order is < 1 or > 7 || (order & 1) == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, "Order must be odd, 1 .. 7.");
        }

        baseDelay = (order - 1) / 2;
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelaySamples, baseDelay + 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDelaySamples, 1 << 24);
        this.channelCount = channelCount;
        this.order = order;
        this.maxDelaySamples = maxDelaySamples;
        ringLength = (int)BitOperations.RoundUpToPowerOf2((uint)(maxDelaySamples + order + 2));
        mask = ringLength - 1;
        var size = order + 1;
        var byTap = LagrangeDesign.FarrowCoefficients(order);
        coefficients = new double[size * size];
        for (var k = 0; k < size; k++)
        {
            for (var p = 0; p < size; p++)
            {
                coefficients[(p * size) + k] = byTap[(k * size) + p];
            }
        }

        ring = new float[channelCount * ringLength];
        writeIndex = new int[channelCount];
    }

    /// <summary>Number of channels.</summary>
    public int ChannelCount => channelCount;

    /// <summary>Interpolation order N.</summary>
    public int Order => order;

    /// <summary>Smallest delay, (N - 1)/2 samples (the interpolator's own centering delay).</summary>
    public double MinDelaySamples => baseDelay;

    /// <summary>Largest delay in samples.</summary>
    public double MaxDelaySamples => maxDelaySamples;

    /// <summary>Clears the history of every channel.</summary>
    public void Reset()
    {
        Array.Clear(ring);
        Array.Clear(writeIndex);
    }

    /// <summary>Delays a block by a constant delay.</summary>
    /// <param name="input">Input samples.</param>
    /// <param name="output">Output, at least as long as the input; may be the same span.</param>
    /// <param name="delaySamples">Delay in samples (clamped to the supported range).</param>
    /// <param name="channel">Channel index.</param>
    public void Process(ReadOnlySpan<float> input, Span<float> output, double delaySamples, int channel) =>
        ProcessRamp(input, output, delaySamples, delaySamples, channel);

    /// <summary>
    /// Delays a block with the delay moving linearly from <paramref name="startDelaySamples"/> (at the first sample)
    /// towards <paramref name="endDelaySamples"/> (reached at the first sample of the next block), computed in double.
    /// </summary>
    /// <param name="input">Input samples.</param>
    /// <param name="output">Output, at least as long as the input; may be the same span.</param>
    /// <param name="startDelaySamples">Delay at the block's first sample.</param>
    /// <param name="endDelaySamples">Delay one sample after the block's last sample (start of the next block).</param>
    /// <param name="channel">Channel index.</param>
    public void ProcessRamp(ReadOnlySpan<float> input, Span<float> output, double startDelaySamples, double endDelaySamples, int channel)
    {
        var step = input.Length > 0 ? (endDelaySamples - startDelaySamples) / input.Length : 0.0;
        var channelRing = ring.AsSpan(channel * ringLength, ringLength);
        var write = writeIndex[channel];
        output = output[..input.Length];
        var delay = startDelaySamples;
        for (var n = 0; n < input.Length; n++)
        {
            channelRing[write] = input[n];
            output[n] = Interpolate(channelRing, write, delay);
            write = (write + 1) & mask;
            delay += step; // accumulated in double: drift over a block is ~1e-13 samples
        }

        writeIndex[channel] = write;
    }

    /// <summary>Delays a block with a delay given per sample.</summary>
    /// <param name="input">Input samples.</param>
    /// <param name="output">Output, at least as long as the input; may be the same span.</param>
    /// <param name="delaySamples">Delay of each output sample, at least as long as the input.</param>
    /// <param name="channel">Channel index.</param>
    public void Process(ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<float> delaySamples, int channel)
    {
        var channelRing = ring.AsSpan(channel * ringLength, ringLength);
        var write = writeIndex[channel];
        output = output[..input.Length];
        delaySamples = delaySamples[..input.Length];
        for (var n = 0; n < input.Length; n++)
        {
            channelRing[write] = input[n];
            output[n] = Interpolate(channelRing, write, delaySamples[n]);
            write = (write + 1) & mask;
        }

        writeIndex[channel] = write;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float Interpolate(ReadOnlySpan<float> channelRing, int write, double delay)
    {
        if (!(delay >= baseDelay))
        {
            delay = baseDelay;
        }
        else if (delay > maxDelaySamples)
        {
            delay = maxDelaySamples;
        }

        var t = delay - baseDelay;
        var whole = (int)t;
        var mu = t - whole;
        var newest = write - whole;

        // Indices are masked into the power-of-two ring, so they are in range by construction.
        ref var ringStart = ref MemoryMarshal.GetReference(channelRing);
        if (order == 3)
        {
            // Cubic Lagrange weights for D = 1 + mu written out (the same polynomials the Farrow table holds).
            var x0 = (double)Unsafe.Add(ref ringStart, newest & mask);
            var x1 = (double)Unsafe.Add(ref ringStart, (newest - 1) & mask);
            var x2 = (double)Unsafe.Add(ref ringStart, (newest - 2) & mask);
            var x3 = (double)Unsafe.Add(ref ringStart, (newest - 3) & mask);
            var d = 1.0 + mu;
            var dm1 = mu;
            var dm2 = mu - 1.0;
            var dm3 = mu - 2.0;
            var h0 = -dm1 * dm2 * dm3 * (1.0 / 6.0);
            var h1 = d * dm2 * dm3 * 0.5;
            var h2 = -d * dm1 * dm3 * 0.5;
            var h3 = d * dm1 * dm2 * (1.0 / 6.0);
            return (float)((h0 * x0) + (h1 * x1) + (h2 * x2) + (h3 * x3));
        }

        var size = order + 1;
        ref var c = ref MemoryMarshal.GetArrayDataReference(coefficients);
        var result = 0.0;
        for (var p = order; p >= 0; p--)
        {
            ref var row = ref Unsafe.Add(ref c, p * size);
            var v = 0.0;
            for (var k = 0; k < size; k++)
            {
                v += Unsafe.Add(ref row, k) * Unsafe.Add(ref ringStart, (newest - k) & mask);
            }

            result = (result * mu) + v;
        }

        return (float)result;
    }
}
