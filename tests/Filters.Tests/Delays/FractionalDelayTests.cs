namespace SpatialAudio.Filters.Tests.Delays;

using SpatialAudio.Filters.Delays;
using SpatialAudio.Filters.Iir;
using SpatialAudio.Filters.Tests.Iir;

public sealed class FractionalDelayTests
{
    private const double Fs = 48000.0;

    [Theory]
    [InlineData(1, 0.6, 1200.0)] // first order: the flat band is narrower
    [InlineData(1, 1.4, 1200.0)]
    [InlineData(2, 1.7, 2400.0)]
    [InlineData(3, 3.3, 2400.0)]
    [InlineData(4, 4.25, 2400.0)]
    [InlineData(6, 5.6, 2400.0)]
    public void Thiran_AnalyticGroupDelay_IsWithin1PercentOfTarget_OverTheLowBand(int order, double delay, double bandHz)
    {
        var a = ThiranDesign.Denominator(order, delay);
        Assert.Equal(1.0, a[0]);
        Assert.Equal(delay, ThiranDesign.GroupDelaySamples(a, 0.0, Fs), 9);
        for (var f = 100.0; f <= bandHz; f += 100.0)
        {
            var tau = ThiranDesign.GroupDelaySamples(a, f, Fs);
            Assert.True(Math.Abs(tau - delay) < 0.01 * delay, $"N={order} D={delay} at {f} Hz: {tau}");
        }
    }

    [Theory]
    [InlineData(2, 1.7)]
    [InlineData(4, 4.25)]
    public void Thiran_Runtime_IsAllPass_WithMeasuredGroupDelayD(int order, double delay)
    {
        var filter = new ThiranAllPass(1, order, delay);
        var h = Dsp.Impulse(8192);
        filter.Process(h, h, 0);
        var a = ThiranDesign.Denominator(order, delay);
        var b = a.Reverse().ToArray();
        for (var f = 200.0; f <= 2400.0; f += 200.0)
        {
            var w = 2.0 * Math.PI * f / Fs;
            Assert.Equal(1.0, Dsp.Dtft(h, w).Magnitude, 5);
            Assert.Equal(Dsp.Analytic(b, a, w).Phase, Dsp.Dtft(h, w).Phase, 5);
            const double dw = 1e-4;
            var measured = -Dsp.Wrap(Dsp.Dtft(h, w + dw).Phase - Dsp.Dtft(h, w - dw).Phase) / (2 * dw);
            Assert.True(Math.Abs(measured - delay) < 0.01 * delay, $"{f} Hz: {measured}");
        }
    }

    [Fact]
    public void Thiran_RejectsUnstableDelay_AndRecoversFromNaN()
    {
        Assert.Equal("delaySamples", Assert.Throws<ArgumentOutOfRangeException>(() => ThiranDesign.Denominator(3, 2.0)).ParamName);
        Assert.Equal("order", Assert.Throws<ArgumentOutOfRangeException>(() => ThiranDesign.Denominator(0, 2.0)).ParamName);
        var filter = new ThiranAllPass(2, 3, 3.2);
        var burst = Dsp.Noise(128, 1);
        burst[5] = float.NaN;
        filter.Process(burst, burst, 1);
        var next = Dsp.Noise(512, 2);
        var output = new float[512];
        filter.Process(next, output, 1);
        var fresh = new float[512];
        new ThiranAllPass(1, 3, 3.2).Process(next, fresh, 0);
        Assert.Equal(fresh, output);
    }

    [Theory]
    [InlineData(1, 0.3)]
    [InlineData(3, 1.25)]
    [InlineData(3, 2.9)]
    [InlineData(5, 2.5)]
    public void Lagrange_DelaysPolynomialsUpToItsOrderExactly_AndHasDcDelayD(int order, double delay)
    {
        var taps = LagrangeDesign.Taps(order, delay);
        Assert.Equal(1.0, taps.Sum(), 12);
        Assert.Equal(delay, TransferFunction.GroupDelay(taps, [], 1e-9), 6);
        Assert.Equal(delay, TransferFunction.PhaseDelay(taps, [], 1e-4), 6);

        // A polynomial signal of degree = order, delayed by D, evaluated in double.
        double Signal(double t)
        {
            var v = 0.0;
            for (var p = 0; p <= order; p++)
            {
                v += Math.Pow(-1, p) * (p + 1) * 0.1 * Math.Pow(t / 10.0, p);
            }

            return v;
        }

        for (var n = order; n < 50; n++)
        {
            var y = 0.0;
            for (var k = 0; k <= order; k++)
            {
                y += taps[k] * Signal(n - k);
            }

            Assert.Equal(Signal(n - delay), y, 1e-10);
        }
    }

    [Theory]
    [InlineData(1, 7.3)]
    [InlineData(3, 1.0)]
    [InlineData(3, 17.62)]
    [InlineData(5, 40.5)]
    [InlineData(7, 3.999)]
    public void Farrow_WithConstantDelay_EqualsTheFixedLagrangeFilter(int order, double delay)
    {
        var farrow = new FarrowDelay(1, order, 64);
        var input = Dsp.Noise(2000, order);
        var output = new float[input.Length];
        var rng = new Random(4);
        for (var start = 0; start < input.Length;)
        {
            var length = Math.Min(rng.Next(0, 200), input.Length - start);
            farrow.Process(input.AsSpan(start, length), output.AsSpan(start, length), delay, 0);
            start += length;
        }

        var baseDelay = (order - 1) / 2;
        var whole = (int)Math.Floor(delay - baseDelay);
        var taps = LagrangeDesign.Taps(order, delay - whole);
        for (var n = 0; n < input.Length; n++)
        {
            var y = 0.0;
            for (var k = 0; k <= order; k++)
            {
                var i = n - whole - k;
                y += i >= 0 ? taps[k] * input[i] : 0.0;
            }

            Assert.True(Math.Abs(y - output[n]) < 1e-6, $"sample {n}: {output[n]} vs {y}");
        }
    }

    [Theory]
    [InlineData(-0.01)] // delay shrinking: source approaching, pitch up 1%
    [InlineData(0.02)]  // delay growing: receding, pitch down 2%
    public void Farrow_WithLinearlyRampingDelay_ShiftsFrequencyByDopplerFactor(double ratePerSample)
    {
        const double f0 = 1000.0;
        const int length = 24000;
        var input = Enumerable.Range(0, length).Select(n => (float)Math.Sin(2 * Math.PI * f0 * n / Fs)).ToArray();
        var startDelay = ratePerSample < 0 ? 600.0 : 20.0;
        var expectedHz = f0 * (1.0 - ratePerSample);

        // Ramp API, in blocks whose end delay is the next block's start.
        var farrow = new FarrowDelay(1, 3, 1024);
        var rampOut = new float[length];
        for (var start = 0; start < length; start += 480)
        {
            farrow.ProcessRamp(input.AsSpan(start, 480), rampOut.AsSpan(start, 480), startDelay + (ratePerSample * start), startDelay + (ratePerSample * (start + 480)), 0);
        }

        // Per-sample API.
        var perSample = new FarrowDelay(1, 3, 1024);
        var delays = Enumerable.Range(0, length).Select(n => (float)(startDelay + (ratePerSample * n))).ToArray();
        var sampleOut = new float[length];
        perSample.Process(input, sampleOut, delays, 0);

        var settled = 1024;
        Assert.Equal(expectedHz, Dsp.MeasureFrequency(rampOut.AsSpan(settled), Fs, expectedHz), 0.02);
        Assert.Equal(expectedHz, Dsp.MeasureFrequency(sampleOut.AsSpan(settled), Fs, expectedHz), 0.02);

        // And the waveform itself is the input at n - tau(n) (cubic interpolation error at 1 kHz is below -80 dB).
        for (var n = settled; n < length; n += 97)
        {
            var expected = Math.Sin(2 * Math.PI * f0 * (n - startDelay - (ratePerSample * n)) / Fs);
            Assert.Equal(expected, rampOut[n], 3);
        }
    }

    [Fact]
    public void Farrow_DoesNotAllocate_AndClampsDelaysWithoutThrowing()
    {
        var farrow = new FarrowDelay(2, 3, 100);
        var buffer = Dsp.Noise(512, 5);
        var delays = Enumerable.Range(0, 512).Select(i => i % 3 == 0 ? float.NaN : i * 1f).ToArray();
        farrow.Process(buffer, buffer, delays, 0);
        var allocated = Support.Allocations.OnCurrentThread(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                farrow.Process(buffer, buffer, delays, 1);
                farrow.ProcessRamp(buffer, buffer, 5.5, 7.25, 0);
                farrow.Process(buffer, buffer, 1e9, 0);
            }
        });
        Assert.Equal(0, allocated);
        Assert.All(buffer, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Thiran_DoesNotAllocate()
    {
        var filter = new ThiranAllPass(2, 4, 4.3);
        var buffer = Dsp.Noise(512, 6);
        var allocated = Support.Allocations.OnCurrentThread(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                filter.Process(buffer, buffer, i & 1);
            }
        });
        Assert.Equal(0, allocated);
    }
}
