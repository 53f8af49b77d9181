using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Spatial.Sensing.Calibration;

namespace SpatialAudio.Spatial.Sensing.Simulation;

/// <summary>
/// The self-calibration a device runs when it is set up, done on a simulated unit in a simulated room: the calibration
/// sweep (<see cref="SelfCalibration.Sweep"/>) is rendered through the scene's probe driver (its unit response and
/// nonlinearity), room and microphones (gains, self-noise, HVAC) exactly as the scene's probe would be, with the room's
/// distractors (fan, curtain) present but nobody in it and no music, and analysed by <see cref="SelfCalibration.Analyze"/>.
/// <see cref="Apply"/> gives the scene emitting at the carrier and level the device would use there (the library's scenes
/// emit at a fixed 40 kHz and -20 dBFS).
/// </summary>
public static class SceneCalibration
{
    /// <summary>The calibration of <paramref name="scene"/>'s unit and room.</summary>
    /// <param name="scene">The scene (its probe settings, actors with labels and music are ignored).</param>
    /// <param name="options">Target range and margins (default: <see cref="CalibrationOptions"/>, with the driver-to-microphone
    /// distance of this geometry).</param>
    public static CalibrationResult Run(Scene scene, CalibrationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scene);
        if (scene.MicMeters.Count == 0)
        {
            throw new ArgumentException("the scene has no microphones", nameof(scene));
        }

        var fs = scene.SampleRateHz;
        var sweep = SelfCalibration.Sweep(fs);
        var recording = scene with
        {
            DurationSeconds = (double)sweep.Length / fs,
            Emission = sweep,
            Actors = [.. scene.Actors.Where(a => a.Labels.Count == 0)],   // the room as set up: fan and curtain, no people
            MusicLevelDbfs = null,
            Seed = unchecked((scene.Seed * 7919) + 104729),   // recorded at another time than the scene: other noise
        };
        var (mics, _) = new SceneSimulator(recording).RenderAll();
        options ??= new CalibrationOptions { DriverToMicMeters = scene.MicMeters.Average(m => Vector3D.Distance(scene.ProbeDriverMeters, m)) };
        return SelfCalibration.Analyze(mics, sweep, fs, options);
    }

    /// <summary><paramref name="scene"/> emitting as its self-calibration decides: the chosen carrier (unless
    /// <paramref name="carrierHz"/> fixes one) at the lowest level that keeps the target range on that carrier.</summary>
    /// <param name="scene">The scene.</param>
    /// <param name="carrierHz">A fixed carrier (within the calibrated band), or null for the calibration's choice.</param>
    public static Scene Apply(Scene scene, double? carrierHz = null)
    {
        var calibration = Run(scene);
        var carrier = carrierHz ?? calibration.CarrierHz;
        return scene with { CarrierHz = carrier, ProbeLevelDbfs = calibration.LevelAt(carrier) };
    }
}
