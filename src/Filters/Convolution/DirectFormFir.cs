using System.Numerics.Tensors;
using SpatialAudio.Filters.Simd;

namespace SpatialAudio.Filters.Convolution;

/// <summary>
/// A direct-form FIR filter applied to several channels, each with its own history: the choice for short filters,
/// where a partitioned FFT convolver's fixed cost does not pay off.
/// </summary>
/// <remarks>
/// <para>y[n] = sum over k of h[k] x[n - k]. Latency 0: the output of a block depends on that block's input and
/// the history only, whatever the block size; any split of a signal into blocks gives the same output as one call
/// (up to float rounding, which is identical for all splits on one SIMD tier).</para>
/// <para>Cost: length multiply-adds per sample, vectorized across output samples (Vector512/256/128 with a scalar
/// fallback). Above some length a <see cref="PartitionedConvolver"/> costs less; where depends on the FFT
/// (FirCrossoverBenchmarks measures it: about 1024 taps at 256-frame blocks with the plain radix-2 FFT).</para>
/// <para>Non-finite input samples are replaced by zero before they enter the history, so a NaN/Inf burst never
/// poisons the filter: the output stays finite and is exact again once the burst has left the history.</para>
/// <para>Threading: one instance per audio thread; <see cref="Process"/> never allocates, locks or throws.</para>
/// </remarks>
public sealed unsafe class DirectFormFir
{
    // Frames processed per pass: keeps the working buffer in L1 and makes the buffer size independent of the caller.
    private const int ChunkFrames = 256;

    private readonly AlignedFloats reversedTaps;
    private readonly AlignedFloats[] channelBuffers;
    private readonly int tapCount;
    private readonly int historyLength;

    /// <summary>Creates a filter from coefficients designed in double, on this machine's best SIMD tier.</summary>
    /// <param name="coefficients">The impulse response h[0..length), at least one tap, all finite.</param>
    /// <param name="channelCount">Independent channels (each keeps its own history), at least 1.</param>
    /// <exception cref="ArgumentException">No coefficients, or a non-finite one.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channelCount"/> is less than 1.</exception>
    public DirectFormFir(ReadOnlySpan<double> coefficients, int channelCount)
        : this(ToFloat(coefficients), channelCount, SimdCapabilities.Best)
    {
    }

    /// <summary>Creates a filter from float coefficients, on this machine's best SIMD tier.</summary>
    /// <param name="coefficients">The impulse response h[0..length), at least one tap, all finite.</param>
    /// <param name="channelCount">Independent channels (each keeps its own history), at least 1.</param>
    /// <exception cref="ArgumentException">No coefficients, or a non-finite one.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channelCount"/> is less than 1.</exception>
    public DirectFormFir(ReadOnlySpan<float> coefficients, int channelCount)
        : this(coefficients, channelCount, SimdCapabilities.Best)
    {
    }

    /// <summary>Creates a filter on an explicit SIMD tier (tests compare tiers with it).</summary>
    internal DirectFormFir(ReadOnlySpan<float> coefficients, int channelCount, SimdTier tier)
    {
        if (coefficients.IsEmpty)
        {
            throw new ArgumentException("At least one coefficient is needed.", nameof(coefficients));
        }

        if (!TensorPrimitives.IsFiniteAll(coefficients))
        {
            throw new ArgumentException("Coefficients must be finite.", nameof(coefficients));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(channelCount, 1);
        Tier = tier;
        tapCount = coefficients.Length;
        historyLength = tapCount - 1;
        reversedTaps = new AlignedFloats(tapCount);
        coefficients.CopyTo(reversedTaps.Span);
        reversedTaps.Span.Reverse();
        channelBuffers = new AlignedFloats[channelCount];
        for (var c = 0; c < channelCount; c++)
        {
            channelBuffers[c] = new AlignedFloats(historyLength + ChunkFrames);
        }
    }

    /// <summary>Number of channels, each with its own history.</summary>
    public int ChannelCount => channelBuffers.Length;

    /// <summary>Number of taps.</summary>
    public int Length => tapCount;

    /// <summary>Latency in samples: 0 (the output of each sample is available in the same call).</summary>
    public int LatencySamples { get; }

    /// <summary>The SIMD tier the kernel runs on.</summary>
    public SimdTier Tier { get; }

    /// <summary>Filters one block of one channel; any block size, including 0.</summary>
    /// <param name="channel">Channel index, 0..<see cref="ChannelCount"/>-1; an invalid index writes silence.</param>
    /// <param name="input">Input samples; may be the same memory as <paramref name="output"/> (in place).</param>
    /// <param name="output">Receives min(input, output length) filtered samples; the rest is left untouched.</param>
    public void Process(int channel, ReadOnlySpan<float> input, Span<float> output)
    {
        var frames = Math.Min(input.Length, output.Length);
        if ((uint)channel >= (uint)channelBuffers.Length)
        {
            output[..frames].Clear();
            return;
        }

        var buffer = channelBuffers[channel];
        var taps = reversedTaps.Pointer;
        for (var done = 0; done < frames;)
        {
            var count = Math.Min(ChunkFrames, frames - done);
            var fresh = buffer.Slice(historyLength, count);
            var chunkIn = input.Slice(done, count);
            chunkIn.CopyTo(fresh);
            if (!TensorPrimitives.IsFiniteAll(chunkIn))
            {
                ZeroNonFinite(fresh);
            }

            fixed (float* y = output.Slice(done, count))
            {
                switch (Tier)
                {
                    case SimdTier.Vector512:
                        FirKernels.Run<Fft.Vector512Ops, System.Runtime.Intrinsics.Vector512<float>>(buffer.Pointer, taps, tapCount, y, count);
                        break;
                    case SimdTier.Vector256:
                        FirKernels.Run<Fft.Vector256Ops, System.Runtime.Intrinsics.Vector256<float>>(buffer.Pointer, taps, tapCount, y, count);
                        break;
                    case SimdTier.Vector128:
                        FirKernels.Run<Fft.Vector128Ops, System.Runtime.Intrinsics.Vector128<float>>(buffer.Pointer, taps, tapCount, y, count);
                        break;
                    default:
                        FirKernels.RunScalar(buffer.Pointer, taps, tapCount, y, count, 0);
                        break;
                }
            }

            // Keep the last length-1 inputs as the history of the next chunk.
            if (historyLength > 0)
            {
                buffer.Slice(count, historyLength).CopyTo(buffer.Slice(0, historyLength));
            }

            done += count;
        }
    }

    /// <summary>Clears every channel's history (as if the filter had only ever seen silence).</summary>
    /// <remarks>Not thread-safe with <see cref="Process"/>; call it from the audio thread or while stopped.</remarks>
    public void Reset()
    {
        foreach (var buffer in channelBuffers)
        {
            buffer.Span.Clear();
        }
    }

    internal static void ZeroNonFinite(Span<float> samples)
    {
        for (var n = 0; n < samples.Length; n++)
        {
            if (!float.IsFinite(samples[n]))
            {
                samples[n] = 0f;
            }
        }
    }

    private static float[] ToFloat(ReadOnlySpan<double> coefficients)
    {
        var result = new float[coefficients.Length];
        for (var k = 0; k < result.Length; k++)
        {
            result[k] = (float)coefficients[k];
        }

        return result;
    }
}
