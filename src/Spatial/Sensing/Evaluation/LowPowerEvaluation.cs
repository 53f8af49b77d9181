using System.Collections.Concurrent;
using SpatialAudio.Spatial.Sensing.Detection;
using SpatialAudio.Spatial.Sensing.Pipeline;
using SpatialAudio.Spatial.Sensing.Simulation;

namespace SpatialAudio.Spatial.Sensing.Evaluation;

/// <summary>What happened in one closed-loop session.</summary>
public sealed record LowPowerSession
{
    /// <summary>Scene seed.</summary>
    public int Seed { get; init; }

    /// <summary>Whether music played.</summary>
    public bool WithMusic { get; init; }

    /// <summary>Scene length, s.</summary>
    public double DurationSeconds { get; init; }

    /// <summary>Occupied time (walk-in onset to gone through the door), s.</summary>
    public double OccupiedSeconds { get; init; }

    /// <summary>Of the occupied time, how much had presence on, s.</summary>
    public double PresentSeconds { get; init; }

    /// <summary>Of the occupied time, how much had the probe on, s.</summary>
    public double EmittingSeconds { get; init; }

    /// <summary>Empty time after the person was gone, and how much of it had the probe on, s.</summary>
    public (double Seconds, double Emitting) AfterLeaving { get; init; }

    /// <summary>Walk-in onset to presence on, s (NaN: no presence-on while occupied, e.g. a false event had turned it on before).</summary>
    public double PresenceOnLatencySeconds { get; init; }

    /// <summary>Presence-off events while the person was there.</summary>
    public int PresenceOffWhileOccupied { get; init; }

    /// <summary>Gone (the last motion: end of the walk-out) to the presence-off that followed, s (NaN: still present at
    /// the end of the scene).</summary>
    public double LeaveToOffSeconds { get; init; }

    /// <summary>Scene time left after the person was gone (a lower bound on <see cref="LeaveToOffSeconds"/> when it is NaN), s.</summary>
    public double TailSeconds { get; init; }

    /// <summary>Presence-on events after the person was gone (someone "came back" who did not).</summary>
    public int PresenceOnAfterLeaving { get; init; }

    /// <summary>Motion events matching no motion (outside every label from 0.2 s before to 1 s after): while occupied, and in
    /// the empty room (before the person entered or after they were gone).</summary>
    public (int Occupied, int Empty) FalseMotionEvents { get; init; }

    /// <summary>Small movements while staying; how many started while the probe was on (sensing, not settling); how many of those were detected.</summary>
    public (int All, int Sensed, int Detected) HandMoves { get; init; }

    /// <summary>Confirming bursts, and how many of them saw motion (re-confirmed presence).</summary>
    public (int All, int Confirmed) Bursts { get; init; }

    /// <summary>Every event, in order.</summary>
    public IReadOnlyList<SensingEvent> Events { get; init; } = [];

    /// <summary>Probe switching: (time, on) at each change, s.</summary>
    public IReadOnlyList<(double Seconds, bool On)> Emission { get; init; } = [];

    /// <summary>Fraction of the occupied time with presence on.</summary>
    public double PresentFraction => PresentSeconds / Math.Max(1e-9, OccupiedSeconds);

    /// <summary>Fraction of the occupied time with the probe on (1 - the energy saving).</summary>
    public double DutyCycle => EmittingSeconds / Math.Max(1e-9, OccupiedSeconds);
}

/// <summary>Sessions pooled.</summary>
/// <param name="Sessions">Each session.</param>
public sealed record LowPowerFigures(IReadOnlyList<LowPowerSession> Sessions)
{
    /// <summary>Occupied time, s.</summary>
    public double OccupiedSeconds => Sessions.Sum(s => s.OccupiedSeconds);

    /// <summary>Fraction of all occupied time with presence on.</summary>
    public double PresentFraction => Sessions.Sum(s => s.PresentSeconds) / Math.Max(1e-9, OccupiedSeconds);

    /// <summary>Fraction of all occupied time with the probe on.</summary>
    public double DutyCycle => Sessions.Sum(s => s.EmittingSeconds) / Math.Max(1e-9, OccupiedSeconds);

    /// <summary>Fraction of the empty time after leaving with the probe on.</summary>
    public double DutyCycleAfterLeaving => Sessions.Sum(s => s.AfterLeaving.Emitting) / Math.Max(1e-9, Sessions.Sum(s => s.AfterLeaving.Seconds));

    /// <summary>Presence-off events while occupied.</summary>
    public int PresenceOffWhileOccupied => Sessions.Sum(s => s.PresenceOffWhileOccupied);

    /// <summary>Sessions whose presence ended after the person left (before the scene ended).</summary>
    public int PresenceEnded => Sessions.Count(s => !double.IsNaN(s.LeaveToOffSeconds));

    /// <summary>Leave-to-off times of the sessions whose presence ended, s, sorted.</summary>
    public IReadOnlyList<double> LeaveToOffSeconds => [.. Sessions.Select(s => s.LeaveToOffSeconds).Where(v => !double.IsNaN(v)).Order()];

    /// <summary>False motion events while occupied, in the empty room.</summary>
    public (int Occupied, int Empty) FalseMotionEvents => (Sessions.Sum(s => s.FalseMotionEvents.Occupied), Sessions.Sum(s => s.FalseMotionEvents.Empty));

    /// <summary>Hand moves: all, sensed (probe on), detected of the sensed.</summary>
    public (int All, int Sensed, int Detected) HandMoves => (Sessions.Sum(s => s.HandMoves.All), Sessions.Sum(s => s.HandMoves.Sensed), Sessions.Sum(s => s.HandMoves.Detected));

    /// <summary>Bursts: all, confirmed.</summary>
    public (int All, int Confirmed) Bursts => (Sessions.Sum(s => s.Bursts.All), Sessions.Sum(s => s.Bursts.Confirmed));
}

/// <summary>
/// The low-power mode end to end: the simulator renders a session block by block, the streaming
/// <see cref="SensingPipeline"/> processes each block (with the playback reference), and before each block the host sets
/// the simulated probe from <see cref="SensingPipeline.EmissionWanted"/>, exactly as a device does. Unlike
/// <see cref="SensingEvaluation"/> nothing can be replayed: what the microphones record depends on the schedule.
/// </summary>
public static class LowPowerEvaluation
{
    /// <summary>Default stay, s: a minute or two.</summary>
    public static readonly (double Min, double Max) DefaultStaySeconds = (60, 120);

    /// <summary>Empty room after leaving, s: enough for presence to time out after a sleep and a burst, plus 20 s.</summary>
    public static double TailSeconds(PresenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.PresenceTimeoutSeconds + options.SleepSeconds + options.BurstSeconds + 20;
    }

    /// <summary>Runs <paramref name="count"/> drawn sessions (seeds from <see cref="SessionScenes.SeedBase"/>) in parallel.</summary>
    /// <param name="count">Sessions.</param>
    /// <param name="geometry">Device geometry.</param>
    /// <param name="model">The detector.</param>
    /// <param name="options">Presence logic (<see cref="PresenceOptions.LowPower"/> is forced on).</param>
    /// <param name="staySeconds">Shortest and longest stay, s (default <see cref="DefaultStaySeconds"/>).</param>
    /// <param name="progress">Fraction done.</param>
    public static LowPowerFigures Run(int count, SensingGeometry geometry, DetectorModel model, PresenceOptions? options = null,
        (double Min, double Max)? staySeconds = null, Action<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(model);
        var o = (options ?? model.PresenceDefaults) with { LowPower = true };
        var tail = TailSeconds(o);
        var results = new ConcurrentDictionary<int, LowPowerSession>();
        var done = 0;
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var session = SessionScenes.Create(SessionScenes.SeedBase + i, geometry.ProbeDriverMeters, geometry.MicMeters, staySeconds ?? DefaultStaySeconds, tail);
            results[i] = RunSession(session, model, o);
            progress?.Invoke((double)Interlocked.Increment(ref done) / count);
        });
        return new LowPowerFigures([.. Enumerable.Range(0, count).Select(i => results[i])]);
    }

    /// <summary>Runs one session in the closed loop.</summary>
    /// <param name="session">Scene and plan.</param>
    /// <param name="model">The detector.</param>
    /// <param name="options">Presence logic (used as given: set <see cref="PresenceOptions.LowPower"/> for the low-power mode).</param>
    public static LowPowerSession RunSession(SessionScene session, DetectorModel model, PresenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var scene = session.Scene;
        var plan = session.Plan;
        var simulator = new SceneSimulator(scene);
        var micCount = simulator.MicCount;
        var fs = scene.SampleRateHz;
        var pipeline = new SensingPipeline(fs, micCount, scene.CarrierHz, model, withReference: true, options);
        var mics = Enumerable.Range(0, micCount).Select(_ => new float[SceneSimulator.BlockSize]).ToArray();
        var playback = new float[SceneSimulator.BlockSize];
        var interleaved = new float[micCount * SceneSimulator.BlockSize];
        var sink = new SensingEvent[64];
        var events = new List<SensingEvent>();
        var emission = new List<(double, bool)>();
        var (enter, gone) = (plan.EnterSeconds, plan.GoneSeconds);
        double present = 0, emitting = 0, after = 0, afterEmitting = 0;
        var lastOn = true;
        int n;
        while (true)
        {
            var t0 = simulator.Position / (double)fs;
            var on = pipeline.EmissionWanted;
            simulator.ProbeEnabled = on;
            if (on != lastOn)
            {
                emission.Add((t0, on));
                lastOn = on;
            }

            if ((n = simulator.Render(mics, playback)) == 0)
            {
                break;
            }

            for (var i = 0; i < n; i++)
            {
                for (var m = 0; m < micCount; m++)
                {
                    interleaved[(i * micCount) + m] = mics[m][i];
                }
            }

            var count = pipeline.Process(interleaved.AsSpan(0, n * micCount), playback.AsSpan(0, n), sink);
            events.AddRange(sink.AsSpan(0, count));

            // Time-weighted state over this block: the probe as it was set for it, presence as the block left it.
            var t1 = (simulator.Position) / (double)fs;
            var occupied = Math.Max(0, Math.Min(t1, gone) - Math.Max(t0, enter));
            present += pipeline.Tracker.Present ? occupied : 0;
            emitting += on ? occupied : 0;
            var empty = Math.Max(0, t1 - Math.Max(t0, gone));
            after += empty;
            afterEmitting += on ? empty : 0;
        }

        var labels = scene.Labels;
        var motions = events.Where(e => e.Kind == SensingEventKind.Motion).ToList();
        var falseMotions = motions.Where(e => !labels.Any(l => e.Seconds >= l.StartSeconds - 0.2 && e.Seconds <= l.EndSeconds + 1.0)).ToList();
        var firstOn = events.FirstOrDefault(e => e.Kind == SensingEventKind.PresenceOn && e.Seconds >= enter && e.Seconds < gone);
        var offAfter = events.Where(e => e.Kind == SensingEventKind.PresenceOff && e.Seconds >= gone).Select(e => e.Seconds).DefaultIfEmpty(double.NaN).First();
        var sensed = 0;
        var detected = 0;
        foreach (var move in plan.Moves)
        {
            if (!SensingAt(emission, move.StartSeconds))
            {
                continue;
            }

            sensed++;
            detected += motions.Any(e => e.Seconds >= move.StartSeconds && e.Seconds <= move.StartSeconds + move.DurationSeconds + 0.3) ? 1 : 0;
        }

        // A burst is an emission-on interval while present that the schedule (not the end of presence) started; it
        // confirmed when a motion event fell in it before emission went off again or within BurstSeconds.
        int bursts = 0, confirmed = 0;
        for (var k = 0; k < emission.Count; k++)
        {
            if (!emission[k].Item2 || k == 0)
            {
                continue;
            }

            var start = emission[k].Item1;
            var wasPresent = events.Where(e => e.Seconds <= start && e.Kind is SensingEventKind.PresenceOn or SensingEventKind.PresenceOff).Select(e => e.Kind == SensingEventKind.PresenceOn).LastOrDefault();
            if (!wasPresent)
            {
                continue;
            }

            bursts++;
            var end = start + options.BurstSeconds + 0.05;
            confirmed += motions.Any(e => e.Seconds >= start && e.Seconds <= end) ? 1 : 0;
        }

        return new LowPowerSession
        {
            Seed = scene.Seed,
            WithMusic = scene.MusicLevelDbfs is not null,
            DurationSeconds = scene.DurationSeconds,
            OccupiedSeconds = Math.Min(gone, scene.DurationSeconds) - enter,
            PresentSeconds = present,
            EmittingSeconds = emitting,
            AfterLeaving = (after, afterEmitting),
            PresenceOnLatencySeconds = firstOn.Kind == SensingEventKind.PresenceOn && firstOn.Seconds >= enter && firstOn.Seconds < gone ? firstOn.Seconds - enter : double.NaN,
            PresenceOffWhileOccupied = events.Count(e => e.Kind == SensingEventKind.PresenceOff && e.Seconds >= enter && e.Seconds < gone),
            LeaveToOffSeconds = offAfter - gone,
            TailSeconds = Math.Max(0, scene.DurationSeconds - gone),
            PresenceOnAfterLeaving = events.Count(e => e.Kind == SensingEventKind.PresenceOn && e.Seconds >= gone),
            FalseMotionEvents = (falseMotions.Count(e => e.Seconds >= enter && e.Seconds < gone), falseMotions.Count(e => e.Seconds < enter || e.Seconds >= gone)),
            HandMoves = (plan.Moves.Count, sensed, detected),
            Bursts = (bursts, confirmed),
            Events = events,
            Emission = emission,
        };
    }

    // The probe was on at t and had been on for the front end's settling time.
    private static bool SensingAt(IReadOnlyList<(double Seconds, bool On)> emission, double t)
    {
        var on = true;
        var since = 0.0;
        foreach (var (s, o) in emission)
        {
            if (s > t)
            {
                break;
            }

            on = o;
            since = s;
        }

        return on && t - since >= SensingPipeline.SettleSeconds;
    }
}
