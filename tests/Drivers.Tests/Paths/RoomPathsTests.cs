namespace SpatialAudio.Drivers.Tests.Paths;

using System.Numerics;
using SpatialAudio.Drivers.Acoustics;
using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Heads;
using SpatialAudio.Drivers.Paths;
using SpatialAudio.Drivers.Rooms;
using SpatialAudio.Drivers.Tests.Acoustics;

public sealed class RoomPathsTests
{
    private const double SampleRateHz = 48_000.0;

    // Third-octave interpolation nodes of the image-source model (1000·2^(k/3) Hz): air absorption is exact there.
    private static readonly double[] NodeFrequenciesHz = [250.0, 1000.0, 2000.0, 1000.0 * Math.Pow(2.0, 7.0 / 3.0), 1000.0 * Math.Pow(2.0, 11.0 / 3.0)];

    private static readonly RoomPlacement Placement = new(new Vector3D(1.5, 2.0, 1.0), 30.0);

    private static readonly DriverDescription Driver = new("d", DriverRole.Mid, new Vector3D(0.02, -0.08, 0.03), 10.0, 0.0, 0.05, null);

    private static readonly Vector3D Point = new(1.8, 0.3, 0.2);

    private static ShoeboxRoom Room(double floorAbsorption, double otherAbsorption)
    {
        var other = AbsorptionSpectrum.Uniform(otherAbsorption);
        return new ShoeboxRoom(new Vector3D(5, 4, 3), other, other, other, other, AbsorptionSpectrum.Uniform(floorAbsorption), other);
    }

    [Fact]
    public void FullyAbsorbingRoom_EqualsTheFreeFieldPath()
    {
        var setup = new RoomSetup(Room(1.0, 1.0), Placement, new ImageSourceOptions { MaxOrder = 3 });
        var room = new Complex[NodeFrequenciesHz.Length];
        var free = new Complex[NodeFrequenciesHz.Length];

        RoomPaths.DriverToPoint(setup, Driver, new CardioidDirectivity(), Point, NodeFrequenciesHz, room);
        AcousticPaths.DriverToPoint(Driver, new CardioidDirectivity(), Point, NodeFrequenciesHz, setup.Options.Air, free);

        for (var k = 0; k < free.Length; k++)
        {
            Assert.Equal(0.0, Complex.Abs(room[k] - free[k]), 1e-9 * Complex.Abs(free[k]));
        }

        // Between nodes the model blends air absorption: within 1 % at 2 m.
        double[] between = [3000.0, 15_000.0];
        var roomBetween = new Complex[2];
        var freeBetween = new Complex[2];
        RoomPaths.DriverToPoint(setup, Driver, new CardioidDirectivity(), Point, between, roomBetween);
        AcousticPaths.DriverToPoint(Driver, new CardioidDirectivity(), Point, between, setup.Options.Air, freeBetween);
        for (var k = 0; k < 2; k++)
        {
            Assert.Equal(0.0, Complex.Abs(roomBetween[k] - freeBetween[k]), 1e-2 * Complex.Abs(freeBetween[k]));
        }
    }

    [Fact]
    public void FullyAbsorbingRoom_EarPathEqualsTheFreeFieldEarPath()
    {
        var setup = new RoomSetup(Room(1.0, 1.0), Placement, new ImageSourceOptions { MaxOrder = 2 });
        var head = new SphericalHeadModel();
        foreach (var ear in new[] { Ear.Left, Ear.Right })
        {
            var room = new Complex[NodeFrequenciesHz.Length];
            var free = new Complex[NodeFrequenciesHz.Length];

            RoomPaths.DriverToEar(setup, Driver, new CardioidDirectivity(), ListenerPose.Default, head, ear, NodeFrequenciesHz, room);
            AcousticPaths.DriverToEar(Driver, new CardioidDirectivity(), ListenerPose.Default, head, ear, NodeFrequenciesHz, setup.Options.Air, free);

            for (var k = 0; k < free.Length; k++)
            {
                Assert.Equal(0.0, Complex.Abs(room[k] - free[k]), 1e-9 * Complex.Abs(free[k]));
            }
        }
    }

    [Fact]
    public void FloorReflection_UsesTheMirroredDepartureDirection()
    {
        // Only the floor reflects: the path is the direct sound plus the floor image. The reference finds the floor path
        // by mirroring the receiver in the floor; the ray leaves the driver toward that mirrored receiver (downward and
        // forward), not toward the image below the driver. The test directivity is louder upward than downward.
        var options = new ImageSourceOptions { MaxOrder = 4, IncludeAirAbsorption = false };
        var setup = new RoomSetup(Room(0.0, 1.0), Placement, options);
        var c = options.Air.SpeedOfSoundMetersPerSecond;
        var source = Placement.ToRoom(Driver.PositionMeters);
        var receiver = Placement.ToRoom(Point);
        var mirrored = new Vector3D(receiver.X, receiver.Y, -receiver.Z);
        double[] f = [100.0, 1000.0, 7000.0];
        var h = new Complex[f.Length];

        RoomPaths.DriverToPoint(setup, Driver, new TiltedDirectivity(), Point, f, h);

        for (var k = 0; k < f.Length; k++)
        {
            var expected = Complex.Zero;
            foreach (var target in new[] { receiver, mirrored })
            {
                var r = Vector3D.Distance(source, target);
                var elevationDeg = Math.Asin((target.Z - source.Z) / r) * 180.0 / Math.PI; // The driver is not pitched.
                expected += TiltedDirectivity.Value(elevationDeg, f[k]) * Complex.FromPolarCoordinates(1.0 / r, -2.0 * Math.PI * f[k] * r / c);
            }

            Assert.Equal(0.0, Complex.Abs(h[k] - expected), 1e-12);
        }
    }

    [Fact]
    public void FloorReflection_ReachesTheEarFromTheImageDirection()
    {
        var options = new ImageSourceOptions { MaxOrder = 3, IncludeAirAbsorption = false };
        var setup = new RoomSetup(Room(0.0, 1.0), Placement, options);
        var c = options.Air.SpeedOfSoundMetersPerSecond;
        var head = new SphericalHeadModel();
        var pose = ListenerPose.FacingDevice(new Vector3D(1.6, 0.5, 0.25));
        var source = Placement.ToRoom(Driver.PositionMeters);
        var receiver = Placement.ToRoom(pose.PositionMeters);
        var image = new Vector3D(source.X, source.Y, -source.Z);
        var mirroredReceiver = new Vector3D(receiver.X, receiver.Y, -receiver.Z);
        double[] f = [500.0, 4000.0];
        var h = new Complex[f.Length];

        RoomPaths.DriverToEar(setup, Driver, new TiltedDirectivity(), pose, head, Ear.Left, f, h);

        var expected = new Complex[f.Length];
        foreach (var (origin, target) in new[] { (source, receiver), (image, receiver) })
        {
            var departureTarget = origin == source ? receiver : mirroredReceiver;
            var r = Vector3D.Distance(origin, target);
            var elevationDeg = Math.Asin((departureTarget.Z - source.Z) / r) * 180.0 / Math.PI;
            var hrtf = new Complex[f.Length];
            head.Response(Ear.Left, pose.ToHeadFrame(Placement.ToLocal(origin)), f, hrtf);
            for (var k = 0; k < f.Length; k++)
            {
                expected[k] += TiltedDirectivity.Value(elevationDeg, f[k]) * Complex.FromPolarCoordinates(1.0 / r, -2.0 * Math.PI * f[k] * r / c) * hrtf[k];
            }
        }

        for (var k = 0; k < f.Length; k++)
        {
            Assert.Equal(0.0, Complex.Abs(h[k] - expected[k]), 1e-12);
        }
    }

    [Fact]
    public void RoomImpulseResponse_MatchesTheRoomTransferFunctionTimesTheLead()
    {
        var options = new ImageSourceOptions { MaxOrder = 2, MaxDelaySeconds = 0.02 };
        var setup = new RoomSetup(Room(0.2, 0.5), Placement, options);
        const double lead = 64.0;

        var ir = RoomPaths.DriverToPointImpulseResponse(setup, Driver, new CardioidDirectivity(), Point, SampleRateHz, 2048, lead);

        double[] f = [150.0, 900.0, 3100.0, 11_000.0];
        var h = new Complex[f.Length];
        RoomPaths.DriverToPoint(setup, Driver, new CardioidDirectivity(), Point, f, h);
        for (var k = 0; k < f.Length; k++)
        {
            var expected = h[k] * Complex.FromPolarCoordinates(1.0, -2.0 * Math.PI * f[k] * lead / SampleRateHz);
            Assert.Equal(0.0, Complex.Abs(SignalMeasure.Dtft(ir, f[k], SampleRateHz) - expected), 1e-3 * Complex.Abs(expected) + 1e-5);
        }

        // The direct sound peaks at r/c·fs + lead.
        var r = Vector3D.Distance(Driver.PositionMeters, Point);
        var direct = (r / options.Air.SpeedOfSoundMetersPerSecond * SampleRateHz) + lead;
        var (position, _) = SignalMeasure.Peak(ir, (int)direct - 5, (int)direct + 5);
        Assert.Equal(direct, position, 0.05);
    }

    [Fact]
    public void RoomEarImpulseResponse_OfAFullyAbsorbingRoom_EqualsTheFreeFieldEarImpulseResponse()
    {
        var setup = new RoomSetup(Room(1.0, 1.0), Placement, new ImageSourceOptions { MaxOrder = 1 });
        var head = new SphericalHeadModel();

        var room = RoomPaths.DriverToEarImpulseResponse(setup, Driver, new CardioidDirectivity(), ListenerPose.Default, head, Ear.Left, SampleRateHz, 512);
        var free = AcousticPaths.DriverToEarImpulseResponse(Driver, new CardioidDirectivity(), ListenerPose.Default, head, Ear.Left, setup.Options.Air, SampleRateHz, 512);

        // Equal up to the model's node-blended air absorption (within about 6 % of 0.5 dB at the top over 2 m).
        var energy = free.Sum(v => v * v);
        Assert.Equal(energy, room.Sum(v => v * v), 0.01 * energy);
        var difference = room.Zip(free, (a, b) => (a - b) * (a - b)).Sum();
        Assert.True(difference < 1e-4 * energy, $"relative difference energy {difference / energy:E2}");
    }
}
