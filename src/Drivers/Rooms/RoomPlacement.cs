using SpatialAudio.Drivers.Geometry;

namespace SpatialAudio.Drivers.Rooms;

/// <summary>
/// Where a local frame (a device's AES69 frame, or a listener's head frame) sits in the room: its origin in room
/// coordinates and its yaw about the vertical axis.
/// </summary>
/// <remarks>
/// Yaw is counter-clockwise seen from above: at yaw 0 the local +x (forward) is the room's +x, at +90° it is the room's
/// +y. Both frames are right-handed with z up, so local +y (the device's own left) follows. Pitch and roll are not
/// modelled: devices and heads stand upright.
/// </remarks>
/// <param name="PositionMeters">The local origin in room coordinates, meters.</param>
/// <param name="YawDegrees">Rotation of the local frame about z, degrees.</param>
public readonly record struct RoomPlacement(Vector3D PositionMeters, double YawDegrees)
{
    /// <summary>A point given in the local frame, in room coordinates.</summary>
    /// <param name="localPointMeters">The point in the local frame.</param>
    public Vector3D ToRoom(Vector3D localPointMeters) => PositionMeters + ToRoomDirection(localPointMeters);

    /// <summary>A direction (or displacement) given in the local frame, in room axes.</summary>
    /// <param name="localDirection">The vector in the local frame.</param>
    public Vector3D ToRoomDirection(Vector3D localDirection)
    {
        var (sin, cos) = Math.SinCos(YawDegrees * Math.PI / 180.0);
        return new Vector3D((cos * localDirection.X) - (sin * localDirection.Y), (sin * localDirection.X) + (cos * localDirection.Y), localDirection.Z);
    }

    /// <summary>A point given in room coordinates, in the local frame.</summary>
    /// <param name="roomPointMeters">The point in room coordinates.</param>
    public Vector3D ToLocal(Vector3D roomPointMeters) => ToLocalDirection(roomPointMeters - PositionMeters);

    /// <summary>A direction (or displacement) given in room axes, in the local frame.</summary>
    /// <param name="roomDirection">The vector in room axes.</param>
    public Vector3D ToLocalDirection(Vector3D roomDirection)
    {
        var (sin, cos) = Math.SinCos(YawDegrees * Math.PI / 180.0);
        return new Vector3D((cos * roomDirection.X) + (sin * roomDirection.Y), (-sin * roomDirection.X) + (cos * roomDirection.Y), roomDirection.Z);
    }
}
