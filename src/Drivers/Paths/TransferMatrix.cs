using System.Numerics;

namespace SpatialAudio.Drivers.Paths;

/// <summary>
/// A matrix of transfer functions H[row, column](f) on a frequency grid: rows are receivers (ears, microphones, points),
/// columns are drivers in device order.
/// </summary>
/// <remarks>Storage is row-major, then column, then frequency: the response of one (row, column) pair is contiguous.
/// <see cref="AtBin"/> copies out the rows × columns matrix at one frequency, the shape a crosstalk canceller inverts.
/// Immutable after construction.</remarks>
public sealed class TransferMatrix
{
    private readonly Complex[] values;
    private readonly double[] frequenciesHz;

    internal TransferMatrix(int rows, int columns, double[] frequenciesHz)
    {
        Rows = rows;
        Columns = columns;
        this.frequenciesHz = frequenciesHz;
        values = new Complex[rows * columns * frequenciesHz.Length];
    }

    /// <summary>Number of receivers.</summary>
    public int Rows { get; }

    /// <summary>Number of drivers.</summary>
    public int Columns { get; }

    /// <summary>The frequency grid, Hz.</summary>
    public IReadOnlyList<double> FrequenciesHz => frequenciesHz;

    /// <summary>H[row, column] at frequency bin <paramref name="bin"/>.</summary>
    /// <param name="row">Receiver index.</param>
    /// <param name="column">Driver index.</param>
    /// <param name="bin">Index into <see cref="FrequenciesHz"/>.</param>
    public Complex this[int row, int column, int bin]
    {
        get
        {
            if ((uint)bin >= (uint)frequenciesHz.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(bin), bin, "No such frequency bin.");
            }

            return Response(row, column)[bin];
        }
    }

    /// <summary>The transfer function of one receiver/driver pair over the whole grid.</summary>
    /// <param name="row">Receiver index.</param>
    /// <param name="column">Driver index.</param>
    public ReadOnlySpan<Complex> Response(int row, int column) => values.AsSpan(Offset(row, column), frequenciesHz.Length);

    /// <summary>The rows × columns matrix at one frequency bin (a copy).</summary>
    /// <param name="bin">Index into <see cref="FrequenciesHz"/>.</param>
    public Complex[,] AtBin(int bin)
    {
        if ((uint)bin >= (uint)frequenciesHz.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(bin), bin, "No such frequency bin.");
        }

        var matrix = new Complex[Rows, Columns];
        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < Columns; c++)
            {
                matrix[r, c] = values[Offset(r, c) + bin];
            }
        }

        return matrix;
    }

    internal Span<Complex> Writable(int row, int column) => values.AsSpan(Offset(row, column), frequenciesHz.Length);

    private int Offset(int row, int column)
    {
        if ((uint)row >= (uint)Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"Row must lie in 0..{Rows - 1}.");
        }

        if ((uint)column >= (uint)Columns)
        {
            throw new ArgumentOutOfRangeException(nameof(column), column, $"Column must lie in 0..{Columns - 1}.");
        }

        return ((row * Columns) + column) * frequenciesHz.Length;
    }
}
