using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Heads;
using SpatialAudio.Drivers.Paths;
using SpatialAudio.Drivers.Rooms;
using SpatialAudio.Spatial.Binaural;

namespace SpatialAudio.Spatial.Tests.Binaural;

public sealed class RoomEarResponsesTests
{
    private static readonly DeviceAcoustics Device = DeviceAcoustics.Omni(new DeviceDescription("one", 48000,
        [new DriverDescription("a", DriverRole.Mid, new Vector3D(0, 0, 0), 0, 0, 0.05, null)], [], []));

    private static readonly ShoeboxRoom Room = new(new Vector3D(6, 4, 2.7), AbsorptionSpectrum.Uniform(0.2));

    private static readonly RoomPlacement Placement = new(new Vector3D(0.5, 2, 1.0), 0);

    [Fact]
    public void Decay_follows_the_Sabine_reverberation_time_and_the_direct_sound_is_the_free_field_one()
    {
        var pose = ListenerPose.FacingDevice(new Vector3D(2, 0.3, 0));
        var head = new SphericalHeadModel();
        var room = RoomEarResponses.Build(Device, Room, Placement, pose, head, 48000);
        var free = Device.EarImpulseResponses(pose, head, 48000, 1024, AcousticPaths.DefaultLeadSamples);

        var ir = room[0][0];
        var t30 = ReverberationMetrics.T30Seconds(ir, 48000);
        var sabine = Room.SabineReverberationTimeSeconds(1000, Device.Air);
        Assert.InRange(t30 / sabine, 0.8, 1.2);

        // Up to 2 ms after the direct arrival no reflection has arrived (the nearest surface is the floor, 1 m away):
        // the room response equals the free-field one there.
        var arrival = (int)(2.0 / Device.Air.SpeedOfSoundMetersPerSecond * 48000) + (int)AcousticPaths.DefaultLeadSamples;
        double error = 0, energy = 0;
        for (var i = arrival - 40; i < arrival + 96; i++)
        {
            error += Math.Pow(ir[i] - free[0][0][i], 2);
            energy += free[0][0][i] * free[0][0][i];
        }

        Assert.True(10 * Math.Log10(error / energy) < -30, $"direct part differs by {10 * Math.Log10(error / energy):0.0} dB");
    }

    [Fact]
    public void Reverberant_energy_matches_the_diffuse_field_level()
    {
        // Far beyond the critical distance the room response carries about 16 pi / R of the 1 m direct energy.
        var pose = ListenerPose.FacingDevice(new Vector3D(4.5, 0, 0));
        var room = RoomEarResponses.Build(Device, Room, Placement, pose, new SphericalHeadModel(), 48000);
        var total = room[1][0].Sum(v => v * v);
        var s = Room.SurfaceAreaSquareMeters;
        var alpha = Room.AbsorptionAreaSquareMeters(1000) / s;
        var expected = (16 * Math.PI / (s * alpha / (1 - alpha))) + (1 / (4.5 * 4.5));
        Assert.InRange(10 * Math.Log10(total / expected), -3, 3);
    }

    [Fact]
    public void Listener_outside_the_room_is_refused()
    {
        var pose = ListenerPose.FacingDevice(new Vector3D(7, 0, 0));
        var error = Assert.Throws<ArgumentException>(() => RoomEarResponses.Build(Device, Room, Placement, pose, new SphericalHeadModel(), 48000));
        Assert.Contains("outside the room", error.Message, StringComparison.Ordinal);
    }
}
