using System.Globalization;
using System.Text.Json.Nodes;
using SpatialAudio.Spatial.Sensing.Detection;
using SpatialAudio.Spatial.Sensing.Evaluation;

namespace SpatialAudio.Cli.Commands;

/// <summary><c>spatial sense evaluate --low-power</c>: the low-power schedule in a closed loop on simulated visits.</summary>
internal static class SenseLowPower
{
    public static int Evaluate(CliIo io, DetectorModel detector, SensingGeometry geometry, int sessions, double? sleep, double? burst, double? timeout, double stay, bool json)
    {
        if (sessions < 1)
        {
            throw new CliException($"--sessions {sessions}: give 1 or more.");
        }

        if (!(stay >= 20 && double.IsFinite(stay)))
        {
            throw new CliException($"--stay {stay}: give 20 s or more.");
        }

        var defaults = detector.PresenceDefaults;
        var options = defaults with
        {
            LowPower = true,
            SleepSeconds = Positive("--sleep", sleep ?? defaults.SleepSeconds),
            BurstSeconds = Positive("--burst", burst ?? defaults.BurstSeconds),
            PresenceTimeoutSeconds = Positive("--presence-timeout", timeout ?? defaults.PresenceTimeoutSeconds),
        };
        if (options.BurstSeconds <= Spatial.Sensing.Pipeline.SensingPipeline.SettleSeconds)
        {
            throw new CliException($"--burst {options.BurstSeconds}: a burst must outlast the front end's settling ({Spatial.Sensing.Pipeline.SensingPipeline.SettleSeconds} s) to sense anything.");
        }

        LowPowerFigures figures = null!;
        io.WithProgress($"Simulating {sessions} low-power sessions in a closed loop", progress => figures = LowPowerEvaluation.Run(sessions, geometry, detector, options, (stay / 2, stay), progress));
        var offs = figures.LeaveToOffSeconds;
        var pooled = new JsonObject
        {
            ["sessions"] = sessions,
            ["sleep_s"] = options.SleepSeconds,
            ["burst_s"] = options.BurstSeconds,
            ["presence_timeout_s"] = options.PresenceTimeoutSeconds,
            ["high_sensitivity_s"] = options.HighSensitivitySeconds,
            ["stay_s"] = string.Create(CultureInfo.InvariantCulture, $"{stay / 2:0.#}..{stay:0.#}"),
            ["occupied_s"] = Math.Round(figures.OccupiedSeconds, 1),
            ["presence_held"] = Math.Round(figures.PresentFraction, 4),
            ["presence_off_while_occupied"] = figures.PresenceOffWhileOccupied,
            ["duty_cycle_occupied"] = Math.Round(figures.DutyCycle, 4),
            ["duty_cycle_after_leaving"] = Math.Round(figures.DutyCycleAfterLeaving, 4),
            ["presence_ended_after_leaving"] = $"{figures.PresenceEnded}/{sessions}",
            ["leave_to_off_median_s"] = Number(offs.Count == 0 ? double.NaN : 0.5 * (offs[(offs.Count - 1) / 2] + offs[offs.Count / 2])),
            ["leave_to_off_max_s"] = Number(offs.Count == 0 ? double.NaN : offs[^1]),
            ["false_motion_events_occupied"] = figures.FalseMotionEvents.Occupied,
            ["false_motion_events_empty_room"] = figures.FalseMotionEvents.Empty,
            ["hand_moves"] = figures.HandMoves.All,
            ["hand_moves_while_sensing"] = figures.HandMoves.Sensed,
            ["hand_moves_detected_while_sensing"] = figures.HandMoves.Detected,
            ["bursts"] = figures.Bursts.All,
            ["bursts_confirmed"] = figures.Bursts.Confirmed,
        };
        var perSession = new JsonArray();
        foreach (var s in figures.Sessions)
        {
            perSession.Add(new JsonObject
            {
                ["seed"] = s.Seed,
                ["music"] = s.WithMusic,
                ["occupied_s"] = Math.Round(s.OccupiedSeconds, 1),
                ["presence_on_latency_s"] = Number(s.PresenceOnLatencySeconds),
                ["presence_held"] = Math.Round(s.PresentFraction, 4),
                ["presence_off_while_occupied"] = s.PresenceOffWhileOccupied,
                ["duty_cycle_occupied"] = Math.Round(s.DutyCycle, 4),
                ["leave_to_off_s"] = Number(s.LeaveToOffSeconds),
                ["tail_s"] = Math.Round(s.TailSeconds, 1),
                ["presence_on_after_leaving"] = s.PresenceOnAfterLeaving,
                ["false_motion_events_occupied"] = s.FalseMotionEvents.Occupied,
                ["false_motion_events_empty_room"] = s.FalseMotionEvents.Empty,
                ["hand_moves"] = s.HandMoves.All,
                ["hand_moves_while_sensing"] = s.HandMoves.Sensed,
                ["hand_moves_detected_while_sensing"] = s.HandMoves.Detected,
                ["bursts"] = s.Bursts.All,
                ["bursts_confirmed"] = s.Bursts.Confirmed,
            });
        }

        if (json)
        {
            pooled["per_session"] = perSession;
            io.Out.WriteLine(pooled.ToJsonString(JsonOutput.Indented));
            return ExitCodes.Success;
        }

        var c = CultureInfo.InvariantCulture;
        io.Out.WriteLine(string.Create(c, $"low-power mode, closed loop: sleep {options.SleepSeconds} s, burst {options.BurstSeconds} s, presence timeout {options.PresenceTimeoutSeconds} s, high sensitivity {options.HighSensitivitySeconds} s"));
        io.Out.WriteLine("seed    music occupied  on-lat  held    off-occ duty   leave->off  false(occ/empty) moves sensed/det  bursts conf");
        foreach (var s in figures.Sessions)
        {
            var leave = double.IsNaN(s.LeaveToOffSeconds) ? string.Create(c, $"> {s.TailSeconds:0}") : string.Create(c, $"{s.LeaveToOffSeconds:0.0}");
            io.Out.WriteLine(string.Create(c,
                $"{s.Seed,-7} {(s.WithMusic ? "yes" : "no"),-5} {s.OccupiedSeconds,6:0.0} s {s.PresenceOnLatencySeconds,6:0.00} {s.PresentFraction,6:P1} {s.PresenceOffWhileOccupied,4}   {s.DutyCycle,6:P1} {leave,9} s  {s.FalseMotionEvents.Occupied,5}/{s.FalseMotionEvents.Empty,-10} {s.HandMoves.All,5} {s.HandMoves.Sensed,4}/{s.HandMoves.Detected,-6} {s.Bursts.All,5} {s.Bursts.Confirmed,4}"));
        }

        io.Out.WriteLine();
        foreach (var (key, value) in pooled)
        {
            io.Out.WriteLine(string.Create(c, $"{key,-36} {value?.ToJsonString() ?? "null"}"));
        }

        return ExitCodes.Success;
    }

    private static double Positive(string name, double value) =>
        value > 0 && double.IsFinite(value) ? value : throw new CliException($"{name} {value}: give a positive number of seconds.");

    private static JsonValue? Number(double value) => double.IsFinite(value) ? JsonValue.Create(Math.Round(value, 2)) : null;
}
