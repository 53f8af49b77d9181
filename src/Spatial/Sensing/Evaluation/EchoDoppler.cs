using SpatialAudio.Drivers.Acoustics;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Spatial.Sensing.Simulation;

namespace SpatialAudio.Spatial.Sensing.Evaluation;

/// <summary>The strongest Doppler shift among a motion's scatterers over a time window, and how loud that echo is.</summary>
/// <param name="ShiftHz">Largest |Doppler shift| at the first microphone, Hz.</param>
/// <param name="LevelDb">Level of the echo that has it, dB re the probe's level at 1 m from the driver (the path gain
/// <c>amplitude / (d1 d2)</c> with air absorption, as the simulator renders it).</param>
/// <param name="Point">Which of the actor's points it is (a walker's 0 is the torso).</param>
public readonly record struct EchoShift(double ShiftHz, double LevelDb, int Point);

/// <summary>
/// The Doppler shift a moving scatterer puts on the probe, from the scene's ground truth (no audio): the carrier times
/// the rate of change of the path driver -> point -> microphone over the speed of sound. What any detector working on
/// the front end's spectrum has to go on: a motion whose shift stays inside the front end's slowest bin (23.4 Hz at
/// 40 kHz) looks like the still room to it, however loud its echo.
/// </summary>
public static class EchoDoppler
{
    /// <summary>Time step of the search over the window, s.</summary>
    public const double StepSeconds = 0.005;

    /// <summary>Time over which the path length is differentiated (central difference), s.</summary>
    private const double DifferenceSeconds = 0.001;

    /// <summary>The Doppler shift of <paramref name="actor"/>'s point <paramref name="point"/> at the first microphone at
    /// time <paramref name="seconds"/>, Hz (positive while the path shortens).</summary>
    public static double ShiftHz(Scene scene, SceneActor actor, int point, double seconds)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(actor);
        var speed = AirConditions.Standard.SpeedOfSoundMetersPerSecond;
        var rate = (PathLength(scene, actor, point, seconds + (DifferenceSeconds / 2)).Length
            - PathLength(scene, actor, point, seconds - (DifferenceSeconds / 2)).Length) / DifferenceSeconds;
        return -rate * scene.CarrierHz / speed;
    }

    /// <summary>The largest |shift| among <paramref name="actor"/>'s points over [<paramref name="fromSeconds"/>,
    /// <paramref name="toSeconds"/>] (every <see cref="StepSeconds"/>), with its echo's level. With
    /// <paramref name="point"/> given, only that point.</summary>
    public static EchoShift Strongest(Scene scene, SceneActor actor, double fromSeconds, double toSeconds, int? point = null)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(actor);
        if (!(toSeconds >= fromSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(toSeconds), toSeconds, "the window ends before it starts");
        }

        var absorption = AirConditions.Standard.AbsorptionDbPerMeter(scene.CarrierHz);
        var best = new EchoShift(0, double.NegativeInfinity, point ?? 0);
        var steps = (int)Math.Round((toSeconds - fromSeconds) / StepSeconds);
        for (var s = 0; s <= steps; s++)
        {
            var t = fromSeconds + (s * StepSeconds);
            for (var k = point ?? 0; k < (point is null ? actor.PointCount : point.Value + 1); k++)
            {
                var shift = Math.Abs(ShiftHz(scene, actor, k, t));
                if (shift > best.ShiftHz)
                {
                    var (length, gain) = PathLength(scene, actor, k, t);
                    best = new EchoShift(shift, (20 * Math.Log10(gain)) - (absorption * length), k);
                }
            }
        }

        return best;
    }

    /// <summary>The walk of scene <paramref name="seed"/> as the scene sets draw it (<see cref="SceneLibrary.Create"/>): the
    /// torso's and the strongest point's largest shift over the first <paramref name="windowSeconds"/> after its onset.</summary>
    /// <exception cref="ArgumentException">The scene has no walker.</exception>
    public static (EchoShift Torso, EchoShift Strongest) EarlyWalk(SceneKind kind, int seed, SensingGeometry geometry, double maxLeadInSeconds, double windowSeconds)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var scene = SceneLibrary.Create(kind, seed, geometry.ProbeDriverMeters, geometry.MicMeters, maxLeadInSeconds: maxLeadInSeconds);
        var walker = scene.Actors.OfType<Walker>().FirstOrDefault() ?? throw new ArgumentException($"scene {kind} {seed} has no walker", nameof(kind));
        var onset = walker.Labels[0].StartSeconds;
        return (Strongest(scene, walker, onset, onset + windowSeconds, point: 0), Strongest(scene, walker, onset, onset + windowSeconds));
    }

    // Path length driver -> point -> first microphone (m) and its spreading gain amplitude / (d1 d2), as SceneSimulator has them.
    private static (double Length, double Gain) PathLength(Scene scene, SceneActor actor, int point, double seconds)
    {
        Span<Vector3D> positions = stackalloc Vector3D[actor.PointCount];
        Span<double> amplitudes = stackalloc double[actor.PointCount];
        actor.Evaluate(seconds, positions, amplitudes);
        var d1 = Math.Max(0.05, Vector3D.Distance(scene.Device.ToRoom(scene.ProbeDriverMeters), positions[point]));
        var d2 = Math.Max(0.05, Vector3D.Distance(positions[point], scene.Device.ToRoom(scene.MicMeters[0])));
        return (d1 + d2, amplitudes[point] / (d1 * d2));
    }
}
