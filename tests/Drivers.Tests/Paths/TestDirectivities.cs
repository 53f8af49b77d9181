namespace SpatialAudio.Drivers.Tests.Paths;

using System.Numerics;
using SpatialAudio.Drivers.Directivity;

/// <summary>A first-order cardioid (1 + cos γ)/2, γ the angle from the driver's axis; flat in frequency.</summary>
internal sealed class CardioidDirectivity : IDirectivity
{
    public double MaxFrequencyHz => double.PositiveInfinity;

    public static double Gain(double azimuthDeg, double elevationDeg) =>
        0.5 * (1.0 + (Math.Cos(elevationDeg * Math.PI / 180.0) * Math.Cos(azimuthDeg * Math.PI / 180.0)));

    public void Response(double azimuthDeg, double elevationDeg, ReadOnlySpan<double> frequenciesHz, Span<Complex> destination) =>
        destination[..frequenciesHz.Length].Fill(Gain(azimuthDeg, elevationDeg));
}

/// <summary>Returns azimuth + i·elevation (degrees) at every frequency: shows which driver-frame angles were asked for.</summary>
internal sealed class AngleProbeDirectivity : IDirectivity
{
    public double MaxFrequencyHz => double.PositiveInfinity;

    public void Response(double azimuthDeg, double elevationDeg, ReadOnlySpan<double> frequenciesHz, Span<Complex> destination) =>
        destination[..frequenciesHz.Length].Fill(new Complex(azimuthDeg, elevationDeg));
}

/// <summary>Louder upward than downward, 1 + 0.5 sin(el), with a frequency-dependent phase e^{-i 2π f 1e-5}.</summary>
internal sealed class TiltedDirectivity : IDirectivity
{
    public double MaxFrequencyHz => 20_000.0;

    public static Complex Value(double elevationDeg, double frequencyHz) =>
        Complex.FromPolarCoordinates(1.0 + (0.5 * Math.Sin(elevationDeg * Math.PI / 180.0)), -2.0 * Math.PI * frequencyHz * 1e-5);

    public void Response(double azimuthDeg, double elevationDeg, ReadOnlySpan<double> frequenciesHz, Span<Complex> destination)
    {
        for (var k = 0; k < frequenciesHz.Length; k++)
        {
            destination[k] = Value(elevationDeg, frequenciesHz[k]);
        }
    }
}
