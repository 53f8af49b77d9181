using SpatialAudio.Spatial.Upmix;

namespace SpatialAudio.Spatial.Tests.Upmix;

public sealed class LrcUpmixerTests
{
    private static float[] Noise(int n, int seed, double amplitude = 0.3)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() - 0.5) * 2 * amplitude))];
    }

    [Fact]
    public void DemoClip_MeetsTheIssueTargets()
    {
        var figures = UpmixEvaluation.DemoClipMix();
        Assert.True(figures.LeakageImprovementDb >= 15, figures.ToString());
        Assert.True(figures.CenterSuppressionDb >= 15, figures.ToString());
        Assert.True(figures.ReconstructionErrorDb <= -60, figures.ToString());
    }

    [Fact]
    public void AlternatingNoiseMix_MeetsTheIssueTargets()
    {
        var figures = UpmixEvaluation.NoiseMix();
        Assert.True(figures.LeakageImprovementDb >= 15, figures.ToString());
        Assert.True(figures.CenterSuppressionDb >= 15, figures.ToString());
        Assert.True(figures.ReconstructionErrorDb <= -60, figures.ToString());
    }

    [Fact]
    public void SteadyCentredTone_IsNotPumped()
    {
        Assert.True(UpmixEvaluation.SteadyToneModulationDb(seconds: 2) < 0.5);
    }

    [Fact]
    public void CentreOnly_GoesToC_AndHardLeftOnly_StaysInLPrime()
    {
        const int n = 48000;
        var center = Noise(n, 1);
        var upmixer = new LrcUpmixer();
        var l = new float[n];
        var r = new float[n];
        var c = new float[n];
        upmixer.Process(center, center, l, r, c);
        var d = upmixer.LatencySamples;
        double inC = 0, inL = 0;
        for (var t = n / 2; t < n; t++)
        {
            inC += c[t] * (double)c[t];
            inL += l[t] * (double)l[t];
        }

        Assert.True(10 * Math.Log10(inC / inL) > 40, "identical channels are all centre");

        var left = Noise(n, 2);
        upmixer.Reset();
        upmixer.Process(left, new float[n], l, r, c);
        double leftPower = 0, centerPower = 0;
        for (var t = n / 2; t < n; t++)
        {
            leftPower += l[t] * (double)l[t];
            centerPower += c[t] * (double)c[t];
        }

        Assert.True(10 * Math.Log10(leftPower / centerPower) > 30, "a hard-left part is not centre");
        Assert.Equal(left[n / 2 - d], l[n / 2] + c[n / 2], 5);
    }

    [Fact]
    public void BlockwiseProcessing_EqualsOneShot_ForRandomBlockSizes()
    {
        const int n = 20000;
        var left = Noise(n, 3);
        var right = Noise(n, 4);
        var a = new LrcUpmixer();
        var (l1, r1, c1) = (new float[n], new float[n], new float[n]);
        a.Process(left, right, l1, r1, c1);
        var b = new LrcUpmixer();
        var (l2, r2, c2) = (new float[n], new float[n], new float[n]);
        var rng = new Random(5);
        for (var start = 0; start < n;)
        {
            var count = Math.Min(n - start, rng.Next(0, 700));
            b.Process(left.AsSpan(start, count), right.AsSpan(start, count), l2.AsSpan(start, count), r2.AsSpan(start, count), c2.AsSpan(start, count));
            start += count;
        }

        Assert.Equal(c1, c2);
        Assert.Equal(l1, l2);
    }

    [Fact]
    public void NaNInput_IsSilenced_AndTheStateRecovers()
    {
        const int n = 30000;
        var left = Noise(n, 6);
        var right = Noise(n, 7);
        left[1000] = float.NaN;
        right[1001] = float.PositiveInfinity;
        var upmixer = new LrcUpmixer();
        var (l, r, c) = (new float[n], new float[n], new float[n]);
        upmixer.Process(left, right, l, r, c);
        Assert.All(c, v => Assert.True(float.IsFinite(v)));
        Assert.All(l, v => Assert.True(float.IsFinite(v)));
        Assert.True(c.AsSpan(20000).ToArray().Any(v => v != 0), "the upmixer keeps working after the burst");
    }

    [Fact]
    public void Process_DoesNotAllocate()
    {
        var upmixer = new LrcUpmixer();
        var x = Noise(4096, 8);
        var (l, r, c) = (new float[4096], new float[4096], new float[4096]);
        var allocated = SpatialAudio.Filters.Tests.Support.Allocations.OnCurrentThread(() =>
        {
            for (var i = 0; i < 20; i++)
            {
                upmixer.Process(x, x, l, r, c);
            }
        });
        Assert.Equal(0, allocated);
    }
}
