using System.Numerics;

namespace SpatialAudio.Spatial.Design;

/// <summary>
/// A matrix of complex frequency responses on a <see cref="DesignGrid"/>: entry (row, column, bin).
/// Used for stage results, e.g. driver filters [input, driver] or desired ear signals [ear, input].
/// </summary>
public sealed class ResponseMatrix
{
    private readonly Complex[] values;

    /// <summary>Creates an all-zero matrix.</summary>
    public ResponseMatrix(DesignGrid grid, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        Grid = grid;
        Rows = rows;
        Columns = columns;
        values = new Complex[rows * columns * grid.BinCount];
    }

    /// <summary>The frequency grid.</summary>
    public DesignGrid Grid { get; }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    /// <summary>Entry (row, column) at bin <paramref name="bin"/>.</summary>
    public Complex this[int row, int column, int bin]
    {
        get => values[Offset(row, column) + bin];
        set => values[Offset(row, column) + bin] = value;
    }

    /// <summary>The response of entry (row, column) over all bins (writable).</summary>
    public Span<Complex> Response(int row, int column) => values.AsSpan(Offset(row, column), Grid.BinCount);

    /// <summary>Matrix product this x <paramref name="right"/>, bin by bin.</summary>
    public ResponseMatrix Multiply(ResponseMatrix right)
    {
        ArgumentNullException.ThrowIfNull(right);
        if (right.Grid.BinCount != Grid.BinCount || right.Grid.SampleRateHz != Grid.SampleRateHz)
        {
            throw new ArgumentException("grids differ", nameof(right));
        }

        if (Columns != right.Rows)
        {
            throw new ArgumentException($"cannot multiply {Rows}x{Columns} by {right.Rows}x{right.Columns}", nameof(right));
        }

        var result = new ResponseMatrix(Grid, Rows, right.Columns);
        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < right.Columns; c++)
            {
                var destination = result.Response(r, c);
                for (var m = 0; m < Columns; m++)
                {
                    var a = Response(r, m);
                    var b = right.Response(m, c);
                    for (var k = 0; k < destination.Length; k++)
                    {
                        destination[k] += a[k] * b[k];
                    }
                }
            }
        }

        return result;
    }

    private int Offset(int row, int column)
    {
        if ((uint)row >= (uint)Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(row));
        }

        if ((uint)column >= (uint)Columns)
        {
            throw new ArgumentOutOfRangeException(nameof(column));
        }

        return (row * Columns + column) * Grid.BinCount;
    }
}
