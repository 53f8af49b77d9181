using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Rooms;
using SpatialAudio.Spatial.Sensing.Probe;

namespace SpatialAudio.Spatial.Sensing.Simulation;

/// <summary>Everything a simulated recording is made of: room, device, probe, people and distractors, music, noise.</summary>
/// <remarks>Levels are dBFS at the device (probe, music) or at the microphone (noise); <see cref="MicCouplingGain"/> scales the
/// acoustic pressure (1/m spreading, 1 at 1 m from a full-scale driver) into microphone full scale.</remarks>
public sealed record Scene
{
    /// <summary>Sample rate of the recording, Hz.</summary>
    public int SampleRateHz { get; init; } = 96000;

    /// <summary>Duration, s.</summary>
    public double DurationSeconds { get; init; } = 10;

    /// <summary>The room.</summary>
    public required ShoeboxRoom Room { get; init; }

    /// <summary>Where the device stands.</summary>
    public required RoomPlacement Device { get; init; }

    /// <summary>Probe driver position in the device frame, m.</summary>
    public required Vector3D ProbeDriverMeters { get; init; }

    /// <summary>Microphone positions in the device frame, m.</summary>
    public required IReadOnlyList<Vector3D> MicMeters { get; init; }

    /// <summary>Probe carrier, Hz.</summary>
    public double CarrierHz { get; init; } = 40000;

    /// <summary>The probe level of the simulated scene sets: the level the detector is trained for, dBFS.</summary>
    public const double DefaultProbeLevelDbfs = ProbeGenerator.DefaultLevelDbfs;

    /// <summary>Probe peak level at the driver, dBFS.</summary>
    public double ProbeLevelDbfs { get; init; } = DefaultProbeLevelDbfs;

    /// <summary>A signal emitted instead of the probe tone (e.g. the calibration sweep); silence after its end.</summary>
    public IReadOnlyList<float>? Emission { get; init; }

    /// <summary>People, fans, curtains.</summary>
    public IReadOnlyList<SceneActor> Actors { get; init; } = [];

    /// <summary>Music peak level at the probe driver, dBFS; null for no music.</summary>
    public double? MusicLevelDbfs { get; init; }

    /// <summary>When the music starts, s (silence before: an onset the distortion canceller meets cold).</summary>
    public double MusicStartSeconds { get; init; }

    /// <summary>Seed of the synthesized music.</summary>
    public int MusicSeed { get; init; } = 1;

    /// <summary>Which music plays: excerpts of the demo clip (the scene sets' music) or a song of the scene's own.</summary>
    public MusicSource Music { get; init; } = MusicSource.Demo;

    /// <summary>Loudspeaker nonlinearity: y = x + a2 x^2 + a3 x^3 on the probe driver's drive (music + probe).</summary>
    public (double A2, double A3) Nonlinearity { get; init; } = (0.02, 0.05);

    /// <summary>HVAC/airflow noise at each microphone (broadband, slowly modulated), dBFS RMS; null for none.</summary>
    public double? HvacNoiseDbfs { get; init; }

    /// <summary>Rate of the HVAC noise's slow swell (its level goes 1 +/- 0.5 around the mean), Hz.</summary>
    public double HvacSwellHz { get; init; } = 0.13;

    /// <summary>Phase of the swell at the scene's start, rad (each microphone adds its index: they are not in step).
    /// Drawn per scene: airflow does not start its swell with the device.</summary>
    public double HvacSwellPhase { get; init; }

    /// <summary>Microphone self-noise, dBFS RMS (white, full band).</summary>
    public double MicNoiseDbfs { get; init; } = -92;

    /// <summary>Pressure-to-full-scale factor of the microphones.</summary>
    public double MicCouplingGain { get; init; } = 0.03;

    /// <summary>This unit's microphone gains in the ultrasonic band, dB (per microphone; empty = 0 dB).</summary>
    public IReadOnlyList<double> MicGainsDb { get; init; } = [];

    /// <summary>This unit's probe-driver response in the ultrasonic band (a minimum-phase FIR); null = flat.</summary>
    public IReadOnlyList<double>? DriverResponse { get; init; }

    /// <summary>Noise seed.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Every labelled motion of the scene.</summary>
    public IReadOnlyList<MotionLabel> Labels => [.. Actors.SelectMany(a => a.Labels).OrderBy(l => l.StartSeconds)];

    /// <summary>The device centre in room coordinates.</summary>
    public Vector3D DeviceMeters => Device.PositionMeters;

    /// <summary>The same scene without <paramref name="parts"/>: every other draw (room, unit, people, noise) unchanged,
    /// so a figure with and without them tells what they cost the detector.</summary>
    public Scene Without(SceneParts parts) => parts == SceneParts.None ? this : this with
    {
        MusicLevelDbfs = parts.HasFlag(SceneParts.Music) ? null : MusicLevelDbfs,
        HvacNoiseDbfs = parts.HasFlag(SceneParts.Hvac) ? null : HvacNoiseDbfs,
        Actors = [.. Actors.Where(a => !(a is RotatingFan && parts.HasFlag(SceneParts.Fan)) && !(a is SwayingCurtain && parts.HasFlag(SceneParts.Curtain)))],
    };
}

/// <summary>The distractors of a scene that can be taken out of it (<see cref="Scene.Without"/>).</summary>
[Flags]
public enum SceneParts
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>The music (and with it the loudspeaker's distortion of it).</summary>
    Music = 1,

    /// <summary>Rotating fans.</summary>
    Fan = 2,

    /// <summary>Swaying curtains.</summary>
    Curtain = 4,

    /// <summary>HVAC noise.</summary>
    Hvac = 8,
}
