using System.Numerics;
using SpatialAudio.Drivers.Measurements;
using SpatialAudio.Spatial.Design;
using SpatialAudio.Spatial.Design.Assembly;
using SpatialAudio.Spatial.Tests.Support;

namespace SpatialAudio.Spatial.Tests.Design;

public sealed class AssemblyTests
{
    [Theory]
    [InlineData(150.0)]
    [InlineData(2500.0)]
    public void LinkwitzRileyPair_SumsToUnitMagnitude_AndIsMinus6dBAtCutoff(double cutoffHz)
    {
        foreach (var f in new[] { 10.0, 0.5 * cutoffHz, cutoffHz, 2 * cutoffHz, 20000 })
        {
            // Independent reference: LR4 = squared 2nd-order Butterworth; LP + HP = (1 + s^4)/(1 + sqrt2 s + s^2)^2, |.| = 1.
            Assert.Equal(1.0, (Crossovers.LowPass(f, cutoffHz) + Crossovers.HighPass(f, cutoffHz)).Magnitude, 12);
        }

        Assert.Equal(-6.0206, 20 * Math.Log10(Crossovers.LowPass(cutoffHz, cutoffHz).Magnitude), 3);
        Assert.Equal(-6.0206, 20 * Math.Log10(Crossovers.HighPass(cutoffHz, cutoffHz).Magnitude), 3);
    }

    [Fact]
    public void FirConversion_OfAKnownFir_GivesItBackDelayedByTheModellingDelay()
    {
        var grid = new DesignGrid(48000, 1024);
        var rng = new Random(3);
        // A two-sided (non-causal) filter: taps at n = -20..+40, the way stage results come out.
        var taps = Enumerable.Range(-20, 61).ToDictionary(n => n, _ => rng.NextDouble() - 0.5);
        var response = new ResponseMatrix(grid, 1, 1);
        for (var k = 0; k < grid.BinCount; k++)
        {
            var sum = Complex.Zero;
            foreach (var (n, h) in taps)
            {
                sum += h * Complex.FromPolarCoordinates(1, -2 * Math.PI * k * n / grid.FftLength);
            }

            response[0, 0, k] = sum;
        }

        var impulses = FirConversion.ImpulseResponses(response);
        var delay = FirConversion.BestDelay([impulses], 256);
        var set = FirConversion.Cut(impulses, 256, delay);
        Assert.InRange(delay, 20 + FirConversion.TaperSamples, 256 - 40 - FirConversion.TaperSamples);
        Assert.True(set.TruncationErrorDb < -120, $"truncation {set.TruncationErrorDb} dB");
        foreach (var (n, h) in taps)
        {
            Assert.Equal(h, set.Filters[0][0][n + delay], 5);
        }
    }

    [Fact]
    public void MatrixPreset_IsFlatWithinTheEqLimitsAtTheListener()
    {
        var context = new DesignContext(MeasuredDevice.Load(RepoPaths.Device("pair"), 48000), new DesignOptions { GridFftLength = 4096, FirLength = 1024 });
        var matrix = MatrixPresets.Matrix(context);
        var listener = context.ListenerMatrix(context.Options.Listener);
        var f = context.Grid.FrequenciesHz;
        for (var k = 0; k < f.Length; k++)
        {
            if (f[k] < 300 || f[k] > 12000)
            {
                continue;
            }

            // L' alone reaches the listener through the left driver only; after EQ its level is within +/-3 dB.
            var sum = Complex.Zero;
            for (var d = 0; d < context.DriverCount; d++)
            {
                sum += listener[0, d, k] * matrix[d, 0, k];
            }

            Assert.InRange(20 * Math.Log10(sum.Magnitude), -3.0, 3.0);
        }
    }

    [Fact]
    public void BypassPreset_SendsLeftPlusCenterToTheLeftDriver()
    {
        var context = new DesignContext(MeasuredDevice.Load(RepoPaths.Device("pair"), 48000), new DesignOptions { GridFftLength = 4096, FirLength = 1024 });
        var bypass = MatrixPresets.Bypass(context);
        var left = context.Acoustics.Device.IndexOf("mid_left");
        var right = context.Acoustics.Device.IndexOf("mid_right");
        var k = context.Grid.BinOf(1000);
        Assert.Equal(1.0, bypass[left, 0, k].Magnitude, 9);   // L'
        Assert.Equal(1.0, bypass[left, 2, k].Magnitude, 9);   // C
        Assert.Equal(0.0, bypass[left, 1, k].Magnitude, 9);   // R'
        Assert.Equal(1.0, bypass[right, 1, k].Magnitude, 9);
    }
}
