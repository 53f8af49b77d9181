namespace SpatialAudio.Drivers.Rooms;

/// <summary>The six surfaces of a shoebox room (room frame: origin at a floor corner, axes along the walls, z up).</summary>
public enum RoomWall
{
    /// <summary>The wall in the plane x = 0.</summary>
    XMin = 0,

    /// <summary>The wall in the plane x = length.</summary>
    XMax = 1,

    /// <summary>The wall in the plane y = 0.</summary>
    YMin = 2,

    /// <summary>The wall in the plane y = width.</summary>
    YMax = 3,

    /// <summary>The floor, z = 0.</summary>
    Floor = 4,

    /// <summary>The ceiling, z = height.</summary>
    Ceiling = 5,
}

/// <summary>How many times a reflection path hits each surface.</summary>
/// <param name="XMin">Hits on the x = 0 wall.</param>
/// <param name="XMax">Hits on the x = length wall.</param>
/// <param name="YMin">Hits on the y = 0 wall.</param>
/// <param name="YMax">Hits on the y = width wall.</param>
/// <param name="Floor">Hits on the floor.</param>
/// <param name="Ceiling">Hits on the ceiling.</param>
public readonly record struct WallHits(int XMin, int XMax, int YMin, int YMax, int Floor, int Ceiling)
{
    /// <summary>Reflection order: the total number of hits.</summary>
    public int Total => XMin + XMax + YMin + YMax + Floor + Ceiling;

    /// <summary>Hits on one surface.</summary>
    /// <param name="wall">The surface.</param>
    public int this[RoomWall wall] => wall switch
    {
        RoomWall.XMin => XMin,
        RoomWall.XMax => XMax,
        RoomWall.YMin => YMin,
        RoomWall.YMax => YMax,
        RoomWall.Floor => Floor,
        RoomWall.Ceiling => Ceiling,
        _ => throw new ArgumentOutOfRangeException(nameof(wall), wall, "Unknown wall."),
    };
}
