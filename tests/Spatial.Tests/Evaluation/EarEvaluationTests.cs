using System.Numerics;
using SpatialAudio.Spatial.Evaluation;

namespace SpatialAudio.Spatial.Tests.Evaluation;

public sealed class EarEvaluationTests
{
    [Theory]
    [InlineData(141e-6)]
    [InlineData(-420e-6)]
    public void GroupDelayDiagnostic_OfAPureDelay_IsThatDelay(double delaySeconds)
    {
        var f = Enumerable.Range(0, 2049).Select(k => k * 48000.0 / 4096).ToArray();
        var response = f.Select(v => Complex.FromPolarCoordinates(0.5, -2 * Math.PI * v * delaySeconds)).ToArray();
        Assert.Equal(delaySeconds, EarEvaluation.PhaseSlopeDelaySeconds(response, f, EarEvaluation.GroupDelayLowHz, EarEvaluation.GroupDelayHighHz), 9);
    }

    [Fact]
    public void GroupDelayDiagnostic_FollowsThePhaseSlope_NotThePhase()
    {
        // A constant phase offset (an all-pass's, say) moves the phase delay but not the group delay.
        var f = Enumerable.Range(0, 2049).Select(k => k * 48000.0 / 4096).ToArray();
        var response = f.Select(v => Complex.FromPolarCoordinates(1, 0.7 - (2 * Math.PI * v * 200e-6))).ToArray();
        Assert.Equal(200e-6, EarEvaluation.PhaseSlopeDelaySeconds(response, f, 500, 1500), 9);
    }
}
