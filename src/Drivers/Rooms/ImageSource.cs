using SpatialAudio.Drivers.Geometry;

namespace SpatialAudio.Drivers.Rooms;

/// <summary>One image source of a shoebox room: a reflection path from the source to the receiver.</summary>
/// <remarks>Directions are unit vectors in room axes; <see cref="RoomPlacement.ToLocalDirection"/> expresses them in a
/// device or head frame.</remarks>
/// <param name="PositionMeters">Image position in room coordinates (the real source for order 0).</param>
/// <param name="Hits">Reflections per surface.</param>
/// <param name="DistanceMeters">Unfolded path length, meters.</param>
/// <param name="DelaySeconds">Arrival time, seconds after emission.</param>
/// <param name="ArrivalDirection">Unit vector from the receiver toward the image: where the sound comes from.</param>
/// <param name="DepartureDirection">Unit vector in which the path leaves the real source (for driver directivity).</param>
/// <param name="ReflectionGains">Product of the surfaces' pressure reflection factors sqrt(1 - α), per band of
/// <see cref="ShoeboxRoom.BandCentersHz"/>; spreading and air absorption are not included.</param>
public sealed record ImageSource(
    Vector3D PositionMeters,
    WallHits Hits,
    double DistanceMeters,
    double DelaySeconds,
    Vector3D ArrivalDirection,
    Vector3D DepartureDirection,
    IReadOnlyList<double> ReflectionGains)
{
    /// <summary>Reflection order (0 = direct path).</summary>
    public int Order => Hits.Total;
}
