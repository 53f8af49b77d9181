using Xunit.Abstractions;
using SpatialAudio.Filters.Resampling;

namespace SpatialAudio.Filters.Tests.Resampling;

public sealed class PolyphaseResamplerTests(ITestOutputHelper output)
{
    public static TheoryData<int, int> RatePairs => new()
    {
        { 48_000, 96_000 },
        { 96_000, 48_000 },
        { 44_100, 96_000 },
        { 96_000, 44_100 },
        { 44_100, 48_000 },
        { 48_000, 44_100 },
    };

    /// <summary>Converts a whole mono signal in one call, then flushes; returns everything produced.</summary>
    internal static float[] ConvertAll(PolyphaseResampler resampler, float[] input)
    {
        var result = new float[resampler.MaxOutputFrameCount(input.Length) + resampler.LatencyOutputFrames];
        var count = resampler.Process(input, result.AsSpan(0, resampler.MaxOutputFrameCount(input.Length)));
        while (true)
        {
            var tail = resampler.Flush(result.AsSpan(count));
            if (tail == 0)
            {
                break;
            }

            count += tail;
        }

        return result.AsSpan(0, count).ToArray();
    }

    internal static float[] Sine(int frames, double frequencyHz, double sampleRateHz, double amplitude = 1.0, double phase = 0.0)
    {
        var x = new float[frames];
        for (var n = 0; n < frames; n++)
        {
            x[n] = (float)(amplitude * Math.Cos((2.0 * Math.PI * frequencyHz * n / sampleRateHz) + phase));
        }

        return x;
    }

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void PassbandTonesUpTo20kHz_KeepTheirAmplitudeWithin0_005Db(int inputRateHz, int outputRateHz)
    {
        var resampler = new PolyphaseResampler(inputRateHz, outputRateHz, 1);
        var levels = new List<double>();
        foreach (var f in new[] { 20.0, 997.0, 5_000.0, 10_000.0, 15_000.0, 18_000.0, 19_500.0, 20_000.0 })
        {
            resampler.Reset();
            var y = ConvertAll(resampler, Sine(inputRateHz / 8, f, inputRateHz));
            var settled = y.AsSpan(2 * resampler.LatencyOutputFrames, y.Length - (4 * resampler.LatencyOutputFrames));
            var (amplitude, _) = SignalMeasure.FitTone(settled, f, outputRateHz);
            levels.Add(20.0 * Math.Log10(amplitude));
        }

        output.WriteLine($"{inputRateHz}->{outputRateHz}: L/M {resampler.UpFactor}/{resampler.DownFactor}, prototype {resampler.PrototypeLength} taps, "
            + $"{resampler.TapsPerPhase} taps/phase, latency {resampler.LatencyOutputFrames} out frames, passband levels {levels.Min():F6}..{levels.Max():F6} dB");
        Assert.All(levels, db => Assert.InRange(db, -0.005, 0.005));
        Assert.True(levels.Max() - levels.Min() <= 0.01, $"ripple {levels.Max() - levels.Min()} dB");
    }

    [Theory]
    [InlineData(1_000.0)]
    [InlineData(20_000.0)]
    [InlineData(23_900.0)]
    public void Upsampling48To96_LeavesTheImageBand24To48kHzBelowMinus120Db(double toneHz)
    {
        var resampler = new PolyphaseResampler(48_000, 96_000, 1);
        var y = ConvertAll(resampler, Sine(20_000, toneHz, 48_000));
        var spectrum = SignalMeasure.SpectrumDb(y.AsSpan(resampler.LatencyOutputFrames, 1 << 15));

        var image = SignalMeasure.MaxLevelDb(spectrum, 96_000, 24_000, 48_000);
        Assert.True(image <= -120.0, $"image band peak {image:F1} dB");
        output.WriteLine($"tone {toneHz} Hz: image band peak {image:F1} dB");
        if (toneHz <= 20_000)
        {
            Assert.True(SignalMeasure.MaxLevelDb(spectrum, 96_000, toneHz - 50, toneHz + 50) > -1.0, "a passband tone must pass (within the window scalloping)");
        }
    }

    [Fact]
    public void Upsampling48To96_ImpulseResponseIsBelowMinus120DbAcrossTheWholeImageBand()
    {
        // For 2x up, the impulse response of the stream is the whole prototype: its spectrum relative to DC is the
        // image rejection at every frequency, not only at a few tones. Dense grid, direct DTFT in double.
        var resampler = new PolyphaseResampler(48_000, 96_000, 1);
        var impulse = new float[400];
        impulse[0] = 1f;
        var y = ConvertAll(resampler, impulse).Select(v => (double)v).ToArray();
        var dc = Design.Reference.Dtft(y, 0, 96_000).Magnitude;
        var worst = Design.Reference.Grid(24_000, 48_000, 4001).Max(f => 20 * Math.Log10(Design.Reference.Dtft(y, f, 96_000).Magnitude / dc));
        output.WriteLine($"48->96 image band worst {worst:F1} dB");
        Assert.True(worst <= -120.0, $"worst image rejection {worst:F1} dB");
    }

    [Theory]
    [InlineData(96_000, 48_000, 30_000.0)]
    [InlineData(96_000, 48_000, 24_100.0)]
    [InlineData(96_000, 44_100, 30_000.0)]
    [InlineData(96_000, 44_100, 22_200.0)]
    [InlineData(48_000, 44_100, 22_100.0)]
    public void Downsampling_AliasesOfTonesAboveTheOutputNyquistStayBelowMinus120Db(int inputRateHz, int outputRateHz, double toneHz)
    {
        var resampler = new PolyphaseResampler(inputRateHz, outputRateHz, 1);
        var y = ConvertAll(resampler, Sine(inputRateHz / 2, toneHz, inputRateHz));
        var spectrum = SignalMeasure.SpectrumDb(y.AsSpan(resampler.LatencyOutputFrames, 1 << 14));

        var alias = SignalMeasure.MaxLevelDb(spectrum, outputRateHz, 0, outputRateHz / 2.0);
        output.WriteLine($"{inputRateHz}->{outputRateHz}, tone {toneHz} Hz: alias peak {alias:F1} dB");
        Assert.True(alias <= -120.0, $"alias peak {alias:F1} dB");
    }

    [Theory]
    [InlineData(48_000, 96_000)]
    [InlineData(44_100, 96_000)]
    [InlineData(44_100, 48_000)]
    public void RoundTrip_ReproducesABandLimitedSignalWithin100Db(int baseRateHz, int highRateHz)
    {
        var rng = new Random(7);
        var tones = Enumerable.Range(0, 12).Select(_ => (F: 20.0 + (rng.NextDouble() * 19_980.0), Phase: rng.NextDouble() * 2 * Math.PI)).ToArray();
        double Signal(double t) => tones.Sum(x => 0.08 * Math.Cos((2 * Math.PI * x.F * t) + x.Phase));

        var input = new float[baseRateHz / 4];
        for (var n = 0; n < input.Length; n++)
        {
            input[n] = (float)Signal(n / (double)baseRateHz);
        }

        var upsampler = new PolyphaseResampler(baseRateHz, highRateHz, 1);
        var downsampler = new PolyphaseResampler(highRateHz, baseRateHz, 1);
        var y = ConvertAll(downsampler, ConvertAll(upsampler, input));
        var delaySeconds = (upsampler.LatencyOutputFrames / (double)highRateHz) + (downsampler.LatencyOutputFrames / (double)baseRateHz);

        // Compare away from the start-up and end transients against the analytic, delayed signal.
        var margin = 2 * (upsampler.LatencyOutputFrames + downsampler.LatencyOutputFrames);
        double error = 0, power = 0;
        for (var m = margin; m < input.Length - margin; m++)
        {
            var expected = Signal((m / (double)baseRateHz) - delaySeconds);
            error += (y[m] - expected) * (y[m] - expected);
            power += expected * expected;
        }

        var errorDb = 10 * Math.Log10(error / power);
        output.WriteLine($"{baseRateHz}->{highRateHz}->{baseRateHz}: error {errorDb:F1} dB, taps/phase {upsampler.TapsPerPhase} + {downsampler.TapsPerPhase}");
        Assert.True(errorDb <= -100.0, $"round-trip error {errorDb:F1} dB");
    }

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void ReportedLatency_EqualsTheMeasuredDelayOfAnImpulseAndOfATone(int inputRateHz, int outputRateHz)
    {
        var resampler = new PolyphaseResampler(inputRateHz, outputRateHz, 1);
        var impulse = new float[4096];
        impulse[0] = 1f;
        var y = ConvertAll(resampler, impulse);
        var peak = Array.IndexOf(y, y.Max());
        Assert.Equal(resampler.LatencyOutputFrames, peak);

        resampler.Reset();
        // 50 Hz: one period is longer than any latency here, so the phase delay is unambiguous.
        const double f = 50.0;
        var tone = ConvertAll(resampler, Sine(inputRateHz / 4, f, inputRateHz));
        var start = 2 * resampler.LatencyOutputFrames;
        var (_, phase) = SignalMeasure.FitTone(tone.AsSpan(start, tone.Length - (2 * start)), f, outputRateHz, start);
        var period = outputRateHz / f;
        var delayFrames = (((-phase / (2 * Math.PI * f) * outputRateHz) % period) + period) % period;
        Assert.InRange(delayFrames, resampler.LatencyOutputFrames - 0.01, resampler.LatencyOutputFrames + 0.01);
    }

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void OutputCounts_AreExactAndPredictedBeforeEachCall(int inputRateHz, int outputRateHz)
    {
        var resampler = new PolyphaseResampler(inputRateHz, outputRateHz, 2);
        var rng = new Random(3);
        var total = 0L;
        var totalInput = 0L;
        var buffer = new float[2 * 4000];
        for (var call = 0; call < 200; call++)
        {
            var frames = rng.Next(0, 700);
            var predicted = resampler.GetOutputFrameCount(frames);
            Assert.InRange(predicted, 0, resampler.MaxOutputFrameCount(frames));
            var produced = resampler.Process(new float[2 * frames], buffer, out var consumed);
            Assert.Equal(frames, consumed);
            Assert.Equal(predicted, produced);
            total += produced;
            totalInput += frames;
        }

        var expectedTotal = ((totalInput * resampler.UpFactor) + resampler.DownFactor - 1) / resampler.DownFactor;
        Assert.Equal(expectedTotal, total);
        var tail = 0;
        int got;
        while ((got = resampler.Flush(buffer.AsSpan(0, 2 * 7))) > 0)
        {
            tail += got;
        }

        Assert.Equal(resampler.LatencyOutputFrames, tail);
    }

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void RandomBlockSizesAndSmallOutputBuffers_GiveTheSameOutputAsOneShot(int inputRateHz, int outputRateHz)
    {
        const int channels = 2;
        const int frames = 6000;
        var rng = new Random(11);
        var left = Enumerable.Range(0, frames).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var right = Sine(frames, 3_000, inputRateHz, 0.5);

        var oneShot = new PolyphaseResampler(inputRateHz, outputRateHz, channels);
        var capacity = oneShot.MaxOutputFrameCount(frames) + oneShot.LatencyOutputFrames;
        var expected = new float[channels * capacity];
        var planar = left.Concat(right).ToArray();
        var count = oneShot.Process(planar, expected);
        var tail = new float[channels * oneShot.LatencyOutputFrames];
        var tailCount = oneShot.Flush(tail);
        for (var c = 0; c < channels; c++)
        {
            tail.AsSpan(c * tailCount, tailCount).CopyTo(expected.AsSpan((c * capacity) + count));
        }

        count += tailCount;

        var blockwise = new PolyphaseResampler(inputRateHz, outputRateHz, channels);
        var actual = new float[channels * capacity];
        var written = 0;
        var position = 0;
        while (position < frames)
        {
            var block = Math.Min(rng.Next(1, 900), frames - position);
            var blockInput = left.AsSpan(position, block).ToArray().Concat(right.AsSpan(position, block).ToArray()).ToArray();

            // Sometimes offer less room than needed: the call then consumes only part of the block.
            var room = rng.Next(2) == 0 ? blockwise.GetOutputFrameCount(block) : rng.Next(3, 40);
            var scratch = new float[channels * room];
            var produced = blockwise.Process(blockInput, scratch, out var consumed);
            for (var c = 0; c < channels; c++)
            {
                scratch.AsSpan(c * room, produced).CopyTo(actual.AsSpan((c * capacity) + written));
            }

            written += produced;
            position += consumed;
        }

        int got;
        var room2 = 5;
        var tailScratch = new float[channels * room2];
        while ((got = blockwise.Flush(tailScratch)) > 0)
        {
            for (var c = 0; c < channels; c++)
            {
                tailScratch.AsSpan(c * room2, got).CopyTo(actual.AsSpan((c * capacity) + written));
            }

            written += got;
        }

        Assert.Equal(count, written);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void ManyProcessCalls_AllocateNothing()
    {
        var resampler = new PolyphaseResampler(44_100, 48_000, 2);
        var input = new float[2 * 1024];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = MathF.Sin(i * 0.01f);
        }

        var buffer = new float[2 * resampler.MaxOutputFrameCount(1024)];
        var allocated = Support.Allocations.OnCurrentThread(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                resampler.Process(input, buffer);
            }

            resampler.Flush(buffer);
            resampler.Reset();
            resampler.Process(input, buffer);
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void NaNBurst_KeepsTheOutputFiniteAndActsLikeSilence()
    {
        var clean = Sine(8000, 1000, 48_000, 0.5);
        var dirty = (float[])clean.Clone();
        var zeroed = (float[])clean.Clone();
        for (var n = 3000; n < 3010; n++)
        {
            dirty[n] = n % 2 == 0 ? float.NaN : float.PositiveInfinity;
            zeroed[n] = 0f;
        }

        var y = ConvertAll(new PolyphaseResampler(48_000, 96_000, 1), dirty);
        var reference = ConvertAll(new PolyphaseResampler(48_000, 96_000, 1), zeroed);
        Assert.All(y, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(reference, y);
    }

    [Fact]
    public void SilentInput_GivesSilentOutput()
    {
        var y = ConvertAll(new PolyphaseResampler(44_100, 96_000, 1), new float[5000]);
        Assert.All(y, v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(0, 48_000, 1)]
    [InlineData(48_000, 100, 1)]
    [InlineData(48_000, 96_000, 0)]
    [InlineData(48_000, 96_000, 33)]
    public void InvalidSetup_ThrowsNamingTheParameter(int inputRateHz, int outputRateHz, int channels)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new PolyphaseResampler(inputRateHz, outputRateHz, channels));
        Assert.Contains(e.ParamName!, new[] { "inputRateHz", "outputRateHz", "channels" });
    }
}
