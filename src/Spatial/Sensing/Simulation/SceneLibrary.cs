using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Rooms;
using SpatialAudio.Spatial.Stimuli;

namespace SpatialAudio.Spatial.Sensing.Simulation;

/// <summary>What a generated scene contains.</summary>
public enum SceneKind
{
    /// <summary>A person walks (0.3..1.5 m/s, within 5 m), with random distractors.</summary>
    Walk,

    /// <summary>A person walks in, stops, then makes small movements near the device (within 1.5 m).</summary>
    WalkThenMinor,

    /// <summary>Small movements near the device only (nobody walked in).</summary>
    Minor,

    /// <summary>Nobody moves: fan, curtain, HVAC and maybe music.</summary>
    Empty,
}

/// <summary>
/// Random scenes for training and evaluation: room, unit-to-unit variation, people and distractors drawn from a seed,
/// so a training set and an evaluation set come from disjoint seeds and every scene can be regenerated from its seed.
/// </summary>
public static class SceneLibrary
{
    /// <summary>Earliest motion onset, s: the streaming pipeline raises no event before <see cref="Pipeline.FrameStage.StartupSeconds"/>.</summary>
    public const double Onset = 3.5;

    /// <summary>Default scene length per kind, s.</summary>
    public static double DefaultSeconds(SceneKind kind) => kind switch
    {
        SceneKind.Walk => 12,
        SceneKind.WalkThenMinor => 18,
        SceneKind.Minor => 12,
        _ => 30,
    };

    /// <summary>Generates a scene.</summary>
    /// <param name="kind">What happens.</param>
    /// <param name="seed">Seed (room, unit, people, distractors, noise).</param>
    /// <param name="probeDriverMeters">The probe driver, device frame.</param>
    /// <param name="micMeters">The microphones, device frame.</param>
    /// <param name="carrierHz">Probe carrier, Hz.</param>
    /// <param name="seconds">Length, s (0 = the kind's default).</param>
    /// <param name="music">Force music on (true) or off (false); null draws it (half the scenes).</param>
    /// <param name="maxLeadInSeconds">People and their labels start later by <see cref="LeadInSeconds"/> (drawn up to this,
    /// s), the scene growing by as much: the same room, still, for that long first (0 = the scene as it always was).</param>
    public static Scene Create(SceneKind kind, int seed, Vector3D probeDriverMeters, IReadOnlyList<Vector3D> micMeters,
        double carrierHz = 40000, double seconds = 0, bool? music = null, double maxLeadInSeconds = 0)
    {
        var random = new Random(seed);
        var baseDuration = seconds > 0 ? seconds : DefaultSeconds(kind);
        var leadIn = kind == SceneKind.Empty ? 0 : LeadInSeconds(seed, maxLeadInSeconds);
        var duration = baseDuration + leadIn;
        var shortest = kind switch { SceneKind.Walk => 8.0, SceneKind.WalkThenMinor => 14.0, SceneKind.Minor => 9.0, _ => 1.0 };
        if (baseDuration < shortest)
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, $"{kind} scenes need at least {shortest:0} s");
        }

        var (room, absorption, placement, actors, hvac) = DrawRoom(random);
        var device = placement.PositionMeters;
        if (kind == SceneKind.Empty && actors.Count == 0 && hvac is null)
        {
            hvac = Uniform(random, -95, -80);
        }

        var withMusic = music ?? (random.NextDouble() < 0.5);
        double? musicDb = withMusic ? Uniform(random, -9, -3) : null;
        var musicStart = withMusic && random.NextDouble() < 0.5 ? Uniform(random, 1, baseDuration - 2) : 0;   // half start mid-scene

        var walkEnd = 0.0;
        if (kind is SceneKind.Walk or SceneKind.WalkThenMinor)
        {
            // Onsets spread over several seconds (never before the pipeline's start-up); a lead-in spreads them over the
            // features' whole memory, so the time since the start tells a detector trained on them nothing.
            var start = leadIn + (kind == SceneKind.Walk ? Uniform(random, Onset, Math.Min(7.0, baseDuration - 3.5)) : Uniform(random, Onset, Onset + 1.5));
            var walker = RandomWalker(random, room, device, start, kind == SceneKind.Walk ? duration - 1 : start + 4);
            actors.Add(walker);
            walkEnd = walker.Labels[0].EndSeconds;
        }

        if (kind is SceneKind.WalkThenMinor or SceneKind.Minor)
        {
            var t = kind == SceneKind.Minor ? leadIn + Uniform(random, Onset, Onset + 2.5) : walkEnd + Uniform(random, 1.0, 2.0);
            while (t < duration - 1.5)
            {
                var distance = Uniform(random, 0.3, 1.5);
                var azimuth = Uniform(random, -1.2, 1.2);
                var from = device + new Vector3D(distance * Math.Cos(azimuth), distance * Math.Sin(azimuth), Uniform(random, -0.1, 0.3));
                var length = Uniform(random, 0.08, 0.3);
                var direction = RandomUnit(random);
                var motionSeconds = Uniform(random, 0.3, 1.0);
                actors.Add(new HandMotion(from, length * direction, t, motionSeconds, Uniform(random, 0.005, 0.03), device));
                t += motionSeconds + Uniform(random, 1.5, 3.0);
            }
        }

        return new Scene
        {
            DurationSeconds = duration,
            Room = new ShoeboxRoom(room, AbsorptionSpectrum.Uniform(absorption)),
            Device = placement,
            ProbeDriverMeters = probeDriverMeters,
            MicMeters = micMeters,
            CarrierHz = carrierHz,
            Actors = actors,
            MusicLevelDbfs = musicDb,
            MusicStartSeconds = musicStart,
            MusicSeed = seed,
            HvacNoiseDbfs = hvac,
            HvacSwellHz = HvacSwell(seed).Hz,
            HvacSwellPhase = HvacSwell(seed).Phase,
            MicGainsDb = [.. micMeters.Select(_ => 2 * Gaussian.Next(random))],
            DriverResponse = UnitResponse.Random(seed, 2.0, 96000),
            Seed = seed,
        };
    }

    /// <summary>The HVAC swell of scene <paramref name="seed"/>: rate uniform in 0.08..0.2 Hz, phase uniform, from its own
    /// generator so the rest of the scene is drawn as before.</summary>
    public static (double Hz, double Phase) HvacSwell(int seed)
    {
        var random = new Random(unchecked(seed * 104729) ^ 0x4AC5);
        return (Uniform(random, 0.08, 0.2), Uniform(random, 0, 2 * Math.PI));
    }

    /// <summary>The lead-in of scene <paramref name="seed"/>: uniform in [0, <paramref name="maxSeconds"/>], from its own
    /// generator so the rest of the scene is drawn as without one.</summary>
    public static double LeadInSeconds(int seed, double maxSeconds) =>
        maxSeconds > 0 ? Uniform(new Random(unchecked(seed * 7919) ^ 0x1EAD), 0, maxSeconds) : 0;

    private static Walker RandomWalker(Random random, Vector3D room, Vector3D device, double start, double latestEnd)
    {
        for (var attempt = 0; ; attempt++)
        {
            var from = new Vector3D(Uniform(random, 0.8, room.X - 0.4), Uniform(random, 0.4, room.Y - 0.4), 1.25);
            var flat = new Vector3D(from.X - device.X, from.Y - device.Y, 0).Length;
            if ((flat > 5 || flat < 0.5) && attempt < 100)
            {
                continue;
            }

            var angle = Uniform(random, 0, 2 * Math.PI);
            var heading = new Vector3D(Math.Cos(angle), Math.Sin(angle), 0);
            var speed = Uniform(random, 0.3, 1.5);
            var duration = Math.Min(Uniform(random, 2, 5), latestEnd - start);
            var end = from + (speed * duration * heading);
            if ((end.X < 0.8 || end.X > room.X - 0.3 || end.Y < 0.3 || end.Y > room.Y - 0.3
                || new Vector3D(end.X - device.X, end.Y - device.Y, 0).Length < 0.5) && attempt < 100)
            {
                continue;
            }

            return new Walker(from, heading, speed, start, duration, device);
        }
    }

    /// <summary>A random furnished room, drawn in a fixed order (so a seed always gives the same room): its size and
    /// absorption, the device against the near wall, maybe a fan aimed at the device, maybe a curtain on a side wall, maybe
    /// HVAC noise (dBFS).</summary>
    internal static (Vector3D Size, double Absorption, RoomPlacement Placement, List<SceneActor> Actors, double? HvacDbfs) DrawRoom(Random random)
    {
        var room = new Vector3D(Uniform(random, 4.5, 8), Uniform(random, 3.5, 6), Uniform(random, 2.4, 3));
        var absorption = Uniform(random, 0.08, 0.3);
        var placement = new RoomPlacement(new Vector3D(0.35, (room.Y / 2) + Uniform(random, -0.6, 0.6), Uniform(random, 0.7, 1.0)), 0);
        var device = placement.PositionMeters;
        var actors = new List<SceneActor>();
        if (random.NextDouble() < 0.5)
        {
            var hub = new Vector3D(Uniform(random, 1.5, Math.Min(4, room.X - 0.5)), Uniform(random, 0.5, room.Y - 0.5), Uniform(random, 0.4, 1.2));
            var toward = device - hub;
            var axis = (1 / toward.Length) * new Vector3D(toward.X, toward.Y, 0);
            actors.Add(new RotatingFan(hub, axis, random.Next(3, 6), Uniform(random, 8, 20), Uniform(random, 0, 6.3)));
        }

        if (random.NextDouble() < 0.5)
        {
            var x0 = Uniform(random, 1, room.X - 2);
            var wallY = random.NextDouble() < 0.5 ? 0.15 : room.Y - 0.15;
            actors.Add(new SwayingCurtain(new Vector3D(x0, wallY, 1.5), new Vector3D(x0 + 1.5, wallY, 1.5),
                new Vector3D(0, wallY < 1 ? 1 : -1, 0), Uniform(random, 0.02, 0.08), Uniform(random, 0.15, 0.5), random.Next()));
        }

        double? hvac = random.NextDouble() < 0.7 ? Uniform(random, -95, -80) : null;
        return (room, absorption, placement, actors, hvac);
    }

    internal static Vector3D RandomUnit(Random random)
    {
        var v = new Vector3D(Gaussian.Next(random), Gaussian.Next(random), Gaussian.Next(random));
        return (1 / Math.Max(1e-9, v.Length)) * v;
    }

    internal static double Uniform(Random random, double low, double high) => low + ((high - low) * random.NextDouble());
}
