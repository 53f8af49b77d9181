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
