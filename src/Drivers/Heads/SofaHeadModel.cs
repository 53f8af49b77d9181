using System.Numerics;
using System.Runtime.InteropServices;
using SpatialAudio.Drivers.Geometry;

namespace SpatialAudio.Drivers.Heads;

/// <summary>
/// Measured head-related impulse responses (HRIRs) from an AES69 SOFA file (SimpleFreeFieldHRIR), read with libmysofa.
/// </summary>
/// <remarks>
/// <para><b>Loading.</b> <see cref="Open"/> reads the file with <c>mysofa_load</c>, validates it with <c>mysofa_check</c>,
/// converts positions to Cartesian, optionally resamples the IRs with libmysofa's resampler (Speex, quality 10, its delay
/// compensated), copies everything into managed arrays and frees the native data. The object is immutable and
/// thread-safe afterwards, and holds no native resources.</para>
/// <para><b>Receivers.</b> Receiver 1 is the left ear (+y), receiver 2 the right ear, as AES69 prescribes.</para>
/// <para><b>Directions.</b> Source positions are taken relative to the listener position, in the head frame (libmysofa's
/// check guarantees ListenerView = +x). Lookups use the direction only: the set is measured at one distance
/// (<see cref="MeasurementDistanceMeters"/>), and <see cref="Response"/> ignores the requested range.</para>
/// <para><b>Onsets.</b> For each IR the onset is the first time the magnitude reaches 10% (-20 dB) of its peak, linearly
/// interpolated between samples. Onsets time-align the neighbors before <see cref="InterpolatedHrir"/> mixes them.</para>
/// <para><b>Head-center reference (what <see cref="Response"/> removes).</b> The files do not reliably say when the sound
/// passed the head center (MIT KEMAR's IRs were trimmed, so the raw time axis is not r_m / c). The reference time
/// <see cref="CenterArrivalSamples"/> is therefore estimated from the data: the mean onset of the two ears for the
/// frontal measurement (azimuth 0, elevation 0). For a frontal source both ears are at 90 degrees from the source
/// direction, where a rigid sphere's onset equals the free-field arrival at the center. Then
/// H_rel(f) = g * H_meas(f) * e^{+i 2 pi f t0}, t0 = <see cref="CenterArrivalSamples"/> / fs, where H_meas includes
/// SOFA Data.Delay as a pure delay. The residual error is the ear-canal/pinna offset of the microphones
/// (tens of microseconds), common to both ears, so it does not affect interaural cues. Phase of the measurement chain
/// is not removed either: for MIT KEMAR the frontal response's group delay at 300..700 Hz is about +0.2 ms (the
/// loudspeaker's low-frequency roll-off), again common to both ears.</para>
/// <para><b>Level.</b> g = <see cref="LevelGain"/> makes the frontal response, power-averaged over both ears and
/// 300..600 Hz, 0 dB: at low frequencies the head is nearly transparent (rigid sphere: within 0.5 dB there). The
/// measurement chain's own response (loudspeaker, microphones) is not removed; interaural ratios are unaffected by it.</para>
/// <para><b>Response.</b> H_meas is the DTFT of the (time-aligned, interpolated) HRIR evaluated at exactly the requested
/// frequencies (no FFT-grid interpolation). Above <see cref="MaxFrequencyHz"/> (the Nyquist frequency of the data as
/// measured) the response is 0.</para>
/// </remarks>
public sealed class SofaHeadModel : IHeadModel
{
    /// <summary>The MIT KEMAR set (normal pinna) shipped with Debian's libmysofa1.</summary>
    public const string DebianKemarPath = "/usr/share/libmysofa/MIT_KEMAR_normal_pinna.sofa";

    private const double OnsetThreshold = 0.1;

    private readonly float[] irs;          // [measurement][ear][sample]
    private readonly Vector3D[] positions; // head frame, meters
    private readonly Vector3D[] directions; // unit vectors
    private readonly double[] delays;      // [measurement][ear], samples (SOFA Data.Delay)
    private readonly double[] onsets;      // [measurement][ear], samples

    private SofaHeadModel(
        string filePath,
        string name,
        double sampleRateHz,
        double measuredSampleRateHz,
        int irLength,
        float[] irs,
        Vector3D[] positions,
        double[] delays)
    {
        FilePath = filePath;
        Name = name;
        SampleRateHz = sampleRateHz;
        MeasuredSampleRateHz = measuredSampleRateHz;
        IrLength = irLength;
        this.irs = irs;
        this.positions = positions;
        this.delays = delays;
        MeasurementCount = positions.Length;

        directions = new Vector3D[positions.Length];
        var distances = new double[positions.Length];
        for (var m = 0; m < positions.Length; m++)
        {
            directions[m] = positions[m].Normalized();
            distances[m] = positions[m].Length;
        }

        Array.Sort(distances);
        MeasurementDistanceMeters = distances[distances.Length / 2];

        onsets = new double[positions.Length * 2];
        for (var m = 0; m < positions.Length; m++)
        {
            onsets[2 * m] = InterauralAnalysis.OnsetSamples(Hrir(m, Ear.Left), OnsetThreshold) + delays[2 * m];
            onsets[(2 * m) + 1] = InterauralAnalysis.OnsetSamples(Hrir(m, Ear.Right), OnsetThreshold) + delays[(2 * m) + 1];
        }

        var front = NearestMeasurement(new Vector3D(1, 0, 0));
        CenterArrivalSamples = 0.5 * (onsets[2 * front] + onsets[(2 * front) + 1]);
        LevelGain = 1.0 / Math.Sqrt(FrontalLowFrequencyPower(front));
    }

    /// <summary>The file this set was read from.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public double MaxFrequencyHz => 0.5 * Math.Min(SampleRateHz, MeasuredSampleRateHz);

    /// <summary>Number of measured directions (SOFA dimension M).</summary>
    public int MeasurementCount { get; }

    /// <summary>Sample rate of the IRs held here (the file's, or the one asked for in <see cref="Open"/>), Hz.</summary>
    public double SampleRateHz { get; }

    /// <summary>Sample rate of the data in the file, Hz.</summary>
    public double MeasuredSampleRateHz { get; }

    /// <summary>IR length in samples at <see cref="SampleRateHz"/> (SOFA dimension N, after resampling).</summary>
    public int IrLength { get; }

    /// <summary>Median source distance from the listener, meters.</summary>
    public double MeasurementDistanceMeters { get; }

    /// <summary>Estimated time, in samples from the start of the IRs, at which sound passes the head center (see remarks).</summary>
    public double CenterArrivalSamples { get; }

    /// <summary>The linear gain g applied by <see cref="Response"/> (see remarks).</summary>
    public double LevelGain { get; }

    /// <summary>Reads a SOFA file.</summary>
    /// <param name="filePath">Path of a SimpleFreeFieldHRIR SOFA file.</param>
    /// <param name="sampleRateHz">Resample the IRs to this rate (8000..384000 Hz); null keeps the file's rate.</param>
    /// <returns>The measured set.</returns>
    /// <exception cref="SofaFileException">The file is missing, not SOFA, or not usable; the message names it.</exception>
    /// <exception cref="DllNotFoundException">libmysofa is not installed (install it: apt-get install libmysofa1).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sampleRateHz"/> is out of range.</exception>
    public static SofaHeadModel Open(string filePath, double? sampleRateHz = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        if (sampleRateHz is { } rate && !(rate >= 8000 && rate <= 384_000))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), rate, "The sample rate must be 8000..384000 Hz.");
        }

        if (!File.Exists(filePath))
        {
            throw new SofaFileException(filePath, "file not found", new FileNotFoundException(null, filePath));
        }

        try
        {
            return Read(filePath, sampleRateHz);
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException(
                $"Cannot read {filePath}: {NativeMethods.LibraryName} (libmysofa, the SOFA reader) is not available; install it: apt-get install libmysofa1",
                e);
        }
    }

    /// <summary>Source position of a measurement, meters, head frame.</summary>
    /// <param name="measurement">Measurement index, 0..<see cref="MeasurementCount"/>-1.</param>
    /// <returns>The position.</returns>
    public Vector3D SourcePosition(int measurement)
    {
        CheckMeasurement(measurement);
        return positions[measurement];
    }

    /// <summary>The measured HRIR of one ear, as stored (after resampling, without SOFA Data.Delay).</summary>
    /// <param name="measurement">Measurement index.</param>
    /// <param name="ear">Which ear.</param>
    /// <returns>The <see cref="IrLength"/> samples (a view of internal data).</returns>
    public ReadOnlySpan<float> Hrir(int measurement, Ear ear)
    {
        CheckMeasurement(measurement);
        return irs.AsSpan((((2 * measurement) + (int)ear) * IrLength), IrLength);
    }

    /// <summary>SOFA Data.Delay of one IR, in samples at <see cref="SampleRateHz"/> (0 for most files).</summary>
    /// <param name="measurement">Measurement index.</param>
    /// <param name="ear">Which ear.</param>
    /// <returns>The delay in samples.</returns>
    public double DelaySamples(int measurement, Ear ear)
    {
        CheckMeasurement(measurement);
        return delays[(2 * measurement) + (int)ear];
    }

    /// <summary>Onset of one IR in samples (10% of peak, interpolated; includes Data.Delay).</summary>
    /// <param name="measurement">Measurement index.</param>
    /// <param name="ear">Which ear.</param>
    /// <returns>The onset in samples.</returns>
    public double OnsetSamples(int measurement, Ear ear)
    {
        CheckMeasurement(measurement);
        return onsets[(2 * measurement) + (int)ear];
    }

    /// <summary>The measurement whose direction is closest (largest cosine) to a direction.</summary>
    /// <param name="directionInHeadFrame">Any non-zero vector, head frame.</param>
    /// <returns>The measurement index.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The direction is zero or not finite.</exception>
    public int NearestMeasurement(Vector3D directionInHeadFrame)
    {
        var unit = CheckDirection(directionInHeadFrame, nameof(directionInHeadFrame));
        var best = 0;
        var bestCos = double.NegativeInfinity;
        for (var m = 0; m < directions.Length; m++)
        {
            var c = Vector3D.Dot(unit, directions[m]);
            if (c > bestCos)
            {
                bestCos = c;
                best = m;
            }
        }

        return best;
    }

    /// <summary>The HRIR pair of the nearest measurement, SOFA Data.Delay applied (rounded to whole samples).</summary>
    /// <param name="directionInHeadFrame">Any non-zero vector, head frame.</param>
    /// <param name="left">Left-ear IR, <see cref="IrLength"/> samples.</param>
    /// <param name="right">Right-ear IR, <see cref="IrLength"/> samples.</param>
    public void NearestHrir(Vector3D directionInHeadFrame, Span<float> left, Span<float> right)
    {
        CheckLength(left, nameof(left));
        CheckLength(right, nameof(right));
        var m = NearestMeasurement(directionInHeadFrame);
        CopyShifted(Hrir(m, Ear.Left), (int)Math.Round(delays[2 * m]), 1f, left, accumulate: false);
        CopyShifted(Hrir(m, Ear.Right), (int)Math.Round(delays[(2 * m) + 1]), 1f, right, accumulate: false);
    }

    /// <summary>
    /// An HRIR pair interpolated between the three nearest measurements: inverse angular-distance weights, each
    /// neighbor shifted by whole samples so its onset meets the weighted mean onset before mixing (this avoids the comb
    /// filter that mixing misaligned IRs produces). SOFA Data.Delay is included.
    /// </summary>
    /// <param name="directionInHeadFrame">Any non-zero vector, head frame.</param>
    /// <param name="left">Left-ear IR, <see cref="IrLength"/> samples.</param>
    /// <param name="right">Right-ear IR, <see cref="IrLength"/> samples.</param>
    public void InterpolatedHrir(Vector3D directionInHeadFrame, Span<float> left, Span<float> right)
    {
        CheckLength(left, nameof(left));
        CheckLength(right, nameof(right));
        Span<int> neighbors = stackalloc int[3];
        Span<double> weights = stackalloc double[3];
        var count = Neighbors(CheckDirection(directionInHeadFrame, nameof(directionInHeadFrame)), neighbors, weights);
        Interpolate(Ear.Left, neighbors[..count], weights[..count], left);
        Interpolate(Ear.Right, neighbors[..count], weights[..count], right);
    }

    /// <inheritdoc />
    /// <remarks>See the class remarks: interpolated HRIR, DTFT at the requested frequencies, center delay and level
    /// normalized; the source distance is ignored; 0 above <see cref="MaxFrequencyHz"/>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The source is at the origin or not finite, or a frequency is invalid.</exception>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public void Response(Ear ear, Vector3D sourceInHeadFrame, ReadOnlySpan<double> frequenciesHz, Span<Complex> destination)
    {
        if (destination.Length != frequenciesHz.Length)
        {
            throw new ArgumentException("The destination must have one element per frequency.", nameof(destination));
        }

        var direction = CheckDirection(sourceInHeadFrame, nameof(sourceInHeadFrame));
        Span<int> neighbors = stackalloc int[3];
        Span<double> weights = stackalloc double[3];
        var count = Neighbors(direction, neighbors, weights);

        // Interpolate in the frequency domain with each neighbour's onset aligned by a FRACTIONAL delay: rounding the
        // alignment to whole samples (as the time-domain HRIR interpolation must) quantizes the ITD to ~21 us steps,
        // which is the whole interaural difference of sources 2 degrees apart.
        var target = 0.0;
        for (var k = 0; k < count; k++)
        {
            target += weights[k] * onsets[(2 * neighbors[k]) + (int)ear];
        }

        var centerSeconds = CenterArrivalSamples / SampleRateHz;
        for (var i = 0; i < frequenciesHz.Length; i++)
        {
            var f = frequenciesHz[i];
            if (!(f >= 0) || !double.IsFinite(f))
            {
                throw new ArgumentOutOfRangeException(nameof(frequenciesHz), f, "Frequencies must be finite and non-negative.");
            }

            if (f > MaxFrequencyHz)
            {
                destination[i] = Complex.Zero;
                continue;
            }

            var sum = Complex.Zero;
            for (var k = 0; k < count; k++)
            {
                var m = neighbors[k];
                var onsetWithoutDelay = onsets[(2 * m) + (int)ear] - delays[(2 * m) + (int)ear];
                var shiftSeconds = (target - onsetWithoutDelay) / SampleRateHz;
                sum += weights[k] * Dtft(Hrir(m, ear), f / SampleRateHz) * Complex.FromPolarCoordinates(1.0, -2.0 * Math.PI * f * shiftSeconds);
            }

            destination[i] = LevelGain * sum * Complex.FromPolarCoordinates(1.0, 2.0 * Math.PI * f * centerSeconds);
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name}: {MeasurementCount} directions, {IrLength} taps at {SampleRateHz} Hz, measured at {MeasurementDistanceMeters:0.###} m";

    /// <summary>DTFT of a real sequence at one normalized frequency (cycles per sample), in double.</summary>
    internal static Complex Dtft(ReadOnlySpan<float> x, double cyclesPerSample)
    {
        // A rotating phasor is exact enough for a few thousand taps in double and avoids a sin/cos per tap.
        var step = Complex.FromPolarCoordinates(1.0, -2.0 * Math.PI * cyclesPerSample);
        var phasor = Complex.One;
        var sum = Complex.Zero;
        for (var n = 0; n < x.Length; n++)
        {
            sum += x[n] * phasor;
            phasor *= step;
        }

        return sum;
    }

    private static unsafe SofaHeadModel Read(string filePath, double? sampleRateHz)
    {
        var hrtf = NativeMethods.Load(filePath, out var error);
        if (hrtf == null || error != NativeMethods.MysofaOk)
        {
            if (hrtf != null)
            {
                NativeMethods.Free(hrtf);
            }

            throw new SofaFileException(filePath, "cannot be read as SOFA: " + NativeMethods.ErrorText(error), null);
        }

        try
        {
            error = NativeMethods.Check(hrtf);
            if (error != NativeMethods.MysofaOk)
            {
                throw new SofaFileException(filePath, "not a usable SOFA HRIR set: " + NativeMethods.ErrorText(error), null);
            }

            NativeMethods.ToCartesian(hrtf);
            var measuredRate = Scalar(filePath, hrtf->DataSamplingRate, "Data.SamplingRate");
            if (!(measuredRate > 0) || !double.IsFinite(measuredRate))
            {
                throw new SofaFileException(filePath, $"invalid Data.SamplingRate {measuredRate}", null);
            }

            if (sampleRateHz is { } rate && Math.Abs(rate - measuredRate) > 1e-6)
            {
                error = NativeMethods.Resample(hrtf, (float)rate);
                if (error != NativeMethods.MysofaOk)
                {
                    throw new SofaFileException(filePath, "resampling failed: " + NativeMethods.ErrorText(error), null);
                }
            }

            var m = checked((int)hrtf->M);
            var n = checked((int)hrtf->N);
            var r = checked((int)hrtf->R);
            if (r != 2 || n == 0 || m == 0 || hrtf->DataIR.Elements != (uint)(m * r * n))
            {
                throw new SofaFileException(filePath, $"Data.IR has {hrtf->DataIR.Elements} values, expected M*R*N = {m}*{r}*{n}", null);
            }

            var irs = new ReadOnlySpan<float>(hrtf->DataIR.Values, m * r * n).ToArray();
            foreach (var v in irs)
            {
                if (!float.IsFinite(v))
                {
                    throw new SofaFileException(filePath, "Data.IR contains non-finite values", null);
                }
            }

            var positions = SourcePositions(filePath, hrtf, m);
            var delays = Delays(filePath, hrtf->DataDelay, m);
            var sampleRate = Scalar(filePath, hrtf->DataSamplingRate, "Data.SamplingRate");
            var title = Attribute(hrtf->Attributes, "Title");
            var name = string.IsNullOrWhiteSpace(title) ? Path.GetFileNameWithoutExtension(filePath) : title.Trim();
            return new SofaHeadModel(filePath, name, sampleRate, measuredRate, n, irs, positions, delays);
        }
        finally
        {
            NativeMethods.Free(hrtf);
        }
    }

    private static unsafe Vector3D[] SourcePositions(string filePath, NativeMethods.MysofaHrtf* hrtf, int m)
    {
        var source = hrtf->SourcePosition;
        if (source.Values == null || source.Elements != (uint)(3 * m))
        {
            throw new SofaFileException(filePath, $"SourcePosition has {source.Elements} values, expected 3*M = {3 * m}", null);
        }

        var listener = hrtf->ListenerPosition;
        var listenerPerMeasurement = listener.Values != null && listener.Elements == (uint)(3 * m);
        var result = new Vector3D[m];
        for (var i = 0; i < m; i++)
        {
            var p = new Vector3D(source.Values[3 * i], source.Values[(3 * i) + 1], source.Values[(3 * i) + 2]);
            if (listener.Values != null && listener.Elements >= 3)
            {
                var j = listenerPerMeasurement ? 3 * i : 0;
                p -= new Vector3D(listener.Values[j], listener.Values[j + 1], listener.Values[j + 2]);
            }

            if (!p.IsFinite || !(p.Length > 0))
            {
                throw new SofaFileException(filePath, $"SourcePosition of measurement {i} is {p} (at the listener or not finite)", null);
            }

            result[i] = p;
        }

        return result;
    }

    private static unsafe double[] Delays(string filePath, NativeMethods.MysofaArray delay, int m)
    {
        var result = new double[2 * m];
        if (delay.Values == null || delay.Elements == 0)
        {
            return result;
        }

        if (delay.Elements != 2 && delay.Elements != (uint)(2 * m))
        {
            throw new SofaFileException(filePath, $"Data.Delay has {delay.Elements} values, expected 2 or 2*M", null);
        }

        for (var i = 0; i < 2 * m; i++)
        {
            var v = delay.Values[delay.Elements == 2 ? i % 2 : i];
            if (!double.IsFinite(v) || v < 0)
            {
                throw new SofaFileException(filePath, $"Data.Delay contains {v}", null);
            }

            result[i] = v;
        }

        return result;
    }

    private static unsafe double Scalar(string filePath, NativeMethods.MysofaArray array, string what)
    {
        if (array.Values == null || array.Elements < 1)
        {
            throw new SofaFileException(filePath, $"{what} is missing", null);
        }

        return array.Values[0];
    }

    private static string? Attribute(nint attributes, string name)
    {
        var value = NativeMethods.GetAttribute(attributes, name);
        return value == 0 ? null : Marshal.PtrToStringUTF8(value);
    }

    private static void CopyShifted(ReadOnlySpan<float> source, int shift, float gain, Span<float> destination, bool accumulate)
    {
        if (!accumulate)
        {
            destination.Clear();
        }

        for (var n = 0; n < destination.Length; n++)
        {
            var i = n - shift;
            if ((uint)i < (uint)source.Length)
            {
                destination[n] += gain * source[i];
            }
        }
    }

    private static Vector3D CheckDirection(Vector3D direction, string name)
    {
        if (!direction.IsFinite || !(direction.Length > 0))
        {
            throw new ArgumentOutOfRangeException(name, direction, "The direction must be finite and non-zero.");
        }

        return direction.Normalized();
    }

    private int Neighbors(Vector3D unit, Span<int> neighbors, Span<double> weights)
    {
        Span<double> angles = stackalloc double[3];
        angles.Fill(double.PositiveInfinity);
        neighbors.Fill(-1);
        for (var m = 0; m < directions.Length; m++)
        {
            var angle = Math.Acos(Math.Clamp(Vector3D.Dot(unit, directions[m]), -1.0, 1.0));
            for (var slot = 0; slot < 3; slot++)
            {
                if (angle < angles[slot])
                {
                    for (var k = 2; k > slot; k--)
                    {
                        angles[k] = angles[k - 1];
                        neighbors[k] = neighbors[k - 1];
                    }

                    angles[slot] = angle;
                    neighbors[slot] = m;
                    break;
                }
            }
        }

        // An exact (within 0.01 degree) hit is returned as is.
        if (angles[0] < 0.01 * Math.PI / 180.0)
        {
            weights[0] = 1;
            return 1;
        }

        // On the arc between two measurements (e.g. the horizontal ring), interpolate linearly along the arc: inverse-
        // distance weights over three neighbours would pull the ITD toward a third direction on the other side.
        var nearest = neighbors[0];
        var bestExcess = double.PositiveInfinity;
        var partner = -1;
        var partnerAngle = 0.0;
        for (var m = 0; m < directions.Length; m++)
        {
            if (m == nearest)
            {
                continue;
            }

            var a2 = Math.Acos(Math.Clamp(Vector3D.Dot(unit, directions[m]), -1.0, 1.0));
            var a12 = Math.Acos(Math.Clamp(Vector3D.Dot(directions[nearest], directions[m]), -1.0, 1.0));
            var excess = angles[0] + a2 - a12;
            if (a12 > 1e-9 && excess < bestExcess && a2 < 4 * Math.Max(angles[0], 1e-9) + (15 * Math.PI / 180))
            {
                bestExcess = excess;
                partner = m;
                partnerAngle = a2;
            }
        }

        if (partner >= 0 && bestExcess < 0.05 * Math.PI / 180.0)
        {
            neighbors[1] = partner;
            weights[0] = partnerAngle / (angles[0] + partnerAngle);
            weights[1] = angles[0] / (angles[0] + partnerAngle);
            return 2;
        }

        var count = Math.Min(3, directions.Length);
        var total = 0.0;
        for (var k = 0; k < count; k++)
        {
            weights[k] = 1.0 / angles[k];
            total += weights[k];
        }

        for (var k = 0; k < count; k++)
        {
            weights[k] /= total;
        }

        return count;
    }

    private void Interpolate(Ear ear, ReadOnlySpan<int> neighbors, ReadOnlySpan<double> weights, Span<float> destination)
    {
        var target = 0.0;
        for (var k = 0; k < neighbors.Length; k++)
        {
            target += weights[k] * onsets[(2 * neighbors[k]) + (int)ear];
        }

        destination.Clear();
        for (var k = 0; k < neighbors.Length; k++)
        {
            var m = neighbors[k];
            var onsetWithoutDelay = onsets[(2 * m) + (int)ear] - delays[(2 * m) + (int)ear];
            var shift = (int)Math.Round(target - onsetWithoutDelay);
            CopyShifted(Hrir(m, ear), shift, (float)weights[k], destination, accumulate: true);
        }
    }

    private double FrontalLowFrequencyPower(int front)
    {
        var power = 0.0;
        var count = 0;
        for (var f = 300.0; f <= 600.0; f += 10.0)
        {
            foreach (var ear in (ReadOnlySpan<Ear>)[Ear.Left, Ear.Right])
            {
                var magnitude = Dtft(Hrir(front, ear), f / SampleRateHz).Magnitude;
                power += magnitude * magnitude;
                count++;
            }
        }

        return power / count;
    }

    private void CheckMeasurement(int measurement)
    {
        if ((uint)measurement >= (uint)MeasurementCount)
        {
            throw new ArgumentOutOfRangeException(nameof(measurement), measurement, $"Measurement index must be 0..{MeasurementCount - 1}.");
        }
    }

    private void CheckLength(Span<float> buffer, string name)
    {
        if (buffer.Length != IrLength)
        {
            throw new ArgumentException($"The buffer must hold IrLength = {IrLength} samples.", name);
        }
    }
}
