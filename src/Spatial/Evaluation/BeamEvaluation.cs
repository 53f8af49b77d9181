using System.Numerics;
using SpatialAudio.Drivers.Paths;

namespace SpatialAudio.Spatial.Evaluation;

/// <summary>Beam figures of the centre input over 500 Hz..4 kHz.</summary>
/// <param name="NullDepthDb">Level at +/-90 degrees below on axis, mean over bands and both sides, dB.</param>
/// <param name="WorstWindowDb">Worst level within +/-45 degrees relative to on axis over the bands (negative = below), dB.</param>
/// <param name="DirectivityIndexDb">3-D directivity index, mean over band centres, dB.</param>
/// <param name="MismatchNullDepthMeanDb">Null depth with random driver mismatch (+/-0.5 dB, +/-5 degrees), mean over draws, dB.</param>
/// <param name="MismatchNullDepthWorstDb">The same, worst draw, dB.</param>
/// <param name="BandNullDepthDb">Null depth per band, dB.</param>
/// <param name="BandDirectivityIndexDb">DI per band centre, dB.</param>
public sealed record BeamFigures(
    double NullDepthDb, double WorstWindowDb, double DirectivityIndexDb, double MismatchNullDepthMeanDb, double MismatchNullDepthWorstDb,
    double[] BandNullDepthDb, double[] BandDirectivityIndexDb);

/// <summary>The centre channel's far-field pattern: nulls, listening window, directivity index, robustness.</summary>
public sealed class BeamEvaluation
{
    /// <summary>Band range of the beam metrics, Hz (issue 4: 500 Hz..4 kHz).</summary>
    public const double LowHz = 500, HighHz = 4000;

    /// <summary>Random mismatch draws.</summary>
    public const int MismatchDraws = 64;

    private readonly DeviceAcoustics acoustics;
    private readonly FilterSpectra spectra;
    private readonly int input;

    /// <summary>Creates the evaluator for input <paramref name="input"/> (2 = C) of <paramref name="spectra"/>.</summary>
    public BeamEvaluation(DeviceAcoustics acoustics, FilterSpectra spectra, int input = 2)
    {
        ArgumentNullException.ThrowIfNull(acoustics);
        ArgumentNullException.ThrowIfNull(spectra);
        this.acoustics = acoustics;
        this.spectra = spectra;
        this.input = input;
        BandCentersHz = Bands.ThirdOctaveCenters(LowHz, HighHz);
    }

    /// <summary>Band centres, Hz.</summary>
    public double[] BandCentersHz { get; }

    /// <summary>Pattern level over <paramref name="azimuthsDeg"/> x <paramref name="frequenciesHz"/>, dB re on axis at each frequency.</summary>
    public double[][] PatternDb(double[] azimuthsDeg, double[] frequenciesHz, Complex[]? mismatch = null)
    {
        ArgumentNullException.ThrowIfNull(azimuthsDeg);
        ArgumentNullException.ThrowIfNull(frequenciesHz);
        var weights = WeightsAt(frequenciesHz, mismatch);
        var axis = new Complex[frequenciesHz.Length];
        acoustics.Pattern.Response(0, 0, Clamp(frequenciesHz), weights, axis);
        var result = new double[azimuthsDeg.Length][];
        var value = new Complex[frequenciesHz.Length];
        for (var a = 0; a < azimuthsDeg.Length; a++)
        {
            acoustics.Pattern.Response(azimuthsDeg[a], 0, Clamp(frequenciesHz), weights, value);
            result[a] = [.. value.Select((v, k) => 20 * Math.Log10(Math.Max(v.Magnitude, 1e-12) / Math.Max(axis[k].Magnitude, 1e-12)))];
        }

        return result;
    }

    /// <summary>All beam figures.</summary>
    public BeamFigures Figures(int seed = 1)
    {
        var nulls = NullDepths(null);
        var window = WindowWorst();
        var centers = Clamp(BandCentersHz);
        var di = acoustics.Pattern.DirectivityIndexDb(centers, WeightsAt(BandCentersHz, null));
        var random = new Random(seed);
        var draws = new double[MismatchDraws];
        for (var t = 0; t < MismatchDraws; t++)
        {
            var mismatch = new Complex[spectra.DriverCount];
            for (var d = 0; d < mismatch.Length; d++)
            {
                var gainDb = (random.NextDouble() * 2 - 1) * 0.5;
                var phase = (random.NextDouble() * 2 - 1) * 5 * Math.PI / 180;
                mismatch[d] = Complex.FromPolarCoordinates(Math.Pow(10, gainDb / 20), phase);
            }

            draws[t] = NullDepths(mismatch).Average();
        }

        return new BeamFigures(nulls.Average(), window, di.Average(), draws.Average(), draws.Min(), nulls, di);
    }

    private double[] NullDepths(Complex[]? mismatch)
    {
        var result = new double[BandCentersHz.Length];
        for (var b = 0; b < BandCentersHz.Length; b++)
        {
            var f = BandFrequencies(BandCentersHz[b]);
            var levels = PatternPower([0, 90, -90], f, mismatch);
            var side = 0.5 * (levels[1] + levels[2]);
            result[b] = 10 * Math.Log10(levels[0] / Math.Max(side, 1e-30));
        }

        return result;
    }

    private double WindowWorst()
    {
        var worst = double.PositiveInfinity;
        var azimuths = Enumerable.Range(-9, 19).Select(i => i * 5.0).ToArray();
        foreach (var center in BandCentersHz)
        {
            var levels = PatternPower(azimuths, BandFrequencies(center), null);
            var axis = levels[9];
            foreach (var level in levels)
            {
                worst = Math.Min(worst, 10 * Math.Log10(Math.Max(level, 1e-30) / axis));
            }
        }

        return worst;
    }

    // Band power (mean |P|^2 over the band's bins) toward each azimuth.
    private double[] PatternPower(double[] azimuths, double[] frequencies, Complex[]? mismatch)
    {
        var weights = WeightsAt(frequencies, mismatch);
        var value = new Complex[frequencies.Length];
        var result = new double[azimuths.Length];
        for (var a = 0; a < azimuths.Length; a++)
        {
            acoustics.Pattern.Response(azimuths[a], 0, Clamp(frequencies), weights, value);
            result[a] = value.Average(v => v.Magnitude * v.Magnitude);
        }

        return result;
    }

    private double[] BandFrequencies(double center)
    {
        var (low, high) = Bands.Edges(center);
        return [.. spectra.FrequenciesHz.Where(f => f >= low && f < high)];
    }

    // Filter weights at arbitrary frequencies: nearest evaluated bin (the spectra grid is fine enough).
    private Complex[][] WeightsAt(double[] frequencies, Complex[]? mismatch)
    {
        var f = spectra.FrequenciesHz;
        var step = f.Length > 1 ? f[1] - f[0] : 1;
        var result = new Complex[spectra.DriverCount][];
        for (var d = 0; d < spectra.DriverCount; d++)
        {
            var response = spectra.Response(input, d);
            result[d] = new Complex[frequencies.Length];
            for (var k = 0; k < frequencies.Length; k++)
            {
                var bin = Math.Clamp((int)Math.Round((frequencies[k] - f[0]) / step), 0, f.Length - 1);
                result[d][k] = response[bin] * (mismatch?[d] ?? Complex.One);
            }
        }

        return result;
    }

    private double[] Clamp(double[] frequencies) =>
        [.. frequencies.Select(v => Math.Min(v, 0.999 * acoustics.Pattern.MaxFrequencyHz))];
}
