using System.Runtime.Intrinsics;
using System.Numerics.Tensors;
using SpatialAudio.Filters.Fft;
using SpatialAudio.Filters.Simd;

namespace SpatialAudio.Filters.Convolution;

/// <summary>
/// A multi-input, multi-output FIR convolver: uniformly partitioned overlap-save with a frequency-domain delay line.
/// Output o = sum over inputs i of (filter[i, o] convolved with input i), filters of any length, absent ones free.
/// </summary>
/// <remarks>
/// <para><b>Blocks and latency.</b> Every <see cref="Process"/> call takes exactly <see cref="BlockSize"/> (B)
/// frames per channel and returns the B output frames of the same instants: latency 0. (A host that receives
/// audio in other sizes must buffer B frames first; that buffer, not the convolver, adds B frames of latency.)</para>
/// <para><b>Algorithm.</b> FFT size 2B. Per block: one forward real FFT per input of [previous block, this block],
/// written into the input's delay line of spectra (shared by every output and by both filter sets during a
/// cross-fade); per output, the complex multiply-accumulate over present inputs and partitions
/// (<see cref="ConvolverFilters.PartitionProductCount"/> products of B bins) and one inverse FFT whose second half is
/// the output. Filter spectra carry the 1/(2B) scaling, so no scaling pass runs per block.</para>
/// <para><b>Filter changes.</b> <see cref="SetFilters"/> (any thread) publishes an immutable
/// <see cref="ConvolverFilters"/> through a volatile reference. At the next block boundary the audio thread starts
/// a cross-fade: for <see cref="CrossfadeBlocks"/> blocks it renders the old and the new set from the same delay
/// line and mixes old + w (new - old) with a raised-cosine w rising from 0 to 1, so the change is click-free and a
/// swap to identical filters changes nothing. A set published during a fade waits until the fade ends (the newest
/// one wins). No lock and no allocation on the audio thread; the retired set is simply dropped.</para>
/// <para><b>Non-finite input.</b> NaN/Inf input samples are replaced by zero before the forward FFT, so the delay
/// line is never poisoned: output stays finite, and is exact again once the burst is a filter length in the past.</para>
/// <para><b>Threading.</b> <see cref="Process"/> and <see cref="Reset"/> belong to one audio thread; they never
/// allocate, lock or throw. <see cref="SetFilters"/> may be called from any thread.</para>
/// </remarks>
public sealed unsafe class PartitionedConvolver
{
    private readonly RealFft fft;
    private readonly AlignedFloats delayLine;
    private readonly AlignedFloats timeInput;
    private readonly AlignedFloats spectrumNew;
    private readonly AlignedFloats spectrumOld;
    private readonly AlignedFloats timeOutput;
    private readonly AlignedFloats fadeScratch;
    private readonly float[] ramp;
    private readonly int slotCount;
    private volatile ConvolverFilters? requested;
    private ConvolverFilters? active;
    private ConvolverFilters? fadingOut;
    private bool fading;
    private int fadeBlock;
    private int head;

    /// <summary>Creates a convolver on this machine's best SIMD tier.</summary>
    /// <param name="inputCount">Number of inputs, at least 1.</param>
    /// <param name="outputCount">Number of outputs, at least 1.</param>
    /// <param name="blockSize">Frames per <see cref="Process"/> call and partition length: a power of two, 32..4096.</param>
    /// <param name="maxFilterLength">The longest filter any <see cref="ConvolverFilters"/> given to it may hold, in taps
    /// (sizes the delay line), at least 1.</param>
    /// <param name="filters">Initial filters, active from the first block without a fade; null starts silent.</param>
    /// <param name="crossfadeBlocks">Blocks a filter change is cross-faded over, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count or size is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="filters"/> does not fit this convolver.</exception>
    public PartitionedConvolver(int inputCount, int outputCount, int blockSize, int maxFilterLength, ConvolverFilters? filters = null, int crossfadeBlocks = 1)
        : this(inputCount, outputCount, blockSize, maxFilterLength, filters, crossfadeBlocks, SimdCapabilities.Best)
    {
    }

    /// <summary>Creates a convolver on an explicit SIMD tier (tests compare tiers with it).</summary>
    internal PartitionedConvolver(int inputCount, int outputCount, int blockSize, int maxFilterLength, ConvolverFilters? filters, int crossfadeBlocks, SimdTier tier)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);
        ConvolverFilters.ValidateBlockSize(blockSize, nameof(blockSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFilterLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(crossfadeBlocks, 1);
        InputCount = inputCount;
        OutputCount = outputCount;
        BlockSize = blockSize;
        MaxFilterLength = maxFilterLength;
        CrossfadeBlocks = crossfadeBlocks;
        Tier = tier;
        slotCount = (maxFilterLength + blockSize - 1) / blockSize;
        fft = new RealFft(2 * blockSize, tier);
        delayLine = new AlignedFloats(inputCount * slotCount * 2 * blockSize);
        timeInput = new AlignedFloats(inputCount * 2 * blockSize);
        spectrumNew = new AlignedFloats(outputCount * 2 * blockSize);
        spectrumOld = new AlignedFloats(outputCount * 2 * blockSize);
        timeOutput = new AlignedFloats(2 * blockSize);
        fadeScratch = new AlignedFloats(2 * blockSize);
        var fadeLength = crossfadeBlocks * blockSize;
        ramp = new float[fadeLength];
        for (var n = 0; n < fadeLength; n++)
        {
            ramp[n] = (float)(0.5 - (0.5 * Math.Cos(Math.PI * (n + 1) / fadeLength)));
        }

        if (filters is not null)
        {
            Validate(filters);
        }

        requested = filters;
        active = filters;
    }

    /// <summary>Number of inputs.</summary>
    public int InputCount { get; }

    /// <summary>Number of outputs.</summary>
    public int OutputCount { get; }

    /// <summary>Frames per channel in every <see cref="Process"/> call (B); the FFT size is 2B.</summary>
    public int BlockSize { get; }

    /// <summary>The longest filter this convolver accepts, in taps.</summary>
    public int MaxFilterLength { get; }

    /// <summary>Blocks a filter change is cross-faded over.</summary>
    public int CrossfadeBlocks { get; }

    /// <summary>Latency in samples: 0 (each block's output is returned by the call that takes its input).</summary>
    public int LatencySamples { get; }

    /// <summary>The SIMD tier the multiply-accumulate kernel runs on.</summary>
    public SimdTier Tier { get; }

    /// <summary>The most recently published filter set (the one playing, or about to be faded in); null when silent.</summary>
    public ConvolverFilters? Filters => requested;

    /// <summary>Publishes a new filter set; the audio thread cross-fades to it at the next block boundary.</summary>
    /// <param name="filters">A set with this convolver's block size, input and output counts, and no filter longer
    /// than <see cref="MaxFilterLength"/>; null fades to silence.</param>
    /// <exception cref="ArgumentException"><paramref name="filters"/> does not fit this convolver.</exception>
    public void SetFilters(ConvolverFilters? filters)
    {
        if (filters is not null)
        {
            Validate(filters);
        }

        requested = filters;
    }

    /// <summary>Convolves one block.</summary>
    /// <param name="input">Planar input: input i occupies [i B, (i + 1) B); exactly <see cref="InputCount"/> x B values.</param>
    /// <param name="output">Planar output: output o occupies [o B, (o + 1) B); exactly <see cref="OutputCount"/> x B values.
    /// Must not overlap <paramref name="input"/>.</param>
    /// <returns>False (and silence in <paramref name="output"/>) when a span has the wrong length.</returns>
    public bool Process(ReadOnlySpan<float> input, Span<float> output)
    {
        var b = BlockSize;
        if (input.Length != InputCount * b || output.Length != OutputCount * b)
        {
            output.Clear();
            return false;
        }

        head = head + 1 == slotCount ? 0 : head + 1;
        for (var i = 0; i < InputCount; i++)
        {
            var frame = timeInput.Slice(i * 2 * b, 2 * b);
            var block = input.Slice(i * b, b);
            var fresh = frame[b..];
            block.CopyTo(fresh);
            if (!TensorPrimitives.IsFiniteAll(block))
            {
                DirectFormFir.ZeroNonFinite(fresh);
            }

            var slot = delayLine.Slice(((i * slotCount) + head) * 2 * b, 2 * b);
            fft.ForwardPacked(frame, slot[..b], slot[b..]);
            fresh.CopyTo(frame[..b]);
        }

        var target = requested;
        if (!fading && !ReferenceEquals(target, active))
        {
            fadingOut = active;
            active = target;
            fading = true;
            fadeBlock = 0;
        }

        Accumulate(active, spectrumNew);
        for (var o = 0; o < OutputCount; o++)
        {
            Synthesize(active, spectrumNew, o, output.Slice(o * b, b));
        }

        if (fading)
        {
            Accumulate(fadingOut, spectrumOld);
            var old = fadeScratch.Slice(0, b);
            var difference = fadeScratch.Slice(b, b);
            var weights = ramp.AsSpan(fadeBlock * b, b);
            for (var o = 0; o < OutputCount; o++)
            {
                var destination = output.Slice(o * b, b);
                Synthesize(fadingOut, spectrumOld, o, old);
                TensorPrimitives.Subtract(destination, old, difference);
                TensorPrimitives.FusedMultiplyAdd(difference, weights, old, destination);
            }

            if (++fadeBlock == CrossfadeBlocks)
            {
                fading = false;
                fadingOut = null;
            }
        }

        return true;
    }

    /// <summary>Forgets all input history and any fade in progress; the latest published set becomes active.</summary>
    /// <remarks>Audio thread (or while stopped) only; never allocates.</remarks>
    public void Reset()
    {
        delayLine.Span.Clear();
        timeInput.Span.Clear();
        head = 0;
        fading = false;
        fadingOut = null;
        active = requested;
    }

    private void Validate(ConvolverFilters filters)
    {
        if (filters.BlockSize != BlockSize || filters.InputCount != InputCount || filters.OutputCount != OutputCount)
        {
            throw new ArgumentException(
                $"The filter set is {filters.InputCount}x{filters.OutputCount} at block size {filters.BlockSize}; the convolver is {InputCount}x{OutputCount} at {BlockSize}.",
                nameof(filters));
        }

        if (filters.MaxLength > MaxFilterLength)
        {
            throw new ArgumentException($"A filter has {filters.MaxLength} taps; the convolver takes at most {MaxFilterLength}.", nameof(filters));
        }
    }

    private void Accumulate(ConvolverFilters? filters, AlignedFloats spectrum)
    {
        if (filters is null || filters.TileStride == 0)
        {
            return;
        }

        var b = BlockSize;
        var fdl = new DelayLineView(delayLine.Pointer, slotCount * 2 * b, 2 * b, b, slotCount, head);
        var tileCount = b / ConvolverFilters.TileBins;
        var spectra = filters.Spectra.Pointer;
        fixed (int* starts = filters.RunStarts, inputs = filters.RunInputs, partitions = filters.RunPartitions, offsets = filters.OutputTileOffsets)
        {
            for (var t = 0; t < tileCount; t++)
            {
                var tileBin = t * ConvolverFilters.TileBins;
                var tile = spectra + ((nint)t * filters.TileStride);
                for (var o = 0; o < OutputCount; o++)
                {
                    var first = starts[o];
                    var runCount = starts[o + 1] - first;
                    if (runCount == 0)
                    {
                        continue;
                    }

                    var h = tile + offsets[o];
                    var yRe = spectrum.Pointer + (o * 2 * b);
                    var yIm = yRe + b;
                    switch (Tier)
                    {
                        case SimdTier.Vector512:
                            ComplexMacKernels.Tile<Vector512Ops, Vector512<float>>(fdl, tileBin, h, inputs + first, partitions + first, runCount, yRe, yIm);
                            break;
                        case SimdTier.Vector256:
                            ComplexMacKernels.Tile<Vector256Ops, Vector256<float>>(fdl, tileBin, h, inputs + first, partitions + first, runCount, yRe, yIm);
                            break;
                        case SimdTier.Vector128:
                            ComplexMacKernels.Tile<Vector128Ops, Vector128<float>>(fdl, tileBin, h, inputs + first, partitions + first, runCount, yRe, yIm);
                            break;
                        default:
                            ComplexMacKernels.TileScalar(fdl, tileBin, h, inputs + first, partitions + first, runCount, yRe, yIm);
                            break;
                    }
                }
            }
        }
    }

    private void Synthesize(ConvolverFilters? filters, AlignedFloats spectrum, int output, Span<float> destination)
    {
        if (filters is null || filters.RunStarts[output] == filters.RunStarts[output + 1])
        {
            destination.Clear();
            return;
        }

        var b = BlockSize;
        var bins = spectrum.Slice(output * 2 * b, 2 * b);
        var time = timeOutput.Span;
        fft.InverseUnscaledPacked(bins[..b], bins[b..], time);

        // Overlap-save: the first half wraps around (circular convolution); the second half is the linear result.
        time[b..].CopyTo(destination);
    }
}
