using System.Numerics;
using SpatialAudio.Drivers.Directivity;
using SpatialAudio.Filters.Design;

namespace SpatialAudio.Drivers.Measurements;

/// <summary>Samples a directivity model the way a polar measurement is taken: impulse responses every 5 degrees in the
/// horizontal and vertical planes.</summary>
/// <remarks>
/// <para>Directions (<see cref="StandardAngles"/>, 142): horizontal azimuth -180..175 at elevation 0 (72); vertical
/// elevation -90..90 at azimuth 0 (36 more) and -85..85 at azimuth 180 (34 more, the rear half of the vertical circle).</para>
/// <para>Each impulse response is the inverse FFT of the model response sampled on a grid 4x the IR length, delayed by
/// the time zero (so the parts of a piston response that arrive before the center's, at most a/c, stay causal),
/// truncated to the IR length with a half-Hann fade over its last eighth. Deterministic (scalar double arithmetic).</para>
/// </remarks>
public static class PolarSampler
{
    /// <summary>The 142 standard directions, in file order.</summary>
    public static IReadOnlyList<MeasurementAngle> StandardAngles { get; } = BuildAngles();

    /// <summary>Samples <paramref name="model"/> toward every standard direction.</summary>
    /// <param name="model">The driver model.</param>
    /// <param name="driverId">Id stored in the set.</param>
    /// <param name="sampleRateHz">Sample rate, Hz.</param>
    /// <param name="impulseLength">Samples per impulse response, a power of two, at least 64.</param>
    /// <param name="timeZeroSample">Index of time zero in each response, 0..impulseLength/4.</param>
    public static DriverMeasurement Sample(IDirectivity model, string driverId, int sampleRateHz, int impulseLength, int timeZeroSample)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(driverId);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRateHz, 1000);
        if (impulseLength < 64 || (impulseLength & (impulseLength - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(impulseLength), impulseLength, "Length must be a power of two, at least 64.");
        }

        if (timeZeroSample < 0 || timeZeroSample > impulseLength / 4)
        {
            throw new ArgumentOutOfRangeException(nameof(timeZeroSample), timeZeroSample, "Time zero must be in 0..length/4.");
        }

        var size = 4 * impulseLength;
        var bins = (size / 2) + 1;
        var frequencies = new double[bins];
        for (var k = 0; k < bins; k++)
        {
            frequencies[k] = (double)k * sampleRateHz / size;
        }

        var response = new Complex[bins];
        var buffer = new Complex[size];
        var fade = impulseLength / 8;
        var points = new List<MeasurementPoint>(StandardAngles.Count);
        foreach (var angle in StandardAngles)
        {
            model.Response(angle.AzimuthDeg, angle.ElevationDeg, frequencies, response);
            for (var k = 0; k < bins; k++)
            {
                buffer[k] = response[k] * Complex.FromPolarCoordinates(1, -2 * Math.PI * k * timeZeroSample / size);
            }

            // A real signal's Nyquist bin is real; the rest of the spectrum is the conjugate mirror.
            buffer[bins - 1] = new Complex(buffer[bins - 1].Real, 0);
            buffer[0] = new Complex(buffer[0].Real, 0);
            for (var k = 1; k < bins - 1; k++)
            {
                buffer[size - k] = Complex.Conjugate(buffer[k]);
            }

            DoubleFft.Inverse(buffer);
            var ir = new float[impulseLength];
            for (var n = 0; n < impulseLength; n++)
            {
                var weight = 1.0;
                var intoFade = n - (impulseLength - fade);
                if (intoFade >= 0)
                {
                    var c = Math.Cos(0.5 * Math.PI * (intoFade + 1) / fade);
                    weight = c * c;
                }

                ir[n] = (float)(buffer[n].Real * weight);
            }

            points.Add(MeasurementPoint.FromImpulseResponse(angle, ir));
        }

        return new DriverMeasurement(driverId, sampleRateHz, timeZeroSample, points);
    }

    private static List<MeasurementAngle> BuildAngles()
    {
        var angles = new List<MeasurementAngle>();
        for (var az = -180; az < 180; az += 5)
        {
            angles.Add(new MeasurementAngle(az, 0));
        }

        for (var el = -90; el <= 90; el += 5)
        {
            if (el != 0)
            {
                angles.Add(new MeasurementAngle(0, el));
            }
        }

        for (var el = -85; el <= 85; el += 5)
        {
            if (el != 0)
            {
                angles.Add(new MeasurementAngle(180, el));
            }
        }

        return angles;
    }
}
