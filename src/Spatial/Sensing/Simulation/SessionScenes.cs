using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Rooms;
using SpatialAudio.Spatial.Stimuli;

namespace SpatialAudio.Spatial.Sensing.Simulation;

/// <summary>A small hand movement of a <see cref="Visitor"/>: the hand travels <paramref name="DisplacementMeters"/> from where it is.</summary>
/// <param name="StartSeconds">Onset, s.</param>
/// <param name="DurationSeconds">Duration, s.</param>
/// <param name="DisplacementMeters">How far and where the hand goes.</param>
public sealed record HandMove(double StartSeconds, double DurationSeconds, Vector3D DisplacementMeters);

/// <summary>
/// One visit to the room, as the ground truth of a session scene: the person walks in from the door to a spot near the
/// device, stays there making small hand movements, and (unless <see cref="LeaveSeconds"/> is null) walks back out the
/// same way.
/// </summary>
public sealed record SessionPlan
{
    /// <summary>Where the person enters and leaves (room coordinates, torso height), m.</summary>
    public required Vector3D DoorMeters { get; init; }

    /// <summary>Where the person stays (torso), m.</summary>
    public required Vector3D SpotMeters { get; init; }

    /// <summary>Where the hand rests while the person stays, m.</summary>
    public required Vector3D HandMeters { get; init; }

    /// <summary>Walk-in onset, s.</summary>
    public double EnterSeconds { get; init; } = 1;

    /// <summary>Walking speed (in and out), m/s.</summary>
    public double WalkSpeed { get; init; } = 1;

    /// <summary>Small movements while staying (each starts where the previous one left the hand).</summary>
    public IReadOnlyList<HandMove> Moves { get; init; } = [];

    /// <summary>Walk-out onset, s; null when the person stays to the end of the scene.</summary>
    public double? LeaveSeconds { get; init; }

    /// <summary>Radar cross-section of the hand, m^2.</summary>
    public double HandCrossSectionSquareMeters { get; init; } = 0.015;

    /// <summary>How long one walk (door to spot) takes, s.</summary>
    public double WalkSeconds => (Vector3D.Distance(DoorMeters, SpotMeters) / WalkSpeed) + Walker.RampSeconds;

    /// <summary>When the person has arrived at the spot, s.</summary>
    public double ArriveSeconds => EnterSeconds + WalkSeconds;

    /// <summary>When the person is gone (through the door), s; +infinity when they stay.</summary>
    public double GoneSeconds => LeaveSeconds is { } l ? l + WalkSeconds : double.PositiveInfinity;
}

/// <summary>
/// A person visiting the room (<see cref="SessionPlan"/>): a walker (torso, arms, legs) that fades in at the door,
/// walks to a spot near the device, stands there still but for one hand making small movements, then walks back and
/// fades out through the door. Six points. The hand point rests near the device from the start and fades in and out
/// with the body (while the walker is at the door): an echo that appeared or vanished while the person stood still
/// would look like motion to the detector (its Hann frames leak the near-DC change into the slowest bands).
/// </summary>
public sealed class Visitor : SceneActor
{
    private const double FadeSeconds = 0.5;
    private readonly SessionPlan plan;
    private readonly Walker walkIn;
    private readonly Walker? walkOut;
    private readonly double handAmplitude;
    private readonly MotionLabel[] labels;

    /// <summary>Creates the visitor.</summary>
    /// <param name="plan">What happens.</param>
    /// <param name="deviceMeters">The device position (labels' closest distances).</param>
    public Visitor(SessionPlan plan, Vector3D deviceMeters)
    {
        ArgumentNullException.ThrowIfNull(plan);
        this.plan = plan;
        var way = plan.SpotMeters - plan.DoorMeters;
        var heading = (1 / Math.Max(1e-9, way.Length)) * way;
        walkIn = new Walker(plan.DoorMeters, heading, plan.WalkSpeed, plan.EnterSeconds, plan.WalkSeconds, deviceMeters);
        var list = new List<MotionLabel>(walkIn.Labels);
        var hand = plan.HandMeters;
        foreach (var move in plan.Moves)
        {
            if (move.StartSeconds < plan.ArriveSeconds || move.StartSeconds + move.DurationSeconds > (plan.LeaveSeconds ?? double.PositiveInfinity))
            {
                throw new ArgumentException($"a hand move at {move.StartSeconds:0.00} s falls outside the stay ({plan.ArriveSeconds:0.00}..{plan.LeaveSeconds:0.00} s)", nameof(plan));
            }

            var next = hand + move.DisplacementMeters;
            list.Add(new MotionLabel(move.StartSeconds, move.StartSeconds + move.DurationSeconds, MotionKind.Minor,
                Math.Min(Vector3D.Distance(hand, deviceMeters), Vector3D.Distance(next, deviceMeters))));
            hand = next;
        }

        if (plan.LeaveSeconds is { } leave)
        {
            walkOut = new Walker(plan.SpotMeters, -1 * heading, plan.WalkSpeed, leave, plan.WalkSeconds, deviceMeters);
            list.AddRange(walkOut.Labels);
        }

        handAmplitude = AmplitudeOf(plan.HandCrossSectionSquareMeters);
        labels = [.. list];
    }

    /// <summary>The plan.</summary>
    public SessionPlan Plan => plan;

    /// <inheritdoc/>
    public override int PointCount => 6;

    /// <inheritdoc/>
    public override IReadOnlyList<MotionLabel> Labels => labels;

    /// <inheritdoc/>
    public override void Evaluate(double seconds, Span<Vector3D> positions, Span<double> amplitudes)
    {
        var leave = plan.LeaveSeconds ?? double.PositiveInfinity;
        if (walkOut is not null && seconds >= leave)
        {
            walkOut.Evaluate(seconds, positions, amplitudes);

            // Walking back the heading is reversed, so its left side is the walk-in's right: swap the limbs to keep
            // every point continuous at the turn.
            (positions[1], positions[2]) = (positions[2], positions[1]);
            (positions[3], positions[4]) = (positions[4], positions[3]);
        }
        else
        {
            walkIn.Evaluate(seconds, positions, amplitudes);
        }

        var body = Math.Min(SmoothStep((seconds - plan.EnterSeconds) / FadeSeconds), SmoothStep((plan.GoneSeconds - seconds) / FadeSeconds));
        for (var k = 0; k < 5; k++)
        {
            amplitudes[k] *= body;
        }

        var hand = plan.HandMeters;
        foreach (var move in plan.Moves)
        {
            hand += SmoothStep((seconds - move.StartSeconds) / move.DurationSeconds) * move.DisplacementMeters;
        }

        positions[5] = hand;
        amplitudes[5] = handAmplitude * body;
    }
}

/// <summary>A session scene and its plan.</summary>
/// <param name="Scene">What the simulator renders.</param>
/// <param name="Plan">The visit.</param>
public sealed record SessionScene(Scene Scene, SessionPlan Plan);

/// <summary>
/// Sessions for the low-power evaluation: a person walks in, stays 0.5..1.5 m from the device making small hand
/// movements at random intervals, walks out, and the room stays empty (fan, curtain, HVAC, music as drawn) for a tail
/// long enough for presence to time out. Seeds start at <see cref="SeedBase"/>, disjoint from training (100000+),
/// validation (500000+) and evaluation (900000+).
/// </summary>
public static class SessionScenes
{
    /// <summary>First seed of the session scenes.</summary>
    public const int SeedBase = 700_000;

    /// <summary>Draws a session scene.</summary>
    /// <param name="seed">Seed (room, unit, visit, distractors, noise).</param>
    /// <param name="probeDriverMeters">The probe driver, device frame.</param>
    /// <param name="micMeters">The microphones, device frame.</param>
    /// <param name="staySeconds">Shortest and longest stay (arrival to walk-out), s.</param>
    /// <param name="tailSeconds">Empty room after the person is gone, s.</param>
    /// <param name="moveIntervalSeconds">Shortest and longest time between small movements (onset to onset), s.</param>
    /// <param name="carrierHz">Probe carrier, Hz.</param>
    /// <param name="music">Force music on or off; null draws it (half the scenes).</param>
    public static SessionScene Create(int seed, Vector3D probeDriverMeters, IReadOnlyList<Vector3D> micMeters, (double Min, double Max) staySeconds,
        double tailSeconds, (double Min, double Max)? moveIntervalSeconds = null, double carrierHz = 40000, bool? music = null)
    {
        var interval = moveIntervalSeconds ?? (3, 15);
        if (!(staySeconds.Min >= 10 && staySeconds.Max >= staySeconds.Min && interval.Min >= 1.5 && interval.Max >= interval.Min && tailSeconds >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(staySeconds), "a stay of 10 s or more, intervals of 1.5 s or more, a tail of 0 s or more");
        }

        var random = new Random(seed);
        var (room, absorption, placement, actors, hvac) = SceneLibrary.DrawRoom(random);
        var device = placement.PositionMeters;
        var withMusic = music ?? (random.NextDouble() < 0.5);
        double? musicDb = withMusic ? SceneLibrary.Uniform(random, -9, -3) : null;
        var musicStart = random.NextDouble();
        var unit = random.Next();

        // The visit has its own generator: the room, unit and distractors of a seed do not depend on the stay.
        var visitor = new Random(unchecked((seed * 31) + 7));
        // The spot: 0.5..1.5 m in front of the device (horizontal), the hand 0.3..0.45 m from the torso toward it.
        var distance = SceneLibrary.Uniform(visitor, 0.5, 1.5);
        var azimuth = SceneLibrary.Uniform(visitor, -0.9, 0.9);
        var spot = new Vector3D(device.X + (distance * Math.Cos(azimuth)), device.Y + (distance * Math.Sin(azimuth)), 1.25);
        var toDevice = new Vector3D(device.X - spot.X, device.Y - spot.Y, 0);
        var reach = Math.Min(SceneLibrary.Uniform(visitor, 0.3, 0.45), distance - 0.2);
        var hand = new Vector3D(spot.X, spot.Y, device.Z + SceneLibrary.Uniform(visitor, -0.1, 0.3)) + (reach / toDevice.Length * toDevice);
        var handCrossSection = SceneLibrary.Uniform(visitor, 0.005, 0.03);

        // The door: a point 2.5..5 m from the spot inside the room, on the far or a side wall's side.
        var door = spot;
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var candidate = visitor.Next(3) switch
            {
                0 => new Vector3D(room.X - 0.4, SceneLibrary.Uniform(visitor, 0.4, room.Y - 0.4), 1.25),
                1 => new Vector3D(SceneLibrary.Uniform(visitor, 1.0, room.X - 0.4), 0.4, 1.25),
                _ => new Vector3D(SceneLibrary.Uniform(visitor, 1.0, room.X - 0.4), room.Y - 0.4, 1.25),
            };
            var length = Vector3D.Distance(candidate, spot);
            if (length is >= 2.5 and <= 5.0 || (attempt == 199 && length >= 1.5))
            {
                door = candidate;
                break;
            }
        }

        if (door == spot)
        {
            door = new Vector3D(room.X - 0.4, spot.Y, 1.25);
        }

        var speed = SceneLibrary.Uniform(visitor, 0.5, 1.3);
        var enter = SceneLibrary.Uniform(visitor, 1.0, 3.0);
        var walkSeconds = (Vector3D.Distance(door, spot) / speed) + Walker.RampSeconds;
        var arrive = enter + walkSeconds;
        var stay = SceneLibrary.Uniform(visitor, staySeconds.Min, staySeconds.Max);
        var leave = arrive + stay;

        // Small movements: 0.08..0.3 m in 0.3..1 s, every interval.Min..interval.Max s; every other one brings the hand back.
        var moves = new List<HandMove>();
        var t = arrive + 1.0 + SceneLibrary.Uniform(visitor, 1.0, interval.Max);
        Vector3D? back = null;
        while (true)
        {
            var duration = SceneLibrary.Uniform(visitor, 0.3, 1.0);
            if (t + duration > leave - 1.5)
            {
                break;
            }

            Vector3D displacement;
            if (back is { } b)
            {
                displacement = b;
                back = null;
            }
            else
            {
                displacement = SceneLibrary.Uniform(visitor, 0.08, 0.3) * SceneLibrary.RandomUnit(visitor);
                back = -1 * displacement;
            }

            moves.Add(new HandMove(t, duration, displacement));
            t += SceneLibrary.Uniform(visitor, interval.Min, interval.Max);
        }

        var plan = new SessionPlan
        {
            DoorMeters = door,
            SpotMeters = spot,
            HandMeters = hand,
            EnterSeconds = enter,
            WalkSpeed = speed,
            Moves = moves,
            LeaveSeconds = leave,
            HandCrossSectionSquareMeters = handCrossSection,
        };
        var duration0 = plan.GoneSeconds + tailSeconds;

        actors.Insert(0, new Visitor(plan, device));
        var scene = Room(seed, room, absorption, placement, probeDriverMeters, micMeters, carrierHz, duration0, actors, new Random(unit)) with
        {
            MusicLevelDbfs = musicDb,
            MusicStartSeconds = withMusic && musicStart < 0.5 ? 1 + ((duration0 - 3) * 2 * musicStart) : 0,   // half start mid-scene
            HvacNoiseDbfs = hvac,
        };
        return new SessionScene(scene, plan);
    }

    /// <summary>
    /// A scripted session for tests: a quiet room (4 x 5 x 2.7 m, no fan, curtain or music), the device at (0.35, 2.5,
    /// 0.8), the person walking in from (3.5, 3.8) to 1 m in front of the device at 1 m/s from
    /// <paramref name="enterSeconds"/>, hand movements of 0.2 m in 0.6 s at <paramref name="moveSeconds"/>, leaving at
    /// <paramref name="leaveSeconds"/> (null: stays).
    /// </summary>
    public static SessionScene Scripted(Vector3D probeDriverMeters, IReadOnlyList<Vector3D> micMeters, double durationSeconds,
        double enterSeconds, IReadOnlyList<double> moveSeconds, double? leaveSeconds = null, int seed = SeedBase)
    {
        ArgumentNullException.ThrowIfNull(moveSeconds);
        var room = new Vector3D(4, 5, 2.7);
        var placement = new RoomPlacement(new Vector3D(0.35, 2.5, 0.8), 0);
        var device = placement.PositionMeters;
        var spot = new Vector3D(device.X + 1.0, device.Y, 1.25);
        var displacement = new Vector3D(-0.12, 0.1, 0.12);
        var plan = new SessionPlan
        {
            DoorMeters = new Vector3D(3.5, 3.8, 1.25),
            SpotMeters = spot,
            HandMeters = new Vector3D(spot.X - 0.4, spot.Y, device.Z + 0.1),
            EnterSeconds = enterSeconds,
            WalkSpeed = 1.0,
            Moves = [.. moveSeconds.Select((t, i) => new HandMove(t, 0.6, i % 2 == 0 ? displacement : -1 * displacement))],
            LeaveSeconds = leaveSeconds,
            HandCrossSectionSquareMeters = 0.02,
        };
        var random = new Random(seed);
        var scene = Room(seed, room, 0.2, placement, probeDriverMeters, micMeters, 40000, durationSeconds, [new Visitor(plan, device)], random) with
        {
            HvacNoiseDbfs = -90,
        };
        return new SessionScene(scene, plan);
    }

    private static Scene Room(int seed, Vector3D room, double absorption, RoomPlacement placement, Vector3D probeDriverMeters,
        IReadOnlyList<Vector3D> micMeters, double carrierHz, double duration, IReadOnlyList<SceneActor> actors, Random random) => new()
    {
        DurationSeconds = duration,
        Room = new ShoeboxRoom(room, AbsorptionSpectrum.Uniform(absorption)),
        Device = placement,
        ProbeDriverMeters = probeDriverMeters,
        MicMeters = micMeters,
        CarrierHz = carrierHz,
        Actors = actors,
        MusicSeed = seed,
        HvacSwellHz = SceneLibrary.HvacSwell(seed).Hz,
        HvacSwellPhase = SceneLibrary.HvacSwell(seed).Phase,
        MicGainsDb = [.. micMeters.Select(_ => 2 * Gaussian.Next(random))],
        DriverResponse = UnitResponse.Random(seed, 2.0, 96000),
        Seed = seed,
    };
}
