using SpatialAudio.Spatial.Sensing.Evaluation;
using SpatialAudio.Spatial.Sensing.Simulation;
using Xunit;

namespace SpatialAudio.Spatial.Tests.Sensing;

/// <summary>Two detectors' misses paired on the same movements, and the sign test on the ones that changed sides.</summary>
public sealed class PairedComparisonTests
{
    [Theory]
    // P[Bin(n, 1/2) >= L] summed by hand: (C(6,5) + C(6,6)) / 64, (C(10,7) + C(10,8) + C(10,9) + C(10,10)) / 1024, ...
    [InlineData(5, 1, 7.0 / 64)]
    [InlineData(7, 3, 176.0 / 1024)]
    [InlineData(4, 0, 1.0 / 16)]
    [InlineData(5, 0, 1.0 / 32)]
    [InlineData(3, 3, 42.0 / 64)]
    [InlineData(1, 0, 0.5)]
    [InlineData(0, 3, 1.0)]
    [InlineData(0, 0, 1.0)]
    public void The_sign_test_is_the_binomial_tail_of_the_losses(int lost, int gained, double expected)
    {
        var count = new PairedCount(lost, gained);

        Assert.Equal(expected, count.SignTestP, tolerance: 1e-12);
        Assert.Equal(lost - gained, count.NetLoss);
    }

    [Fact]
    public void The_sign_test_matches_a_naive_sum_of_binomial_coefficients()
    {
        for (var n = 1; n <= 40; n++)
        {
            for (var lost = 0; lost <= n; lost++)
            {
                double tail = 0, total = Math.Pow(2, n);
                for (var k = lost; k <= n; k++)
                {
                    tail += Choose(n, k) / total;
                }

                Assert.Equal(tail, new PairedCount(lost, n - lost).SignTestP, tolerance: 1e-10);
            }
        }
    }

    [Fact]
    public void Walks_found_and_found_in_time_are_paired_by_scene_and_onset()
    {
        // Walk A is missed by the candidate only; B is found late by the candidate and missed by the baseline; C is late
        // for the baseline only; D (another onset in A's scene) is missed by both.
        static LateWalk Walk(int seed, double onset, double? latency) => new(SceneKind.Walk, seed, onset, 2, null, latency);
        var candidate = new SensingFigures
        {
            MajorEvents = 10, MinorEvents = 6,
            LateWalks = [Walk(1, 3, null), Walk(1, 9, null), Walk(2, 4, 0.8)],
            MissedSmallMoves = [new(7, 20, 0.5, 1, null), new(8, 21, 0.5, 1, 4)],
        };
        var baseline = new SensingFigures
        {
            MajorEvents = 10, MinorEvents = 6,
            LateWalks = [Walk(1, 9, null), Walk(2, 4, null), Walk(3, 5, 0.4)],
            MissedSmallMoves = [new(8, 21, 0.5, 1, 4), new(9, 22, 0.4, 1.2, null), new(9, 25, 0.4, 1.2, null)],
        };

        var paired = PairedFigures.Compare(candidate, baseline);

        Assert.Equal(new PairedCount(Lost: 1, Gained: 1), paired.WalksFound);          // A lost, B gained
        Assert.Equal(new PairedCount(Lost: 1, Gained: 1), paired.WalksWithinTarget);   // A lost, C gained; B late for both
        Assert.Equal(new PairedCount(Lost: 1, Gained: 2), paired.SmallMovesFound);
        // The net losses are the differences of the totals each evaluation reports.
        Assert.Equal(candidate.MajorWithinTarget - baseline.MajorWithinTarget, -paired.WalksWithinTarget.NetLoss);
    }

    [Fact]
    public void Evaluations_of_different_movements_are_refused()
    {
        var ten = new SensingFigures { MajorEvents = 10, MinorEvents = 6 };
        var twelve = new SensingFigures { MajorEvents = 12, MinorEvents = 6 };

        Assert.Throws<ArgumentException>(() => PairedFigures.Compare(ten, twelve));
        Assert.Throws<ArgumentException>(() => PairedFigures.Compare(ten, ten with { MinorEvents = 5 }));
    }

    private static double Choose(int n, int k)
    {
        double c = 1;
        for (var i = 1; i <= k; i++)
        {
            c = c * (n - k + i) / i;
        }

        return c;
    }
}
