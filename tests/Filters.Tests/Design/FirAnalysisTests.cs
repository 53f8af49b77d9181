using System.Numerics;
using MathNet.Numerics.IntegralTransforms;
using SpatialAudio.Filters.Design;

namespace SpatialAudio.Filters.Tests.Design;

public sealed class FirAnalysisTests
{
    private static double[] RandomFir(int length, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => rng.NextDouble() - 0.5).ToArray();
    }

    [Fact]
    public void Response_MatchesTheDirectDtft()
    {
        var h = RandomFir(301, 1);
        var frequencies = new[] { 0.0, 17.3, 1_000, 12_345.6, 23_999, 24_000, 30_000 };
        var response = FirAnalysis.Response(h, frequencies, 48_000);
        for (var i = 0; i < frequencies.Length; i++)
        {
            var expected = Reference.Dtft(h, frequencies[i], 48_000);
            Assert.True((response[i] - expected).Magnitude < 1e-11, $"{frequencies[i]} Hz");
        }
    }

    [Fact]
    public void ResponseOnGrid_MatchesMathNetFft()
    {
        var h = RandomFir(100, 2);
        var grid = FirAnalysis.ResponseOnGrid(h, 256);
        var data = new Complex[256];
        for (var n = 0; n < h.Length; n++)
        {
            data[n] = h[n];
        }

        Fourier.Forward(data, FourierOptions.NoScaling);
        Assert.Equal(129, grid.Length);
        for (var k = 0; k < grid.Length; k++)
        {
            Assert.True((grid[k] - data[k]).Magnitude < 1e-11, $"bin {k}");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(63)]
    public void GroupDelayOfAPureDelay_IsTheDelayAtEveryFrequency(int delay)
    {
        var h = new double[64];
        h[delay] = 0.7;
        var frequencies = Reference.Grid(0, 24_000, 97).ToArray();
        Assert.All(FirAnalysis.GroupDelaySamples(h, frequencies, 48_000), d => Assert.Equal(delay, d, 9));
        var phase = FirAnalysis.UnwrappedPhase(FirAnalysis.Response(h, frequencies, 48_000));
        for (var i = 0; i < frequencies.Length; i++)
        {
            Assert.Equal(-2 * Math.PI * frequencies[i] / 48_000 * delay, phase[i], 9);
        }
    }

    [Fact]
    public void GroupDelay_MatchesTheNumericalDerivativeOfTheDirectPhase()
    {
        var h = RandomFir(31, 3);
        const double rate = 48_000;
        var frequencies = Reference.Grid(100, 23_900, 50).ToArray();
        var delays = FirAnalysis.GroupDelaySamples(h, frequencies, rate);
        for (var i = 0; i < frequencies.Length; i++)
        {
            const double step = 1e-3;
            var before = Reference.Dtft(h, frequencies[i] - step, rate);
            var after = Reference.Dtft(h, frequencies[i] + step, rate);
            var dPhase = (after / before).Phase;
            var numeric = -dPhase / (2 * Math.PI * 2 * step / rate);
            Assert.Equal(numeric, delays[i], 4);
        }
    }

    [Fact]
    public void GroupDelayAtAZeroOnTheUnitCircle_StaysFinite()
    {
        // 1 + z^-1 has its zero at Nyquist.
        var delays = FirAnalysis.GroupDelaySamples([1.0, 1.0], [0.0, 24_000.0], 48_000);
        Assert.Equal(0.5, delays[0], 12);
        Assert.True(double.IsFinite(delays[1]));
    }

    [Fact]
    public void MagnitudeDb_OfAHalfGain_IsMinus6_02Db()
    {
        Assert.Equal(20 * Math.Log10(0.5), FirAnalysis.MagnitudeDb([new Complex(0.3, 0.4)])[0], 12);
    }
}
