using System.Collections.Concurrent;
using SpatialAudio.Spatial.Sensing.Detection;
using SpatialAudio.Spatial.Sensing.FrontEnd;
using SpatialAudio.Spatial.Sensing.Pipeline;
using SpatialAudio.Spatial.Sensing.Simulation;

namespace SpatialAudio.Spatial.Sensing.Evaluation;

/// <summary>
/// One simulated scene through the front end: the band levels of every frame with its time, whether the front end was
/// settling, and the ground truth. Features, detector and presence logic are replayed on it (<see cref="SensingEvaluation.Replay"/>),
/// so one simulation serves any number of models and thresholds.
/// </summary>
/// <param name="Kind">What the scene holds.</param>
/// <param name="Seed">Its seed.</param>
/// <param name="DurationSeconds">Scene length, s.</param>
/// <param name="WithMusic">Whether music played.</param>
/// <param name="Labels">Ground-truth motions.</param>
/// <param name="MicCount">Microphones.</param>
/// <param name="Times">End time of every frame, s.</param>
/// <param name="Idle">Whether each frame fell in the front end's settling time.</param>
/// <param name="Bands">Front-end frames (<see cref="DopplerFrontEnd.FrameWidth"/> values each).</param>
/// <param name="FanLocks">Whether the fan canceller started a new comb in each frame (<see cref="DopplerFrontEnd.FanLockedIn"/>;
/// all false without it).</param>
public sealed record SceneRun(SceneKind Kind, int Seed, double DurationSeconds, bool WithMusic, IReadOnlyList<MotionLabel> Labels,
    int MicCount, double[] Times, bool[] Idle, float[] Bands, bool[] FanLocks)
{
    /// <summary>Stream time of the last frame at or before <paramref name="seconds"/> in which the fan canceller started a
    /// new comb, s; null if it had not by then.</summary>
    public double? LastFanLockBefore(double seconds)
    {
        double? last = null;
        for (var i = 0; i < Times.Length && Times[i] <= seconds; i++)
        {
            last = FanLocks[i] ? Times[i] : last;
        }

        return last;
    }

    /// <summary>Stream time of the first frame whose playback reference is not silent, s: when the music started (half
    /// the scenes with music start it mid-scene); null when no music reached the reference. Read from the stored frames,
    /// so cached scenes tell it without being simulated again.</summary>
    public double? MusicStartSeconds()
    {
        if (!WithMusic)
        {
            return null;
        }

        var width = (MicCount * DopplerFrontEnd.BandCount) + DopplerFrontEnd.ReferenceCount;
        for (var i = 0; i < Times.Length; i++)
        {
            if (Bands[(i * width) + (MicCount * DopplerFrontEnd.BandCount)] > SilentReferenceDb)
            {
                return Times[i];
            }
        }

        return null;
    }

    // The front end writes -120 dB for a silent reference (its floor); music at any level the scenes draw is far above.
    private const float SilentReferenceDb = -110;
}

/// <summary>A scene replayed through features, detector and presence logic.</summary>
/// <param name="Run">The scene.</param>
/// <param name="Frames">Features with ground-truth classes (idle frames weigh 0).</param>
/// <param name="Events">Events raised.</param>
/// <param name="Probabilities">The detector's output, 3 per frame (NaN where the frame reached no detector: settling,
/// start-up), so other presence options can be replayed without the detector (<see cref="SensingEvaluation.Retrack"/>).</param>
public sealed record ReplayedRun(SceneRun Run, FrameSet Frames, IReadOnlyList<SensingEvent> Events, float[] Probabilities);

/// <summary>A walk that was missed or detected later than <see cref="SensingFigures.LatencyTargetSeconds"/>.</summary>
/// <param name="Kind">The scene's kind.</param>
/// <param name="Seed">The scene's seed (`spatial sense simulate --kind ... --seed ...` renders it).</param>
/// <param name="OnsetSeconds">Walk onset in the scene, s.</param>
/// <param name="ClosestMeters">Closest distance to the device during the walk, m.</param>
/// <param name="MusicFromSeconds">When the scene's music started, s (<see cref="SceneRun.MusicStartSeconds"/>); null without
/// music.</param>
/// <param name="LatencySeconds">Onset to the first event, s; null when missed.</param>
public sealed record LateWalk(SceneKind Kind, int Seed, double OnsetSeconds, double ClosestMeters, double? MusicFromSeconds, double? LatencySeconds)
{
    /// <summary>Music played in the scene (before the walk or after it).</summary>
    public bool WithMusic => MusicFromSeconds is not null;
}

/// <summary>A small movement after a walk-in (high-sensitivity mode) that raised no motion event.</summary>
/// <param name="Seed">The scene's seed (`spatial sense simulate --kind walk-then-minor --seed ...` renders it).</param>
/// <param name="OnsetSeconds">The movement's onset in the scene, s.</param>
/// <param name="DurationSeconds">How long it lasted, s.</param>
/// <param name="ClosestMeters">Its closest distance to the device, m.</param>
/// <param name="MusicFromSeconds">When the scene's music started, s; null without music.</param>
public sealed record MissedSmallMove(int Seed, double OnsetSeconds, double DurationSeconds, double ClosestMeters, double? MusicFromSeconds)
{
    /// <summary>Music played in the scene (before the movement or after it).</summary>
    public bool WithMusic => MusicFromSeconds is not null;
}

/// <summary>A motion event while nobody moved: in an empty room, or in a labelled scene away from its motions.</summary>
/// <param name="Seed">The scene's seed.</param>
/// <param name="Seconds">Time of the event in the scene, s.</param>
/// <param name="Major">A walking event (else a small movement).</param>
/// <param name="Confidence">The detector's probability behind it.</param>
/// <param name="MusicFromSeconds">When the scene's music started, s (<see cref="SceneRun.MusicStartSeconds"/>); null without
/// music. Later than <paramref name="Seconds"/>: the event came before the music.</param>
/// <param name="Kind">The scene's kind.</param>
/// <param name="FanLockSeconds">When the fan canceller last started a new comb before the event, s (null: never; its
/// template converges over the next second or two, and the fan's bands fall as it does).</param>
public sealed record RoomAlarm(int Seed, double Seconds, bool Major, float Confidence, double? MusicFromSeconds, SceneKind Kind = SceneKind.Empty,
    double? FanLockSeconds = null)
{
    /// <summary>Music played in the scene (before the event or after it).</summary>
    public bool WithMusic => MusicFromSeconds is not null;
}

/// <summary>The headline figures of an evaluation.</summary>
public sealed record SensingFigures
{
    /// <summary>The latency target (95th percentile), s: walks detected later than this are listed in <see cref="LateWalks"/>.</summary>
    public const double LatencyTargetSeconds = 0.3;

    /// <summary>Walks missed or detected later than <see cref="LatencyTargetSeconds"/>, in scene order: the cases behind the
    /// detection rate and the latency tail, the ones to simulate and look at first.</summary>
    public IReadOnlyList<LateWalk> LateWalks { get; init; } = [];

    /// <summary>Small movements in high sensitivity (<see cref="MinorEvents"/>) that raised no event, in scene order.</summary>
    public IReadOnlyList<MissedSmallMove> MissedSmallMoves { get; init; } = [];

    /// <summary>Motion events in the empty rooms, in scene order: where the false alarms come from, and how they cluster.</summary>
    public IReadOnlyList<RoomAlarm> RoomAlarms { get; init; } = [];

    /// <summary>The <see cref="SpuriousEvents"/> themselves, in scene order.</summary>
    public IReadOnlyList<RoomAlarm> SpuriousAlarms { get; init; } = [];

    /// <summary>Walks within 5 m.</summary>
    public int MajorEvents { get; init; }

    /// <summary>Walks detected (a motion event between onset and end + 0.3 s).</summary>
    public int MajorDetected { get; init; }

    /// <summary>95 % interval of the walk detection rate (exact, Clopper-Pearson): 48 of 50 walks is 86..99.5 %, so a
    /// set of 50 cannot tell 92 % from 96 %.</summary>
    public (double Low, double High) MajorDetectionInterval => BinomialInterval(MajorDetected, MajorEvents);

    /// <summary>Walks detected within <see cref="LatencyTargetSeconds"/> of their onset: the count behind the latency target
    /// (a 95th percentile of at most 300 ms is 95 % of the walks found within 300 ms), steadier to compare between two
    /// detectors on the same walks than their p95s, whose 95 % interval on 200 walks spans several hundred ms.</summary>
    public int MajorWithinTarget => MajorEvents - LateWalks.Count;

    /// <summary>Walks with a major motion event between onset and end + 0.3 s.</summary>
    public int MajorClassified { get; init; }

    /// <summary>Small movements within 1.5 m after a walk-in (high-sensitivity mode).</summary>
    public int MinorEvents { get; init; }

    /// <summary>Of those, detected (any motion event between onset and end + 0.3 s).</summary>
    public int MinorDetected { get; init; }

    /// <summary>Small movements with nobody having walked in (normal sensitivity), and how many were detected.</summary>
    public (int Events, int Detected) MinorNormalMode { get; init; }

    /// <summary>Detection latency of walks: median and 95th percentile, s.</summary>
    public (double Median, double P95) LatencySeconds { get; init; }

    /// <summary>95 % interval of the latency's 95th percentile, s (<see cref="QuantileInterval"/>): on 200 walks the tail
    /// is set by about ten of them, so two detectors' p95 can differ by 100 ms by chance. High is infinite when too few
    /// walks were detected to bound it.</summary>
    public (double Low, double High) LatencyP95Interval { get; init; } = (double.NaN, double.NaN);

    /// <summary>Empty-room hours watched after start-up (while music played, before it or without it).</summary>
    public (double WithMusic, double WithoutMusic) EmptyHours { get; init; }

    /// <summary>Motion events in the empty room (while music played, before it or without it).</summary>
    public (int WithMusic, int WithoutMusic) FalseAlarms { get; init; }

    /// <summary>Empty rooms (each one start-up of the pipeline), and the motion events in their first
    /// <see cref="StartUpWindowSeconds"/>.</summary>
    public (int StartUps, int FalseAlarms) StartUpFalseAlarms { get; init; }

    /// <summary>Empty-room hours after the start-up window (only rooms longer than it have any), and the motion events in them.</summary>
    public (double Hours, int FalseAlarms) SteadyState { get; init; }

    /// <summary>Presence turned on in an empty room (the device waking for nobody), in the start-up windows and in the
    /// steady state. Fewer than the motion events: a false walk's high sensitivity and the presence timeout let more
    /// events follow within the same false presence, and those the motion count counts again.</summary>
    public (int StartUp, int SteadyState) FalseWakeUps { get; init; }

    /// <summary>Empty rooms with at least one false alarm: false alarms come in clusters (a room whose curtain and music
    /// fool the detector does so again), so this says how widespread they are where the event count cannot.</summary>
    public int RoomsWithFalseAlarms { get; init; }

    /// <summary>The first seconds of an empty room that count as its start-up: the default room's length, so default
    /// rooms are all start-up and the steady state is measured on longer ones. A device starts up once and then runs
    /// for days; rooms of 30 s restart it 2880 times per 24 h, so their rate weighs start-up transients (a curtain's
    /// first swing, before the 2.7 s context has seen it sway) far above what a running device meets.</summary>
    public static double StartUpWindowSeconds => SceneLibrary.DefaultSeconds(SceneKind.Empty);

    /// <summary>False alarms per 24 h in the steady state, and its 95 % interval.</summary>
    public (double Rate, double Low, double High) SteadyStatePerDay
    {
        get
        {
            var days = SteadyState.Hours / 24;
            var (low, high) = PoissonInterval(SteadyState.FalseAlarms, days);
            return (SteadyState.FalseAlarms / Math.Max(1e-9, days), low, high);
        }
    }

    /// <summary>Events in labelled scenes that match no motion (more than 1 s after any).</summary>
    public int SpuriousEvents => SpuriousAlarms.Count;

    /// <summary>Frame error rate of the detector (arg max vs ground truth, scored frames).</summary>
    public double FrameErrorRate { get; init; }

    /// <summary>Fraction of frames where the int8 and float detectors decide the same.</summary>
    public double Int8Agreement { get; init; }

    /// <summary>Fraction of frames where the int8 and float detectors take the same detection decisions (walking at the
    /// major threshold, any motion at the high-sensitivity minor threshold).</summary>
    public double Int8DecisionAgreement { get; init; }

    /// <summary>False alarms per 24 h of empty room (all conditions pooled).</summary>
    public double FalseAlarmsPerDay => (FalseAlarms.WithMusic + FalseAlarms.WithoutMusic) / Math.Max(1e-9, (EmptyHours.WithMusic + EmptyHours.WithoutMusic) / 24);

    /// <summary>95 % confidence interval of <see cref="FalseAlarmsPerDay"/> (exact Poisson interval, Garwood 1936): a
    /// handful of events in an hour says little, and the target is judged against the whole interval.</summary>
    public (double Low, double High) FalseAlarmsPerDayInterval =>
        PoissonInterval(FalseAlarms.WithMusic + FalseAlarms.WithoutMusic, (EmptyHours.WithMusic + EmptyHours.WithoutMusic) / 24);

    /// <summary>Exact 95 % interval of a proportion (Clopper and Pearson 1934): <paramref name="successes"/> of <paramref name="trials"/>.</summary>
    public static (double Low, double High) BinomialInterval(int successes, int trials)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        if (trials == 0)
        {
            return (0, 1);
        }

        var low = successes == 0 ? 0 : MathNet.Numerics.Distributions.Beta.InvCDF(successes, trials - successes + 1, 0.025);
        var high = successes == trials ? 1 : MathNet.Numerics.Distributions.Beta.InvCDF(successes + 1, trials - successes, 0.975);
        return (low, high);
    }

    /// <summary>Distribution-free 95 % interval of the <paramref name="q"/> quantile from <paramref name="sorted"/> samples:
    /// the order statistics X(j) and X(k) with j the highest rank and k the lowest whose binomial tails, Binomial(n, q),
    /// leave at most 2.5 % each, so P(X(j) &lt;= quantile &lt;= X(k)) &gt;= 95 % whatever the distribution (the classic
    /// order-statistic interval; for the median of 100, ranks 40 and 61). A bound the samples cannot give is infinite.</summary>
    public static (double Low, double High) QuantileInterval(IReadOnlyList<double> sorted, double q)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(q);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(q, 1);
        var n = sorted.Count;
        var low = double.NegativeInfinity;
        var high = double.PositiveInfinity;
        for (var j = 1; j <= n && MathNet.Numerics.Distributions.Binomial.CDF(q, n, j - 1) <= 0.025; j++)
        {
            low = sorted[j - 1];
        }

        for (var k = n; k >= 1 && MathNet.Numerics.Distributions.Binomial.CDF(q, n, k - 1) >= 0.975; k--)
        {
            high = sorted[k - 1];
        }

        return (low, high);
    }

    /// <summary>Exact 95 % interval of a Poisson rate: <paramref name="events"/> seen over <paramref name="exposure"/> units.</summary>
    public static (double Low, double High) PoissonInterval(int events, double exposure)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        var scale = 1 / Math.Max(1e-12, exposure);
        var low = events == 0 ? 0 : MathNet.Numerics.Distributions.ChiSquared.InvCDF(2 * events, 0.025) / 2;
        var high = MathNet.Numerics.Distributions.ChiSquared.InvCDF((2 * events) + 2, 0.975) / 2;
        return (low * scale, high * scale);
    }
}

/// <summary>
/// Counts the motion events of empty rooms (every one a false alarm): pooled, with and without music, over the time
/// watched after the pipeline's start-up; and split into each room's start-up window
/// (<see cref="SensingFigures.StartUpWindowSeconds"/>) and its steady state after it.
/// </summary>
public sealed class EmptyRoomTally
{
    private int withMusic, withoutMusic, startUps, inStartUp, inSteadyState;
    private double hoursWithMusic, hoursWithoutMusic, steadyHours;

    /// <summary>Adds one empty room and the times of its motion events, s. The room is split where its music started
    /// (<see cref="SceneRun.MusicStartSeconds"/>): the time and the events before it count as without music, those from it
    /// on as with music (half the rooms with music start it mid-scene, some after minutes).</summary>
    public void Add(SceneRun room, IEnumerable<double> eventSeconds)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(eventSeconds);
        var events = eventSeconds.ToList();
        var watchedFrom = FrameStage.StartupSeconds;   // events can fire from start-up on
        var musicFrom = Math.Max(watchedFrom, Math.Min(room.MusicStartSeconds() ?? double.PositiveInfinity, room.DurationSeconds));
        hoursWithoutMusic += (musicFrom - watchedFrom) / 3600;
        hoursWithMusic += Math.Max(0, room.DurationSeconds - musicFrom) / 3600;
        var afterMusic = events.Count(t => t >= musicFrom);
        withMusic += afterMusic;
        withoutMusic += events.Count - afterMusic;

        var window = SensingFigures.StartUpWindowSeconds;
        startUps++;
        inStartUp += events.Count(t => t < window);
        inSteadyState += events.Count(t => t >= window);
        steadyHours += Math.Max(0, room.DurationSeconds - window) / 3600;
    }

    /// <summary>Motion events (while music played, before it or without it).</summary>
    public (int WithMusic, int WithoutMusic) FalseAlarms => (withMusic, withoutMusic);

    /// <summary>Hours watched after start-up (while music played, before it or without it).</summary>
    public (double WithMusic, double WithoutMusic) Hours => (hoursWithMusic, hoursWithoutMusic);

    /// <summary>Rooms (start-ups) and the events in their start-up windows.</summary>
    public (int StartUps, int FalseAlarms) StartUp => (startUps, inStartUp);

    /// <summary>Hours after the start-up windows and the events in them.</summary>
    public (double Hours, int FalseAlarms) SteadyState => (steadyHours, inSteadyState);
}

/// <summary>
/// Builds training and evaluation sets from the simulator and measures a detector on them. Training seeds start at
/// <see cref="TrainingSeedBase"/>, evaluation seeds at <see cref="EvaluationSeedBase"/>: the sets never share a scene.
/// </summary>
public static class SensingEvaluation
{
    /// <summary>First seed of the training scenes.</summary>
    public const int TrainingSeedBase = 100_000;

    /// <summary>Seeds between two training sets (<c>spatial sense train --scene-seed N</c>).</summary>
    public const int TrainingSetStride = 10_000;

    /// <summary>The last training set whose long rooms (<see cref="LongRoomSeedOffset"/> on) stay below the validation
    /// seeds, and so below the holdout and evaluation seeds.</summary>
    public const int MaxTrainingSet = (ValidationSeedBase - LongRoomSeedOffset - TrainingSeedBase) / TrainingSetStride;

    /// <summary>First seed of training set <paramref name="set"/> (1..<see cref="MaxTrainingSet"/>).</summary>
    public static int TrainingSetSeedBase(int set)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(set, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(set, MaxTrainingSet);
        return TrainingSeedBase + (TrainingSetStride * (set - 1));
    }

    /// <summary>First seed of the validation scenes, on which presence thresholds and other choices are made (never on
    /// the evaluation scenes).</summary>
    public const int ValidationSeedBase = 500_000;

    /// <summary>First seed of the evaluation scenes.</summary>
    public const int EvaluationSeedBase = 900_000;

    /// <summary>First seed of the holdout scenes: a third set, for a candidate after validation and evaluation have each
    /// judged many (twenty-second session: ten candidates on validation), so its figures are not chosen on seeds already
    /// looked at. Its long rooms start at 650000, below the low-power sessions' 700000.</summary>
    public const int HoldoutSeedBase = 600_000;

    /// <summary>Offset from a set's first seed to its empty rooms longer than the default (a different seed from every
    /// default room, so a room's length is never the only thing that tells two cached scenes apart).</summary>
    public const int LongRoomSeedOffset = 50_000;

    /// <summary>A plan of scenes: <paramref name="perKind"/> scenes of each labelled kind and <paramref name="emptyScenes"/> empty rooms.</summary>
    public static IReadOnlyList<(SceneKind Kind, int Seed)> Plan(int seedBase, int perKind, int emptyScenes)
    {
        var plan = new List<(SceneKind, int)>();
        var seed = seedBase;
        foreach (var kind in new[] { SceneKind.Walk, SceneKind.WalkThenMinor, SceneKind.Minor })
        {
            for (var i = 0; i < perKind; i++)
            {
                plan.Add((kind, seed++));
            }
        }

        for (var i = 0; i < emptyScenes; i++)
        {
            plan.Add((SceneKind.Empty, seed++));
        }

        return plan;
    }

    /// <summary>Simulates one scene and runs the front end on it (the expensive part: about 10-20x real time per core).</summary>
    /// <param name="kind">What happens.</param>
    /// <param name="seed">Scene seed.</param>
    /// <param name="geometry">Device geometry.</param>
    /// <param name="variant">How it is simulated (null: <see cref="SceneVariant.Default"/>).</param>
    /// <param name="music">Force music on or off; null draws it.</param>
    public static SceneRun Simulate(SceneKind kind, int seed, SensingGeometry geometry, SceneVariant? variant = null, bool? music = null)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        variant ??= SceneVariant.Default;
        var scene = SceneLibrary.Create(kind, seed, geometry.ProbeDriverMeters, geometry.MicMeters, seconds: variant.Seconds, music: music,
            maxLeadInSeconds: variant.MaxLeadInSeconds).Without(variant.Removed) with { ProbeLevelDbfs = variant.ProbeLevelDbfs, Music = variant.Music };
        var simulator = new SceneSimulator(scene);
        var micCount = simulator.MicCount;
        var frontEnd = new DopplerFrontEnd(scene.SampleRateHz, micCount, scene.CarrierHz, withReference: true, variant.CancelFans, variant.GuardDistortion,
            variant.FastStart, variant.CancellerTaps, variant.LatticeCanceller, variant.LatticePowerFloor);
        var times = new List<double>();
        var bands = new List<float>();
        var locks = new List<bool>();
        var mics = Enumerable.Range(0, micCount).Select(_ => new float[SceneSimulator.BlockSize]).ToArray();
        var playback = new float[SceneSimulator.BlockSize];
        var interleaved = new float[micCount * SceneSimulator.BlockSize];
        long frames = 0;
        int n;
        while ((n = simulator.Render(mics, playback)) > 0)
        {
            for (var i = 0; i < n; i++)
            {
                for (var m = 0; m < micCount; m++)
                {
                    interleaved[(i * micCount) + m] = mics[m][i];
                }
            }

            var produced = frontEnd.Process(interleaved.AsSpan(0, n * micCount), playback.AsSpan(0, n));
            for (var f = 0; f < produced; f++)
            {
                times.Add(((frames++ * DopplerFrontEnd.Hop) + DopplerFrontEnd.FrameLength) / frontEnd.BasebandRateHz);
                bands.AddRange(frontEnd.BandsDb(f));
                locks.Add(frontEnd.FanLockedIn(f));
            }
        }

        return new SceneRun(kind, seed, scene.DurationSeconds, scene.MusicLevelDbfs is not null, scene.Labels, micCount,
            [.. times], [.. times.Select(t => t < SensingPipeline.SettleSeconds)], [.. bands], [.. locks]);
    }

    /// <summary>Simulates a plan in parallel (one scene per core at a time).</summary>
    /// <param name="plan">Scenes.</param>
    /// <param name="geometry">Device geometry.</param>
    /// <param name="variant">How every scene is simulated (null: <see cref="SceneVariant.Default"/>).</param>
    /// <param name="progress">Fraction done.</param>
    /// <param name="completed">Called with each scene's plan index and run as soon as it is done (from worker threads).</param>
    public static IReadOnlyList<SceneRun> SimulateAll(IReadOnlyList<(SceneKind Kind, int Seed)> plan, SensingGeometry geometry,
        SceneVariant? variant = null, Action<double>? progress = null, Action<int, SceneRun>? completed = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var results = new ConcurrentDictionary<int, SceneRun>();
        var done = 0;
        Parallel.For(0, plan.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            results[i] = Simulate(plan[i].Kind, plan[i].Seed, geometry, variant);
            completed?.Invoke(i, results[i]);
            progress?.Invoke((double)Interlocked.Increment(ref done) / plan.Count);
        });
        return [.. Enumerable.Range(0, plan.Count).Select(i => results[i])];
    }

    /// <summary>Replays a simulated scene through features, detector and presence logic (the same <see cref="FrameStage"/> the streaming pipeline runs).</summary>
    public static ReplayedRun Replay(SceneRun run, DetectorModel model, PresenceOptions? options = null, bool useQuantized = false)
    {
        ArgumentNullException.ThrowIfNull(run);
        var stage = new FrameStage(run.MicCount, model, options, useQuantized);
        var width = (run.MicCount * DopplerFrontEnd.BandCount) + DopplerFrontEnd.ReferenceCount;
        var features = new float[run.Times.Length * MotionFeatures.Count];
        var classes = new MotionClass[run.Times.Length];
        var weights = new float[run.Times.Length];
        var probabilities = new float[3 * run.Times.Length];
        var events = new List<SensingEvent>();
        var sink = new SensingEvent[8];
        var frame = 0;
        FrameObserver observer = (t, f, p) =>
        {
            f.CopyTo(features.AsSpan(frame * MotionFeatures.Count));
            var (label, weight) = FrameLabel(run.Labels, t);
            classes[frame] = label;
            weights[frame] = p.IsEmpty ? 0 : weight;
            if (p.IsEmpty)
            {
                probabilities.AsSpan(3 * frame, 3).Fill(float.NaN);
            }
            else
            {
                p.CopyTo(probabilities.AsSpan(3 * frame, 3));
            }
        };
        for (frame = 0; frame < run.Times.Length; frame++)
        {
            var count = stage.Process(run.Times[frame], run.Bands.AsSpan(frame * width, width), run.Idle[frame], sink, observer);
            events.AddRange(sink.Take(count));
        }

        return new ReplayedRun(run, new FrameSet(features, classes, weights), events, probabilities);
    }

    /// <summary>The events of a replayed scene under other presence options, from its stored probabilities: the same
    /// frames reach the tracker as in <see cref="Replay"/> (<see cref="FrameStage"/> feeds it the detector's output or
    /// idles it), so the events are those a full replay with <paramref name="options"/> gives, without the detector.</summary>
    public static ReplayedRun Retrack(ReplayedRun replayed, PresenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(replayed);
        var tracker = new PresenceTracker(options);
        var events = new List<SensingEvent>();
        var sink = new SensingEvent[8];
        var times = replayed.Run.Times;
        for (var frame = 0; frame < times.Length; frame++)
        {
            var p = replayed.Probabilities.AsSpan(3 * frame, 3);
            var count = float.IsNaN(p[0]) ? tracker.Idle(times[frame], sink) : tracker.Process(times[frame], p, sink);
            events.AddRange(sink.Take(count));
        }

        return replayed with { Events = events };
    }

    /// <summary>The figures of one detector under several presence options (a threshold sweep: the trade-off between
    /// walks found, latency and false alarms): the detector runs once per scene, the presence logic once per option. The
    /// detector's own figures (frame error, int8 agreement) do not depend on the options and are left NaN.</summary>
    public static IReadOnlyList<SensingFigures> Sweep(IReadOnlyList<SceneRun> scenes, DetectorModel model, IReadOnlyList<PresenceOptions> options)
    {
        ArgumentNullException.ThrowIfNull(scenes);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var runs = scenes.Select(s => Replay(s, model)).ToList();
        return [.. options.Select(o => Tally([.. runs.Select(r => Retrack(r, o))]))];
    }

    /// <summary>The music of a mixed training set (<c>spatial sense train --songs mixed</c>): scenes with an even seed play
    /// the demo clip, the others a song of their own, so each kind and the long rooms get about half of each.</summary>
    public static MusicSource MixedSongs(int seed) => (seed & 1) == 0 ? MusicSource.Demo : MusicSource.Varied;

    /// <summary>The training frames of simulated scenes (features and ground truth).</summary>
    /// <param name="runs">Simulated scenes.</param>
    /// <param name="earlyWalkWeight">Training weight of a walk's frames in its first <see cref="EarlyWalkSeconds"/> (the
    /// ones the latency target is about), instead of 1.</param>
    public static FrameSet Frames(IEnumerable<SceneRun> runs, float earlyWalkWeight = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(earlyWalkWeight);
        var placeholder = DetectorModel.Random([MotionFeatures.Count, 3], 0);
        return FrameSet.Concat(runs.Select(r =>
        {
            var frames = Replay(r, placeholder).Frames;
            if (earlyWalkWeight != 1)
            {
                for (var i = 0; i < frames.Count; i++)
                {
                    if (frames.Labels[i] == MotionClass.Major && frames.Weights[i] > 0 && IsEarlyWalk(r.Labels, r.Times[i]))
                    {
                        frames.Weights[i] *= earlyWalkWeight;
                    }
                }
            }

            return frames;
        }));
    }

    /// <summary>How long after a walk's onset its frames count as early (<see cref="Frames"/>): the 300 ms of the latency
    /// target, after the first 0.1 s that is not scored.</summary>
    public const double EarlyWalkSeconds = 0.4;

    // Whether a frame ending at `seconds` is in the first EarlyWalkSeconds of a walk.
    private static bool IsEarlyWalk(IReadOnlyList<MotionLabel> labels, double seconds) =>
        labels.Any(l => l.Kind == MotionKind.Major && seconds >= l.StartSeconds && seconds < l.StartSeconds + EarlyWalkSeconds);

    /// <summary>The ground-truth class of a frame ending at <paramref name="seconds"/>, and its training weight.</summary>
    /// <remarks>The first 0.1 s of a motion (the body is just starting to move) and 0.4 s after it (the detector's
    /// memory) are not scored.</remarks>
    public static (MotionClass Label, float Weight) FrameLabel(IReadOnlyList<MotionLabel> labels, double seconds)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var label = MotionClass.None;
        var weight = 1f;
        foreach (var l in labels)
        {
            if (seconds >= l.StartSeconds + 0.1 && seconds <= l.EndSeconds)
            {
                var c = l.Kind == MotionKind.Major ? MotionClass.Major : MotionClass.Minor;
                label = (MotionClass)Math.Max((int)label, (int)c);
            }
            else if (seconds >= l.StartSeconds && seconds <= l.EndSeconds + 0.4)
            {
                weight = 0;
            }
        }

        return (label, label == MotionClass.None ? weight : 1f);
    }

    /// <summary>The figures of a model on simulated scenes.</summary>
    public static SensingFigures Figures(IReadOnlyList<SceneRun> scenes, DetectorModel model, PresenceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scenes);
        ArgumentNullException.ThrowIfNull(model);
        var runs = scenes.Select(s => Replay(s, model, options)).ToList();
        var frames = FrameSet.Concat(runs.Select(r => r.Frames));
        var (argMax, decisions) = Int8Agreement(frames, model, options ?? model.PresenceDefaults);
        return Tally(runs) with
        {
            FrameErrorRate = DetectorTrainer.ErrorRate(model, frames),
            Int8Agreement = argMax,
            Int8DecisionAgreement = decisions,
        };
    }

    // What the presence logic made of the scenes: walks, small movements, latency, false alarms (the detector's own
    // figures are left NaN; Figures adds them).
    private static SensingFigures Tally(IReadOnlyList<ReplayedRun> runs)
    {
        int major = 0, majorHit = 0, majorClassified = 0, minor = 0, minorHit = 0, minorNormal = 0, minorNormalHit = 0;
        var empty = new EmptyRoomTally();
        var wakeUps = new EmptyRoomTally();
        var roomsWithFalseAlarms = 0;
        var latencies = new List<double>();
        var lateWalks = new List<LateWalk>();
        var missedSmallMoves = new List<MissedSmallMove>();
        var roomAlarms = new List<RoomAlarm>();
        var spuriousAlarms = new List<RoomAlarm>();
        foreach (var run in runs)
        {
            var motions = run.Events.Where(e => e.Kind == SensingEventKind.Motion).ToList();
            var scene = run.Run;
            if (scene.Kind == SceneKind.Empty)
            {
                empty.Add(scene, motions.Select(e => e.Seconds));
                wakeUps.Add(scene, run.Events.Where(e => e.Kind == SensingEventKind.PresenceOn).Select(e => e.Seconds));
                roomsWithFalseAlarms += motions.Count > 0 ? 1 : 0;
                roomAlarms.AddRange(motions.Select(e => new RoomAlarm(scene.Seed, e.Seconds, e.Major, e.Confidence, scene.MusicStartSeconds(),
                    FanLockSeconds: scene.LastFanLockBefore(e.Seconds))));
                continue;
            }

            foreach (var label in scene.Labels)
            {
                var hits = motions.Where(e => e.Seconds >= label.StartSeconds && e.Seconds <= label.EndSeconds + 0.3).ToList();
                if (label.Kind == MotionKind.Major)
                {
                    // Detected = any motion event while walking (the first one is the detection; its kind may be minor
                    // while the walker is still speeding up); classified = a major event in the same window.
                    major++;
                    majorClassified += hits.Any(e => e.Major) ? 1 : 0;
                    double? latency = hits.Count > 0 ? hits[0].Seconds - label.StartSeconds : null;
                    if (latency is { } detected)
                    {
                        majorHit++;
                        latencies.Add(detected);
                    }

                    if (latency is null or > SensingFigures.LatencyTargetSeconds)
                    {
                        lateWalks.Add(new LateWalk(scene.Kind, scene.Seed, label.StartSeconds, label.DistanceMeters, scene.MusicStartSeconds(), latency));
                    }
                }
                else if (scene.Kind == SceneKind.WalkThenMinor)
                {
                    minor++;
                    if (hits.Count > 0)
                    {
                        minorHit++;
                    }
                    else
                    {
                        missedSmallMoves.Add(new MissedSmallMove(scene.Seed, label.StartSeconds, label.EndSeconds - label.StartSeconds, label.DistanceMeters,
                            scene.MusicStartSeconds()));
                    }
                }
                else
                {
                    minorNormal++;
                    minorNormalHit += hits.Count > 0 ? 1 : 0;
                }
            }

            var unexplained = motions.Where(e => !scene.Labels.Any(l => e.Seconds >= l.StartSeconds - 0.2 && e.Seconds <= l.EndSeconds + 1.0));
            spuriousAlarms.AddRange(unexplained.Select(e => new RoomAlarm(scene.Seed, e.Seconds, e.Major, e.Confidence, scene.MusicStartSeconds(), scene.Kind,
                scene.LastFanLockBefore(e.Seconds))));
        }

        latencies.Sort();
        return new SensingFigures
        {
            MajorEvents = major,
            MajorDetected = majorHit,
            MajorClassified = majorClassified,
            MinorEvents = minor,
            MinorDetected = minorHit,
            MinorNormalMode = (minorNormal, minorNormalHit),
            LatencySeconds = latencies.Count == 0 ? (double.NaN, double.NaN) : (Percentile(latencies, 0.5), Percentile(latencies, 0.95)),
            LatencyP95Interval = latencies.Count == 0 ? (double.NaN, double.NaN) : SensingFigures.QuantileInterval(latencies, 0.95),
            EmptyHours = empty.Hours,
            FalseAlarms = empty.FalseAlarms,
            StartUpFalseAlarms = empty.StartUp,
            SteadyState = empty.SteadyState,
            FalseWakeUps = (wakeUps.StartUp.FalseAlarms, wakeUps.SteadyState.FalseAlarms),
            RoomsWithFalseAlarms = roomsWithFalseAlarms,
            LateWalks = lateWalks,
            MissedSmallMoves = missedSmallMoves,
            RoomAlarms = roomAlarms,
            SpuriousAlarms = spuriousAlarms,
            FrameErrorRate = double.NaN,
            Int8Agreement = double.NaN,
            Int8DecisionAgreement = double.NaN,
        };
    }

    // The fraction of scored frames where the int8 detector takes the float one's arg max, and its detection decisions.
    private static (double ArgMax, double Decisions) Int8Agreement(FrameSet frames, DetectorModel model, PresenceOptions thresholds)
    {
        var quantized = new QuantizedDetector(model);
        int agree = 0, agreeDecision = 0, valid = 0;
        Span<float> pf = stackalloc float[3];
        Span<float> pq = stackalloc float[3];
        for (var i = 0; i < frames.Count; i++)
        {
            if (frames.Weights[i] == 0 && frames.Labels[i] != MotionClass.None)
            {
                continue;
            }

            var x = frames.Features.AsSpan(i * MotionFeatures.Count, MotionFeatures.Count);
            model.Predict(x, pf);
            quantized.Predict(x, pq);
            valid++;
            agree += DetectorModel.ArgMax(pf) == DetectorModel.ArgMax(pq) ? 1 : 0;
            agreeDecision += Decision(pf, thresholds) == Decision(pq, thresholds) ? 1 : 0;
        }

        return valid == 0 ? (1, 1) : ((double)agree / valid, (double)agreeDecision / valid);
    }

    private static int Decision(ReadOnlySpan<float> p, PresenceOptions o) =>
        (p[2] >= o.MajorThreshold ? 2 : 0) + (p[1] + p[2] >= o.SensitiveMinorThreshold ? 1 : 0);

    private static double Percentile(List<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(sorted.Count - 1, low + 1);
        return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
    }
}
