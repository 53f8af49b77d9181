using SpatialAudio.Drivers.Geometry;

namespace SpatialAudio.Drivers.Paths;

/// <summary>Where the listener's head is and where it looks, in the device frame.</summary>
/// <remarks>
/// <para>The head frame (AES69: x where the listener looks, y the listener's left, z up, origin at the head center) is the
/// device frame rotated by <see cref="Orientation"/> (yaw, then pitch; see there) and moved to
/// <see cref="PositionMeters"/>.</para>
/// <para>The default pose (<see cref="Default"/>) stands on the device axis at 2 m and faces the device: position
/// (2, 0, 0), yaw 180°. The head's +x then points to the device's -x, and the device's left (+y) is on the listener's
/// <b>right</b>: a driver at negative device y is on the listener's left.</para>
/// </remarks>
/// <param name="PositionMeters">Head center in the device frame, meters.</param>
/// <param name="Orientation">Head orientation relative to the device axes.</param>
public readonly record struct ListenerPose(Vector3D PositionMeters, Orientation Orientation)
{
    /// <summary>Distance of the default pose from the device origin, meters.</summary>
    public const double DefaultDistanceMeters = 2.0;

    /// <summary>On the device axis at 2 m, facing the device.</summary>
    public static ListenerPose Default => new(new Vector3D(DefaultDistanceMeters, 0, 0), new Orientation(180.0, 0.0));

    /// <summary>A pose at a device-frame position, looking at the device origin (level, no pitch).</summary>
    /// <param name="positionMeters">Head center in the device frame, not on the vertical through the origin.</param>
    /// <returns>The pose.</returns>
    public static ListenerPose FacingDevice(Vector3D positionMeters)
    {
        if (!positionMeters.IsFinite || (positionMeters.X == 0.0 && positionMeters.Y == 0.0))
        {
            throw new ArgumentOutOfRangeException(nameof(positionMeters), positionMeters, "The head must be finite and off the device's vertical axis.");
        }

        var yaw = Math.Atan2(-positionMeters.Y, -positionMeters.X) * 180.0 / Math.PI;
        return new ListenerPose(positionMeters, new Orientation(yaw, 0.0));
    }

    /// <summary>A device-frame point expressed in the head frame.</summary>
    /// <param name="devicePointMeters">The point in the device frame.</param>
    public Vector3D ToHeadFrame(Vector3D devicePointMeters) => Orientation.ToLocal(devicePointMeters - PositionMeters);

    /// <summary>A head-frame point expressed in the device frame.</summary>
    /// <param name="headPointMeters">The point in the head frame.</param>
    public Vector3D ToDeviceFrame(Vector3D headPointMeters) => PositionMeters + Orientation.ToParent(headPointMeters);
}
