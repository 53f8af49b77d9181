using SpatialAudio.Drivers.Acoustics;
using SpatialAudio.Drivers.Geometry;

namespace SpatialAudio.Drivers.Rooms;

/// <summary>A rectangular room with an absorption spectrum per surface.</summary>
/// <remarks>
/// Room frame: origin at a floor corner, x along the length, y along the width, z up, meters; the room occupies
/// [0, length] × [0, width] × [0, height]. Use <see cref="RoomPlacement"/> to place device or head frames in it.
/// Immutable and thread-safe.
/// </remarks>
public sealed class ShoeboxRoom
{
    private readonly AbsorptionSpectrum[] surfaces;

    /// <summary>Creates a room whose six surfaces share one absorption spectrum.</summary>
    /// <param name="dimensionsMeters">Length (x), width (y) and height (z) in meters, each 0.1 .. 1000.</param>
    /// <param name="allSurfaces">Absorption of every surface.</param>
    public ShoeboxRoom(Vector3D dimensionsMeters, AbsorptionSpectrum allSurfaces)
        : this(dimensionsMeters, allSurfaces, allSurfaces, allSurfaces, allSurfaces, allSurfaces, allSurfaces)
    {
    }

    /// <summary>Creates a room with an absorption spectrum per surface.</summary>
    /// <param name="dimensionsMeters">Length (x), width (y) and height (z) in meters, each 0.1 .. 1000.</param>
    /// <param name="xMin">Absorption of the x = 0 wall.</param>
    /// <param name="xMax">Absorption of the x = length wall.</param>
    /// <param name="yMin">Absorption of the y = 0 wall.</param>
    /// <param name="yMax">Absorption of the y = width wall.</param>
    /// <param name="floor">Absorption of the floor.</param>
    /// <param name="ceiling">Absorption of the ceiling.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is out of range.</exception>
    /// <exception cref="ArgumentException">The spectra do not share the same band centers.</exception>
    public ShoeboxRoom(
        Vector3D dimensionsMeters,
        AbsorptionSpectrum xMin,
        AbsorptionSpectrum xMax,
        AbsorptionSpectrum yMin,
        AbsorptionSpectrum yMax,
        AbsorptionSpectrum floor,
        AbsorptionSpectrum ceiling)
    {
        if (!(dimensionsMeters.X >= 0.1 && dimensionsMeters.X <= 1000.0
            && dimensionsMeters.Y >= 0.1 && dimensionsMeters.Y <= 1000.0
            && dimensionsMeters.Z >= 0.1 && dimensionsMeters.Z <= 1000.0))
        {
            throw new ArgumentOutOfRangeException(nameof(dimensionsMeters), dimensionsMeters, "Each room dimension must lie in 0.1..1000 m.");
        }

        surfaces = [xMin, xMax, yMin, yMax, floor, ceiling];
        for (var w = 0; w < surfaces.Length; w++)
        {
            ArgumentNullException.ThrowIfNull(surfaces[w], ((RoomWall)w).ToString());
            if (!surfaces[w].BandCentersHz.SequenceEqual(xMin.BandCentersHz))
            {
                throw new ArgumentException("All surfaces must use the same band centers.", ((RoomWall)w).ToString());
            }
        }

        DimensionsMeters = dimensionsMeters;
    }

    /// <summary>Length (x), width (y) and height (z), meters.</summary>
    public Vector3D DimensionsMeters { get; }

    /// <summary>Volume, m³.</summary>
    public double VolumeCubicMeters => DimensionsMeters.X * DimensionsMeters.Y * DimensionsMeters.Z;

    /// <summary>Total surface area, m².</summary>
    public double SurfaceAreaSquareMeters
    {
        get
        {
            var d = DimensionsMeters;
            return 2.0 * ((d.X * d.Y) + (d.X * d.Z) + (d.Y * d.Z));
        }
    }

    /// <summary>Band centers shared by all surfaces, Hz.</summary>
    public IReadOnlyList<double> BandCentersHz => surfaces[0].BandCentersHz;

    /// <summary>The absorption spectrum of one surface.</summary>
    /// <param name="wall">The surface.</param>
    public AbsorptionSpectrum Absorption(RoomWall wall) => surfaces[(int)wall];

    /// <summary>The area of one surface, m².</summary>
    /// <param name="wall">The surface.</param>
    public double AreaSquareMeters(RoomWall wall)
    {
        var d = DimensionsMeters;
        return wall switch
        {
            RoomWall.XMin or RoomWall.XMax => d.Y * d.Z,
            RoomWall.YMin or RoomWall.YMax => d.X * d.Z,
            RoomWall.Floor or RoomWall.Ceiling => d.X * d.Y,
            _ => throw new ArgumentOutOfRangeException(nameof(wall), wall, "Unknown wall."),
        };
    }

    /// <summary>True when the point lies strictly inside the room.</summary>
    /// <param name="pointMeters">A point in room coordinates.</param>
    public bool Contains(Vector3D pointMeters)
    {
        var d = DimensionsMeters;
        return pointMeters.X > 0.0 && pointMeters.X < d.X
            && pointMeters.Y > 0.0 && pointMeters.Y < d.Y
            && pointMeters.Z > 0.0 && pointMeters.Z < d.Z;
    }

    /// <summary>Equivalent absorption area A = Σ S·α at a frequency, m².</summary>
    /// <param name="frequencyHz">Frequency, Hz.</param>
    public double AbsorptionAreaSquareMeters(double frequencyHz)
    {
        var sum = 0.0;
        for (var w = 0; w < surfaces.Length; w++)
        {
            sum += AreaSquareMeters((RoomWall)w) * surfaces[w].CoefficientAt(frequencyHz);
        }

        return sum;
    }

    /// <summary>Sabine reverberation time T60 = 24 ln10 V / (c (A + 4mV)), seconds.</summary>
    /// <param name="frequencyHz">Frequency, Hz.</param>
    /// <param name="air">Air conditions (speed of sound and, when <paramref name="includeAir"/>, absorption m).</param>
    /// <param name="includeAir">Include the air term 4mV (m = α_air ln10 / 10, the intensity attenuation in 1/m).</param>
    /// <returns>T60 in seconds; infinity when nothing absorbs.</returns>
    public double SabineReverberationTimeSeconds(double frequencyHz, AirConditions air, bool includeAir = true)
    {
        ArgumentNullException.ThrowIfNull(air);
        return ReverberationTime(AbsorptionAreaSquareMeters(frequencyHz), frequencyHz, air, includeAir);
    }

    /// <summary>Eyring reverberation time T60 = 24 ln10 V / (c (-S ln(1 - ᾱ) + 4mV)), seconds.</summary>
    /// <param name="frequencyHz">Frequency, Hz.</param>
    /// <param name="air">Air conditions (speed of sound and, when <paramref name="includeAir"/>, absorption m).</param>
    /// <param name="includeAir">Include the air term 4mV.</param>
    /// <returns>T60 in seconds; 0 when every surface absorbs fully, infinity when nothing absorbs.</returns>
    public double EyringReverberationTimeSeconds(double frequencyHz, AirConditions air, bool includeAir = true)
    {
        ArgumentNullException.ThrowIfNull(air);
        var surface = SurfaceAreaSquareMeters;
        var meanAlpha = Math.Min(1.0, AbsorptionAreaSquareMeters(frequencyHz) / surface);
        return ReverberationTime(-surface * Math.Log(1.0 - meanAlpha), frequencyHz, air, includeAir);
    }

    private double ReverberationTime(double absorptionArea, double frequencyHz, AirConditions air, bool includeAir)
    {
        var volume = VolumeCubicMeters;
        var m = includeAir ? air.AbsorptionDbPerMeter(frequencyHz) * Math.Log(10.0) / 10.0 : 0.0;
        var total = absorptionArea + (4.0 * m * volume);
        return 24.0 * Math.Log(10.0) * volume / (air.SpeedOfSoundMetersPerSecond * total);
    }
}
