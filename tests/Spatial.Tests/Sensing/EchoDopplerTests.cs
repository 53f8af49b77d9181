using SpatialAudio.Drivers.Acoustics;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Rooms;
using SpatialAudio.Spatial.Sensing.Evaluation;
using SpatialAudio.Spatial.Sensing.Simulation;
using SpatialAudio.Spatial.Tests.Support;
using Xunit;
using static SpatialAudio.Spatial.Tests.Sensing.SensingTestGeometry;

namespace SpatialAudio.Spatial.Tests.Sensing;

public sealed class EchoDopplerTests
{

    // Points moving in straight lines at constant velocity.
    private sealed class Gliders((Vector3D Start, Vector3D Velocity, double CrossSection)[] points) : SceneActor
    {
        public override int PointCount => points.Length;

        public override void Evaluate(double seconds, Span<Vector3D> positions, Span<double> amplitudes)
        {
            for (var k = 0; k < points.Length; k++)
            {
                positions[k] = points[k].Start + (seconds * points[k].Velocity);
                amplitudes[k] = Math.Sqrt(points[k].CrossSection / (4 * Math.PI));
            }
        }
    }

    private static Scene SceneWith(SceneActor actor) => new()
    {
        Room = new ShoeboxRoom(new Vector3D(6, 5, 2.7), AbsorptionSpectrum.Uniform(0.3)),
        Device = new RoomPlacement(new Vector3D(0.5, 2.5, 0.8), 30),
        ProbeDriverMeters = Driver,
        MicMeters = Mics,
        CarrierHz = 40000,
        Actors = [actor],
    };

    [Fact]
    public void The_shift_is_the_carrier_times_the_bistatic_range_rate_over_the_speed_of_sound()
    {
        // A point gliding obliquely: the path driver -> point -> mic changes at v . (u1 + u2), u1 and u2 the unit vectors
        // from the driver and from the microphone to the point.
        var velocity = new Vector3D(0.7, -0.4, 0.1);
        var actor = new Gliders([(new Vector3D(3, 3.5, 1.2), velocity, 0.5)]);
        var scene = SceneWith(actor);
        const double t = 0.8;
        var p = new Vector3D(3, 3.5, 1.2) + (t * velocity);
        var u1 = p - scene.Device.ToRoom(Driver);
        var u2 = p - scene.Device.ToRoom(Mics[0]);
        var rate = Vector3D.Dot(velocity, ((1 / u1.Length) * u1) + ((1 / u2.Length) * u2));
        var expected = -rate * 40000 / AirConditions.Standard.SpeedOfSoundMetersPerSecond;

        Assert.Equal(expected, EchoDoppler.ShiftHz(scene, actor, 0, t), 1e-3 * Math.Abs(expected));
        Assert.True(expected > 0 == rate < 0);   // approaching: positive shift
    }

    [Fact]
    public void The_strongest_point_is_the_fastest_and_its_level_is_the_simulators_path_gain()
    {
        // A slow loud point and a fast quiet one, both receding along the line from the device.
        var device = new Vector3D(0.5, 2.5, 0.8);
        var away = new Vector3D(1, 0, 0);
        var actor = new Gliders([(device + (2.0 * away), 0.2 * away, 1.0), (device + (3.0 * away), 1.2 * away, 0.05)]);
        var scene = SceneWith(actor);

        var strongest = EchoDoppler.Strongest(scene, actor, 0, 0.3);
        var slow = EchoDoppler.Strongest(scene, actor, 0, 0.3, point: 0);

        Assert.Equal(1, strongest.Point);
        Assert.Equal(0, slow.Point);
        // Nearly monostatic (the device is small against 3 m): a recession at v shifts by about 2 v f / c.
        var c = AirConditions.Standard.SpeedOfSoundMetersPerSecond;
        Assert.Equal(2 * 1.2 * 40000 / c, strongest.ShiftHz, 0.01 * strongest.ShiftHz);
        Assert.Equal(2 * 0.2 * 40000 / c, slow.ShiftHz, 0.01 * slow.ShiftHz);

        // The level at one instant (a window of zero length, t = 0): amplitude over d1 d2, with air absorption over the path.
        var now = EchoDoppler.Strongest(scene, actor, 0, 0);
        var p = device + (3.0 * away);
        var d1 = Vector3D.Distance(p, scene.Device.ToRoom(Driver));
        var d2 = Vector3D.Distance(p, scene.Device.ToRoom(Mics[0]));
        var expected = (20 * Math.Log10(Math.Sqrt(0.05 / (4 * Math.PI)) / (d1 * d2))) - (AirConditions.Standard.AbsorptionDbPerMeter(40000) * (d1 + d2));
        Assert.Equal(expected, now.LevelDb, 0.01);
        Assert.Throws<ArgumentOutOfRangeException>(() => EchoDoppler.Strongest(scene, actor, 1, 0.5));
    }

    [Fact]
    public void A_walkers_torso_reaches_its_walking_speeds_shift_once_it_has_sped_up()
    {
        // Walking straight away from the device at 1 m/s: after the 0.2 s ramp the torso recedes at the full speed.
        var device = new Vector3D(0.5, 2.5, 0.83);   // the torso at the probe driver's height
        var scene = SceneWith(new Walker(device + new Vector3D(1.5, 0, 0), new Vector3D(1, 0, 0), 1.0, 2.0, 3.0, device));
        var walker = scene.Actors[0];
        var c = AirConditions.Standard.SpeedOfSoundMetersPerSecond;

        var early = EchoDoppler.Strongest(scene, walker, 2.0, 2.1, point: 0);
        var full = EchoDoppler.Strongest(scene, walker, 2.0, 2.3, point: 0);

        Assert.InRange(early.ShiftHz, 0.4 * 2 * 40000 / c, 0.6 * 2 * 40000 / c);   // half way up the raised-cosine ramp
        Assert.Equal(2 * 40000 / c, full.ShiftHz, 0.02 * full.ShiftHz);
        // The legs swing faster than the torso moves.
        Assert.True(EchoDoppler.Strongest(scene, walker, 2.0, 2.3).ShiftHz > full.ShiftHz);
    }

    [Fact]
    public void The_early_walk_of_a_scene_set_scene_is_that_scenes_walker()
    {
        var geometry = TemporarySceneCache.StudioGeometry();
        var scene = SceneLibrary.Create(SceneKind.Walk, 900004, geometry.ProbeDriverMeters, geometry.MicMeters, maxLeadInSeconds: 25);
        var walker = scene.Actors.OfType<Walker>().Single();
        var onset = walker.Labels[0].StartSeconds;

        var (torso, strongest) = EchoDoppler.EarlyWalk(SceneKind.Walk, 900004, geometry, 25, 0.3);

        Assert.Equal(EchoDoppler.Strongest(scene, walker, onset, onset + 0.3, point: 0), torso);
        Assert.True(strongest.ShiftHz >= torso.ShiftHz);
        Assert.Throws<ArgumentException>(() => EchoDoppler.EarlyWalk(SceneKind.Minor, 900004, geometry, 0, 0.3));
    }
}
