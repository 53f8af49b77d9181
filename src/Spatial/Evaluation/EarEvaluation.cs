using System.Numerics;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Heads;
using SpatialAudio.Drivers.Paths;

namespace SpatialAudio.Spatial.Evaluation;

/// <summary>Separation and interaural cues of one input at one listener.</summary>
/// <param name="MeanSeparationDb">Ipsilateral minus contralateral ear level, mean over the bands, dB.</param>
/// <param name="MinSeparationDb">The worst band, dB.</param>
/// <param name="BandSeparationDb">Per band, dB.</param>
/// <param name="BandIldDb">Left minus right ear level per band, dB.</param>
/// <param name="ItdSeconds">Right-ear delay relative to the left: the interaural cross-correlation peak of the ear
/// signals low-passed at 1.5 kHz (<see cref="InterauralAnalysis.ItdCrossSpectrumSeconds"/>, the fine-structure ITD the
/// auditory system uses and the reference of <c>spatial inspect hrtf</c>), seconds.</param>
/// <param name="ItdGroupDelaySeconds">The interaural group delay (phase slope) over 500 Hz..1.5 kHz, seconds: a
/// diagnostic only; it follows every wiggle of the interaural phase (KEMAR at 30 degrees: 141 us against a 275 us
/// cross-correlation ITD and 350..390 us phase delays in that band).</param>
public sealed record EarCues(double MeanSeparationDb, double MinSeparationDb, double[] BandSeparationDb, double[] BandIldDb, double ItdSeconds, double ItdGroupDelaySeconds);

/// <summary>
/// What a listener's ears receive from a render matrix: ear responses, channel separation per 1/3-octave band, ILD
/// and ITD, and the same over a grid of listener positions.
/// </summary>
/// <remarks>Evaluated from the FIRs as written (truncation included), the device's measured directivities and any
/// head model, free field. Ear responses are normalized like the design (bulk delay and 1/r removed).</remarks>
public sealed class EarEvaluation
{
    /// <summary>Band range of the separation metric, Hz (issue 4: 500 Hz..6 kHz).</summary>
    public const double LowHz = 500, HighHz = 6000;

    /// <summary>Band of the diagnostic interaural group delay (<see cref="PhaseSlopeDelaySeconds"/>), Hz.</summary>
    public const double GroupDelayLowHz = 500, GroupDelayHighHz = 1500;

    private readonly DeviceAcoustics acoustics;
    private readonly FilterSpectra spectra;

    /// <summary>Creates the evaluator for filters <paramref name="spectra"/> on <paramref name="acoustics"/>.</summary>
    public EarEvaluation(DeviceAcoustics acoustics, FilterSpectra spectra)
    {
        ArgumentNullException.ThrowIfNull(acoustics);
        ArgumentNullException.ThrowIfNull(spectra);
        this.acoustics = acoustics;
        this.spectra = spectra;
        BandCentersHz = Bands.ThirdOctaveCenters(LowHz, HighHz);
    }

    /// <summary>The band centres of every per-band figure.</summary>
    public double[] BandCentersHz { get; }

    /// <summary>Ear responses [ear][input][bin] at <paramref name="pose"/> with <paramref name="head"/>.</summary>
    public Complex[][][] EarResponses(ListenerPose pose, IHeadModel head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var f = spectra.FrequenciesHz.Select(v => Math.Min(v, 0.999 * Math.Min(head.MaxFrequencyHz, acoustics.MaxFrequencyHz))).ToArray();
        var h = acoustics.EarMatrix(pose, head, f);
        var r0 = pose.PositionMeters.Length;
        var c = acoustics.Air.SpeedOfSoundMetersPerSecond;
        var result = new Complex[2][][];
        for (var e = 0; e < 2; e++)
        {
            result[e] = new Complex[spectra.InputCount][];
            for (var i = 0; i < spectra.InputCount; i++)
            {
                var sum = new Complex[f.Length];
                for (var d = 0; d < spectra.DriverCount; d++)
                {
                    var path = h.Response(e, d);
                    var filter = spectra.Response(i, d);
                    for (var k = 0; k < f.Length; k++)
                    {
                        sum[k] += path[k] * filter[k];
                    }
                }

                for (var k = 0; k < f.Length; k++)
                {
                    sum[k] *= r0 * Complex.FromPolarCoordinates(1, 2 * Math.PI * spectra.FrequenciesHz[k] * r0 / c);
                }

                result[e][i] = sum;
            }
        }

        return result;
    }

    /// <summary>Cues of input <paramref name="input"/> (0 = L', ipsilateral ear left; 1 = R', ipsilateral right).</summary>
    public EarCues Cues(ListenerPose pose, IHeadModel head, int input)
    {
        var ears = EarResponses(pose, head);
        return CuesOf(ears[0][input], ears[1][input], input == 0);
    }

    /// <summary>Mean separation of the two side inputs (L' and R') at a pose, dB.</summary>
    public double MeanSeparationDb(ListenerPose pose, IHeadModel head)
    {
        var ears = EarResponses(pose, head);
        return 0.5 * (BandLevels(ears[0][0], ears[1][0], true).Separation.Average() + BandLevels(ears[0][1], ears[1][1], false).Separation.Average());
    }

    /// <summary>Cues from a left and a right ear response on this evaluator's frequencies.</summary>
    public EarCues CuesOf(Complex[] left, Complex[] right, bool leftIsIpsilateral)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var (separation, ild) = BandLevels(left, right, leftIsIpsilateral);
        var f = spectra.FrequenciesHz;
        var ratio = new Complex[f.Length];
        for (var k = 0; k < f.Length; k++)
        {
            ratio[k] = right[k] / (left[k] == Complex.Zero ? new Complex(1e-30, 0) : left[k]);
        }

        var groupDelay = PhaseSlopeDelaySeconds(ratio, f, GroupDelayLowHz, GroupDelayHighHz);
        var itd = InterauralAnalysis.ItdCrossSpectrumSeconds(left, right, f);
        return new EarCues(separation.Average(), separation.Min(), separation, ild, itd, groupDelay);
    }

    private (double[] Separation, double[] Ild) BandLevels(Complex[] left, Complex[] right, bool leftIsIpsilateral)
    {
        var f = spectra.FrequenciesHz;
        var pl = left.Select(v => v.Magnitude * v.Magnitude).ToArray();
        var pr = right.Select(v => v.Magnitude * v.Magnitude).ToArray();
        var ild = new double[BandCentersHz.Length];
        var separation = new double[BandCentersHz.Length];
        for (var b = 0; b < BandCentersHz.Length; b++)
        {
            var l = Bands.BandPower(pl, f, BandCentersHz[b]);
            var r = Bands.BandPower(pr, f, BandCentersHz[b]);
            ild[b] = 10 * Math.Log10(Math.Max(l, 1e-30) / Math.Max(r, 1e-30));
            separation[b] = leftIsIpsilateral ? ild[b] : -ild[b];
        }

        return (separation, ild);
    }

    /// <summary>
    /// Delay of <paramref name="response"/> from the weighted least-squares slope of its unwrapped phase over
    /// [<paramref name="lowHz"/>, <paramref name="highHz"/>], seconds (positive = lag).
    /// </summary>
    public static double PhaseSlopeDelaySeconds(ReadOnlySpan<Complex> response, ReadOnlySpan<double> frequenciesHz, double lowHz, double highHz)
    {
        double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, previous = 0, unwrapped = 0;
        var started = false;
        for (var k = 1; k < frequenciesHz.Length && frequenciesHz[k] <= highHz; k++)
        {
            var phase = response[k].Phase;
            if (!started)
            {
                unwrapped = phase;
                started = true;
            }
            else
            {
                var step = phase - previous;
                step -= 2 * Math.PI * Math.Round(step / (2 * Math.PI));
                unwrapped += step;
            }

            previous = phase;
            if (frequenciesHz[k] < lowHz)
            {
                continue;
            }

            var x = 2 * Math.PI * frequenciesHz[k];
            sw += 1;
            sx += x;
            sy += unwrapped;
            sxx += x * x;
            sxy += x * unwrapped;
        }

        var denominator = (sw * sxx) - (sx * sx);
        return denominator > 0 ? -((sw * sxy) - (sx * sy)) / denominator : 0.0;
    }

    /// <summary>Cues of a real source at <paramref name="azimuthDeg"/> (head frame, positive = listener's left) at
    /// <paramref name="distanceMeters"/> for <paramref name="head"/>: the reference the virtualizer is held to.</summary>
    public EarCues RealSource(IHeadModel head, double azimuthDeg, double distanceMeters = 2.0)
    {
        ArgumentNullException.ThrowIfNull(head);
        var f = spectra.FrequenciesHz.Select(v => Math.Min(v, 0.999 * head.MaxFrequencyHz)).ToArray();
        var source = distanceMeters * Vector3D.FromSpherical(azimuthDeg, 0);
        var left = new Complex[f.Length];
        var right = new Complex[f.Length];
        head.Response(Ear.Left, source, f, left);
        head.Response(Ear.Right, source, f, right);
        return CuesOf(left, right, azimuthDeg >= 0);
    }
}
