using SpatialAudio.Spatial.Sensing.Detection;

namespace SpatialAudio.Spatial.Tests.Sensing;

/// <summary>The low-power schedule of <see cref="PresenceTracker"/> on synthetic probabilities (frames every 20 ms).</summary>
public class LowPowerScheduleTests
{
    private static readonly PresenceOptions Options = new() { LowPower = true, SleepSeconds = 3, BurstSeconds = 1, PresenceTimeoutSeconds = 100 };
    private static readonly float[] Still = [1, 0, 0];
    private static readonly float[] Walking = [0, 0, 1];
    private static readonly float[] Hand = [0, 1, 0];

    [Fact]
    public void After_a_burst_that_saw_nothing_the_next_motion_puts_the_probe_back_to_sleep()
    {
        // A seated person's hand rarely moves inside a short burst: the probe stays on after the burst, and the next
        // small movement must re-confirm presence and start a new sleep (it used to keep the probe on until presence ended).
        var tracker = new PresenceTracker(Options);
        var t = Run(tracker, 0, 0.1, Walking);
        Assert.True(tracker.Present);
        Assert.False(tracker.EmissionWanted);
        t = Idle(tracker, t, 3.05);                 // asleep
        Assert.True(tracker.EmissionWanted);        // the burst
        t = Run(tracker, t, 1.5, Still);            // it sees nothing, and the probe stays on after it
        Assert.True(tracker.EmissionWanted);
        t = Run(tracker, t, 2.0, Still);
        Assert.True(tracker.EmissionWanted);
        var sleepsAt = t;
        t = Run(tracker, t, 0.1, Hand);             // a hand moves: presence re-confirmed, probe off again
        Assert.False(tracker.EmissionWanted);
        Assert.True(tracker.Present);
        t = Idle(tracker, t, 2.8);
        Assert.False(tracker.EmissionWanted);       // for the whole sleep
        Idle(tracker, t, 0.3);
        Assert.True(tracker.EmissionWanted);        // and the next burst comes SleepSeconds after the re-confirmation
        Assert.InRange(t + 0.3 - sleepsAt, Options.SleepSeconds, Options.SleepSeconds + 0.4);
    }

    [Fact]
    public void Motion_in_the_burst_sleeps_again_when_the_burst_ends_and_silence_ends_presence_by_the_timeout()
    {
        var options = Options with { PresenceTimeoutSeconds = 10 };
        var tracker = new PresenceTracker(options);
        var sink = new SensingEvent[8];
        var t = Run(tracker, 0, 0.1, Walking);
        for (; !tracker.EmissionWanted && t < 10; t += 0.02)
        {
            tracker.Idle(t, sink);
        }

        var wake = t - 0.02;
        t = Run(tracker, t, 0.5, Still);            // (events re-arm after 0.4 s below threshold)
        t = Run(tracker, t, 0.1, Hand);             // inside the burst: it runs to its end, then sleep
        Assert.True(tracker.EmissionWanted);
        for (; tracker.EmissionWanted && t < 10; t += 0.02)
        {
            tracker.Process(t, Still, sink);
        }

        var sleepStart = t - 0.02;
        Assert.InRange(sleepStart - wake, options.BurstSeconds, options.BurstSeconds + 0.03);
        t = Idle(tracker, t, 3.05);
        Assert.True(tracker.EmissionWanted);
        var off = double.NaN;
        for (; t < 30 && double.IsNaN(off); t += 0.02)
        {
            if (tracker.Process(t, Still, sink) > 0 && sink[0].Kind == SensingEventKind.PresenceOff)
            {
                off = t;
            }
        }

        // Presence holds through the sleep (the re-confirmation counts from the sleep's start) and ends a timeout later.
        Assert.InRange(off - sleepStart, options.PresenceTimeoutSeconds, options.PresenceTimeoutSeconds + 0.03);
        Assert.True(tracker.EmissionWanted);
    }

    private static double Run(PresenceTracker tracker, double from, double seconds, float[] probabilities)
    {
        var sink = new SensingEvent[8];
        var t = from;
        for (; t < from + seconds; t += 0.02)
        {
            tracker.Process(t, probabilities, sink);
        }

        return t;
    }

    private static double Idle(PresenceTracker tracker, double from, double seconds)
    {
        var sink = new SensingEvent[8];
        var t = from;
        for (; t < from + seconds; t += 0.02)
        {
            tracker.Idle(t, sink);
        }

        return t;
    }
}
