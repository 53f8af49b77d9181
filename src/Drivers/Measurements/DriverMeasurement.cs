using System.Numerics;

namespace SpatialAudio.Drivers.Measurements;

/// <summary>A direction in the driver's own frame (see <see cref="Directivity.IDirectivity"/>), degrees.</summary>
/// <param name="AzimuthDeg">Azimuth, -180..180, counter-clockwise seen from above (+90 = the driver's left).</param>
/// <param name="ElevationDeg">Elevation, -90..90.</param>
public readonly record struct MeasurementAngle(double AzimuthDeg, double ElevationDeg)
{
    /// <summary>True when both angles name the same direction (azimuth -180 and 180 coincide; at the poles azimuth is irrelevant).</summary>
    /// <param name="other">The other direction.</param>
    public bool SameDirection(MeasurementAngle other)
    {
        if (Math.Abs(ElevationDeg - other.ElevationDeg) > 1e-9)
        {
            return false;
        }

        if (Math.Abs(Math.Abs(ElevationDeg) - 90) < 1e-9)
        {
            return true;
        }

        var difference = Math.Abs(AzimuthDeg - other.AzimuthDeg) % 360;
        return difference < 1e-9 || Math.Abs(difference - 360) < 1e-9;
    }
}

/// <summary>The response of a driver toward one measured direction: an impulse response or a frequency response.</summary>
/// <remarks>Exactly one of <see cref="ImpulseResponse"/> and (<see cref="FrequenciesHz"/>, <see cref="Spectrum"/>) is set.</remarks>
public sealed class MeasurementPoint
{
    private MeasurementPoint(MeasurementAngle angle, float[]? impulseResponse, double[]? frequenciesHz, Complex[]? spectrum)
    {
        Angle = angle;
        ImpulseResponse = impulseResponse;
        FrequenciesHz = frequenciesHz;
        Spectrum = spectrum;
    }

    /// <summary>The direction.</summary>
    public MeasurementAngle Angle { get; }

    /// <summary>The impulse response at the set's sample rate (time zero at <see cref="DriverMeasurement.TimeZeroSample"/>), or null.</summary>
    public float[]? ImpulseResponse { get; }

    /// <summary>Ascending frequencies of a frequency-response point (REW import), or null.</summary>
    public double[]? FrequenciesHz { get; }

    /// <summary>The complex response at <see cref="FrequenciesHz"/> (linear, e^{+i omega t} convention), or null.</summary>
    public Complex[]? Spectrum { get; }

    /// <summary>A point holding an impulse response.</summary>
    /// <param name="angle">The direction.</param>
    /// <param name="impulseResponse">The samples (not copied).</param>
    public static MeasurementPoint FromImpulseResponse(MeasurementAngle angle, float[] impulseResponse)
    {
        ArgumentNullException.ThrowIfNull(impulseResponse);
        return new MeasurementPoint(angle, impulseResponse, null, null);
    }

    /// <summary>A point holding a frequency response.</summary>
    /// <param name="angle">The direction.</param>
    /// <param name="frequenciesHz">Strictly ascending frequencies (not copied).</param>
    /// <param name="spectrum">One complex value per frequency (not copied).</param>
    public static MeasurementPoint FromSpectrum(MeasurementAngle angle, double[] frequenciesHz, Complex[] spectrum)
    {
        ArgumentNullException.ThrowIfNull(frequenciesHz);
        ArgumentNullException.ThrowIfNull(spectrum);
        if (frequenciesHz.Length != spectrum.Length || frequenciesHz.Length < 2)
        {
            throw new ArgumentException("Need at least two frequencies and one spectrum value per frequency.", nameof(spectrum));
        }

        return new MeasurementPoint(angle, null, frequenciesHz, spectrum);
    }
}

/// <summary>An imported (or generated) set of far-field responses of one driver over directions.</summary>
/// <param name="DriverId">The driver id as in <c>device.json</c>.</param>
/// <param name="SampleRateHz">Sample rate of the impulse responses (for frequency-response sets: the rate the data is meant for).</param>
/// <param name="TimeZeroSample">Index (may be fractional) of the instant a point source at the driver center would arrive:
/// the impulse responses are referenced to the driver center and this is their time zero (0 for frequency-response sets,
/// whose phase is already referenced).</param>
/// <param name="Points">The measured directions, each once.</param>
/// <remarks>Amplitudes are at the 1 m reference (the importer applies the 1/r normalization and removes the propagation
/// delay when the file says it was not removed).</remarks>
public sealed record DriverMeasurement(string DriverId, int SampleRateHz, double TimeZeroSample, IReadOnlyList<MeasurementPoint> Points)
{
    /// <summary>The on-axis point (azimuth 0, elevation 0), or null.</summary>
    public MeasurementPoint? OnAxis
    {
        get
        {
            foreach (var point in Points)
            {
                if (point.Angle.SameDirection(default))
                {
                    return point;
                }
            }

            return null;
        }
    }

    /// <summary>The same set with every impulse response converted to <paramref name="sampleRateHz"/> by the project's
    /// <see cref="Filters.Resampling.PolyphaseResampler"/> (its latency removed, so the time zero scales with the rate; samples scaled by old rate / new rate because an impulse
    /// response sample is the response times the sample period, which keeps the frequency response unchanged).</summary>
    /// <param name="sampleRateHz">Target sample rate in Hz.</param>
    /// <returns>This instance when the rate already matches or the set holds frequency responses.</returns>
    public DriverMeasurement Resample(int sampleRateHz)
    {
        if (sampleRateHz == SampleRateHz || Points.All(p => p.ImpulseResponse is null))
        {
            return this;
        }

        var resampled = new List<MeasurementPoint>(Points.Count);
        foreach (var point in Points)
        {
            if (point.ImpulseResponse is not { } ir)
            {
                resampled.Add(point);
                continue;
            }

            var resampler = new Filters.Resampling.PolyphaseResampler(SampleRateHz, sampleRateHz, 1);
            var output = new float[resampler.MaxOutputFrameCount(ir.Length) + resampler.LatencyOutputFrames + 8];
            var produced = resampler.Process(ir, output);
            while (true)
            {
                var more = resampler.Flush(output.AsSpan(produced));
                if (more == 0)
                {
                    break;
                }

                produced += more;
            }

            var length = (int)Math.Ceiling((double)ir.Length * sampleRateHz / SampleRateHz);
            var samples = new float[length];
            var available = Math.Max(Math.Min(length, produced - resampler.LatencyOutputFrames), 0);

            // An impulse response is a density (h[n] = T h(nT)): its samples scale with the sample period.
            var scale = (float)((double)SampleRateHz / sampleRateHz);
            for (var n = 0; n < available; n++)
            {
                samples[n] = output[resampler.LatencyOutputFrames + n] * scale;
            }
            resampled.Add(MeasurementPoint.FromImpulseResponse(point.Angle, samples));
        }

        return this with { SampleRateHz = sampleRateHz, TimeZeroSample = TimeZeroSample * sampleRateHz / SampleRateHz, Points = resampled };
    }
}
