using SpatialAudio.Drivers.Geometry;

namespace SpatialAudio.Drivers.Paths;

/// <summary>
/// The orientation of a local frame (a driver's frame, a listener's head frame) inside a parent frame (the device frame):
/// a yaw about the parent's z axis and then a pitch about the rotated y axis.
/// </summary>
/// <remarks>
/// <para><b>The rotation.</b> Local to parent is R = Rz(yaw) · Ry'(pitch), where the pitch turns the local +x up toward
/// +z: a local vector (x, y, z) is first pitched to (x cos p - z sin p, y, x sin p + z cos p) and then yawed to
/// (x' cos a - y sin a, x' sin a + y cos a, z'). The local +x (the driver's axis, where the listener looks) therefore
/// lands on <see cref="Vector3D.FromSpherical"/>(yaw, pitch), the same azimuth/elevation convention as the device file's
/// <c>axis</c>. The local +y (left) stays horizontal at azimuth yaw + 90; the local +z leans back: for an up-firing
/// driver (pitch +90, yaw 0) its own "up" is the device's -x (rear) and its own left is still the device's left.
/// Parent to local is the transpose Rᵀ.</para>
/// <para>Roll is not modelled: drivers are axisymmetric enough for it not to matter to their file description, and
/// heads stand upright.</para>
/// </remarks>
/// <param name="YawDeg">Rotation about the parent's z axis, degrees, counter-clockwise seen from above.</param>
/// <param name="PitchDeg">Rotation of the local axis up from the parent's horizontal plane, degrees.</param>
public readonly record struct Orientation(double YawDeg, double PitchDeg)
{
    /// <summary>The identity: local axes are the parent's axes.</summary>
    public static Orientation Identity => default;

    /// <summary>A vector given in the local frame, in parent axes (R v).</summary>
    /// <param name="local">The vector in the local frame.</param>
    public Vector3D ToParent(Vector3D local)
    {
        var (sinA, cosA) = Math.SinCos(YawDeg * Math.PI / 180.0);
        var (sinP, cosP) = Math.SinCos(PitchDeg * Math.PI / 180.0);
        var x = (local.X * cosP) - (local.Z * sinP);
        var z = (local.X * sinP) + (local.Z * cosP);
        return new Vector3D((x * cosA) - (local.Y * sinA), (x * sinA) + (local.Y * cosA), z);
    }

    /// <summary>A vector given in parent axes, in the local frame (Rᵀ v).</summary>
    /// <param name="parent">The vector in parent axes.</param>
    public Vector3D ToLocal(Vector3D parent)
    {
        var (sinA, cosA) = Math.SinCos(YawDeg * Math.PI / 180.0);
        var (sinP, cosP) = Math.SinCos(PitchDeg * Math.PI / 180.0);
        var x = (parent.X * cosA) + (parent.Y * sinA);
        var y = (-parent.X * sinA) + (parent.Y * cosA);
        return new Vector3D((x * cosP) + (parent.Z * sinP), y, (-x * sinP) + (parent.Z * cosP));
    }

    /// <summary>The AES69 azimuth and elevation, degrees, of a direction (any non-zero length).</summary>
    /// <param name="direction">A direction.</param>
    /// <returns>Azimuth in (-180, 180] counter-clockwise from +x, elevation in [-90, 90].</returns>
    /// <remarks>Straight up or down the azimuth is 0 by convention.</remarks>
    public static (double AzimuthDeg, double ElevationDeg) Angles(Vector3D direction)
    {
        var horizontal = Math.Sqrt((direction.X * direction.X) + (direction.Y * direction.Y));
        var elevation = Math.Atan2(direction.Z, horizontal) * 180.0 / Math.PI;
        var azimuth = horizontal == 0.0 ? 0.0 : Math.Atan2(direction.Y, direction.X) * 180.0 / Math.PI;
        return (azimuth, elevation);
    }
}
