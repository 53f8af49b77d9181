using System.Numerics.Tensors;
using SpatialAudio.Filters.Fft;

namespace SpatialAudio.Filters.Convolution;

/// <summary>
/// An immutable set of FIR filters for a <see cref="PartitionedConvolver"/>: one optional filter per
/// (input, output) pair, already cut into block-size partitions and transformed to the frequency domain.
/// </summary>
/// <remarks>
/// <para>Build it on a control thread (it allocates and runs FFTs), then hand it to
/// <see cref="PartitionedConvolver.SetFilters"/>; the audio thread picks it up at a block boundary and cross-fades.
/// One set may be shared by several convolvers of the same shape.</para>
/// <para>Each filter may have its own length. Trailing zeros are trimmed; a null, empty or all-zero filter is
/// absent and costs nothing. Output o = sum over inputs i of (firs[i, o] convolved with input i).</para>
/// <para>Storage (internal): each filter partition's packed spectrum (B bins, Nyquist in the imaginary slot of
/// bin 0, see <see cref="RealFft.ForwardPacked"/>) scaled by 1/(2B), so the unscaled inverse FFT gives the
/// convolution directly. Spectra are tiled by 32 bins: within a tile, per output, per present input, per partition,
/// 32 real then 32 imaginary values, so the audio thread streams the whole set once per block, sequentially.</para>
/// </remarks>
public sealed class ConvolverFilters
{
    /// <summary>Bins per tile of the spectrum layout; every block size holds a whole number of tiles.</summary>
    internal const int TileBins = 32;

    /// <summary>Smallest supported block size in frames.</summary>
    public const int MinBlockSize = 32;

    /// <summary>Largest supported block size in frames.</summary>
    public const int MaxBlockSize = 4096;

    private readonly int[,] lengths;

    /// <summary>Builds a filter set from float FIRs.</summary>
    /// <param name="blockSize">The convolver's block size B in frames: a power of two, 32..4096.</param>
    /// <param name="firs">firs[input, output]: the impulse response from that input to that output, or null when
    /// absent. Coefficients must be finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="blockSize"/> is not a power of two in range.</exception>
    /// <exception cref="ArgumentException"><paramref name="firs"/> has no inputs or outputs, or a non-finite coefficient.</exception>
    public ConvolverFilters(int blockSize, float[]?[,] firs)
    {
        ArgumentNullException.ThrowIfNull(firs);
        ValidateBlockSize(blockSize, nameof(blockSize));
        if (firs.GetLength(0) < 1 || firs.GetLength(1) < 1)
        {
            throw new ArgumentException("At least one input and one output are needed.", nameof(firs));
        }

        BlockSize = blockSize;
        InputCount = firs.GetLength(0);
        OutputCount = firs.GetLength(1);
        lengths = new int[InputCount, OutputCount];
        for (var i = 0; i < InputCount; i++)
        {
            for (var o = 0; o < OutputCount; o++)
            {
                var fir = firs[i, o];
                if (fir is null)
                {
                    continue;
                }

                if (!TensorPrimitives.IsFiniteAll<float>(fir))
                {
                    throw new ArgumentException($"The filter from input {i} to output {o} has a non-finite coefficient.", nameof(firs));
                }

                var length = fir.Length;
                while (length > 0 && fir[length - 1] == 0f)
                {
                    length--;
                }

                lengths[i, o] = length;
                MaxLength = Math.Max(MaxLength, length);
            }
        }

        PartitionCount = (MaxLength + blockSize - 1) / blockSize;
        (RunStarts, RunInputs, RunPartitions, OutputTileOffsets, TileStride) = BuildRuns();
        Spectra = new AlignedFloats(blockSize / TileBins * TileStride);
        Transform(firs);
    }

    /// <summary>Builds a filter set from FIRs designed in double (converted to float, the precision it runs in).</summary>
    /// <param name="blockSize">The convolver's block size B in frames: a power of two, 32..4096.</param>
    /// <param name="firs">firs[input, output]: the impulse response from that input to that output, or null when absent.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="blockSize"/> is not a power of two in range.</exception>
    /// <exception cref="ArgumentException"><paramref name="firs"/> has no inputs or outputs, or a non-finite coefficient.</exception>
    public ConvolverFilters(int blockSize, double[]?[,] firs)
        : this(blockSize, ToFloat(firs))
    {
    }

    /// <summary>Block size B in frames (the partition length).</summary>
    public int BlockSize { get; }

    /// <summary>Number of inputs.</summary>
    public int InputCount { get; }

    /// <summary>Number of outputs.</summary>
    public int OutputCount { get; }

    /// <summary>Longest filter length in taps after trimming trailing zeros.</summary>
    public int MaxLength { get; }

    /// <summary>Partitions of the longest filter: ceil(<see cref="MaxLength"/> / <see cref="BlockSize"/>).</summary>
    public int PartitionCount { get; }

    /// <summary>Complex multiply-accumulates (of one block size spectrum each) the set costs per block.</summary>
    public int PartitionProductCount => RunPartitions.Sum();

    internal int[] RunStarts { get; }

    internal int[] RunInputs { get; }

    internal int[] RunPartitions { get; }

    internal int[] OutputTileOffsets { get; }

    internal int TileStride { get; }

    internal AlignedFloats Spectra { get; }

    /// <summary>Length of the filter from <paramref name="input"/> to <paramref name="output"/> after trimming
    /// trailing zeros; 0 when absent.</summary>
    /// <param name="input">Input index.</param>
    /// <param name="output">Output index.</param>
    /// <returns>The length in taps.</returns>
    public int GetLength(int input, int output) => lengths[input, output];

    internal static void ValidateBlockSize(int blockSize, string paramName)
    {
        if (blockSize < MinBlockSize || blockSize > MaxBlockSize || !int.IsPow2(blockSize))
        {
            throw new ArgumentOutOfRangeException(paramName, blockSize, $"The block size must be a power of two, {MinBlockSize}..{MaxBlockSize}.");
        }
    }

    private (int[] Starts, int[] Inputs, int[] Partitions, int[] Offsets, int Stride) BuildRuns()
    {
        var starts = new int[OutputCount + 1];
        var inputs = new List<int>();
        var partitions = new List<int>();
        var offsets = new int[OutputCount];
        var total = 0;
        for (var o = 0; o < OutputCount; o++)
        {
            starts[o] = inputs.Count;
            offsets[o] = total * 2 * TileBins;
            for (var i = 0; i < InputCount; i++)
            {
                var count = (lengths[i, o] + BlockSize - 1) / BlockSize;
                if (count > 0)
                {
                    inputs.Add(i);
                    partitions.Add(count);
                    total += count;
                }
            }
        }

        starts[OutputCount] = inputs.Count;
        return (starts, [.. inputs], [.. partitions], offsets, total * 2 * TileBins);
    }

    private void Transform(float[]?[,] firs)
    {
        if (TileStride == 0)
        {
            return;
        }

        var b = BlockSize;
        var fft = new RealFft(2 * b);
        var padded = new float[2 * b];
        var re = new float[b];
        var im = new float[b];
        var scale = 1f / (2 * b);
        var spectra = Spectra.Span;
        for (var o = 0; o < OutputCount; o++)
        {
            var partitionIndex = 0;
            for (var r = RunStarts[o]; r < RunStarts[o + 1]; r++)
            {
                var i = RunInputs[r];
                var fir = firs[i, o]!;
                var length = lengths[i, o];
                for (var p = 0; p < RunPartitions[r]; p++, partitionIndex++)
                {
                    Array.Clear(padded);
                    var start = p * b;
                    fir.AsSpan(start, Math.Min(b, length - start)).CopyTo(padded);
                    fft.ForwardPacked(padded, re, im);
                    TensorPrimitives.Multiply(re, scale, re);
                    TensorPrimitives.Multiply(im, scale, im);
                    for (var t = 0; t < b / TileBins; t++)
                    {
                        var at = (t * TileStride) + OutputTileOffsets[o] + (partitionIndex * 2 * TileBins);
                        re.AsSpan(t * TileBins, TileBins).CopyTo(spectra.Slice(at, TileBins));
                        im.AsSpan(t * TileBins, TileBins).CopyTo(spectra.Slice(at + TileBins, TileBins));
                    }
                }
            }
        }
    }

    private static float[]?[,] ToFloat(double[]?[,] firs)
    {
        ArgumentNullException.ThrowIfNull(firs);
        var result = new float[]?[firs.GetLength(0), firs.GetLength(1)];
        for (var i = 0; i < firs.GetLength(0); i++)
        {
            for (var o = 0; o < firs.GetLength(1); o++)
            {
                if (firs[i, o] is { } fir)
                {
                    var f = new float[fir.Length];
                    for (var k = 0; k < f.Length; k++)
                    {
                        f[k] = (float)fir[k];
                    }

                    result[i, o] = f;
                }
            }
        }

        return result;
    }
}
