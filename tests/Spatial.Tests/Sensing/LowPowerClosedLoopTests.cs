using SpatialAudio.Spatial.Sensing.Detection;
using SpatialAudio.Spatial.Sensing.Evaluation;
using SpatialAudio.Spatial.Sensing.Pipeline;
using SpatialAudio.Spatial.Sensing.Simulation;
using SpatialAudio.Spatial.Tests.Support;
using Xunit.Abstractions;

namespace SpatialAudio.Spatial.Tests.Sensing;

/// <summary>
/// The low-power schedule end to end: the simulator renders block by block, the streaming pipeline with the committed
/// detector processes each block, and the probe is switched from <see cref="SensingPipeline.EmissionWanted"/> before
/// each block, as on a device. Short scripted visits (a quiet room, walking in at 1 m/s to 1 m from the device) with
/// short timers, so each test simulates 14-19 s.
/// </summary>
public class LowPowerClosedLoopTests(ITestOutputHelper output)
{
    // Walking in after the pipeline's start-up (no event is raised before FrameStage.StartupSeconds).
    private const double Enter = FrameStage.StartupSeconds + 0.5;

    private static readonly PresenceOptions Short = new() { LowPower = true, SleepSeconds = 4, BurstSeconds = 2, PresenceTimeoutSeconds = 6 };

    private static readonly Lazy<(SensingGeometry Geometry, DetectorModel Model)> Committed = new(() => (
        TemporarySceneCache.StudioGeometry(),
        DetectorModel.Load(Path.Combine(RepoPaths.Root, "models", "sensing", "detector.json"))));

    [Fact]
    public void Probe_sleeps_for_SleepSeconds_after_presence_and_a_hand_move_in_the_burst_reconfirms_it()
    {
        var (geometry, model) = Committed.Value;
        var session = SessionScenes.Scripted(geometry.ProbeDriverMeters, geometry.MicMeters, 19, enterSeconds: Enter, moveSeconds: [Enter + 5.4]);
        var run = LowPowerEvaluation.RunSession(session, model, Short);
        Log(run);

        // Walking in is seen within half a second; emission goes off at once and stays off for SleepSeconds.
        var on = Single(run.Events, SensingEventKind.PresenceOn);
        Assert.InRange(on.Seconds, Enter, Enter + 0.6);
        var (firstOff, wake) = (run.Emission[0], run.Emission[1]);
        Assert.False(firstOff.On);
        Assert.InRange(firstOff.Seconds - on.Seconds, 0, 0.03);                       // the next block after the event
        Assert.True(wake.On);
        Assert.InRange(wake.Seconds - firstOff.Seconds, Short.SleepSeconds - 0.05, Short.SleepSeconds + 0.05);

        // The hand moves in the burst, after the front end settled: a motion event there, and the probe sleeps again
        // when the burst ends.
        Assert.Contains(run.Events, e => e.Kind == SensingEventKind.Motion && e.Seconds >= Enter + 5.4 && e.Seconds <= wake.Seconds + Short.BurstSeconds);
        var secondOff = run.Emission[2];
        Assert.False(secondOff.On);
        Assert.InRange(secondOff.Seconds - wake.Seconds, Short.BurstSeconds - 0.05, Short.BurstSeconds + 0.05);
        Assert.Equal((1, 1), (run.HandMoves.Sensed, run.HandMoves.Detected));

        // The re-confirmation holds presence through the second sleep; the person then stands still, so presence ends
        // PresenceTimeoutSeconds after that sleep began. No motion event without a motion.
        var off = Single(run.Events, SensingEventKind.PresenceOff);
        Assert.InRange(off.Seconds - secondOff.Seconds, Short.PresenceTimeoutSeconds, Short.PresenceTimeoutSeconds + 0.1);
        Assert.Equal((0, 0), run.FalseMotionEvents);
    }

    [Fact]
    public void Without_motion_the_burst_finds_nothing_and_presence_ends_a_timeout_after_the_sleep_began()
    {
        var (geometry, model) = Committed.Value;
        var session = SessionScenes.Scripted(geometry.ProbeDriverMeters, geometry.MicMeters, 14, enterSeconds: Enter, moveSeconds: []);
        var run = LowPowerEvaluation.RunSession(session, model, Short);
        Log(run);

        var on = Single(run.Events, SensingEventKind.PresenceOn);
        var sleep = run.Emission[0];
        Assert.False(sleep.On);

        // The sleep holds presence; the still person gives the burst nothing; presence ends PresenceTimeoutSeconds after
        // the sleep began (the last time presence was confirmed), and the probe then stays on (empty-room sensing).
        var off = Single(run.Events, SensingEventKind.PresenceOff);
        Assert.InRange(off.Seconds - sleep.Seconds, Short.PresenceTimeoutSeconds, Short.PresenceTimeoutSeconds + 0.1);
        Assert.Equal(2, run.Emission.Count);
        Assert.True(run.Emission[1].On);
        Assert.DoesNotContain(run.Events, e => e.Kind == SensingEventKind.Motion && e.Seconds > sleep.Seconds);
        Assert.True(on.Seconds < sleep.Seconds + 0.03);
    }

    private static SensingEvent Single(IReadOnlyList<SensingEvent> events, SensingEventKind kind) => Assert.Single(events, e => e.Kind == kind);

    private void Log(LowPowerSession run)
    {
        output.WriteLine(string.Join(", ", run.Emission.Select(e => $"{(e.On ? "on" : "off")} {e.Seconds:0.000}")));
        output.WriteLine(string.Join(", ", run.Events.Select(e => $"{e.Kind}{(e.Kind == SensingEventKind.Motion ? e.Major ? " major" : " minor" : "")} {e.Seconds:0.000}")));
    }
}
