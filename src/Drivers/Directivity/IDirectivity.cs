using System.Numerics;

namespace SpatialAudio.Drivers.Directivity;

/// <summary>
/// The far-field complex response of one driver versus direction and frequency, in the driver's own frame.
/// </summary>
/// <remarks>
/// <para>Frame: the driver's axis is azimuth 0, elevation 0; azimuth counter-clockwise seen from above (+90 = the
/// driver's left, as the device frame), elevation up. The device description's <c>axis</c> rotates this frame into the
/// device frame (yaw by the axis azimuth, then pitch by the axis elevation).</para>
/// <para>Reference: the response of a point source at the driver's center, 1 m away, propagation delay and 1/r removed.
/// Phase follows the e^{+i omega t} convention (a delay tau is e^{-i omega tau}). On-axis response carries the driver's
/// own frequency response (sensitivity, roll-offs), so equalization can be designed from it.</para>
/// </remarks>
public interface IDirectivity
{
    /// <summary>The highest frequency in Hz the data or model is valid for.</summary>
    double MaxFrequencyHz { get; }

    /// <summary>Fills <paramref name="destination"/> with the response toward one direction at each frequency.</summary>
    /// <param name="azimuthDeg">Azimuth in the driver frame, degrees.</param>
    /// <param name="elevationDeg">Elevation in the driver frame, degrees, -90..90.</param>
    /// <param name="frequenciesHz">Frequencies in Hz, each 0..<see cref="MaxFrequencyHz"/>.</param>
    /// <param name="destination">One complex response per frequency.</param>
    void Response(double azimuthDeg, double elevationDeg, ReadOnlySpan<double> frequenciesHz, Span<Complex> destination);
}

/// <summary>An ideal omnidirectional driver with a flat response: the reference every model is compared with.</summary>
public sealed class OmniDirectivity : IDirectivity
{
    /// <summary>The shared instance.</summary>
    public static OmniDirectivity Instance { get; } = new();

    /// <inheritdoc />
    public double MaxFrequencyHz => double.PositiveInfinity;

    /// <inheritdoc />
    public void Response(double azimuthDeg, double elevationDeg, ReadOnlySpan<double> frequenciesHz, Span<Complex> destination)
    {
        if (destination.Length < frequenciesHz.Length)
        {
            throw new ArgumentException("Destination is shorter than the frequency list.", nameof(destination));
        }

        destination[..frequenciesHz.Length].Fill(Complex.One);
    }
}
