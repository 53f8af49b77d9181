using System.Numerics;
using MathNet.Numerics;
using MathNet.Numerics.IntegralTransforms;
using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Directivity;

namespace SpatialAudio.Drivers.Tests.Directivity;

public sealed class PistonDriverModelTests
{
    private const double C = 343.2;

    [Theory]
    [InlineData(0.025, 1000, 30)]
    [InlineData(0.05, 8000, 45)]
    [InlineData(0.08, 12000, 20)]
    [InlineData(0.08, 20000, 60)]
    [InlineData(0.10, 30000, 90)]
    [InlineData(0.10, 48000, 75)]
    [InlineData(0.20, 40000, 89)]
    public void PistonFactor_MatchesTheBesselFormula(double diameter, double frequency, double thetaDeg)
    {
        var model = new PistonDriverModel(DriverRole.Mid, diameter, 0.5);
        var x = 2 * Math.PI * frequency / C * diameter / 2 * Math.Sin(thetaDeg * Math.PI / 180);
        var expected = 2 * SpecialFunctions.BesselJ(1, x) / x;
        Assert.Equal(expected, model.PistonFactor(thetaDeg, frequency), 1e-9);
    }

    [Fact]
    public void FrontHemisphere_AboveTheBaffleStep_FollowsThePistonPattern()
    {
        var model = new PistonDriverModel(DriverRole.Mid, 0.08, 0.3);
        const double f = 9000; // 39 x the baffle step: the omni term is 0.5/39 of the on-axis level
        foreach (var theta in new[] { 10.0, 20, 30 })
        {
            var x = 2 * Math.PI * f / C * 0.04 * Math.Sin(theta * Math.PI / 180);
            var piston = 2 * SpecialFunctions.BesselJ(1, x) / x;
            var ratio = (model.Response(theta, f) / model.OnAxis(f)).Magnitude;
            Assert.InRange(ratio, Math.Abs(piston) - 0.03, Math.Abs(piston) + 0.03);
        }
    }

    [Theory]
    [InlineData(DriverRole.Woofer, 40.0, 1500.0)]
    [InlineData(DriverRole.Mid, 150.0, 10000.0)]
    [InlineData(DriverRole.Tweeter, 1500.0, 40000.0)]
    public void OnAxisMagnitude_IsTheBandPassTimesTheBaffleStepShelf(DriverRole role, double highPass, double lowPass)
    {
        const double width = 0.2;
        const double sensitivityDb = -1.5;
        var model = new PistonDriverModel(role, 0.05, width, sensitivityDb);
        var fb = 115 / width;
        foreach (var f in new[] { 10.0, 40, 150, 575, 1500, 5000, 10000, 32000, 46000 })
        {
            var h = f / highPass;
            var l = f / lowPass;
            var hp = h * h / Math.Sqrt(Math.Pow(1 - (h * h), 2) + Math.Pow(h / 0.707, 2));
            var lp = 1 / Math.Sqrt(Math.Pow(1 - (l * l), 2) + Math.Pow(l / 0.5, 2));
            var shelf = Math.Sqrt(0.25 + Math.Pow(f / fb, 2)) / Math.Sqrt(1 + Math.Pow(f / fb, 2));
            var expected = Math.Pow(10, sensitivityDb / 20) * hp * lp * shelf;
            Assert.Equal(expected, model.OnAxis(f).Magnitude, expected * 1e-9);
            var viaInterface = new Complex[1];
            model.Response(0, 0, [f], viaInterface);
            Assert.True((model.OnAxis(f) - viaInterface[0]).Magnitude < 1e-12 * expected);
        }
    }

    [Fact]
    public void TweeterBand_ReachesTheUltrasonicProbeBand()
    {
        var model = new PistonDriverModel(DriverRole.Tweeter, 0.025, 0.175);
        var reference = model.OnAxis(5000).Magnitude;
        foreach (var f in new[] { 32000.0, 40000, 46000 })
        {
            Assert.True(20 * Math.Log10(model.OnAxis(f).Magnitude / reference) > -10, $"{f} Hz");
        }
    }

    [Fact]
    public void OnAxisResponse_IsMinimumPhase()
    {
        // Reference: the minimum phase of the sampled magnitude by the folded real cepstrum (MathNet FFT) at 768 kHz.
        // The band-limited reference misses the log-magnitude slope above Nyquist, which adds a term linear in f (a
        // pseudo-delay of about a microsecond), so the check is: phase - reference is affine in f with a tiny residual.
        // The same check must fail for the model times a first-order all-pass (a non-minimum-phase zero at 3 kHz).
        var model = new PistonDriverModel(DriverRole.Mid, 0.05, 0.175);
        var (residual, delaySeconds) = ExcessPhaseResidual(f => model.OnAxis(f));
        Assert.True(residual < 0.02, $"excess phase departs from a pure delay by {residual} rad");
        Assert.InRange(delaySeconds, -3e-6, 3e-6);

        Complex AllPass(double f) => (1 - new Complex(0, f / 3000)) / (1 + new Complex(0, f / 3000));
        var (allPassResidual, _) = ExcessPhaseResidual(f => model.OnAxis(f) * AllPass(f));
        Assert.True(allPassResidual > 0.3, $"the check cannot see an all-pass ({allPassResidual} rad)");
    }

    private static (double Residual, double DelaySeconds) ExcessPhaseResidual(Func<double, Complex> response)
    {
        const int n = 1 << 18;
        const double fs = 768000;
        var cepstrum = new Complex[n];
        for (var k = 0; k <= n / 2; k++)
        {
            // Half a bin instead of DC: the band-pass's zeros at s = 0 make log|H(0)| infinite.
            var value = Math.Log(response(k == 0 ? fs / n / 2 : k * fs / n).Magnitude);
            cepstrum[k] = value;
            if (k > 0 && k < n / 2)
            {
                cepstrum[n - k] = value;
            }
        }

        Fourier.Inverse(cepstrum, FourierOptions.Matlab);
        for (var i = 1; i < n / 2; i++)
        {
            cepstrum[i] *= 2;
            cepstrum[n - i] = 0;
        }

        Fourier.Forward(cepstrum, FourierOptions.Matlab);
        var frequencies = new List<double>();
        var excess = new List<double>();
        for (var k = 1; k < n / 2; k += 7)
        {
            var f = k * fs / n;
            if (f >= 300 && f <= 20000)
            {
                frequencies.Add(f);
                excess.Add(Math.IEEERemainder(response(f).Phase - cepstrum[k].Imaginary, 2 * Math.PI));
            }
        }

        var (intercept, slope) = Fit.Line(frequencies.ToArray(), excess.ToArray());
        var residual = frequencies.Select((f, i) => Math.Abs(excess[i] - (intercept + (slope * f)))).Max();
        return (Math.Max(residual, Math.Abs(intercept)), -slope / (2 * Math.PI));
    }

    [Fact]
    public void LowFrequencies_RadiateOmnidirectionally()
    {
        var model = new PistonDriverModel(DriverRole.Woofer, 0.1, 0.175);
        var f = model.BaffleStepHz / 20;
        foreach (var theta in new[] { 45.0, 90, 135, 180 })
        {
            var db = 20 * Math.Log10((model.Response(theta, f) / model.OnAxis(f)).Magnitude);
            Assert.InRange(db, -0.5, 0.5);
        }
    }

    [Fact]
    public void Rear_IsAttenuatedIncreasinglyWithFrequency()
    {
        var model = new PistonDriverModel(DriverRole.Tweeter, 0.025, 0.3);
        var previous = 0.0;
        foreach (var multiple in new[] { 2.0, 5, 10, 20 })
        {
            var f = model.BaffleStepHz * multiple;
            var frontToBack = 20 * Math.Log10(model.OnAxis(f).Magnitude / model.Response(180, f).Magnitude);
            Assert.True(frontToBack > previous + 2, $"front-to-back {frontToBack:0.0} dB at {multiple} x f_b");
            previous = frontToBack;
        }

        Assert.True(previous > 15);
    }

    [Fact]
    public void Response_IsContinuousAcrossTheBafflePlane()
    {
        var model = new PistonDriverModel(DriverRole.Mid, 0.05, 0.175);
        foreach (var f in new[] { 200.0, 2000, 20000 })
        {
            var before = model.Response(89.999, f);
            var after = model.Response(90.001, f);
            Assert.True((before - after).Magnitude < 1e-3 * model.OnAxis(f).Magnitude, $"{f} Hz");
        }
    }

    [Fact]
    public void UnitVariation_IsSeededWithinTheSpreadAndDiffersPerUnit()
    {
        var values = Enumerable.Range(0, 50).Select(i => PistonDriverModel.UnitVariationDb(7, $"mid_{i}", 0.5)).ToArray();
        Assert.All(values, v => Assert.InRange(v, -0.5, 0.5));
        Assert.Equal(values[3], PistonDriverModel.UnitVariationDb(7, "mid_3", 0.5));
        Assert.NotEqual(values[3], PistonDriverModel.UnitVariationDb(8, "mid_3", 0.5));
        Assert.True(values.Distinct().Count() == 50);
        Assert.True(values.Min() < -0.3 && values.Max() > 0.3);
    }
}
