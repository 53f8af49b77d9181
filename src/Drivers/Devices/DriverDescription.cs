using SpatialAudio.Drivers.Geometry;

namespace SpatialAudio.Drivers.Devices;

/// <summary>One driver of a device, as in <c>device.json</c> (AES69 device frame, meters, degrees).</summary>
/// <param name="Id">Unique name within the device, e.g. <c>mid_left</c>.</param>
/// <param name="Role">The band the driver plays.</param>
/// <param name="PositionMeters">Center of the diaphragm in the device frame.</param>
/// <param name="AxisAzimuthDeg">On-axis direction, azimuth in degrees (counter-clockwise from +x, +90 = device's left).</param>
/// <param name="AxisElevationDeg">On-axis direction, elevation in degrees (+90 = up-firing).</param>
/// <param name="DiameterMeters">Effective diaphragm diameter.</param>
/// <param name="MeasurementPath">Optional measurement sidecar, relative to the device folder; null when none.</param>
public sealed record DriverDescription(
    string Id,
    DriverRole Role,
    Vector3D PositionMeters,
    double AxisAzimuthDeg,
    double AxisElevationDeg,
    double DiameterMeters,
    string? MeasurementPath)
{
    /// <summary>Unit vector of the driver's on-axis direction.</summary>
    public Vector3D Axis => Vector3D.FromSpherical(AxisAzimuthDeg, AxisElevationDeg);
}
