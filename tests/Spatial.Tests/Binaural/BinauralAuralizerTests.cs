using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Heads;
using SpatialAudio.Drivers.Paths;
using SpatialAudio.Spatial.Binaural;

namespace SpatialAudio.Spatial.Tests.Binaural;

public sealed class BinauralAuralizerTests
{
    [Fact]
    public void Output_EqualsTheNaiveSumOfDriverSignalsConvolvedWithTheirEarResponses()
    {
        var drivers = new[]
        {
            new DriverDescription("a", DriverRole.Mid, new Vector3D(0, -0.1, 0), 0, 0, 0.05, null),
            new DriverDescription("b", DriverRole.Mid, new Vector3D(0, 0.1, 0), 0, 0, 0.05, null),
        };
        var acoustics = DeviceAcoustics.Omni(new DeviceDescription("two", 48000, drivers, [], []));
        var pose = ListenerPose.FacingDevice(new Vector3D(1.0, 0.2, 0));
        var head = new SphericalHeadModel();
        const int block = 128;
        var auralizer = new BinauralAuralizer(acoustics, pose, head, 48000, block);

        // Independent reference: the same ear impulse responses, convolved directly in double.
        var ears = acoustics.EarImpulseResponses(pose, head, 48000, auralizer.ImpulseLength, BinauralAuralizer.LeadSamples);
        var rng = new Random(1);
        const int blocks = 24;
        var n = blocks * block;
        var signals = new[] { new float[n], new float[n] };
        foreach (var s in signals)
        {
            for (var t = 0; t < n; t++)
            {
                s[t] = (float)(rng.NextDouble() - 0.5);
            }
        }

        var left = new float[n];
        var right = new float[n];
        var planar = new float[2 * block];
        var output = new float[2 * block];
        for (var b = 0; b < blocks; b++)
        {
            signals[0].AsSpan(b * block, block).CopyTo(planar.AsSpan(0, block));
            signals[1].AsSpan(b * block, block).CopyTo(planar.AsSpan(block, block));
            auralizer.Process(planar, output);
            output.AsSpan(0, block).CopyTo(left.AsSpan(b * block));
            output.AsSpan(block, block).CopyTo(right.AsSpan(b * block));
        }

        double error = 0, power = 0;
        for (var e = 0; e < 2; e++)
        {
            var actual = e == 0 ? left : right;
            for (var t = 0; t < n; t++)
            {
                double expected = 0;
                for (var d = 0; d < 2; d++)
                {
                    var h = ears[e][d];
                    for (var k = 0; k <= t && k < h.Length; k++)
                    {
                        expected += h[k] * signals[d][t - k];
                    }
                }

                error += (actual[t] - expected) * (actual[t] - expected);
                power += expected * expected;
            }
        }

        Assert.True(power > 0);
        Assert.True(10 * Math.Log10(error / power) < -90, $"error {10 * Math.Log10(error / power):0.0} dB");
    }
}
