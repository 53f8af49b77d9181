namespace SpatialAudio.Drivers.Tests.Paths;

using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Paths;

public sealed class FramesTests
{
    private static DriverDescription Driver(Vector3D position, double axisAzimuthDeg, double axisElevationDeg) =>
        new("d", DriverRole.Mid, position, axisAzimuthDeg, axisElevationDeg, 0.05, null);

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(90.0, 0.0)]
    [InlineData(-135.0, 20.0)]
    [InlineData(30.0, 90.0)]
    [InlineData(200.0, -45.0)]
    public void DriverAxis_SeesAPointAlongItsAxisOnAxis(double axisAzimuthDeg, double axisElevationDeg)
    {
        var position = new Vector3D(0.01, -0.05, 0.02);
        var driver = Driver(position, axisAzimuthDeg, axisElevationDeg);
        var point = position + (1.7 * Vector3D.FromSpherical(axisAzimuthDeg, axisElevationDeg));

        var (azimuth, elevation) = DriverFrames.PointInDriverFrame(driver, point);

        Assert.Equal(0.0, elevation, 1e-9);
        Assert.Equal(0.0, azimuth, 1e-9);
    }

    [Fact]
    public void SideFiringDriver_SeesDeviceAzimuth90OnAxis_AndDeviceFrontOnItsRight()
    {
        var driver = Driver(Vector3D.Zero, 90.0, 0.0);

        var (az90, el90) = DriverFrames.PointInDriverFrame(driver, 2.0 * Vector3D.FromSpherical(90.0, 0.0));
        var (azFront, elFront) = DriverFrames.PointInDriverFrame(driver, new Vector3D(2.0, 0.0, 0.0));

        Assert.Equal(0.0, az90, 1e-9);
        Assert.Equal(0.0, el90, 1e-9);
        Assert.Equal(-90.0, azFront, 1e-9);
        Assert.Equal(0.0, elFront, 1e-9);
    }

    [Fact]
    public void UpFiringDriver_SeesStraightAboveOnAxis_KeepsTheDeviceLeftAsItsLeft_AndTheFrontBelow()
    {
        var driver = Driver(new Vector3D(0, 0, 0.1), 0.0, 90.0);

        var (_, elAbove) = DriverFrames.PointInDriverFrame(driver, new Vector3D(0, 0, 2.1));
        var (azLeft, elLeft) = DriverFrames.PointInDriverFrame(driver, new Vector3D(0, 1, 0.1));
        var (_, elFront) = DriverFrames.PointInDriverFrame(driver, new Vector3D(1, 0, 0.1));

        Assert.Equal(0.0, elAbove, 1e-9);
        Assert.Equal(90.0, azLeft, 1e-9);
        Assert.Equal(0.0, elLeft, 1e-9);
        Assert.Equal(-90.0, elFront, 1e-9);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(73.0, -12.0)]
    [InlineData(-170.0, 60.0)]
    public void Orientation_IsARotation_WhoseInverseIsItsTranspose(double yawDeg, double pitchDeg)
    {
        var orientation = new Orientation(yawDeg, pitchDeg);
        var v = new Vector3D(0.3, -1.2, 0.7);

        var back = orientation.ToParent(orientation.ToLocal(v));
        var ex = orientation.ToParent(new Vector3D(1, 0, 0));
        var ey = orientation.ToParent(new Vector3D(0, 1, 0));
        var ez = orientation.ToParent(new Vector3D(0, 0, 1));

        Assert.Equal(0.0, (back - v).Length, 1e-12);
        Assert.Equal(v.Length, orientation.ToLocal(v).Length, 1e-12);
        Assert.Equal(0.0, (ex - Vector3D.FromSpherical(yawDeg, pitchDeg)).Length, 1e-12);
        Assert.Equal(0.0, Vector3D.Dot(ex, ey), 1e-12);
        Assert.Equal(0.0, ey.Z, 1e-12);

        // Right-handed: ex × ey = ez.
        Assert.Equal(ez.X, (ex.Y * ey.Z) - (ex.Z * ey.Y), 1e-12);
        Assert.Equal(ez.Y, (ex.Z * ey.X) - (ex.X * ey.Z), 1e-12);
        Assert.Equal(ez.Z, (ex.X * ey.Y) - (ex.Y * ey.X), 1e-12);
    }

    [Fact]
    public void DefaultPose_StandsOnAxisAt2m_FacingTheDevice()
    {
        var pose = ListenerPose.Default;

        var origin = pose.ToHeadFrame(Vector3D.Zero);

        Assert.Equal(new Vector3D(2, 0, 0), pose.PositionMeters);
        Assert.Equal(2.0, origin.X, 1e-12);
        Assert.Equal(0.0, origin.Y, 1e-12);
        Assert.Equal(0.0, origin.Z, 1e-12);
    }

    [Fact]
    public void DefaultPose_ADriverAtNegativeDeviceY_IsOnTheListenersLeft()
    {
        var inHead = ListenerPose.Default.ToHeadFrame(new Vector3D(0, -0.08, 0));

        Assert.True(inHead.Y > 0, $"head-frame y = {inHead.Y}");
        Assert.Equal(0.08, inHead.Y, 1e-12);
        Assert.Equal(Math.Atan2(0.08, 2.0) * 180 / Math.PI, Orientation.Angles(inHead).AzimuthDeg, 1e-9);
    }

    [Theory]
    [InlineData(2.0, 1.0, 0.0)]
    [InlineData(-1.0, -3.0, 0.4)]
    public void FacingDevice_LooksAtTheDeviceOrigin(double x, double y, double z)
    {
        var pose = ListenerPose.FacingDevice(new Vector3D(x, y, z));

        var origin = pose.ToHeadFrame(Vector3D.Zero);

        Assert.Equal(0.0, origin.Y, 1e-12);
        Assert.True(origin.X > 0);
        Assert.Equal(0.0, (pose.ToDeviceFrame(origin) - Vector3D.Zero).Length, 1e-12);
    }
}
