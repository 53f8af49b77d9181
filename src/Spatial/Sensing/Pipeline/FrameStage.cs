using SpatialAudio.Spatial.Sensing.Detection;

namespace SpatialAudio.Spatial.Sensing.Pipeline;

/// <summary>
/// Everything after the front end, one frame at a time: features, detector (float or int8), presence logic. Shared by
/// the streaming <see cref="SensingPipeline"/> and by evaluations that replay stored front-end frames, so both run the
/// same code.
/// </summary>
public sealed class FrameStage
{
    /// <summary>Stream time before which no event is raised, s: after a cold start the features' 2.7 s context is still
    /// filling (0.6 s settling + 128 frames), so the detector would judge with less context than it was trained on. The
    /// features run meanwhile (their background rising faster, <see cref="MotionFeatures.StartupRiseFactor"/>), the
    /// detector does not; low-power bursts later in the stream are not affected.</summary>
    public const double StartupSeconds = 3.5;

    private readonly MotionFeatures features;
    private readonly DetectorModel? model;
    private readonly QuantizedDetector? quantized;
    private readonly float[] featureBuffer = new float[MotionFeatures.Count];
    private readonly float[] probabilities = new float[3];

    /// <summary>Creates the stage.</summary>
    /// <param name="micCount">Microphones in each frame.</param>
    /// <param name="model">The detector.</param>
    /// <param name="options">Presence logic (default: the model's, <see cref="DetectorModel.PresenceDefaults"/>).</param>
    /// <param name="useQuantized">Run the int8 detector.</param>
    public FrameStage(int micCount, DetectorModel model, PresenceOptions? options = null, bool useQuantized = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        features = new MotionFeatures(micCount);
        if (useQuantized)
        {
            quantized = new QuantizedDetector(model);
        }
        else
        {
            this.model = model.Clone();
        }

        Tracker = new PresenceTracker(options ?? model.PresenceDefaults);
    }

    /// <summary>The presence logic.</summary>
    public PresenceTracker Tracker { get; }

    /// <summary>
    /// Advances the clock by one frame while the probe is off (low-power sleep): the presence logic ticks, the features
    /// learn nothing. The frames recorded without the probe hold only noise; a background taught on them would sit far
    /// below the probe-on level when the probe returns, and the first frames after settling would look like motion.
    /// </summary>
    /// <param name="seconds">Stream time of the frame's end, s.</param>
    /// <param name="sink">Receives events (room for 3).</param>
    /// <param name="observer">Optional observer (sees zero features and no probabilities).</param>
    /// <returns>Events written.</returns>
    public int Skip(double seconds, Span<SensingEvent> sink, FrameObserver? observer = null)
    {
        if (observer is not null)
        {
            Array.Clear(featureBuffer);
            observer(seconds, featureBuffer, []);
        }

        return Tracker.Idle(seconds, sink);
    }

    /// <summary>Processes one front-end frame.</summary>
    /// <param name="seconds">Stream time of the frame's end, s.</param>
    /// <param name="bandsDb">The front end's band levels for all microphones.</param>
    /// <param name="idle">True while the front end settles or emission is off: the frame only teaches the background.</param>
    /// <param name="sink">Receives events (room for 3).</param>
    /// <param name="observer">Optional observer.</param>
    /// <returns>Events written.</returns>
    public int Process(double seconds, ReadOnlySpan<float> bandsDb, bool idle, Span<SensingEvent> sink, FrameObserver? observer = null)
    {
        if (idle)
        {
            features.Process(bandsDb, featureBuffer, learnOnly: true);
            observer?.Invoke(seconds, featureBuffer, []);
            return Tracker.Idle(seconds, sink);
        }

        features.Process(bandsDb, featureBuffer, startup: seconds < StartupSeconds);
        if (seconds < StartupSeconds)
        {
            observer?.Invoke(seconds, featureBuffer, []);   // the features fill their context; nobody reads a decision yet
            return Tracker.Idle(seconds, sink);
        }

        if (model is not null)
        {
            model.Predict(featureBuffer, probabilities);
        }
        else
        {
            quantized!.Predict(featureBuffer, probabilities);
        }

        observer?.Invoke(seconds, featureBuffer, probabilities);
        return Tracker.Process(seconds, probabilities, sink);
    }
}
