using System.Numerics;

namespace SpatialAudio.Drivers.Paths;

/// <summary>A far-field pattern sampled on an azimuth × elevation × frequency grid (see <see cref="ArrayPattern"/>).</summary>
/// <remarks>Immutable after construction.</remarks>
public sealed class PatternGrid
{
    private readonly double[] azimuthsDeg;
    private readonly double[] elevationsDeg;
    private readonly double[] frequenciesHz;
    private readonly Complex[] values;

    internal PatternGrid(double[] azimuthsDeg, double[] elevationsDeg, double[] frequenciesHz)
    {
        this.azimuthsDeg = azimuthsDeg;
        this.elevationsDeg = elevationsDeg;
        this.frequenciesHz = frequenciesHz;
        values = new Complex[elevationsDeg.Length * azimuthsDeg.Length * frequenciesHz.Length];
    }

    /// <summary>Azimuths, degrees.</summary>
    public IReadOnlyList<double> AzimuthsDeg => azimuthsDeg;

    /// <summary>Elevations, degrees.</summary>
    public IReadOnlyList<double> ElevationsDeg => elevationsDeg;

    /// <summary>Frequencies, Hz.</summary>
    public IReadOnlyList<double> FrequenciesHz => frequenciesHz;

    /// <summary>The complex pattern at one grid point.</summary>
    /// <param name="elevation">Elevation index.</param>
    /// <param name="azimuth">Azimuth index.</param>
    /// <param name="bin">Frequency index.</param>
    public Complex this[int elevation, int azimuth, int bin]
    {
        get
        {
            if ((uint)bin >= (uint)frequenciesHz.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(bin), bin, "No such frequency bin.");
            }

            return values[Offset(elevation, azimuth) + bin];
        }
    }

    /// <summary>The level 20 log10|P| at one grid point, dB.</summary>
    /// <param name="elevation">Elevation index.</param>
    /// <param name="azimuth">Azimuth index.</param>
    /// <param name="bin">Frequency index.</param>
    public double LevelDb(int elevation, int azimuth, int bin) => 20.0 * Math.Log10(Complex.Abs(this[elevation, azimuth, bin]));

    internal Span<Complex> Writable(int elevation, int azimuth) => values.AsSpan(Offset(elevation, azimuth), frequenciesHz.Length);

    private int Offset(int elevation, int azimuth)
    {
        if ((uint)elevation >= (uint)elevationsDeg.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(elevation), elevation, "No such elevation.");
        }

        if ((uint)azimuth >= (uint)azimuthsDeg.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(azimuth), azimuth, "No such azimuth.");
        }

        return ((elevation * azimuthsDeg.Length) + azimuth) * frequenciesHz.Length;
    }
}
