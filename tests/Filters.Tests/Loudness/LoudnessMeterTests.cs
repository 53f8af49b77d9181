namespace SpatialAudio.Filters.Tests.Loudness;

using SpatialAudio.Filters.Iir;
using SpatialAudio.Filters.Loudness;
using SpatialAudio.Filters.Tests.Iir;

public sealed class LoudnessMeterTests
{
    // ITU-R BS.1770-4, Tables 1 and 2: the K-weighting biquads at 48 kHz as published.
    private static readonly double[] PreB = [1.53512485958697, -2.69169618940638, 1.19839281085285];
    private static readonly double[] PreA = [1.0, -1.69065929318241, 0.73248077421585];
    private static readonly double[] RlbB = [1.0, -2.0, 1.0];
    private static readonly double[] RlbA = [1.0, -1.99004745483398, 0.99007225036621];

    /// <summary>Loudness of steady sines from the definition: -0.691 + 10 log10(sum G_c A_c^2 / 2 |K(f)|^2), K from the published table.</summary>
    private static double ExpectedSineLufs(double frequencyHz, params (double Weight, double PeakDbfs)[] channels)
    {
        var w = 2.0 * Math.PI * frequencyHz / 48000.0;
        var k = (Dsp.Analytic(PreB, PreA, w) * Dsp.Analytic(RlbB, RlbA, w)).Magnitude;
        var power = channels.Sum(c => c.Weight * Math.Pow(10.0, c.PeakDbfs / 10.0) / 2.0 * k * k);
        return -0.691 + (10.0 * Math.Log10(power));
    }

    /// <summary>Feeds a sine per channel (peak level in dBFS, null = silence) in odd-sized interleaved blocks.</summary>
    private static void FeedSine(LoudnessMeter meter, double frequencyHz, double seconds, ref long clock, params double?[] peakDbfs)
    {
        var channels = meter.ChannelCount;
        var frames = (long)Math.Round(seconds * meter.SampleRateHz);
        var block = new float[997 * channels];
        var gains = peakDbfs.Select(db => db is { } v ? Math.Pow(10.0, v / 20.0) : 0.0).ToArray();
        for (long start = 0; start < frames; start += 997)
        {
            var length = (int)Math.Min(997, frames - start);
            for (var n = 0; n < length; n++)
            {
                var s = Math.Sin(2.0 * Math.PI * frequencyHz * (clock + n) / meter.SampleRateHz);
                for (var c = 0; c < channels; c++)
                {
                    block[(n * channels) + c] = (float)(gains[c] * s);
                }
            }

            meter.ProcessInterleaved(block.AsSpan(0, length * channels));
            clock += length;
        }
    }

    [Fact]
    public void KWeighting_At48kHz_ReproducesThePublishedCoefficients()
    {
        var pre = KWeighting.PreFilter(48000.0);
        var rlb = KWeighting.RlbHighPass(48000.0);
        double[] actual = [pre.B0, pre.B1, pre.B2, pre.A1, pre.A2, rlb.B0, rlb.B1, rlb.B2, rlb.A1, rlb.A2];
        double[] published = [.. PreB, .. PreA[1..], .. RlbB, .. RlbA[1..]];
        for (var i = 0; i < actual.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - published[i]) < 1e-6, $"coefficient {i}: {actual[i]} vs {published[i]}");
        }
    }

    [Theory]
    [InlineData(44100.0)]
    [InlineData(96000.0)]
    [InlineData(192000.0)]
    public void KWeighting_AtOtherRates_MatchesThe48kHzResponse_Within0p02DbBelow16kHz(double sampleRateHz)
    {
        var sections = KWeighting.Sections(sampleRateHz);
        foreach (var f in new[] { 20.0, 38.0, 100.0, 1000.0, 1682.0, 5000.0, 10000.0, 16000.0 })
        {
            var w48 = 2.0 * Math.PI * f / 48000.0;
            var reference = Dsp.Db((Dsp.Analytic(PreB, PreA, w48) * Dsp.Analytic(RlbB, RlbA, w48)).Magnitude);
            var actual = sections[0].MagnitudeDb(f, sampleRateHz) + sections[1].MagnitudeDb(f, sampleRateHz);
            Assert.True(Math.Abs(reference - actual) < 0.02, $"{f} Hz: {actual} vs {reference}");
        }
    }

    [Theory]
    [InlineData(-23.0)] // EBU Tech 3341 case 1
    [InlineData(-33.0)] // EBU Tech 3341 case 2
    public void StereoSine1kHz_ReadsItsLevel_AsInTech3341(double levelDbfs)
    {
        var meter = new LoudnessMeter(48000.0, 2);
        long clock = 0;
        FeedSine(meter, 1000.0, 20.0, ref clock, levelDbfs, levelDbfs);
        Assert.Equal(levelDbfs, meter.IntegratedLoudness, 0.1);
        Assert.Equal(ExpectedSineLufs(1000.0, (1.0, levelDbfs), (1.0, levelDbfs)), meter.IntegratedLoudness, 0.01);
        Assert.Equal(levelDbfs, meter.MomentaryLoudness, 0.1);
        Assert.Equal(levelDbfs, meter.ShortTermLoudness, 0.1);
    }

    [Fact]
    public void MonoSine_OnOneChannel_ReadsThreeDbBelowItsPeakLevel()
    {
        // BS.1770: a 0 dBFS 1 kHz sine on one channel reads -3.01 LKFS (mean square 1/2, K gain at 1 kHz cancels -0.691).
        var meter = new LoudnessMeter(48000.0, 1);
        long clock = 0;
        FeedSine(meter, 1000.0, 5.0, ref clock, -23.0);
        Assert.Equal(ExpectedSineLufs(1000.0, (1.0, -23.0)), meter.IntegratedLoudness, 0.01);
        Assert.Equal(-26.01, meter.IntegratedLoudness, 0.05);
    }

    [Fact]
    public void Gating_Tech3341Case3And4_LoudPartDominates()
    {
        // Case 4: -72 / -36 / -23 / -36 / -72 dBFS for 10 / 10 / 60 / 10 / 10 s: the -72 segments fall below the
        // absolute gate, the -36 ones below the relative gate (-23 - 10 LU).
        var meter = new LoudnessMeter(48000.0, 2);
        long clock = 0;
        foreach (var (level, seconds) in new[] { (-72.0, 10.0), (-36.0, 10.0), (-23.0, 60.0), (-36.0, 10.0), (-72.0, 10.0) })
        {
            FeedSine(meter, 1000.0, seconds, ref clock, level, level);
        }

        Assert.Equal(-23.0, meter.IntegratedLoudness, 0.1);
    }

    [Fact]
    public void RelativeGate_ExcludesTheQuietHalf_AbsoluteGate_ExcludesNearSilence()
    {
        var meter = new LoudnessMeter(48000.0, 2);
        long clock = 0;
        FeedSine(meter, 1000.0, 10.0, ref clock, -23.0, -23.0);
        FeedSine(meter, 1000.0, 10.0, ref clock, -40.0, -40.0);

        // Ungated power mean of the two halves would read 10 log10((10^-2.3 + 10^-4) / 2) = -25.98 LUFS; the -40 half
        // is more than 10 LU below it, so only the -23 half counts (plus the few 400 ms blocks straddling the step).
        Assert.Equal(-23.0, meter.IntegratedLoudness, 0.1);

        var quiet = new LoudnessMeter(48000.0, 2);
        clock = 0;
        FeedSine(quiet, 1000.0, 5.0, ref clock, -75.0, -75.0);
        Assert.Equal(double.NegativeInfinity, quiet.IntegratedLoudness);
        FeedSine(quiet, 1000.0, 10.0, ref clock, -60.0, -60.0);
        Assert.Equal(-60.0, quiet.IntegratedLoudness, 0.1);
    }

    [Theory]
    [InlineData(44100.0)]
    [InlineData(48000.0)]
    [InlineData(96000.0)]
    public void SameTone_ReadsTheSame_AtEverySampleRate(double sampleRateHz)
    {
        var meter = new LoudnessMeter(sampleRateHz, 2);
        long clock = 0;
        FeedSine(meter, 997.0, 3.0, ref clock, -20.0, -26.0);
        Assert.Equal(ExpectedSineLufs(997.0, (1.0, -20.0), (1.0, -26.0)), meter.IntegratedLoudness, 0.02);
    }

    [Fact]
    public void SurroundChannels_Weigh1p41_AndLfeIsExcluded()
    {
        var meter = new LoudnessMeter(48000.0, 6); // L R C LFE Ls Rs
        long clock = 0;
        FeedSine(meter, 1000.0, 3.0, ref clock, null, null, null, -10.0, -23.0, null);
        Assert.Equal(ExpectedSineLufs(1000.0, (1.41, -23.0)), meter.IntegratedLoudness, 0.01);
        Assert.Equal(-26.01 + (10 * Math.Log10(1.41)), meter.IntegratedLoudness, 0.05);
    }

    [Fact]
    public void LoudnessRange_Tech3342Case1_IsTenLu()
    {
        // EBU Tech 3342 case 1: 1 kHz stereo sine, 20 s at -20 dBFS then 20 s at -30 dBFS: LRA = 10 +/- 1 LU.
        var meter = new LoudnessMeter(48000.0, 2);
        long clock = 0;
        FeedSine(meter, 1000.0, 20.0, ref clock, -20.0, -20.0);
        FeedSine(meter, 1000.0, 20.0, ref clock, -30.0, -30.0);
        Assert.Equal(10.0, meter.LoudnessRange, 1.0);
    }

    [Fact]
    public void PlanarAndInterleaved_AnyBlockSizes_GiveTheSameReadings()
    {
        var noise = Dsp.Noise(2 * 48000 * 2, 11, 0.1);
        var interleaved = new LoudnessMeter(48000.0, 2);
        var rng = new Random(1);
        for (var start = 0; start < noise.Length / 2;)
        {
            var frames = Math.Min(rng.Next(1, 3000), (noise.Length / 2) - start);
            interleaved.ProcessInterleaved(noise.AsSpan(start * 2, frames * 2));
            start += frames;
        }

        var planarData = new float[noise.Length];
        var total = noise.Length / 2;
        for (var n = 0; n < total; n++)
        {
            planarData[n] = noise[2 * n];
            planarData[total + n] = noise[(2 * n) + 1];
        }

        var planar = new LoudnessMeter(48000.0, 2);
        planar.ProcessPlanar(planarData, total);
        Assert.Equal(planar.IntegratedLoudness, interleaved.IntegratedLoudness, 6);
        Assert.Equal(planar.ShortTermLoudness, interleaved.ShortTermLoudness, 6);
        Assert.Equal(planar.MomentaryLoudness, interleaved.MomentaryLoudness, 6);
        Assert.InRange(planar.IntegratedLoudness, -30.0, -10.0);
    }

    [Fact]
    public void Process_DoesNotAllocate_AndNaNBurstDoesNotPoisonTheMeter()
    {
        var meter = new LoudnessMeter(48000.0, 2);
        var block = Dsp.Noise(2 * 512, 12, 0.1);
        meter.ProcessInterleaved(block);
        var allocated = Support.Allocations.OnCurrentThread(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                meter.ProcessInterleaved(block);
                meter.ProcessPlanar(block, 512);
            }
        });
        Assert.Equal(0, allocated);

        var reading = meter.IntegratedLoudness;
        var poisoned = (float[])block.Clone();
        poisoned[7] = float.NaN;
        meter.ProcessInterleaved(poisoned);
        for (var i = 0; i < 200; i++)
        {
            meter.ProcessInterleaved(block);
        }

        Assert.True(double.IsFinite(meter.IntegratedLoudness));
        Assert.Equal(reading, meter.IntegratedLoudness, 0.1);
        Assert.True(double.IsFinite(meter.MomentaryLoudness));
    }

    [Fact]
    public void Construction_ValidatesArguments()
    {
        Assert.Equal("sampleRateHz", Assert.Throws<ArgumentOutOfRangeException>(() => new LoudnessMeter(100.0, 2)).ParamName);
        Assert.Equal("channelCount", Assert.Throws<ArgumentOutOfRangeException>(() => new LoudnessMeter(48000.0, 4)).ParamName);
        Assert.Equal("channelWeights", Assert.Throws<ArgumentException>(() => new LoudnessMeter(48000.0, [1.0, -1.0])).ParamName);
        _ = new LoudnessMeter(48000.0, [1.0, 1.0, 1.0, 1.0]); // any layout with explicit weights
    }
}
