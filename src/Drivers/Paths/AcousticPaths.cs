using System.Numerics;
using SpatialAudio.Drivers.Acoustics;
using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Directivity;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Heads;

namespace SpatialAudio.Drivers.Paths;

/// <summary>
/// Free-field transfer functions from one driver to a point (a microphone, the head center) or to an ear.
/// </summary>
/// <remarks>
/// <para><b>Driver to point.</b> H(f) = D(θ, φ, f) · (1/r) · e^{-i2πf r/c} · 10^(-α(f) r/20): the driver's directivity
/// toward the point, expressed in the driver's frame (<see cref="DriverFrames"/>), times
/// <see cref="FreeFieldPropagation.TransferFunction"/> (delay r/c, spreading relative to 1 m, ISO 9613-1 air absorption
/// as a zero-phase magnitude). The directivity is a far-field model, so the point should be a few driver diameters
/// away.</para>
/// <para><b>Driver to ear.</b> H_ear(f) = D(toward the head center) · P(head center) · HRTF_ear(source in head frame). An
/// <see cref="IHeadModel"/>'s HRTF is the ear pressure over the free-field pressure at the head center with the head
/// absent, so the product is the ear pressure itself: propagation is counted once, to the head center, and the HRTF adds
/// the ear's lead or lag and the head's shadow. The directivity is evaluated toward the head center, not toward each
/// ear (the ears subtend a few degrees at listening distance).</para>
/// <para><b>Impulse responses.</b> The transfer function sampled on an FFT grid of N ≥ 2·length points, band-limited
/// by the same 64-tap Kaiser sinc as <see cref="FreeFieldPropagation.ImpulseResponse"/> (flat to 0.41 fs, more than
/// 80 dB down at fs/2), faded out with a half cosine from 0.9 of the lowest model top frequency when that is below
/// Nyquist, delayed by a lead and inverse-transformed. Sample n is the time (n - lead)/fs after emission: an arrival
/// after r/c seconds peaks at r/c·fs + lead samples, and the lead keeps the kernel's pre-ringing and an ear's lead over
/// the head center after t = 0. Anything later than N - lead samples wraps around, so choose the length to hold the
/// whole response.</para>
/// <para>Time convention e^{+iωt} (a delay τ is e^{-iωτ}). Design-time code: allocates, validates, thread-safe.</para>
/// </remarks>
public static class AcousticPaths
{
    /// <summary>Default lead of the impulse responses, samples: the band-limiting kernel's half-length (32) plus room for an
    /// ear's lead over the head center and a measured directivity's acausal part.</summary>
    public const double DefaultLeadSamples = 64.0;

    /// <summary>Transfer function from a driver to a device-frame point.</summary>
    /// <param name="driver">The driver (position, axis).</param>
    /// <param name="directivity">The driver's directivity, driver frame.</param>
    /// <param name="pointMeters">The receiving point, device frame, not at the driver.</param>
    /// <param name="frequenciesHz">Frequencies, Hz, each 0..<see cref="IDirectivity.MaxFrequencyHz"/>.</param>
    /// <param name="air">The air (speed of sound, absorption).</param>
    /// <param name="destination">One value per frequency: pressure re. the driver's on-axis pressure at 1 m.</param>
    /// <exception cref="ArgumentOutOfRangeException">A frequency is outside the directivity's range.</exception>
    /// <exception cref="ArgumentException">The point is at the driver, or <paramref name="destination"/> is too short.</exception>
    public static void DriverToPoint(
        DriverDescription driver,
        IDirectivity directivity,
        Vector3D pointMeters,
        ReadOnlySpan<double> frequenciesHz,
        AirConditions air,
        Span<Complex> destination)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(directivity);
        ArgumentNullException.ThrowIfNull(air);
        CheckGrid(frequenciesHz, directivity.MaxFrequencyHz, destination);
        var (azimuth, elevation) = DriverFrames.PointInDriverFrame(driver, pointMeters);
        var distance = Vector3D.Distance(driver.PositionMeters, pointMeters);
        var n = frequenciesHz.Length;
        var propagation = new Complex[n];
        FreeFieldPropagation.TransferFunction(distance, frequenciesHz, air, propagation);
        directivity.Response(azimuth, elevation, frequenciesHz, destination[..n]);
        for (var k = 0; k < n; k++)
        {
            destination[k] *= propagation[k];
        }
    }

    /// <summary>Band-limited impulse response from a driver to a device-frame point (see the class remarks).</summary>
    /// <param name="driver">The driver.</param>
    /// <param name="directivity">The driver's directivity.</param>
    /// <param name="pointMeters">The receiving point, device frame.</param>
    /// <param name="air">The air.</param>
    /// <param name="sampleRateHz">Sample rate, 1 kHz .. 768 kHz.</param>
    /// <param name="lengthSamples">Samples returned, 64 .. 32768.</param>
    /// <param name="leadSamples">Lead, 0 .. length/2 samples: sample n is time (n - lead)/fs after emission.</param>
    /// <returns>The impulse response.</returns>
    public static double[] DriverToPointImpulseResponse(
        DriverDescription driver,
        IDirectivity directivity,
        Vector3D pointMeters,
        AirConditions air,
        double sampleRateHz,
        int lengthSamples,
        double leadSamples = DefaultLeadSamples)
    {
        ArgumentNullException.ThrowIfNull(directivity);
        ImpulseSynthesis.Validate(sampleRateHz, lengthSamples, leadSamples);
        _ = DriverFrames.PointInDriverFrame(driver, pointMeters);
        return ImpulseSynthesis.Render(
            (f, h) => DriverToPoint(driver, directivity, pointMeters, f, air, h),
            directivity.MaxFrequencyHz,
            sampleRateHz,
            lengthSamples,
            leadSamples);
    }

    /// <summary>Transfer function from a driver to one ear of a listener (see the class remarks).</summary>
    /// <param name="driver">The driver.</param>
    /// <param name="directivity">The driver's directivity.</param>
    /// <param name="pose">The listener's head, device frame.</param>
    /// <param name="head">The head model.</param>
    /// <param name="ear">Which ear.</param>
    /// <param name="frequenciesHz">Frequencies, Hz, each 0..<see cref="IDirectivity.MaxFrequencyHz"/>.</param>
    /// <param name="air">The air.</param>
    /// <param name="destination">One value per frequency: ear pressure re. the driver's on-axis pressure at 1 m.</param>
    public static void DriverToEar(
        DriverDescription driver,
        IDirectivity directivity,
        ListenerPose pose,
        IHeadModel head,
        Ear ear,
        ReadOnlySpan<double> frequenciesHz,
        AirConditions air,
        Span<Complex> destination)
    {
        ArgumentNullException.ThrowIfNull(head);
        DriverToPoint(driver, directivity, pose.PositionMeters, frequenciesHz, air, destination);
        var n = frequenciesHz.Length;
        var hrtf = new Complex[n];
        head.Response(ear, pose.ToHeadFrame(driver.PositionMeters), frequenciesHz, hrtf);
        for (var k = 0; k < n; k++)
        {
            destination[k] *= hrtf[k];
        }
    }

    /// <summary>Band-limited impulse response from a driver to one ear (see the class remarks).</summary>
    /// <param name="driver">The driver.</param>
    /// <param name="directivity">The driver's directivity.</param>
    /// <param name="pose">The listener's head, device frame.</param>
    /// <param name="head">The head model.</param>
    /// <param name="ear">Which ear.</param>
    /// <param name="air">The air.</param>
    /// <param name="sampleRateHz">Sample rate, 1 kHz .. 768 kHz.</param>
    /// <param name="lengthSamples">Samples returned, 64 .. 32768.</param>
    /// <param name="leadSamples">Lead, 0 .. length/2 samples: sample n is time (n - lead)/fs after emission.</param>
    /// <returns>The impulse response.</returns>
    public static double[] DriverToEarImpulseResponse(
        DriverDescription driver,
        IDirectivity directivity,
        ListenerPose pose,
        IHeadModel head,
        Ear ear,
        AirConditions air,
        double sampleRateHz,
        int lengthSamples,
        double leadSamples = DefaultLeadSamples)
    {
        ArgumentNullException.ThrowIfNull(directivity);
        ArgumentNullException.ThrowIfNull(head);
        ImpulseSynthesis.Validate(sampleRateHz, lengthSamples, leadSamples);
        _ = DriverFrames.PointInDriverFrame(driver, pose.PositionMeters);
        return ImpulseSynthesis.Render(
            (f, h) => DriverToEar(driver, directivity, pose, head, ear, f, air, h),
            Math.Min(directivity.MaxFrequencyHz, head.MaxFrequencyHz),
            sampleRateHz,
            lengthSamples,
            leadSamples);
    }

    internal static void CheckGrid(ReadOnlySpan<double> frequenciesHz, double maxFrequencyHz, ReadOnlySpan<Complex> destination)
    {
        if (destination.Length < frequenciesHz.Length)
        {
            throw new ArgumentException("The destination must hold one value per frequency.", nameof(destination));
        }

        foreach (var f in frequenciesHz)
        {
            if (!(f >= 0.0 && f <= maxFrequencyHz) || double.IsInfinity(f))
            {
                throw new ArgumentOutOfRangeException(nameof(frequenciesHz), f, $"Frequencies must be finite and lie in 0..{maxFrequencyHz} Hz (the directivity's range).");
            }
        }
    }
}
