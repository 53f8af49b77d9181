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

    [Fact]
    public void The_background_rises_faster_only_until_the_first_judgement()
    {
        // Every band steps up by 6 dB when settling ends and again at 5 s. A scalar reference of the background (it rises
        // by a share r of the excess per frame: 0.004, times the start-up factor before the first judgement) predicts
        // the common-mode "now" feature, the excess in units of 20 dB.
        var model = new DetectorModel([MotionFeatures.Count, 3], [new float[3 * MotionFeatures.Count]], [[5f, 0f, 0f]]);
        var stage = new FrameStage(2, model);
        var width = (2 * DopplerFrontEnd.BandCount) + DopplerFrontEnd.ReferenceCount;
        var sink = new SensingEvent[4];
        const double hop = 64 / 3000.0;
        var now = 0f;
        FrameObserver observer = (_, features, _) => now = features[DopplerFrontEnd.BandCount];
        double background = -90, checkedFast = 0, checkedSlow = 0;
        for (var k = 0; k < 400; k++)
        {
            var t = 0.0427 + (k * hop);
            var idle = t < SensingPipeline.SettleSeconds;
            var level = idle ? -90f : t < 5 ? -84f : -78f;
            stage.Process(t, Enumerable.Repeat(level, width).ToArray(), idle, sink, observer);
            if (idle)
            {
                continue;
            }

            var excess = level - background;
            Assert.Equal(excess / 20, now, 1e-3);
            background += (t < FrameStage.StartupSeconds ? 0.004 * MotionFeatures.StartupRiseFactor : 0.004) * excess;
            checkedFast += t < FrameStage.StartupSeconds ? 1 : 0;
            checkedSlow += t >= 5 ? 1 : 0;
        }

        Assert.True(checkedFast > 100 && checkedSlow > 50);
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
