namespace SpatialAudio.Spatial.Design.Assembly;

/// <summary>How the stage filters given to <see cref="PresetComposer.Compose"/> treat the bass band.</summary>
public enum StageBand
{
    /// <summary>The stage designed full-band filters: the composer applies the LR4 bass high-pass to every non-woofer driver.</summary>
    FullBand,

    /// <summary>The stage already respected <see cref="DriverBands"/> (e.g. it was regularized toward the matrix preset, which
    /// carries the crossovers): the composer takes the non-woofer rows as they are.</summary>
    BandLimited,
}

/// <summary>
/// Builds a designed preset (<c>ctc</c>, <c>spatial</c>) from the stage results: L'/R' driver filters from the crosstalk
/// stage, C driver filters from the beamformer (or the matrix preset's centre), and bass management.
/// </summary>
/// <remarks>
/// Result [driver, input], inputs L', R', C. Non-woofer rows: columns 0, 1 from <c>sides</c>, column 2 from
/// <c>center</c> (times the LR4 bass high-pass when the stages were full band). Woofer rows: the matrix preset's
/// woofer rows for every input (LR4 low-pass, EQ and alignment), so below the bass crossover every input goes to the
/// woofer exactly as in the baseline and the crossover sums flat wherever the stage filters equal the matrix preset
/// at the crossover. Without a woofer the stage filters are taken as they are.
/// </remarks>
public static class PresetComposer
{
    /// <summary>Composes a preset.</summary>
    /// <param name="bands">The device's bands.</param>
    /// <param name="matrixPreset">The matrix preset (drivers x 3), source of the woofer rows.</param>
    /// <param name="sides">L'/R' driver filters, drivers x 2.</param>
    /// <param name="center">C driver filters, drivers x 1.</param>
    /// <param name="stageBand">Whether the stage filters still need the bass high-pass.</param>
    public static ResponseMatrix Compose(DriverBands bands, ResponseMatrix matrixPreset, ResponseMatrix sides, ResponseMatrix center, StageBand stageBand)
    {
        ArgumentNullException.ThrowIfNull(bands);
        ArgumentNullException.ThrowIfNull(matrixPreset);
        ArgumentNullException.ThrowIfNull(sides);
        ArgumentNullException.ThrowIfNull(center);
        var n = bands.DriverCount;
        Check(matrixPreset, n, 3, bands.Grid, nameof(matrixPreset));
        Check(sides, n, 2, bands.Grid, nameof(sides));
        Check(center, n, 1, bands.Grid, nameof(center));

        var result = new ResponseMatrix(bands.Grid, n, 3);
        for (var d = 0; d < n; d++)
        {
            if (bands.IsWoofer(d))
            {
                for (var i = 0; i < 3; i++)
                {
                    matrixPreset.Response(d, i).CopyTo(result.Response(d, i));
                }

                continue;
            }

            sides.Response(d, 0).CopyTo(result.Response(d, 0));
            sides.Response(d, 1).CopyTo(result.Response(d, 1));
            center.Response(d, 0).CopyTo(result.Response(d, 2));
            if (stageBand == StageBand.FullBand && bands.HasBassManagement)
            {
                for (var i = 0; i < 3; i++)
                {
                    var row = result.Response(d, i);
                    for (var k = 0; k < row.Length; k++)
                    {
                        row[k] *= bands.BassHighPass(k);
                    }
                }
            }
        }

        return result;
    }

    private static void Check(ResponseMatrix m, int rows, int columns, DesignGrid grid, string name)
    {
        if (m.Rows != rows || m.Columns != columns)
        {
            throw new ArgumentException($"expected {rows} x {columns} (drivers x inputs), got {m.Rows} x {m.Columns}", name);
        }

        if (m.Grid.BinCount != grid.BinCount || m.Grid.SampleRateHz != grid.SampleRateHz)
        {
            throw new ArgumentException("not on the bands' design grid", name);
        }
    }
}
