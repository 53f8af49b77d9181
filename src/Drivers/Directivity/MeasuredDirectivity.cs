using System.Numerics;
using SpatialAudio.Drivers.Measurements;
using SpatialAudio.Filters.Design;

namespace SpatialAudio.Drivers.Directivity;

/// <summary>Directivity interpolated from a measured (or sampled) set of responses in the horizontal and vertical planes.</summary>
/// <remarks>
/// <para><b>Per point.</b> Each impulse response is transformed (zero-padded FFT, at least 2x its length and 1024 points),
/// its time zero (<see cref="DriverMeasurement.TimeZeroSample"/>, the common bulk delay of the set) removed as a linear
/// phase, and stored as natural-log magnitude and phase unwrapped along frequency. Between grid frequencies both are
/// interpolated linearly (REW points keep their own frequency grids; below their first frequency the first value is used).</para>
/// <para><b>Within a plane.</b> Linear in angle between the two neighbouring measured angles (circularly), of the log
/// magnitude and of the phase: phase = p0 + t wrap(p1 - p0), so the interpolant never crosses the 2 pi cut and never forms
/// the comb a complex-valued average of two delayed responses would (the magnitude in dB lies between the neighbours').</para>
/// <para><b>Planes.</b> Horizontal plane: points at elevation 0, angle = azimuth. Vertical plane: points at azimuth 0
/// (angle = elevation) and azimuth 180 (angle = 180 - elevation above, -180 - elevation below), so the vertical angle runs
/// once round the driver through the rear.</para>
/// <para><b>Off-plane rule.</b> A direction d = (x, y, z) in the driver frame has off-axis angle theta = acos x and roll
/// psi = atan2(z, y). Its response blends the horizontal plane at signed angle theta sign(y) and the vertical plane at
/// theta sign(z), with weights cos^2 psi and sin^2 psi on log magnitude and phase (as above). In either plane the rule
/// returns the measured plane exactly; on a rotationally symmetric driver it is exact everywhere. When a plane holds no
/// direction besides on-axis and rear, the other plane stands in for it (rotational symmetry assumed). Points off both
/// planes are accepted but not used.</para>
/// <para>Construction allocates and may resample; <see cref="Response"/> allocates nothing and is thread-safe.</para>
/// </remarks>
public sealed class MeasuredDirectivity : IDirectivity
{
    private readonly Plane horizontal;
    private readonly Plane vertical;

    /// <summary>Builds the interpolator.</summary>
    /// <param name="measurement">The set; needs an on-axis point.</param>
    /// <param name="sampleRateHz">Rate to convert impulse responses to first (the project's polyphase resampler); 0 keeps the set's rate.</param>
    public MeasuredDirectivity(DriverMeasurement measurement, int sampleRateHz = 0)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        ArgumentOutOfRangeException.ThrowIfNegative(sampleRateHz);
        if (measurement.OnAxis is null)
        {
            throw new ArgumentException("The measurement has no on-axis point (azimuth 0, elevation 0).", nameof(measurement));
        }

        if (sampleRateHz != 0)
        {
            measurement = measurement.Resample(sampleRateHz);
        }

        DriverId = measurement.DriverId;
        SampleRateHz = measurement.SampleRateHz;
        var h = new List<(double, PointData)>();
        var v = new List<(double, PointData)>();
        var maxFrequency = double.PositiveInfinity;
        foreach (var point in measurement.Points)
        {
            var data = PointData.From(point, measurement.SampleRateHz, measurement.TimeZeroSample);
            maxFrequency = Math.Min(maxFrequency, data.FrequenciesHz[^1]);
            var az = point.Angle.AzimuthDeg;
            var el = point.Angle.ElevationDeg;
            if (Math.Abs(el) < 1e-9)
            {
                h.Add((az <= -180 + 1e-9 ? 180.0 : az, data));
            }

            if (Math.Abs(Math.Abs(el) - 90) < 1e-9)
            {
                v.Add((el, data));
            }
            else if (Math.Abs(az) < 1e-9)
            {
                v.Add((el, data));
            }
            else if (Math.Abs(Math.Abs(az) - 180) < 1e-9)
            {
                v.Add((el >= 0 ? 180 - el : -180 - el, data));
            }
        }

        MaxFrequencyHz = maxFrequency;
        var hPlane = new Plane(h);
        var vPlane = new Plane(v);
        HasHorizontalPlane = hPlane.HasOffAxisPoints;
        HasVerticalPlane = vPlane.HasOffAxisPoints;
        horizontal = HasHorizontalPlane || !HasVerticalPlane ? hPlane : vPlane;
        vertical = HasVerticalPlane ? vPlane : horizontal;
    }

    /// <summary>The driver id of the set.</summary>
    public string DriverId { get; }

    /// <summary>Sample rate of the data after any conversion, Hz.</summary>
    public int SampleRateHz { get; }

    /// <inheritdoc />
    public double MaxFrequencyHz { get; }

    /// <summary>True when the horizontal plane holds directions other than on-axis and rear.</summary>
    public bool HasHorizontalPlane { get; }

    /// <summary>True when the vertical plane holds directions other than on-axis and rear (else the horizontal stands in).</summary>
    public bool HasVerticalPlane { get; }

    /// <summary>Loads a sidecar with <see cref="MeasurementFile.Load"/> and builds the interpolator.</summary>
    /// <param name="sidecarPath">The sidecar JSON.</param>
    /// <param name="sampleRateHz">Rate to convert to; 0 keeps the file's rate.</param>
    public static MeasuredDirectivity Load(string sidecarPath, int sampleRateHz = 0) => new(MeasurementFile.Load(sidecarPath), sampleRateHz);

    /// <inheritdoc />
    public void Response(double azimuthDeg, double elevationDeg, ReadOnlySpan<double> frequenciesHz, Span<Complex> destination)
    {
        if (destination.Length < frequenciesHz.Length)
        {
            throw new ArgumentException("Destination is shorter than the frequency list.", nameof(destination));
        }

        if (!double.IsFinite(azimuthDeg))
        {
            throw new ArgumentOutOfRangeException(nameof(azimuthDeg), azimuthDeg, "Azimuth must be finite.");
        }

        if (!(Math.Abs(elevationDeg) <= 90))
        {
            throw new ArgumentOutOfRangeException(nameof(elevationDeg), elevationDeg, "Elevation must be in -90..90 degrees.");
        }

        var az = azimuthDeg * Math.PI / 180;
        var el = elevationDeg * Math.PI / 180;
        var x = Math.Cos(el) * Math.Cos(az);
        var y = Math.Cos(el) * Math.Sin(az);
        var z = Math.Sin(el);
        var theta = Math.Acos(Math.Clamp(x, -1, 1)) * 180 / Math.PI;
        var psi = Math.Atan2(z, y);
        var verticalWeight = Math.Sin(psi) * Math.Sin(psi);
        if (Math.Abs(y) < 1e-12 && Math.Abs(z) < 1e-12)
        {
            verticalWeight = 0;
        }

        var (h0, h1, ht) = horizontal.Neighbours(y >= 0 ? theta : -theta);
        var (v0, v1, vt) = vertical.Neighbours(z >= 0 ? theta : -theta);
        for (var i = 0; i < frequenciesHz.Length; i++)
        {
            var f = frequenciesHz[i];
            if (!(f >= 0) || f > MaxFrequencyHz * (1 + 1e-12))
            {
                throw new ArgumentOutOfRangeException(nameof(frequenciesHz), f, $"Frequencies must be in 0..{MaxFrequencyHz} Hz.");
            }

            var (hm, hp) = Blend(h0, h1, ht, f);
            var (lnMagnitude, phase) = (hm, hp);
            if (verticalWeight > 0)
            {
                var (vm, vp) = Blend(v0, v1, vt, f);
                lnMagnitude += verticalWeight * (vm - hm);
                phase += verticalWeight * DesignMath.WrapPi(vp - hp);
            }

            destination[i] = Complex.FromPolarCoordinates(Math.Exp(lnMagnitude), phase);
        }
    }

    private static (double LnMagnitude, double Phase) Blend(PointData a, PointData b, double t, double frequencyHz)
    {
        var (am, ap) = a.At(frequencyHz);
        if (t == 0)
        {
            return (am, ap);
        }

        var (bm, bp) = b.At(frequencyHz);
        return (am + (t * (bm - am)), ap + (t * DesignMath.WrapPi(bp - ap)));
    }

    private sealed class Plane
    {
        private readonly double[] angles;
        private readonly PointData[] points;

        public Plane(List<(double Angle, PointData Data)> entries)
        {
            entries.Sort((a, b) => a.Angle.CompareTo(b.Angle));
            angles = entries.Select(e => e.Angle).ToArray();
            points = entries.Select(e => e.Data).ToArray();
            HasOffAxisPoints = angles.Any(a => Math.Abs(a) > 1e-9 && Math.Abs(Math.Abs(a) - 180) > 1e-9);
        }

        public bool HasOffAxisPoints { get; }

        public (PointData A, PointData B, double T) Neighbours(double angleDeg)
        {
            if (points.Length == 1)
            {
                return (points[0], points[0], 0);
            }

            var upper = 0;
            while (upper < angles.Length && angles[upper] < angleDeg)
            {
                upper++;
            }

            if (upper < angles.Length && angles[upper] == angleDeg)
            {
                return (points[upper], points[upper], 0);
            }

            int lower;
            double lowerAngle, upperAngle;
            if (upper == 0 || upper == angles.Length)
            {
                // Across the +-180 seam.
                lower = angles.Length - 1;
                upper = 0;
                lowerAngle = angles[lower];
                upperAngle = angles[0] + 360;
                if (angleDeg < lowerAngle)
                {
                    angleDeg += 360;
                }
            }
            else
            {
                lower = upper - 1;
                lowerAngle = angles[lower];
                upperAngle = angles[upper];
            }

            var t = (angleDeg - lowerAngle) / (upperAngle - lowerAngle);
            return (points[lower], points[upper], Math.Clamp(t, 0, 1));
        }
    }

    private sealed class PointData
    {
        private PointData(double[] frequenciesHz, double[] lnMagnitude, double[] phase, bool uniform)
        {
            FrequenciesHz = frequenciesHz;
            LnMagnitude = lnMagnitude;
            Phase = phase;
            Uniform = uniform;
        }

        public double[] FrequenciesHz { get; }

        public double[] LnMagnitude { get; }

        public double[] Phase { get; }

        public bool Uniform { get; }

        public static PointData From(MeasurementPoint point, int sampleRateHz, double timeZeroSample)
        {
            if (point.ImpulseResponse is { } ir)
            {
                var size = 1024;
                while (size < 2 * ir.Length)
                {
                    size <<= 1;
                }

                var buffer = new Complex[size];
                for (var n = 0; n < ir.Length; n++)
                {
                    buffer[n] = ir[n];
                }

                DoubleFft.Forward(buffer);
                var bins = (size / 2) + 1;
                var frequencies = new double[bins];
                var spectrum = new Complex[bins];
                for (var k = 0; k < bins; k++)
                {
                    frequencies[k] = (double)k * sampleRateHz / size;
                    var omega = 2 * Math.PI * k / size;
                    spectrum[k] = buffer[k] * Complex.FromPolarCoordinates(1, omega * timeZeroSample);
                }

                return FromSpectrum(frequencies, spectrum, uniform: true);
            }

            return FromSpectrum(point.FrequenciesHz!, point.Spectrum!, uniform: false);
        }

        public (double LnMagnitude, double Phase) At(double frequencyHz)
        {
            var f = FrequenciesHz;
            if (frequencyHz <= f[0])
            {
                return (LnMagnitude[0], Phase[0]);
            }

            if (frequencyHz >= f[^1])
            {
                return (LnMagnitude[^1], Phase[^1]);
            }

            int i;
            if (Uniform)
            {
                i = Math.Min((int)(frequencyHz / f[1]), f.Length - 2);
            }
            else
            {
                i = Array.BinarySearch(f, frequencyHz);
                i = i >= 0 ? Math.Min(i, f.Length - 2) : (~i) - 1;
            }

            var t = (frequencyHz - f[i]) / (f[i + 1] - f[i]);
            return (LnMagnitude[i] + (t * (LnMagnitude[i + 1] - LnMagnitude[i])), Phase[i] + (t * (Phase[i + 1] - Phase[i])));
        }

        private static PointData FromSpectrum(double[] frequencies, Complex[] spectrum, bool uniform)
        {
            var peak = 0.0;
            foreach (var value in spectrum)
            {
                peak = Math.Max(peak, value.Magnitude);
            }

            // A -200 dB floor keeps log(0) out of exact zeros (DC of a band-pass) without touching real data.
            var floor = Math.Max(peak, double.Epsilon) * 1e-10;
            var lnMagnitude = new double[spectrum.Length];
            var phase = new double[spectrum.Length];
            for (var k = 0; k < spectrum.Length; k++)
            {
                lnMagnitude[k] = Math.Log(Math.Max(spectrum[k].Magnitude, floor));
                var wrapped = spectrum[k].Phase;
                phase[k] = k == 0 ? wrapped : phase[k - 1] + DesignMath.WrapPi(wrapped - phase[k - 1]);
            }

            return new PointData(frequencies, lnMagnitude, phase, uniform);
        }
    }
}
