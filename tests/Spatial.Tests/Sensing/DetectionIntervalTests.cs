using MathNet.Numerics;
using SpatialAudio.Spatial.Sensing.Evaluation;
using Xunit;

namespace SpatialAudio.Spatial.Tests.Sensing;

public sealed class DetectionIntervalTests
{
    [Theory]
    [InlineData(48, 50)]
    [InlineData(184, 200)]
    [InlineData(3, 10)]
    public void Clopper_Pearson_limits_leave_two_and_a_half_percent_in_each_binomial_tail(int detected, int walks)
    {
        var (low, high) = SensingFigures.BinomialInterval(detected, walks);

        // The defining equations, summed term by term: at the lower limit, detecting this many or more has probability
        // 0.025; at the upper limit, detecting this many or fewer has.
        Assert.Equal(0.025, Tail(walks, low, detected, walks), 6);
        Assert.Equal(0.025, Tail(walks, high, 0, detected), 6);
        Assert.InRange((double)detected / walks, low, high);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(50)]
    public void All_or_none_detected_have_the_closed_form_one_sided_limits(int walks)
    {
        // P(all detected) = p^n = 0.025 and P(none) = (1 - p)^n = 0.025.
        Assert.Equal(Math.Pow(0.025, 1.0 / walks), SensingFigures.BinomialInterval(walks, walks).Low, 9);
        Assert.Equal(1.0, SensingFigures.BinomialInterval(walks, walks).High);
        Assert.Equal(0.0, SensingFigures.BinomialInterval(0, walks).Low);
        Assert.Equal(1 - Math.Pow(0.025, 1.0 / walks), SensingFigures.BinomialInterval(0, walks).High, 9);
    }

    [Fact]
    public void The_walk_detection_interval_is_that_of_the_figures_counts()
    {
        var figures = new SensingFigures { MajorEvents = 50, MajorDetected = 48 };
        var (low, high) = figures.MajorDetectionInterval;

        // 48 of 50 cannot tell a 92 % detector from a 96 % one.
        Assert.InRange(low, 0.85, 0.87);
        Assert.InRange(high, 0.99, 1.0);
        Assert.Equal(SensingFigures.BinomialInterval(48, 50), (low, high));
    }

    [Fact]
    public void Median_of_100_has_the_tabulated_order_statistic_ranks_40_and_61()
    {
        // The classic distribution-free interval for the median of 100 samples: X(40) .. X(61) (coverage 96.5 %).
        var ranks = Enumerable.Range(1, 100).Select(i => (double)i).ToList();
        Assert.Equal((40.0, 61.0), SensingFigures.QuantileInterval(ranks, 0.5));
    }

    [Theory]
    [InlineData(200, 0.95)]
    [InlineData(50, 0.95)]
    [InlineData(31, 0.5)]
    public void Quantile_interval_covers_95_percent_and_no_narrower_one_of_its_kind_does(int n, double q)
    {
        var ranks = Enumerable.Range(1, n).Select(i => (double)i).ToList();
        var (low, high) = SensingFigures.QuantileInterval(ranks, q);
        var j = double.IsFinite(low) ? (int)low : 0;
        var k = double.IsFinite(high) ? (int)high : n + 1;

        // P(X(j) <= quantile <= X(k)) = P(j <= B < k) for B ~ Binomial(n, q), summed term by term; each tail <= 2.5 %,
        // and moving either end inwards would let its tail exceed 2.5 %.
        Assert.True(Tail(n, q, 0, j - 1) <= 0.025 + 1e-12);
        Assert.True(Tail(n, q, k, n) <= 0.025 + 1e-12);
        Assert.True(Tail(n, q, j, k - 1) >= 0.95 - 1e-12);
        Assert.True(Tail(n, q, 0, j) > 0.025);
        Assert.True(k > n || Tail(n, q, k - 1, n) > 0.025);
    }

    [Fact]
    public void Too_few_samples_leave_the_upper_end_of_a_high_quantile_unbounded()
    {
        // With 10 samples, even X(10) is below the 95th percentile with probability 0.95^10 = 60 %.
        var (low, high) = SensingFigures.QuantileInterval([.. Enumerable.Range(1, 10).Select(i => (double)i)], 0.95);
        Assert.Equal(double.PositiveInfinity, high);
        Assert.Equal(8.0, low);   // P(B <= 7) = 1.2 % <= 2.5 %, P(B <= 8) = 8.6 %
    }

    // P(first <= X <= last) for X ~ Binomial(n, p), by the sum of its terms (binomial coefficients in log space).
    private static double Tail(int n, double p, int first, int last)
    {
        var sum = 0.0;
        for (var k = first; k <= last; k++)
        {
            var logChoose = SpecialFunctions.FactorialLn(n) - SpecialFunctions.FactorialLn(k) - SpecialFunctions.FactorialLn(n - k);
            sum += Math.Exp(logChoose + (k * Math.Log(p)) + ((n - k) * Math.Log(1 - p)));
        }

        return sum;
    }
}
