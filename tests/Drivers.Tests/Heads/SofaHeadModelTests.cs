namespace SpatialAudio.Drivers.Tests.Heads;

using System.Numerics;
using MathNet.Numerics.IntegralTransforms;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Heads;

public sealed class KemarFixture
{
    public SofaHeadModel Kemar { get; } = SofaHeadModel.Open(SofaHeadModel.DebianKemarPath);
}

public sealed class SofaHeadModelTests(KemarFixture fixture) : IClassFixture<KemarFixture>, IDisposable
{
    private readonly SofaHeadModel kemar = fixture.Kemar;
    private readonly string folder = Directory.CreateTempSubdirectory("sofa-tests").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void MitKemar_ReportsItsDimensions()
    {
        Assert.Equal(710, kemar.MeasurementCount);
        Assert.Equal(44100, kemar.SampleRateHz);
        Assert.Equal(44100, kemar.MeasuredSampleRateHz);
        Assert.Equal(512, kemar.IrLength);
        Assert.Equal(1.4, kemar.MeasurementDistanceMeters, 5);
        Assert.Equal(22050, kemar.MaxFrequencyHz);
        Assert.Contains("KEMAR", kemar.Name, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(90.0, 0.0)]
    [InlineData(-90.0, 0.0)]
    [InlineData(180.0, 0.0)]
    [InlineData(45.0, 30.0)]
    public void Positions_AreInTheHeadFrame_AtTheMeasurementDistance(double azimuthDeg, double elevationDeg)
    {
        var wanted = Vector3D.FromSpherical(azimuthDeg, elevationDeg);

        var position = kemar.SourcePosition(kemar.NearestMeasurement(wanted));

        Assert.Equal(1.4, position.Length, 4);
        Assert.True(Vector3D.Dot(wanted, position.Normalized()) > Math.Cos(3 * Math.PI / 180), position.ToString());
    }

    [Fact]
    public void SourceOnTheLeft_ReachesTheLeftEarFirst_ItdInHumanRange()
    {
        var left = new float[kemar.IrLength];
        var right = new float[kemar.IrLength];
        kemar.NearestHrir(Vector3D.FromSpherical(90, 0), left, right);

        var itd = InterauralAnalysis.ItdCrossCorrelationSeconds(left, right, kemar.SampleRateHz);

        Assert.InRange(itd, 600e-6, 800e-6);
        kemar.NearestHrir(Vector3D.FromSpherical(-90, 0), left, right);
        Assert.InRange(InterauralAnalysis.ItdCrossCorrelationSeconds(left, right, kemar.SampleRateHz), -800e-6, -600e-6);
    }

    [Fact]
    public void IldOfALeftSource_IsLargeAtHighFrequencies()
    {
        var side = 1.4 * Vector3D.FromSpherical(90, 0);

        // At 90 deg the far ear gets KEMAR's version of the sphere's bright spot, which eats into the 4 kHz band;
        // the octave above 4 kHz and the 4 kHz band at 60..80 deg are well above 10 dB.
        Assert.True(InterauralAnalysis.IldDb(kemar, side, 4000, 8000) > 10);
        Assert.True(InterauralAnalysis.IldThirdOctaveDb(kemar, side, 4000) > 5);
        Assert.True(new[] { 60.0, 70, 80 }.Max(az => InterauralAnalysis.IldThirdOctaveDb(kemar, 1.4 * Vector3D.FromSpherical(az, 0), 4000)) > 10);
        Assert.InRange(InterauralAnalysis.IldThirdOctaveDb(kemar, side, 250), 0.0, 6.0);
    }

    [Fact]
    public void MirrorDirections_GiveMirroredEars()
    {
        var worst = 0.0;
        for (var m = 0; m < kemar.MeasurementCount; m++)
        {
            var p = kemar.SourcePosition(m);
            var mirror = kemar.NearestMeasurement(new Vector3D(p.X, -p.Y, p.Z));
            var a = kemar.Hrir(m, Ear.Left);
            var b = kemar.Hrir(mirror, Ear.Right);
            double difference = 0, energy = 0;
            for (var n = 0; n < a.Length; n++)
            {
                difference += (a[n] - b[n]) * (a[n] - b[n]);
                energy += a[n] * a[n];
            }

            worst = Math.Max(worst, difference / energy);
        }

        Assert.True(worst < 1e-3, $"worst relative error energy {worst}");
    }

    [Fact]
    public void Response_AtAMeasuredDirection_IsTheScaledSpectrumOfTheMeasuredIrs()
    {
        var m = kemar.NearestMeasurement(Vector3D.FromSpherical(30, 0));
        var spectra = new[] { Ear.Left, Ear.Right }.Select(ear =>
        {
            var x = kemar.Hrir(m, ear).ToArray().Select(v => new Complex(v, 0)).ToArray();
            Fourier.Forward(x, FourierOptions.NoScaling);
            return x;
        }).ToArray();
        var bins = new[] { 5, 23, 93, 186 };
        var frequencies = bins.Select(k => k * kemar.SampleRateHz / kemar.IrLength).ToArray();
        var left = new Complex[bins.Length];
        var right = new Complex[bins.Length];

        kemar.Response(Ear.Left, 1.4 * Vector3D.FromSpherical(30, 0), frequencies, left);
        kemar.Response(Ear.Right, 1.4 * Vector3D.FromSpherical(30, 0), frequencies, right);

        for (var i = 0; i < bins.Length; i++)
        {
            Assert.Equal(kemar.LevelGain * spectra[0][bins[i]].Magnitude, left[i].Magnitude, 4);
            Assert.Equal(kemar.LevelGain * spectra[1][bins[i]].Magnitude, right[i].Magnitude, 4);
        }
    }

    [Fact]
    public void FrontalResponse_IsReferencedToTheHeadCenter_InTimeAndLevel()
    {
        const double rate = 44100;
        const double lead = 0.002;
        var front = new Vector3D(1.4, 0, 0);

        // Synthesized back into time, the frontal IR must start at the head-center time (the lead), not 0.85 ms later
        // where the trimmed MIT IRs start, nor 4.1 ms later (the 1.4 m path): the bulk delay is gone.
        var ir = HeadModels.ImpulseResponse(kemar, Ear.Left, front, rate, 2048, lead);
        var onset = InterauralAnalysis.ItdOnsetSeconds(new float[] { 1f }, ir, rate);
        Assert.InRange(onset, lead - (1.5 / rate), lead + (1.5 / rate));

        var frequencies = Enumerable.Range(0, 31).Select(i => 300.0 + (10 * i)).ToArray();
        var h = new Complex[frequencies.Length];
        kemar.Response(Ear.Left, front, frequencies, h);
        Assert.InRange(20 * Math.Log10(Math.Sqrt(h.Average(z => z.Magnitude * z.Magnitude))), -0.5, 0.5);
    }

    [Fact]
    public void InterpolatedDirection_LiesBetweenItsNeighbors()
    {
        var left = new float[kemar.IrLength];
        var right = new float[kemar.IrLength];
        double Itd(double az)
        {
            kemar.InterpolatedHrir(Vector3D.FromSpherical(az, 0), left, right);
            return InterauralAnalysis.ItdCrossCorrelationSeconds(left, right, kemar.SampleRateHz);
        }

        var itd40 = Itd(40);
        var itd42 = Itd(42.5);
        var itd45 = Itd(45);

        Assert.InRange(itd42, itd40 + 5e-6, itd45 - 5e-6);
        kemar.InterpolatedHrir(Vector3D.FromSpherical(40, 0), left, right);
        Assert.Equal(kemar.Hrir(kemar.NearestMeasurement(Vector3D.FromSpherical(40, 0)), Ear.Left).ToArray(), left);
    }

    [Fact]
    public void OpeningAtAnotherRate_ResamplesWithTheSameSpectrum()
    {
        var resampled = SofaHeadModel.Open(SofaHeadModel.DebianKemarPath, 48000);
        var direction = 1.4 * Vector3D.FromSpherical(-60, 10);
        var frequencies = new[] { 500.0, 2000.0, 8000.0, 15000.0 };
        var original = new Complex[4];
        var converted = new Complex[4];

        kemar.Response(Ear.Right, direction, frequencies, original);
        resampled.Response(Ear.Right, direction, frequencies, converted);

        Assert.Equal(48000, resampled.SampleRateHz);
        Assert.Equal(44100, resampled.MeasuredSampleRateHz);
        Assert.Equal((int)Math.Ceiling(512 * 48000.0 / 44100), resampled.IrLength);
        for (var k = 0; k < 4; k++)
        {
            Assert.InRange(20 * Math.Log10(converted[k].Magnitude / original[k].Magnitude), -0.5, 0.5);
        }
    }

    [Fact]
    public void MissingFile_IsNamedInTheError()
    {
        var path = Path.Combine(folder, "nowhere.sofa");

        var error = Assert.Throws<SofaFileException>(() => SofaHeadModel.Open(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TextFileNamedSofa_IsRejectedNamingTheFile()
    {
        var path = Path.Combine(folder, "x.sofa");
        File.WriteAllText(path, "this is not an HDF5 file\n");

        var error = Assert.Throws<SofaFileException>(() => SofaHeadModel.Open(path));

        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains("SOFA", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedRate_IsRejectedNamingTheParameter()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SofaHeadModel.Open(SofaHeadModel.DebianKemarPath, 1000));

        Assert.Equal("sampleRateHz", error.ParamName);
    }
}
