using SpatialAudio.Filters.Audio;
using SpatialAudio.Spatial.RenderMatrices;
using SpatialAudio.Spatial.Rendering;

namespace SpatialAudio.Spatial.Tests.Rendering;

public sealed class RendererTests
{
    private static RenderMatrix RandomMatrix(int drivers, int taps, int latency, int seed, double scale = 0.3, string preset = "test")
    {
        var rng = new Random(seed);
        var filters = new float[3][][];
        for (var i = 0; i < 3; i++)
        {
            filters[i] = new float[drivers][];
            for (var d = 0; d < drivers; d++)
            {
                filters[i][d] = [.. Enumerable.Range(0, taps).Select(n => (float)((rng.NextDouble() - 0.5) * scale * Math.Exp(-n / (taps / 4.0))))];
            }
        }

        return new RenderMatrix(preset, 48000, [.. Enumerable.Range(0, drivers).Select(d => $"d{d}")], filters, latency);
    }

    private static float[] Noise(int n, int seed, double amplitude)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() - 0.5) * 2 * amplitude))];
    }

    // Naive reference: passive upmix (C = (L + R)/2, L' = L - C, R' = R - C), then direct convolution in double.
    private static double[][] Reference(float[] left, float[] right, RenderMatrix matrix)
    {
        var n = left.Length;
        var inputs = new double[3][];
        inputs[0] = new double[n];
        inputs[1] = new double[n];
        inputs[2] = new double[n];
        for (var t = 0; t < n; t++)
        {
            var c = 0.5 * (left[t] + right[t]);
            inputs[0][t] = left[t] - c;
            inputs[1][t] = right[t] - c;
            inputs[2][t] = c;
        }

        var result = new double[matrix.DriverCount][];
        for (var d = 0; d < matrix.DriverCount; d++)
        {
            result[d] = new double[n];
            for (var i = 0; i < 3; i++)
            {
                var h = matrix.Filter(i, d);
                for (var t = 0; t < n; t++)
                {
                    double sum = 0;
                    for (var k = 0; k < h.Length && k <= t; k++)
                    {
                        sum += h[k] * inputs[i][t - k];
                    }

                    result[d][t] += sum;
                }
            }
        }

        return result;
    }

    private static float[] ReadAll(SpatialRenderer renderer, Random? sizes = null)
    {
        var all = new List<float>();
        var buffer = new float[renderer.Format.Channels * 1000];
        while (true)
        {
            var frames = sizes is null ? 1000 : sizes.Next(1, 1000);
            var read = renderer.Read(buffer.AsSpan(0, frames * renderer.Format.Channels));
            if (read == 0)
            {
                break;
            }

            all.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        return [.. all];
    }

    [Fact]
    public void Output_EqualsUpmixPlusDirectConvolution_DelayedByTheReportedLatency_ForRandomCallerSizes()
    {
        var matrix = RandomMatrix(3, 200, 37, 1);
        var left = Noise(6000, 2, 0.05);
        var right = Noise(6000, 3, 0.05);
        var renderer = new SpatialRenderer(ArraySampleSource.FromPlanar(48000, left, right), matrix, new RendererOptions { BlockSize = 64 });
        var output = ReadAll(renderer, new Random(4));
        var reference = Reference(left, right, matrix);
        var latency = renderer.LatencySamples - matrix.LatencySamples;   // the modelling delay is inside the FIRs themselves
        Assert.True(output.Length / 3 >= left.Length + latency, "the tail is flushed");
        double error = 0, power = 0;
        for (var t = 0; t < left.Length; t++)
        {
            for (var d = 0; d < 3; d++)
            {
                var y = output[((t + latency) * 3) + d];
                error += Math.Pow(y - reference[d][t], 2);
                power += reference[d][t] * reference[d][t];
            }
        }

        Assert.True(10 * Math.Log10(error / power) < -100, $"error {10 * Math.Log10(error / power):0.0} dB");
    }

    [Fact]
    public void Limiter_NeverExceedsTheCeiling_AndIsADelayBelowIt()
    {
        var limiter = new LookAheadLimiter(2, 48000, ceilingDb: -1, lookAheadMs: 2);
        var ceiling = Math.Pow(10, -1 / 20.0);
        var rng = new Random(5);
        var loud = new float[2 * 4800];
        for (var i = 0; i < loud.Length; i++)
        {
            loud[i] = (float)((rng.NextDouble() - 0.5) * 6 * (i % 4800 > 2000 ? 1 : 0.1));
        }

        var copy = (float[])loud.Clone();
        limiter.Process(loud, 4800, 4800);
        Assert.All(loud, v => Assert.True(Math.Abs(v) <= ceiling + 1e-6, $"{v}"));

        var quiet = new LookAheadLimiter(2, 48000, ceilingDb: -1, lookAheadMs: 2);
        var signal = Noise(2 * 4800, 6, 0.5);
        var original = (float[])signal.Clone();
        quiet.Process(signal, 4800, 4800);
        var delay = quiet.LookAheadSamples;
        for (var c = 0; c < 2; c++)
        {
            for (var n = delay; n < 4800; n++)
            {
                Assert.Equal(original[(c * 4800) + n - delay], signal[(c * 4800) + n]);
            }
        }

        Assert.Equal(1.0, quiet.TakeMinimumGain());
        _ = copy;
    }

    [Fact]
    public void PresetSwitch_DuringASteadySine_AddsNoTransientAbove40dBBelowTheSignal()
    {
        const int rate = 48000;
        var n = rate;
        var tone = Enumerable.Range(0, n).Select(t => (float)(0.3 * Math.Sin(2 * Math.PI * 1000 * t / rate))).ToArray();
        // Two presets: different gains and a different delay of the left signal path.
        var a = Routing(1.0f, 0, "a");
        var b = Routing(0.5f, 3, "b");
        var renderer = new SpatialRenderer(ArraySampleSource.FromPlanar(rate, tone, new float[n]), a, new RendererOptions { BlockSize = 256, CrossfadeMs = 20 });
        var buffer = new float[2 * 256];
        var output = new List<float>();
        for (var block = 0; block < n / 256; block++)
        {
            if (block == 100)
            {
                renderer.SetRenderMatrix(b);
            }

            renderer.Read(buffer);
            for (var t = 0; t < 256; t++)
            {
                output.Add(buffer[2 * t]);
            }
        }

        // Residual after a least-squares fit of a sine with linearly varying amplitude over each 128-sample window:
        // a click or discontinuity leaves broadband energy the fit cannot absorb.
        var worst = double.NegativeInfinity;
        for (var start = 90 * 256; start < 140 * 256; start += 64)
        {
            worst = Math.Max(worst, ResidualDb(output, start, 128, 1000.0 / rate));
        }

        Assert.True(worst < -40, $"worst residual {worst:0.0} dB re the signal");

        static RenderMatrix Routing(float gain, int delay, string name)
        {
            var filters = new float[3][][];
            for (var i = 0; i < 3; i++)
            {
                filters[i] = [new float[16], new float[16]];
                filters[i][0][delay] = gain;   // L' and C to driver 0
                filters[i][1][delay] = i == 1 ? gain : 0;
            }

            filters[1][0] = new float[16];
            return new RenderMatrix(name, 48000, ["l", "r"], filters, 0);
        }
    }

    private static double ResidualDb(List<float> signal, int start, int length, double cyclesPerSample)
    {
        // Basis: sin, cos, t sin, t cos (normal equations, 4 x 4).
        var basis = new double[4][];
        for (var j = 0; j < 4; j++)
        {
            basis[j] = new double[length];
        }

        for (var t = 0; t < length; t++)
        {
            var phase = 2 * Math.PI * cyclesPerSample * (start + t);
            var u = (t - (length / 2.0)) / length;
            basis[0][t] = Math.Sin(phase);
            basis[1][t] = Math.Cos(phase);
            basis[2][t] = u * Math.Sin(phase);
            basis[3][t] = u * Math.Cos(phase);
        }

        var a = new double[4, 5];
        for (var r = 0; r < 4; r++)
        {
            for (var c = 0; c < 4; c++)
            {
                a[r, c] = basis[r].Zip(basis[c], (x, y) => x * y).Sum();
            }

            a[r, 4] = Enumerable.Range(0, length).Sum(t => basis[r][t] * signal[start + t]);
        }

        for (var p = 0; p < 4; p++)
        {
            for (var r = p + 1; r < 4; r++)
            {
                var f = a[r, p] / a[p, p];
                for (var c = p; c < 5; c++)
                {
                    a[r, c] -= f * a[p, c];
                }
            }
        }

        var x = new double[4];
        for (var r = 3; r >= 0; r--)
        {
            var sum = a[r, 4];
            for (var c = r + 1; c < 4; c++)
            {
                sum -= a[r, c] * x[c];
            }

            x[r] = sum / a[r, r];
        }

        double residual = 0, power = 0;
        for (var t = 0; t < length; t++)
        {
            var fit = (x[0] * basis[0][t]) + (x[1] * basis[1][t]) + (x[2] * basis[2][t]) + (x[3] * basis[3][t]);
            residual += Math.Pow(signal[start + t] - fit, 2);
            power += signal[start + t] * (double)signal[start + t];
        }

        return 10 * Math.Log10(residual / power);
    }

    [Fact]
    public void NaNBurst_NeverReachesTheDrivers_AndTheOutputRecovers()
    {
        var matrix = RandomMatrix(2, 64, 0, 7);
        var left = Noise(8000, 8, 0.1);
        var right = Noise(8000, 9, 0.1);
        var poisoned = (float[])left.Clone();
        for (var t = 2000; t < 2100; t++)
        {
            poisoned[t] = t % 2 == 0 ? float.NaN : float.PositiveInfinity;
        }

        var renderer = new SpatialRenderer(ArraySampleSource.FromPlanar(48000, poisoned, right), matrix, new RendererOptions { BlockSize = 64 });
        var output = ReadAll(renderer);
        Assert.All(output, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(100, renderer.NonFiniteSamples);

        // Well after the burst, the output equals that of the clean input with the burst replaced by silence.
        var cleaned = (float[])left.Clone();
        Array.Clear(cleaned, 2000, 100);
        var expected = ReadAll(new SpatialRenderer(ArraySampleSource.FromPlanar(48000, cleaned, right), matrix, new RendererOptions { BlockSize = 64 }));
        for (var i = 2 * 3000; i < 2 * 7000; i++)
        {
            Assert.Equal(expected[i], output[i], 6);
        }
    }

    [Fact]
    public void Read_DoesNotAllocate()
    {
        var matrix = RandomMatrix(5, 512, 10, 10);
        var renderer = new SpatialRenderer(ArraySampleSource.FromPlanar(48000, Noise(48000, 11, 0.1), Noise(48000, 12, 0.1)), matrix, new RendererOptions { BlockSize = 128 });
        var buffer = new float[5 * 300];
        for (var i = 0; i < 20; i++)
        {
            renderer.Read(buffer);
        }

        var allocated = SpatialAudio.Filters.Tests.Support.Allocations.OnCurrentThread(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                renderer.Read(buffer);
                renderer.GainDb = -i * 0.1;
            }
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Soak_TenMinutes_RandomBlocksSwitchesAndNaNBursts_StaysFiniteBoundedAndOnTime()
    {
        const int rate = 48000;
        var presets = new[] { RandomMatrix(4, 256, 20, 20, 1.0, "p0"), RandomMatrix(4, 256, 20, 21, 1.0, "p1"), RandomMatrix(4, 128, 5, 22, 1.0, "p2") };
        var frames = 10L * 60 * rate;
        var source = new SoakSource(rate, frames, 23);
        var renderer = new SpatialRenderer(source, presets[0], new RendererOptions { BlockSize = 256, MaxFirLength = 512 });
        var ceiling = renderer is not null ? Math.Pow(10, -1 / 20.0) : 0;
        var rng = new Random(24);
        var buffer = new float[4 * 4096];
        long total = 0;
        var switcher = new Random(25);
        while (true)
        {
            var count = rng.Next(1, 4096);
            var read = renderer!.Read(buffer.AsSpan(0, count * 4));
            if (read == 0)
            {
                break;
            }

            for (var i = 0; i < read; i++)
            {
                if (!float.IsFinite(buffer[i]) || Math.Abs(buffer[i]) > ceiling + 1e-6)
                {
                    Assert.Fail($"sample {total + (i / 4)}: {buffer[i]}");
                }
            }

            total += read / 4;
            if (switcher.Next(50) == 0)
            {
                renderer.SetRenderMatrix(presets[switcher.Next(presets.Length)]);
            }
        }

        // Latency did not drift: exactly the input plus the flushed tail came out.
        Assert.InRange(total, frames + renderer!.LatencySamples, frames + renderer.LatencySamples + renderer.MaxFirLength + 512);
        Assert.True(renderer.NonFiniteSamples > 0);
    }

    /// <summary>Loud noise with NaN/Inf bursts, generated on the fly (10 minutes would be 230 MB as an array).</summary>
    private sealed class SoakSource(int rate, long frames, int seed) : ISampleSource
    {
        private readonly Random rng = new(seed);
        private long position;

        public AudioFormat Format { get; } = new(rate, 2);

        public int Read(Span<float> buffer)
        {
            var count = (int)Math.Min(buffer.Length / 2, frames - position);
            for (var i = 0; i < count; i++)
            {
                var t = position + i;
                var burst = t % (rate * 7) < 50;
                buffer[2 * i] = burst ? float.NaN : (float)(rng.NextDouble() - 0.5) * 2;
                buffer[(2 * i) + 1] = burst && t % 2 == 0 ? float.NegativeInfinity : (float)(rng.NextDouble() - 0.5) * 2;
            }

            position += count;
            return count * 2;
        }
    }
}
