using SpatialAudio.Spatial.Sensing.Simulation;

namespace SpatialAudio.Spatial.Sensing.Evaluation;

/// <summary>
/// Two detectors compared on the same movements: the ones the baseline gets and the candidate does not
/// (<paramref name="Lost"/>), and the reverse (<paramref name="Gained"/>). Movements both get, or both miss, say nothing
/// about which is better; the difference of two totals hides how many movements changed sides.
/// </summary>
/// <param name="Lost">Movements the baseline gets and the candidate misses.</param>
/// <param name="Gained">Movements the candidate gets and the baseline misses.</param>
public readonly record struct PairedCount(int Lost, int Gained)
{
    /// <summary>How many fewer the candidate gets: the difference of the two totals.</summary>
    public int NetLoss => Lost - Gained;

    /// <summary>
    /// One-sided exact sign test (McNemar's exact test): the chance of at least <see cref="Lost"/> of the
    /// <see cref="Lost"/> + <see cref="Gained"/> discordant movements going against the candidate if neither detector
    /// were better, P[Bin(L + G, 1/2) &gt;= L]. Small: the loss is unlikely to be chance.
    /// </summary>
    public double SignTestP => Lost == 0 ? 1 : 1 - MathNet.Numerics.Distributions.Binomial.CDF(0.5, Lost + Gained, Lost - 1);
}

/// <summary>The counts behind the walk, latency and small-movement targets, paired between a candidate and a baseline.</summary>
/// <param name="WalksFound">Walks detected.</param>
/// <param name="WalksWithinTarget">Walks detected within <see cref="SensingFigures.LatencyTargetSeconds"/>.</param>
/// <param name="SmallMovesFound">Small movements detected in high sensitivity.</param>
public sealed record PairedFigures(PairedCount WalksFound, PairedCount WalksWithinTarget, PairedCount SmallMovesFound)
{
    /// <summary>
    /// Pairs two evaluations of the same scenes (the same seeds, lead-in and music; each detector may run behind its own
    /// front end) by their listed misses: a movement is identified by its scene and onset.
    /// </summary>
    /// <exception cref="ArgumentException">The two evaluations did not count the same movements.</exception>
    public static PairedFigures Compare(SensingFigures candidate, SensingFigures baseline)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        if (candidate.MajorEvents != baseline.MajorEvents || candidate.MinorEvents != baseline.MinorEvents)
        {
            throw new ArgumentException(
                $"The two evaluations counted different movements (walks {candidate.MajorEvents} and {baseline.MajorEvents}, small movements {candidate.MinorEvents} and {baseline.MinorEvents}): pair only runs of the same scenes.");
        }

        static (SceneKind, int, double) Walk(LateWalk w) => (w.Kind, w.Seed, w.OnsetSeconds);
        static (int, double) Move(MissedSmallMove m) => (m.Seed, m.OnsetSeconds);
        return new PairedFigures(
            Count(candidate.LateWalks.Where(w => w.LatencySeconds is null).Select(Walk), baseline.LateWalks.Where(w => w.LatencySeconds is null).Select(Walk)),
            Count(candidate.LateWalks.Select(Walk), baseline.LateWalks.Select(Walk)),
            Count(candidate.MissedSmallMoves.Select(Move), baseline.MissedSmallMoves.Select(Move)));
    }

    // From the misses: lost = missed by the candidate only, gained = missed by the baseline only.
    private static PairedCount Count<T>(IEnumerable<T> candidateMisses, IEnumerable<T> baselineMisses)
    {
        var candidate = candidateMisses.ToHashSet();
        var baseline = baselineMisses.ToHashSet();
        return new PairedCount(candidate.Count(m => !baseline.Contains(m)), baseline.Count(m => !candidate.Contains(m)));
    }
}
