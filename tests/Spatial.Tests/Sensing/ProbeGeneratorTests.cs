using System.Numerics;
using SpatialAudio.Filters.Design;
using SpatialAudio.Spatial.Sensing.Probe;

namespace SpatialAudio.Spatial.Tests.Sensing;

public sealed class ProbeGeneratorTests
{
    // Power spectrum (Hann window) by the double-precision FFT.
    private static (double[] F, double[] P) Spectrum(float[] x, int rate)
    {
        var n = 1;
        while (n < x.Length)
        {
            n <<= 1;
        }

        var buffer = new Complex[n];
        for (var i = 0; i < x.Length; i++)
        {
            buffer[i] = x[i] * (0.5 - (0.5 * Math.Cos(2 * Math.PI * i / x.Length)));
        }

        DoubleFft.Forward(buffer);
        var p = new double[(n / 2) + 1];
        var f = new double[p.Length];
        for (var k = 0; k < p.Length; k++)
        {
            p[k] = buffer[k].Magnitude * buffer[k].Magnitude;
            f[k] = (double)k * rate / n;
        }

        return (f, p);
    }

    [Fact]
    public void SteadyProbe_IsATone_AtTheCarrier_AndTheRequestedLevel()
    {
        var probe = new ProbeGenerator(96000, 38000, levelDbfs: -20) { Enabled = true };
        var warm = new float[96000];
        probe.WriteTo(warm);   // past the ramp
        var x = new float[9600];
        probe.WriteTo(x);
        // Independent reference: least-squares amplitude of a 38 kHz sinusoid.
        double s = 0, c = 0;
        for (var n = 0; n < x.Length; n++)
        {
            s += x[n] * Math.Sin(2 * Math.PI * 38000 * n / 96000);
            c += x[n] * Math.Cos(2 * Math.PI * 38000 * n / 96000);
        }

        var amplitude = 2 * Math.Sqrt((s * s) + (c * c)) / x.Length;
        Assert.Equal(0.1, amplitude, 3);
        Assert.True(x.Max(Math.Abs) <= 0.1 + 1e-6);
    }

    [Fact]
    public void SwitchingOnAndOff_PutsNoEnergyIntoTheAudibleBand()
    {
        var probe = new ProbeGenerator(96000, 36000, levelDbfs: -20, rampMs: 20);
        var x = new float[96000];
        probe.WriteTo(x.AsSpan(0, 20000));
        probe.Enabled = true;
        probe.WriteTo(x.AsSpan(20000, 40000));
        probe.Enabled = false;
        probe.WriteTo(x.AsSpan(60000));
        Assert.True(probe.IsSilent);
        var (f, p) = Spectrum(x, 96000);
        double audible = 0, total = 0;
        for (var k = 0; k < p.Length; k++)
        {
            total += p[k];
            if (f[k] < 20000)
            {
                audible += p[k];
            }
        }

        Assert.True(10 * Math.Log10(audible / total) < -100, $"{10 * Math.Log10(audible / total):0.0} dB below 20 kHz");
    }

    [Fact]
    public void BlockSize_DoesNotChangeTheOutput()
    {
        var a = new ProbeGenerator(96000, 40000) { Enabled = true };
        var b = new ProbeGenerator(96000, 40000) { Enabled = true };
        var one = new float[20000];
        a.WriteTo(one);
        var pieces = new float[20000];
        var rng = new Random(1);
        for (var start = 0; start < pieces.Length;)
        {
            var count = Math.Min(pieces.Length - start, rng.Next(1, 999));
            b.WriteTo(pieces.AsSpan(start, count));
            start += count;
        }

        for (var n = 0; n < one.Length; n++)
        {
            Assert.Equal(one[n], pieces[n], 5);
        }
    }

    [Theory]
    [InlineData(48000, 38000)]   // no room above 32 kHz at 48 kHz
    [InlineData(96000, 30000)]   // audible-adjacent, below the sensing band
    [InlineData(96000, 47000)]   // too close to Nyquist
    public void CarrierOutsideTheSensingBand_IsRefused(int rate, double carrier) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProbeGenerator(rate, carrier));

    [Fact]
    public void AddTo_DoesNotAllocate()
    {
        var probe = new ProbeGenerator(96000, 38000) { Enabled = true };
        var buffer = new float[512];
        var allocated = SpatialAudio.Filters.Tests.Support.Allocations.OnCurrentThread(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                probe.AddTo(buffer);
                Array.Clear(buffer);
            }
        });
        Assert.Equal(0, allocated);
    }
}
