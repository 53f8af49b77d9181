using SpatialAudio.Filters.Resampling;

namespace SpatialAudio.Filters.Tests.Resampling;

/// <summary>Integer upsampling runs each polyphase branch as a FIR vectorized across outputs; it must give what the
/// per-output dot products give, at every SIMD tier (test.sh re-runs these with AVX-512, AVX and all intrinsics off).</summary>
[Trait("Category", "Simd")]
public sealed class BranchwiseUpsamplingTests
{
    [Theory]
    [InlineData(48_000, 96_000, 2)]
    [InlineData(44_100, 88_200, 1)]
    [InlineData(48_000, 192_000, 3)]
    public void Branchwise_MatchesPerOutputDotProducts_ForRandomBlocks(int inputRateHz, int outputRateHz, int channels)
    {
        var fast = new PolyphaseResampler(inputRateHz, outputRateHz, channels, 0, 0, PolyphaseResampler.DefaultAttenuationDb, branchwise: true);
        var reference = new PolyphaseResampler(inputRateHz, outputRateHz, channels, 0, 0, PolyphaseResampler.DefaultAttenuationDb, branchwise: false);
        var rng = new Random(inputRateHz + outputRateHz);
        for (var call = 0; call < 40; call++)
        {
            var frames = rng.Next(0, 1500);
            var input = new float[frames * channels];
            for (var i = 0; i < input.Length; i++)
            {
                input[i] = (float)(rng.NextDouble() - 0.5);
            }

            var capacity = fast.MaxOutputFrameCount(frames);
            var a = new float[capacity * channels];
            var b = new float[capacity * channels];
            var countA = fast.Process(input, a);
            var countB = reference.Process(input, b);
            Assert.Equal(countB, countA);
            for (var i = 0; i < a.Length; i++)
            {
                Assert.InRange(a[i], b[i] - 2e-6f, b[i] + 2e-6f);
            }
        }
    }

    [Fact]
    public void BranchFir_VectorLanesAndScalarTail_AgreeExactly()
    {
        // Outputs that land in vector lanes and in the scalar tail are summed in the same tap order: the same x gives
        // bit-identical y whatever the output count.
        var rng = new Random(3);
        var taps = Enumerable.Range(0, 37).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var x = Enumerable.Range(0, 300 + taps.Length).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var all = new float[300];
        PolyphaseResampler.BranchFir(taps, x.AsSpan(0, 300 + taps.Length - 1), all);
        for (var n = 1; n < 300; n += 7)
        {
            var part = new float[n];
            PolyphaseResampler.BranchFir(taps, x.AsSpan(300 - n, n + taps.Length - 1), part);
            Assert.Equal(all.AsSpan(300 - n).ToArray(), part);
        }
    }
}
