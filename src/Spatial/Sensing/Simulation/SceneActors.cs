using SpatialAudio.Drivers.Geometry;

namespace SpatialAudio.Spatial.Sensing.Simulation;

/// <summary>What a labelled motion is: walking (major) or a small movement near the device (minor).</summary>
public enum MotionKind
{
    /// <summary>A person walking (walking in, crossing the room).</summary>
    Major,

    /// <summary>A small movement: reaching, turning a page, a hand gesture.</summary>
    Minor,
}

/// <summary>A ground-truth motion in a simulated scene.</summary>
/// <param name="StartSeconds">Motion onset, s from the start of the scene.</param>
/// <param name="EndSeconds">End of the motion, s.</param>
/// <param name="Kind">Major or minor.</param>
/// <param name="DistanceMeters">Closest distance to the device during the motion, m.</param>
public sealed record MotionLabel(double StartSeconds, double EndSeconds, MotionKind Kind, double DistanceMeters);

/// <summary>
/// Something in the room that reflects the probe: a set of point scatterers whose positions move with time. Each point
/// has an amplitude: the square root of its radar cross-section over 4 pi, so a path over it has pressure gain
/// <c>Amplitude / (d1 d2)</c>.
/// </summary>
public abstract class SceneActor
{
    /// <summary>Point scatterers this actor is made of.</summary>
    public abstract int PointCount { get; }

    /// <summary>Ground-truth labels (empty for distractors such as fans).</summary>
    public virtual IReadOnlyList<MotionLabel> Labels => [];

    /// <summary>Positions (room coordinates, m) and amplitudes of every point at time <paramref name="seconds"/>.</summary>
    public abstract void Evaluate(double seconds, Span<Vector3D> positions, Span<double> amplitudes);

    /// <summary>Amplitude of a point with radar cross-section <paramref name="crossSectionSquareMeters"/>.</summary>
    protected static double AmplitudeOf(double crossSectionSquareMeters) => Math.Sqrt(crossSectionSquareMeters / (4 * Math.PI));

    /// <summary>Smooth 0..1 ramp (raised cosine) of <paramref name="x"/> over 0..1.</summary>
    protected static double SmoothStep(double x) => x <= 0 ? 0 : x >= 1 ? 1 : 0.5 - (0.5 * Math.Cos(Math.PI * x));
}

/// <summary>
/// A walking person: torso, two arms and two legs. The torso moves along a straight line (speeding up and slowing
/// down over <see cref="RampSeconds"/>); arms and legs swing about it at the gait rate in anti-phase, so their
/// micro-Doppler spreads either side of the torso line as on a real walker.
/// </summary>
public sealed class Walker : SceneActor
{
    /// <summary>Time to reach walking speed (and to stop), s.</summary>
    public const double RampSeconds = 0.2;

    private readonly Vector3D start, direction, side;
    private readonly double speed, startSeconds, durationSeconds, gaitHz;
    private readonly MotionLabel[] labels;

    /// <summary>Creates a walker standing at <paramref name="startMeters"/> until <paramref name="startSeconds"/>.</summary>
    /// <param name="startMeters">Where the torso starts (room coordinates; its height is taken as given).</param>
    /// <param name="headingUnit">Walking direction (horizontal unit vector).</param>
    /// <param name="speedMetersPerSecond">Walking speed, m/s.</param>
    /// <param name="startSeconds">Onset, s.</param>
    /// <param name="durationSeconds">How long the walk lasts, s.</param>
    /// <param name="deviceMeters">The device position, for the label's closest distance.</param>
    public Walker(Vector3D startMeters, Vector3D headingUnit, double speedMetersPerSecond, double startSeconds, double durationSeconds, Vector3D deviceMeters)
    {
        if (!(durationSeconds >= 2 * RampSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(durationSeconds), durationSeconds, $"a walk lasts at least {2 * RampSeconds} s (speeding up and slowing down)");
        }

        start = startMeters;
        direction = headingUnit;
        side = new Vector3D(-headingUnit.Y, headingUnit.X, 0);
        speed = speedMetersPerSecond;
        this.startSeconds = startSeconds;
        this.durationSeconds = durationSeconds;
        gaitHz = 0.6 + (0.8 * speedMetersPerSecond);   // about 1.4 steps/s at 1 m/s; arms swing once per two steps
        var closest = double.PositiveInfinity;
        for (var t = startSeconds; t <= startSeconds + durationSeconds; t += 0.05)
        {
            var p = TorsoAt(t);
            closest = Math.Min(closest, Vector3D.Distance(new Vector3D(p.X, p.Y, deviceMeters.Z), deviceMeters));
        }

        labels = [new MotionLabel(startSeconds, startSeconds + durationSeconds, MotionKind.Major, closest)];
    }

    /// <inheritdoc/>
    public override int PointCount => 5;

    /// <inheritdoc/>
    public override IReadOnlyList<MotionLabel> Labels => labels;

    /// <inheritdoc/>
    public override void Evaluate(double seconds, Span<Vector3D> positions, Span<double> amplitudes)
    {
        var torso = TorsoAt(seconds);
        var moving = Math.Min(SmoothStep((seconds - startSeconds) / RampSeconds), SmoothStep((startSeconds + durationSeconds - seconds) / RampSeconds));
        var swing = moving * Math.Sin(2 * Math.PI * gaitHz * (seconds - startSeconds));
        var armSwing = 0.18 * Math.Min(1.5, speed) * swing;
        var legSwing = 0.28 * Math.Min(1.5, speed) * swing;
        positions[0] = torso;
        positions[1] = torso + (0.22 * side) + (armSwing * direction) + new Vector3D(0, 0, -0.25);
        positions[2] = torso - (0.22 * side) - (armSwing * direction) + new Vector3D(0, 0, -0.25);
        positions[3] = torso + (0.1 * side) - (legSwing * direction) + new Vector3D(0, 0, -0.8);
        positions[4] = torso - (0.1 * side) + (legSwing * direction) + new Vector3D(0, 0, -0.8);
        amplitudes[0] = AmplitudeOf(0.8);
        amplitudes[1] = amplitudes[2] = AmplitudeOf(0.08);
        amplitudes[3] = amplitudes[4] = AmplitudeOf(0.15);
    }

    private Vector3D TorsoAt(double seconds)
    {
        // Distance walked = speed x the integral of the ramped speed profile (raised-cosine up and down ramps).
        var t = Math.Clamp(seconds - startSeconds, 0, durationSeconds);
        var d = durationSeconds;
        var walked = t <= RampSeconds ? Integral(t)
            : t <= d - RampSeconds ? t - (RampSeconds / 2)
            : d - RampSeconds - Integral(d - t);
        return start + (speed * walked * direction);
    }

    // Integral over 0..x of SmoothStep(s / RampSeconds) ds.
    private static double Integral(double x) =>
        (0.5 * x) - (0.5 * RampSeconds / Math.PI * Math.Sin(Math.PI * x / RampSeconds));
}

/// <summary>
/// A small movement near the device (a hand reaching, a page turned): one point that travels a short distance with a
/// raised-cosine velocity profile, attached to a person who otherwise sits still.
/// </summary>
public sealed class HandMotion : SceneActor
{
    private readonly Vector3D from, displacement, body;
    private readonly double startSeconds, durationSeconds, amplitude;
    private readonly MotionLabel[] labels;

    /// <summary>Creates the movement.</summary>
    /// <param name="fromMeters">Where the hand starts.</param>
    /// <param name="displacementMeters">How far and where it goes.</param>
    /// <param name="startSeconds">Onset, s.</param>
    /// <param name="durationSeconds">Duration, s.</param>
    /// <param name="crossSectionSquareMeters">Radar cross-section of the hand (or page), m^2.</param>
    /// <param name="deviceMeters">The device position, for the label.</param>
    public HandMotion(Vector3D fromMeters, Vector3D displacementMeters, double startSeconds, double durationSeconds, double crossSectionSquareMeters, Vector3D deviceMeters)
    {
        from = fromMeters;
        displacement = displacementMeters;
        this.startSeconds = startSeconds;
        this.durationSeconds = durationSeconds;
        amplitude = AmplitudeOf(crossSectionSquareMeters);
        var away = fromMeters - deviceMeters;
        body = fromMeters + (0.4 / Math.Max(0.1, away.Length) * away);   // the still torso behind the hand
        labels = [new MotionLabel(startSeconds, startSeconds + durationSeconds, MotionKind.Minor,
            Math.Min(Vector3D.Distance(fromMeters, deviceMeters), Vector3D.Distance(fromMeters + displacementMeters, deviceMeters)))];
    }

    /// <inheritdoc/>
    public override int PointCount => 2;

    /// <inheritdoc/>
    public override IReadOnlyList<MotionLabel> Labels => labels;

    /// <inheritdoc/>
    public override void Evaluate(double seconds, Span<Vector3D> positions, Span<double> amplitudes)
    {
        positions[0] = from + (SmoothStep((seconds - startSeconds) / durationSeconds) * displacement);
        amplitudes[0] = amplitude;
        positions[1] = body;
        amplitudes[1] = AmplitudeOf(0.5);
    }
}

/// <summary>A rotating fan: blades as points on circles (hub to tip), a strong periodic micro-Doppler source that is not a person.</summary>
public sealed class RotatingFan : SceneActor
{
    private static readonly double[] Radii = [0.04, 0.12];
    private readonly Vector3D center, u, v;
    private readonly int blades;
    private readonly double revolutionsPerSecond, phase;

    /// <summary>Creates the fan.</summary>
    /// <param name="centerMeters">Hub position.</param>
    /// <param name="axisUnit">Rotation axis (horizontal for a desk or pedestal fan).</param>
    /// <param name="blades">Blade count.</param>
    /// <param name="revolutionsPerSecond">Rotation rate.</param>
    /// <param name="phase">Initial angle, rad.</param>
    public RotatingFan(Vector3D centerMeters, Vector3D axisUnit, int blades, double revolutionsPerSecond, double phase)
    {
        center = centerMeters;
        this.blades = blades;
        this.revolutionsPerSecond = revolutionsPerSecond;
        this.phase = phase;
        u = new Vector3D(0, 0, 1);
        var h = new Vector3D(-axisUnit.Y, axisUnit.X, 0);
        v = (1 / Math.Max(1e-9, h.Length)) * h;
    }

    /// <inheritdoc/>
    public override int PointCount => blades * Radii.Length;

    /// <inheritdoc/>
    public override void Evaluate(double seconds, Span<Vector3D> positions, Span<double> amplitudes)
    {
        var i = 0;
        for (var b = 0; b < blades; b++)
        {
            var angle = phase + (2 * Math.PI * ((revolutionsPerSecond * seconds) + ((double)b / blades)));
            var (s, c) = Math.SinCos(angle);
            foreach (var r in Radii)
            {
                positions[i] = center + (r * c * u) + (r * s * v);
                amplitudes[i] = AmplitudeOf(0.004 * r / 0.1);
                i++;
            }
        }
    }
}

/// <summary>A curtain swaying in a draught: a few large, slow points (low Doppler, high level).</summary>
public sealed class SwayingCurtain : SceneActor
{
    private readonly Vector3D a, b, normal;
    private readonly double swayMeters, swayHz;
    private readonly double[] phases;

    /// <summary>Creates the curtain along the line from <paramref name="endA"/> to <paramref name="endB"/>.</summary>
    /// <param name="endA">One end (room coordinates).</param>
    /// <param name="endB">The other end.</param>
    /// <param name="normalUnit">The direction it sways in.</param>
    /// <param name="swayMeters">Sway amplitude, m.</param>
    /// <param name="swayHz">Sway rate, Hz.</param>
    /// <param name="seed">Phase seed.</param>
    public SwayingCurtain(Vector3D endA, Vector3D endB, Vector3D normalUnit, double swayMeters, double swayHz, int seed)
    {
        a = endA;
        b = endB;
        normal = normalUnit;
        this.swayMeters = swayMeters;
        this.swayHz = swayHz;
        var random = new Random(seed);
        phases = [.. Enumerable.Range(0, 3).Select(_ => random.NextDouble() * 2 * Math.PI)];
    }

    /// <inheritdoc/>
    public override int PointCount => 3;

    /// <inheritdoc/>
    public override void Evaluate(double seconds, Span<Vector3D> positions, Span<double> amplitudes)
    {
        for (var k = 0; k < 3; k++)
        {
            var along = (k + 0.5) / 3;
            var sway = swayMeters * Math.Sin((2 * Math.PI * swayHz * seconds * (1 + (0.15 * k))) + phases[k]);
            positions[k] = a + (along * (b - a)) + (sway * normal);
            amplitudes[k] = AmplitudeOf(0.3);
        }
    }
}
