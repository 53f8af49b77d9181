using System.Numerics;
using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Measurements;
using SpatialAudio.Spatial.Design;
using SpatialAudio.Spatial.Design.Assembly;
using SpatialAudio.Spatial.Tests.Support;

namespace SpatialAudio.Spatial.Tests.Design.Assembly;

public sealed class AssemblyComponentTests
{
    private static readonly DesignGrid Grid = new(48000, 4096);

    private static DeviceDescription Studio5 => DeviceFile.Load(Path.Combine(RepoPaths.Device("studio5"), "device.json"));

    // Independent reference: the sum of an LR4 pair is the 2nd-order all-pass (1 - sqrt2 s + s^2) / (1 + sqrt2 s + s^2), s = j f / fc.
    private static Complex AllPass(double f, double fc)
    {
        var s = new Complex(0, f / fc);
        return (1 - (Math.Sqrt(2) * s) + (s * s)) / (1 + (Math.Sqrt(2) * s) + (s * s));
    }

    [Fact]
    public void WooferAndMidBands_SumToTheAnalyticLr4AllPass()
    {
        var device = Studio5;
        var bands = new DriverBands(Grid, device, 150, 2500);
        var woofer = device.IndexOf("woofer");
        var mid = device.IndexOf("mid_left");
        Assert.True(bands.HasBassManagement);
        for (var k = 1; k < Grid.BinCount; k += 7)
        {
            var f = Grid.FrequenciesHz[k];
            var sum = bands.Band(woofer)[k] + bands.Band(mid)[k];
            Assert.Equal(1.0, sum.Magnitude, 9);
            Assert.True((sum - AllPass(f, 150)).Magnitude < 1e-9, $"{f} Hz");
        }
    }

    [Fact]
    public void TweeterAndMidOfOneGroup_SplitComplementarily_AfterBassManagement()
    {
        var device = Studio5;
        var bands = new DriverBands(Grid, device, 150, 2500);
        var tweeter = device.IndexOf("tweeter");
        var top = device.IndexOf("mid_top");
        var woofer = device.IndexOf("woofer");
        for (var k = 1; k < Grid.BinCount; k += 7)
        {
            var f = Grid.FrequenciesHz[k];
            var expected = (AllPass(f, 2500) * (AllPass(f, 150) - bands.Band(woofer)[k])) + bands.Band(woofer)[k];
            var sum = bands.Band(tweeter)[k] + bands.Band(top)[k] + bands.Band(woofer)[k];
            Assert.True((sum - expected).Magnitude < 1e-9, $"{f} Hz");
            Assert.Equal(bands.Band(tweeter)[k].Magnitude, bands.Availability(tweeter)[k], 12);
        }

        // The bands split -6 dB each at the crossover; the mid stays available to the stages above it (a routing choice,
        // not a limit of the mid).
        Assert.Equal(-6.02, 20 * Math.Log10(bands.Band(top)[Grid.BinOf(2500)].Magnitude), 0);
        Assert.Equal(-6.02, 20 * Math.Log10(bands.Availability(tweeter)[Grid.BinOf(2500)]), 0);
        Assert.Equal(1.0, bands.Availability(top)[Grid.BinOf(10000)], 6);
    }

    [Fact]
    public void WithoutWoofer_EveryDriverIsFullBand_AndBassAvailabilityFollowsTheMeasuredResponse()
    {
        var device = DeviceFile.Load(Path.Combine(RepoPaths.Device("pair"), "device.json"));
        var toward = new ResponseMatrix(Grid, 1, 2);
        for (var k = 0; k < Grid.BinCount; k++)
        {
            // Driver 0: 20 dB weaker below 200 Hz; driver 1 flat.
            toward[0, 0, k] = Grid.FrequenciesHz[k] < 200 ? 0.1 : 1.0;
            toward[0, 1, k] = 1.0;
        }

        var bands = new DriverBands(Grid, device, 150, 2500, toward);
        Assert.False(bands.HasBassManagement);
        Assert.Equal(0.1, bands.Availability(0)[Grid.BinOf(80)], 2);
        Assert.Equal(1.0, bands.Availability(0)[Grid.BinOf(1000)], 9);
        Assert.Equal(1.0, bands.Availability(1)[Grid.BinOf(80)], 9);
        Assert.Equal(Complex.One, bands.Band(0)[Grid.BinOf(80)]);

        // The EQ makes up 6 dB of the roll-off: only the remaining 14 dB limit the driver.
        var equalized = new DriverBands(Grid, device, 150, 2500, toward, eqBoostDb: 6);
        Assert.Equal(0.2, equalized.Availability(0)[Grid.BinOf(80)], 2);
        Assert.Equal(1.0, equalized.Availability(0)[Grid.BinOf(1000)], 9);
    }

    [Fact]
    public void DriverEq_FlattensAKnownResponse_WithinTheBoostLimit()
    {
        // Known driver: +4 dB plateau 1..3 kHz, -10 dB notch plateau 6..12 kHz, 0 dB elsewhere.
        var response = new Complex[Grid.BinCount];
        var availability = new double[Grid.BinCount];
        for (var k = 0; k < Grid.BinCount; k++)
        {
            var f = Grid.FrequenciesHz[k];
            var db = f is >= 1000 and <= 3000 ? 4.0 : f is >= 6000 and <= 12000 ? -10.0 : 0.0;
            response[k] = Complex.FromPolarCoordinates(Math.Pow(10, db / 20), -0.3 * k);
            availability[k] = 1.0;
        }

        var gains = new DriverEq(MaxBoostDb: 6, MaxCutDb: 12).Gains(Grid, response, availability);
        double Out(double f) => 20 * Math.Log10(response[Grid.BinOf(f)].Magnitude * gains[Grid.BinOf(f)]);
        Assert.InRange(Out(1700), -0.1, 0.1);      // cut fully inside the plateau (1/3-octave smoothing reaches 1.12x either side)
        Assert.InRange(Out(400), -0.1, 0.1);
        Assert.InRange(Out(8500), -4.1, -3.9);     // -10 dB notch: boost stops at +6 dB
        Assert.True(gains.Max() <= Math.Pow(10, 6 / 20.0) + 1e-12);
    }

    [Fact]
    public void DriverEq_OutsideTheBand_FadesToUnity()
    {
        var response = Enumerable.Repeat(new Complex(0.25, 0), Grid.BinCount).ToArray();   // -12 dB everywhere
        var availability = new double[Grid.BinCount];                                      // driver not available at all
        var gains = new DriverEq().Gains(Grid, response, availability);
        Assert.All(gains, g => Assert.Equal(1.0, g, 12));
    }

    [Fact]
    public void DelayAlignment_RecoversPureDelays_AndDelaysTheFasterPathsToTheSlowest()
    {
        double[] delaysUs = [100, 300, 187.5];
        var arrivals = delaysUs.Select(t => DelayAlignment.ArrivalSeconds(Grid, DelayAlignment.DelayResponse(Grid, t * 1e-6))).ToArray();
        for (var i = 0; i < delaysUs.Length; i++)
        {
            Assert.Equal(delaysUs[i], arrivals[i] * 1e6, 6);
        }

        var align = DelayAlignment.AlignToSlowest(arrivals);
        Assert.Equal(200.0, align[0] * 1e6, 6);
        Assert.Equal(0.0, align[1] * 1e6, 6);
        Assert.Equal(112.5, align[2] * 1e6, 6);
    }

    [Fact]
    public void FirConversion_OfAPureAdvance_IsADelayedUnitImpulse()
    {
        var response = new ResponseMatrix(Grid, 1, 3);
        for (var k = 0; k < Grid.BinCount; k++)
        {
            response[0, 0, k] = Complex.FromPolarCoordinates(1, 2 * Math.PI * k * 5 / Grid.FftLength);   // 5 samples early
        }

        var fir = FirConversion.Convert(new Dictionary<string, ResponseMatrix> { ["x"] = response }, ["d"], 256, limiterMarginDb: 6)["x"];
        var h = fir.Matrix.Filter(0, 0);
        var peak = fir.Matrix.LatencySamples - 5;
        Assert.Equal(1.0, h[peak], 6);
        for (var n = 0; n < h.Length; n++)
        {
            Assert.True(n == peak || Math.Abs(h[n]) < 1e-6, $"tap {n}: {h[n]}");
        }

        Assert.True(fir.TruncationErrorDb < -100);
        Assert.Equal(0.0, fir.HeadroomGainDb);
    }

    [Fact]
    public void FirConversion_OfAOnePoleIir_MatchesItsImpulseResponse_WithinTheTruncationError()
    {
        // H(z) = 1 / (1 - a z^-1): h[n] = a^n, n >= 0.
        const double a = 0.99;   // a^n reaches the end of a 512-tap window: a real truncation
        var response = new ResponseMatrix(Grid, 2, 3);
        for (var k = 0; k < Grid.BinCount; k++)
        {
            response[1, 2, k] = 1 / (1 - (a * Complex.FromPolarCoordinates(1, -2 * Math.PI * k / Grid.FftLength)));
        }

        var fir = FirConversion.Convert(new Dictionary<string, ResponseMatrix> { ["iir"] = response }, ["a", "b"], 512, limiterMarginDb: 60)["iir"];
        var h = fir.Matrix.Filter(2, 1);
        var delay = fir.Matrix.LatencySamples;
        var total = 1 / (1 - (a * a));
        var errorEnergy = 0.0;
        for (var n = 0; n < h.Length; n++)
        {
            var expected = n >= delay ? Math.Pow(a, n - delay) : 0.0;
            errorEnergy += (h[n] - expected) * (h[n] - expected);
        }

        var errorDb = 10 * Math.Log10(errorEnergy / total);
        Assert.True(fir.TruncationErrorDb < -40, $"truncation {fir.TruncationErrorDb} dB");
        // The taper only touches taps the window already cuts short, so the error stays near the truncation error.
        Assert.True(fir.TruncationErrorDb > -60, $"truncation {fir.TruncationErrorDb} dB");
        Assert.True(errorDb < fir.TruncationErrorDb + 6, $"error {errorDb} dB vs truncation {fir.TruncationErrorDb} dB, delay {delay}, taps {string.Join(",", h[(delay - 2)..(delay + 3)].ToArray())} ... {string.Join(",", h[^5..].ToArray())}");
    }

    [Fact]
    public void FirConversion_Headroom_AttenuatesAPresetWhoseWorstCaseSineGainExceedsTheLimiterMargin()
    {
        var loud = new ResponseMatrix(Grid, 1, 3);
        for (var k = 0; k < Grid.BinCount; k++)
        {
            loud[0, 0, k] = 2.0;   // L' at +6 dB
            loud[0, 2, k] = 2.0;   // and C at +6 dB: +12 dB when both are at full scale in phase
        }

        var fir = FirConversion.Convert(new Dictionary<string, ResponseMatrix> { ["loud"] = loud }, ["d"], 256, limiterMarginDb: 6)["loud"];
        Assert.Equal(20 * Math.Log10(4), fir.WorstCaseSineGainDb, 9);
        Assert.Equal(6 - (20 * Math.Log10(4)), fir.HeadroomGainDb, 9);
        Assert.Equal(2 * Math.Pow(10, (6 - (20 * Math.Log10(4))) / 20), fir.Matrix.Filter(0, 0).ToArray().Max(), 5);
    }

    [Fact]
    public void Composer_TakesWooferRowsFromTheMatrixPreset_AndHighPassesFullBandStageFilters()
    {
        var device = Studio5;
        var bands = new DriverBands(Grid, device, 150, 2500);
        var n = device.Drivers.Count;
        var matrix = new ResponseMatrix(Grid, n, 3);
        var sides = new ResponseMatrix(Grid, n, 2);
        var center = new ResponseMatrix(Grid, n, 1);
        var woofer = device.IndexOf("woofer");
        var left = device.IndexOf("mid_left");
        for (var k = 0; k < Grid.BinCount; k++)
        {
            for (var i = 0; i < 3; i++)
            {
                matrix[woofer, i, k] = bands.Band(woofer)[k];
            }

            sides[left, 0, k] = 1.0;   // a full-band stage filter
        }

        var preset = PresetComposer.Compose(bands, matrix, sides, center, StageBand.FullBand);
        for (var k = 1; k < Grid.BinCount; k += 5)
        {
            // L' reaches the woofer (low-pass) and mid_left (high-pass): the pair sums to the LR4 all-pass.
            var sum = preset[woofer, 0, k] + preset[left, 0, k];
            Assert.Equal(1.0, sum.Magnitude, 9);
            Assert.Equal(matrix[woofer, 2, k], preset[woofer, 2, k]);
        }

        var asGiven = PresetComposer.Compose(bands, matrix, sides, center, StageBand.BandLimited);
        Assert.Equal(Complex.One, asGiven[left, 0, Grid.BinOf(50)]);
    }

    [Fact]
    public void Bypass_LeftPlusCenterThroughTheLeftDrivers_IsTheLeftRouting()
    {
        var context = new DesignContext(MeasuredDevice.Load(RepoPaths.Device("studio5"), 48000), new DesignOptions { GridFftLength = 4096, FirLength = 1024 });
        var bypass = MatrixPresets.Bypass(context);
        var groups = context.Groups;
        for (var d = 0; d < context.DriverCount; d++)
        {
            for (var k = 0; k < context.Grid.BinCount; k += 3)
            {
                // L = L' + C: a driver on the left must treat L' and C identically and ignore R'; the right side mirrors it.
                switch (groups.Sides[d])
                {
                    case DriverSide.Left when !groups.IsWoofer[d]:
                        Assert.Equal(bypass[d, 0, k], bypass[d, 2, k]);
                        Assert.Equal(Complex.Zero, bypass[d, 1, k]);
                        break;
                    case DriverSide.Right when !groups.IsWoofer[d]:
                        Assert.Equal(bypass[d, 1, k], bypass[d, 2, k]);
                        Assert.Equal(Complex.Zero, bypass[d, 0, k]);
                        break;
                }
            }
        }

        // No EQ, no alignment: mid_left at 1 kHz is exactly its LR4 high-pass.
        var left = context.Acoustics.Device.IndexOf("mid_left");
        var k1 = context.Grid.BinOf(1000);
        Assert.Equal(0.0, (bypass[left, 0, k1] - Crossovers.HighPass(context.Grid.FrequenciesHz[k1], 150)).Magnitude, 12);
    }
}
