namespace SpatialAudio.Drivers.Tests.Paths;

using System.Numerics;
using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Directivity;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Heads;
using SpatialAudio.Drivers.Paths;
using SpatialAudio.Drivers.Rooms;

public sealed class DeviceAcousticsTests
{
    private static DeviceDescription SymmetricDevice() => new(
        "test bar",
        48_000,
        [
            new DriverDescription("left", DriverRole.Mid, new Vector3D(0.0, -0.12, 0.0), -15.0, 0.0, 0.05, null),
            new DriverDescription("center", DriverRole.Tweeter, new Vector3D(0.01, 0.0, 0.02), 0.0, 0.0, 0.02, null),
            new DriverDescription("right", DriverRole.Mid, new Vector3D(0.0, 0.12, 0.0), 15.0, 0.0, 0.05, null),
        ],
        [],
        [new MicrophoneDescription("m0", new Vector3D(0.0, 0.0, 0.04))]);

    [Fact]
    public void EarMatrix_OfAMirrorSymmetricDevice_IsMirrorSymmetric()
    {
        var acoustics = new DeviceAcoustics(SymmetricDevice(), [new CardioidDirectivity(), new CardioidDirectivity(), new CardioidDirectivity()]);
        double[] f = [200.0, 2000.0, 9000.0];

        var h = acoustics.EarMatrix(ListenerPose.Default, new SphericalHeadModel(), f);

        Assert.Equal(2, h.Rows);
        Assert.Equal(3, h.Columns);
        for (var b = 0; b < f.Length; b++)
        {
            // Driver 0 (device y = -0.12, the listener's left) reaches the left ear as driver 2 reaches the right ear.
            Assert.Equal(0.0, Complex.Abs(h[(int)Ear.Left, 0, b] - h[(int)Ear.Right, 2, b]), 1e-12);
            Assert.Equal(0.0, Complex.Abs(h[(int)Ear.Left, 2, b] - h[(int)Ear.Right, 0, b]), 1e-12);
            Assert.Equal(0.0, Complex.Abs(h[(int)Ear.Left, 1, b] - h[(int)Ear.Right, 1, b]), 1e-12);
        }

        // Ipsilateral is louder than contralateral at high frequency.
        Assert.True(h[(int)Ear.Left, 0, 2].Magnitude > h[(int)Ear.Left, 2, 2].Magnitude);
        var atBin = h.AtBin(1);
        Assert.Equal(h[1, 2, 1], atBin[1, 2]);
    }

    [Fact]
    public void MicrophoneMatrix_HoldsTheDriverToMicrophonePaths()
    {
        var acoustics = DeviceAcoustics.Omni(SymmetricDevice());
        double[] f = [40_000.0];

        var h = acoustics.MicrophoneMatrix(f);

        Assert.Equal(1, h.Rows);
        var r = Vector3D.Distance(new Vector3D(0.0, -0.12, 0.0), new Vector3D(0.0, 0.0, 0.04));
        var expected = Complex.FromPolarCoordinates(acoustics.Air.AbsorptionFactor(40_000.0, r) / r, -2.0 * Math.PI * 40_000.0 * r / acoustics.Air.SpeedOfSoundMetersPerSecond);
        Assert.Equal(0.0, Complex.Abs(h[0, 0, 0] - expected), 1e-12);
    }

    [Fact]
    public void RoomEarMatrix_OfAFullyAbsorbingRoom_EqualsTheFreeFieldEarMatrix()
    {
        var acoustics = DeviceAcoustics.Omni(SymmetricDevice());
        var setup = new RoomSetup(new ShoeboxRoom(new Vector3D(6, 5, 3), AbsorptionSpectrum.Uniform(1.0)), new RoomPlacement(new Vector3D(1, 2.5, 1.1), 0.0), new ImageSourceOptions { MaxOrder = 2 });
        double[] f = [1000.0, 4000.0];
        var head = new SphericalHeadModel();

        var room = acoustics.RoomEarMatrix(setup, ListenerPose.Default, head, f);
        var free = acoustics.EarMatrix(ListenerPose.Default, head, f);

        for (var e = 0; e < 2; e++)
        {
            for (var d = 0; d < 3; d++)
            {
                for (var b = 0; b < f.Length; b++)
                {
                    Assert.Equal(0.0, Complex.Abs(room[e, d, b] - free[e, d, b]), 1e-9 * free[e, d, b].Magnitude);
                }
            }
        }
    }

    [Fact]
    public void EarImpulseResponses_HaveOneResponsePerEarAndDriver_ArrivingAtRoverCPlusLead()
    {
        var acoustics = DeviceAcoustics.Omni(SymmetricDevice());

        var irs = acoustics.EarImpulseResponses(ListenerPose.Default, new SphericalHeadModel(), 48_000.0, 512);

        Assert.Equal(2, irs.Length);
        Assert.All(irs, ear => Assert.Equal(3, ear.Length));
        var centerArrival = (2.0 / acoustics.Air.SpeedOfSoundMetersPerSecond * 48_000.0) + AcousticPaths.DefaultLeadSamples;
        var peak = Array.IndexOf(irs[0][1], irs[0][1].Max());
        Assert.InRange(peak, centerArrival - 12, centerArrival + 12);
    }

    [Fact]
    public void MismatchedDirectivityCount_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new DeviceAcoustics(SymmetricDevice(), [OmniDirectivity.Instance]));
        Assert.Equal("directivities", error.ParamName);
    }
}
