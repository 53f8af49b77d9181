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
