using SpatialAudio.Spatial.Sensing.Detection;
using SpatialAudio.Spatial.Sensing.Evaluation;
using SpatialAudio.Spatial.Sensing.FrontEnd;
using SpatialAudio.Spatial.Sensing.Pipeline;
using SpatialAudio.Spatial.Sensing.Simulation;
using Xunit;

namespace SpatialAudio.Spatial.Tests.Sensing;

/// <summary>The training frames' labels and weights, against the labels' times read directly.</summary>
public sealed class TrainingFramesTests
{
    [Fact]
    public void An_early_walk_weight_scales_exactly_the_scored_walking_frames_of_a_walks_first_0_4_s()
    {
        // A walk from 6 s to 9 s and a small movement from 12 s to 13 s in 16 s of frames at the front end's rate.
        var run = Scripted(16, [new MotionLabel(6, 9, MotionKind.Major, 2), new MotionLabel(12, 13, MotionKind.Minor, 1)]);
        var plain = SensingEvaluation.Frames([run]);
        var early = SensingEvaluation.Frames([run], earlyWalkWeight: 3);

        Assert.Equal(plain.Labels, early.Labels);
        var scaled = 0;
        for (var i = 0; i < run.Times.Length; i++)
        {
            // Scored walking from 0.1 s after the onset (FrameLabel); early until 0.4 s after it.
            var t = run.Times[i];
            var expected = plain.Weights[i] > 0 && t >= 6.1 && t < 6.4 ? 3 * plain.Weights[i] : plain.Weights[i];
            scaled += expected != plain.Weights[i] ? 1 : 0;
            Assert.Equal(expected, early.Weights[i]);
        }

        // 0.3 s at 46.9 frames/s: 14 frames (whole frames whose end times fall in the window).
        Assert.InRange(scaled, 13, 15);
        Assert.Throws<ArgumentOutOfRangeException>(() => SensingEvaluation.Frames([run], earlyWalkWeight: 0));
    }

    // Frames of a still room with the given labels (the features do not matter here, only labels and weights).
    private static SceneRun Scripted(double seconds, MotionLabel[] labels)
    {
        const int mics = 2;
        var width = (mics * DopplerFrontEnd.BandCount) + DopplerFrontEnd.ReferenceCount;
        var hop = DopplerFrontEnd.Hop / 3000.0;
        var frames = (int)(seconds / hop);
        var times = new double[frames];
        var bands = new float[frames * width];
        for (var k = 0; k < frames; k++)
        {
            times[k] = (DopplerFrontEnd.FrameLength / 3000.0) + (k * hop);
            bands.AsSpan(k * width, width).Fill(-95f);
        }

        return new SceneRun(SceneKind.WalkThenMinor, 1, seconds, false, labels, mics, times, [.. times.Select(t => t < SensingPipeline.SettleSeconds)], bands, new bool[times.Length]);
    }
}
