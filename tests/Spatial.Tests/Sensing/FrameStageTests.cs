using SpatialAudio.Spatial.Sensing.Detection;
using SpatialAudio.Spatial.Sensing.FrontEnd;
using SpatialAudio.Spatial.Sensing.Pipeline;

namespace SpatialAudio.Spatial.Tests.Sensing;

public class FrameStageTests
{
    [Fact]
    public void A_detector_that_always_says_walking_raises_its_first_event_at_start_up_not_before()
    {
        // Zero weights, bias toward "major": p(major) = e^5 / (2 + e^5) = 0.987 on every frame.
        var model = new DetectorModel([MotionFeatures.Count, 3], [new float[3 * MotionFeatures.Count]], [[0f, 0f, 5f]]);
        var stage = new FrameStage(2, model, new PresenceOptions { MajorThreshold = 0.95f, ConsecutiveFrames = 2 });
        var frame = Enumerable.Repeat(-90f, (2 * DopplerFrontEnd.BandCount) + DopplerFrontEnd.ReferenceCount).ToArray();
        var sink = new SensingEvent[4];
        const double hop = 64 / 3000.0;
        double? first = null;
        for (var k = 0; k < 400 && first is null; k++)
        {
            var t = 0.0427 + (k * hop);
            if (stage.Process(t, frame, idle: t < SensingPipeline.SettleSeconds, sink) > 0)
            {
                first = sink[0].Seconds;
            }
        }

        Assert.NotNull(first);
        Assert.InRange(first!.Value, FrameStage.StartupSeconds, FrameStage.StartupSeconds + (2 * hop));   // two frames in a row
    }
}

public class FalseAlarmIntervalTests
{
    [Theory]
    [InlineData(0, 0.0, 3.6889)]     // Garwood's exact 95 % limits, as tabulated (e.g. Ulm 1990)
    [InlineData(1, 0.0253, 5.5716)]
    [InlineData(10, 4.7954, 18.3904)]
    public void Poisson_interval_matches_the_tabulated_exact_limits(int events, double low, double high)
    {
        var (l, h) = SpatialAudio.Spatial.Sensing.Evaluation.SensingFigures.PoissonInterval(events, 1);
        Assert.Equal(low, l, 3);
        Assert.Equal(high, h, 3);
        var (perDayLow, perDayHigh) = SpatialAudio.Spatial.Sensing.Evaluation.SensingFigures.PoissonInterval(events, 0.5);
        Assert.Equal(2 * h, perDayHigh, 6);   // half the exposure, twice the rate
        Assert.Equal(2 * l, perDayLow, 6);
    }
}
