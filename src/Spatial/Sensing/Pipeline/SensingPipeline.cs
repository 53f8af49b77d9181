using SpatialAudio.Spatial.Sensing.Detection;
using SpatialAudio.Spatial.Sensing.FrontEnd;

namespace SpatialAudio.Spatial.Sensing.Pipeline;

/// <summary>Sees every frame of a <see cref="SensingPipeline"/> (for datasets and diagnostics).</summary>
/// <param name="seconds">Stream time of the frame's end, s.</param>
/// <param name="features">The detector's input (zeros while settling).</param>
/// <param name="probabilities">The detector's output; empty while settling or with emission off.</param>
public delegate void FrameObserver(double seconds, ReadOnlySpan<float> features, ReadOnlySpan<float> probabilities);

/// <summary>
/// The microphone side of sensing as one streaming object: front end, features, detector (float or int8) and presence
/// logic. Feed microphone blocks (and the playback reference when music plays); events come back per call.
/// </summary>
/// <remarks>
/// <para>Real-time safe: <see cref="Process"/> allocates nothing, takes no lock and does not throw for any block size
/// (blocks are cut into front-end chunks internally); non-finite samples are treated as silence.</para>
/// <para>For the first <see cref="SettleSeconds"/> after the start, and after the probe comes back on in low-power mode,
/// the static-echo filter is converging: those frames only teach the background and never raise an event. No event is
/// raised before <see cref="FrameStage.StartupSeconds"/> either (the features' context is still filling). While the
/// probe is off the features are not fed at all (see <see cref="FrameStage.Skip"/>).</para>
/// </remarks>
public sealed class SensingPipeline
{
    /// <summary>Front-end settling time after (re)starting emission, s.</summary>
    public const double SettleSeconds = 0.6;

    private readonly DopplerFrontEnd frontEnd;
    private readonly FrameStage stage;
    private readonly SensingEvent[] pending = new SensingEvent[64];
    private long frames;
    private double settleUntil = SettleSeconds;
    private bool wasEmitting = true;

    /// <summary>Creates the pipeline.</summary>
    /// <param name="sampleRateHz">Microphone rate, Hz.</param>
    /// <param name="micCount">Microphones.</param>
    /// <param name="carrierHz">Probe carrier, Hz.</param>
    /// <param name="model">The detector.</param>
    /// <param name="withReference">Whether playback reference blocks will be given.</param>
    /// <param name="options">Presence logic (default: the model's, <see cref="DetectorModel.PresenceDefaults"/>).</param>
    /// <param name="useQuantized">Run the int8-quantized detector instead of the float one.</param>
    public SensingPipeline(int sampleRateHz, int micCount, double carrierHz, DetectorModel model, bool withReference,
        PresenceOptions? options = null, bool useQuantized = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        frontEnd = new DopplerFrontEnd(sampleRateHz, micCount, carrierHz, withReference, cancelFans: model.FanCanceller, guardDistortion: model.DistortionGuard,
            fastStart: model.FastStart, cancellerTaps: model.CancellerTaps, latticeCanceller: model.LatticeCanceller,
            latticePowerFloor: model.LatticePowerFloor);
        stage = new FrameStage(micCount, model, options, useQuantized);
    }

    /// <summary>The front end (rates, resolution).</summary>
    public DopplerFrontEnd FrontEnd => frontEnd;

    /// <summary>The presence logic (state, emission wish).</summary>
    public PresenceTracker Tracker => stage.Tracker;

    /// <summary>Stream time processed so far (end of the last frame), s.</summary>
    public double Seconds => FrameEndSeconds(frames);

    /// <summary>Whether the probe should be emitting (low-power schedule); the host sets its generator from this.</summary>
    public bool EmissionWanted => stage.Tracker.EmissionWanted;

    /// <summary>Optional per-frame observer.</summary>
    public FrameObserver? Observer { get; set; }

    /// <summary>Processes a block.</summary>
    /// <param name="interleavedMics">Interleaved microphone samples.</param>
    /// <param name="playback">The playback reference for the same frames, or empty.</param>
    /// <param name="events">Receives the events of this block (extra events beyond its length are dropped: give room for 8).</param>
    /// <returns>Events written.</returns>
    public int Process(ReadOnlySpan<float> interleavedMics, ReadOnlySpan<float> playback, Span<SensingEvent> events)
    {
        var mics = frontEnd.MicCount;
        var total = interleavedMics.Length / mics;
        frontEnd.LearnDistortion = stage.Tracker.EmissionWanted;   // the host set the probe from it before this block
        var written = 0;
        for (var start = 0; start < total; start += DopplerFrontEnd.MaxBlock)
        {
            var n = Math.Min(DopplerFrontEnd.MaxBlock, total - start);
            var reference = playback.Length >= start + n ? playback.Slice(start, n) : [];
            var produced = frontEnd.Process(interleavedMics.Slice(start * mics, n * mics), reference);
            for (var f = 0; f < produced; f++)
            {
                var t = FrameEndSeconds(++frames);
                var emitting = stage.Tracker.EmissionWanted;
                if (emitting && !wasEmitting)
                {
                    frontEnd.Resettle();   // the probe returns with the next block: clear its static echo fast
                    settleUntil = t + SettleSeconds;
                }

                wasEmitting = emitting;
                var count = emitting ? stage.Process(t, frontEnd.BandsDb(f), t < settleUntil, pending, Observer) : stage.Skip(t, pending, Observer);
                for (var e = 0; e < count && written < events.Length; e++)
                {
                    events[written++] = pending[e];
                }
            }
        }

        return written;
    }

    private double FrameEndSeconds(long frame) =>
        frame == 0 ? 0 : (((frame - 1) * DopplerFrontEnd.Hop) + DopplerFrontEnd.FrameLength) / frontEnd.BasebandRateHz;
}
