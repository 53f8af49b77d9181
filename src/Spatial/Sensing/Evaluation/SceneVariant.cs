using System.Globalization;
using SpatialAudio.Spatial.Sensing.FrontEnd;
using SpatialAudio.Spatial.Sensing.Simulation;

namespace SpatialAudio.Spatial.Sensing.Evaluation;

/// <summary>
/// How the scenes of a set are simulated beyond their kind and seed: one value for a whole plan, and part of each
/// scene's cache key (<see cref="SceneRunCache"/>), so every variant is kept apart.
/// </summary>
/// <param name="Seconds">Length of every scene, s (0 = each kind's default).</param>
/// <param name="MaxLeadInSeconds">Longest still lead-in before the people, s (each scene draws its own; 0 = none).</param>
/// <param name="ProbeLevelDbfs">Probe peak level, dBFS.</param>
/// <param name="Removed">Parts taken out of every scene after it is drawn (<see cref="Scene.Without"/>).</param>
/// <param name="CancelFans">Run the front end with its <see cref="PeriodicClutterCanceller"/>.</param>
/// <param name="Music">Which music the scenes with music play.</param>
/// <param name="GuardDistortion">Run the front end's time-domain distortion canceller with its output guard.</param>
/// <param name="FastStart">Settle the front end's start as a low-power wake-up does (<see cref="DopplerFrontEnd.FastStart"/>).</param>
/// <param name="CancellerTaps">FIR length per regressor of the front end's time-domain distortion canceller.</param>
/// <param name="LatticeCanceller">Run that canceller as the least-squares lattice (<see cref="LatticeDistortionCanceller"/>; the key
/// names its forgetting factor, so a change of its memory is cached apart).</param>
/// <param name="LatticePowerFloor">The lattice's powers' floor (<see cref="LatticeDistortionCanceller.PowerFloor"/>; named in
/// the key when it is not the default).</param>
public sealed record SceneVariant(double Seconds = 0, double MaxLeadInSeconds = 0, double ProbeLevelDbfs = Scene.DefaultProbeLevelDbfs,
    SceneParts Removed = SceneParts.None, bool CancelFans = false, MusicSource Music = MusicSource.Demo, bool GuardDistortion = false,
    bool FastStart = false, int CancellerTaps = DistortionCanceller.DefaultTaps, bool LatticeCanceller = false,
    double LatticePowerFloor = LatticeDistortionCanceller.DefaultPowerFloor)
{
    /// <summary>Each kind's default length, no lead-in, the scene sets' probe level, nothing removed, no fan canceller.</summary>
    public static SceneVariant Default { get; } = new();

    // Probe level of the scene sets until the tenth session: scenes at it keep the key they always had.
    private const double LegacyProbeLevelDbfs = -20;

    /// <summary>What the cache key adds for this variant: nothing for the scene sets' first variant, so old caches stay
    /// valid; the fan canceller with its <see cref="PeriodicClutterCanceller.Version"/>.</summary>
    internal string KeySuffix(SceneKind kind) =>
        (Seconds > 0 ? string.Create(CultureInfo.InvariantCulture, $"|{Seconds:R} s") : "")
        + (MaxLeadInSeconds > 0 && kind != SceneKind.Empty ? string.Create(CultureInfo.InvariantCulture, $"|lead-in {MaxLeadInSeconds:R} s") : "")
        + (ProbeLevelDbfs != LegacyProbeLevelDbfs ? string.Create(CultureInfo.InvariantCulture, $"|probe {ProbeLevelDbfs:R} dBFS") : "")
        + (Removed != SceneParts.None ? $"|without {Removed}" : "")
        + (CancelFans ? string.Create(CultureInfo.InvariantCulture, $"|fan canceller {PeriodicClutterCanceller.Version}") : "")
        + (Music != MusicSource.Demo ? $"|music {Music}" : "")
        + (GuardDistortion ? string.Create(CultureInfo.InvariantCulture, $"|distortion guard {DistortionCanceller.DefaultGuardSamples}") : "")
        + (FastStart ? string.Create(CultureInfo.InvariantCulture, $"|fast start {DopplerFrontEnd.FastSettleSeconds:R} s") : "")
        + (CancellerTaps != DistortionCanceller.DefaultTaps ? string.Create(CultureInfo.InvariantCulture, $"|canceller taps {CancellerTaps}") : "")
        + (LatticeCanceller ? string.Create(CultureInfo.InvariantCulture, $"|lattice canceller {LatticeDistortionCanceller.DefaultForgetting:R} from {DistortionCanceller.DefaultTaps} taps") : "")
        + (LatticePowerFloor != LatticeDistortionCanceller.DefaultPowerFloor ? string.Create(CultureInfo.InvariantCulture, $"|lattice power floor {LatticePowerFloor:R}") : "");
}
