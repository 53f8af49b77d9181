using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Geometry;

namespace SpatialAudio.Drivers.Paths;

/// <summary>Directions between the device frame and a driver's own frame (the frame of its <c>IDirectivity</c>).</summary>
/// <remarks>A driver's frame is the device frame rotated by <see cref="Orientation"/>(axis azimuth, axis elevation): yaw by
/// the axis azimuth, then pitch by the axis elevation. Its origin is the driver's position.</remarks>
public static class DriverFrames
{
    /// <summary>The rotation from a driver's frame into the device frame.</summary>
    /// <param name="driver">The driver.</param>
    public static Orientation OrientationOf(DriverDescription driver)
    {
        ArgumentNullException.ThrowIfNull(driver);
        return new Orientation(driver.AxisAzimuthDeg, driver.AxisElevationDeg);
    }

    /// <summary>The driver-frame azimuth and elevation, degrees, of a device-frame direction.</summary>
    /// <param name="driver">The driver.</param>
    /// <param name="deviceDirection">A direction in device axes (any non-zero length).</param>
    public static (double AzimuthDeg, double ElevationDeg) DirectionInDriverFrame(DriverDescription driver, Vector3D deviceDirection) =>
        Orientation.Angles(OrientationOf(driver).ToLocal(deviceDirection));

    /// <summary>The driver-frame azimuth and elevation, degrees, under which the driver sees a device-frame point.</summary>
    /// <param name="driver">The driver.</param>
    /// <param name="devicePointMeters">The point in the device frame; not at the driver's position.</param>
    /// <exception cref="ArgumentException">The point is at the driver's position.</exception>
    public static (double AzimuthDeg, double ElevationDeg) PointInDriverFrame(DriverDescription driver, Vector3D devicePointMeters)
    {
        ArgumentNullException.ThrowIfNull(driver);
        var offset = devicePointMeters - driver.PositionMeters;
        if (!(offset.Length > 0.0))
        {
            throw new ArgumentException("The point coincides with the driver.", nameof(devicePointMeters));
        }

        return DirectionInDriverFrame(driver, offset);
    }
}
