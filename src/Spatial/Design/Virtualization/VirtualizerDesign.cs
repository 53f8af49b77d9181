using System.Numerics;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Heads;
using SpatialAudio.Filters.Design;

namespace SpatialAudio.Spatial.Design.Virtualization;

/// <summary>The virtualizer's desired ear signals and the cues they carry.</summary>
/// <param name="DesiredEars">[ear, input] desired ear signals: column 0 for L' (virtual source on the listener's left),
/// column 1 for R'.</param>
/// <param name="ItdSeconds">Interaural time difference the pair carries (cross-correlation ITD,
/// <see cref="InterauralAnalysis.ItdCrossSpectrumSeconds"/>, ear signals low-passed at 1.5 kHz).</param>
/// <param name="ReferenceItdSeconds">The reference head's own cross-correlation ITD for a source at the angle: equal to
/// <paramref name="ItdSeconds"/> unless the caller asked for another.</param>
/// <param name="ReferenceHead">Name of the head model the cues were fitted to.</param>
public sealed record VirtualizerResult(ResponseMatrix DesiredEars, double ItdSeconds, double ReferenceItdSeconds, string ReferenceHead);

/// <summary>
/// Virtualizes L' and R' as a stereo pair at +/- angle: the ipsilateral ear gets an all-pass (here the identity: flat
/// magnitude, the ipsilateral ear is the time reference, so tonal balance is untouched), the contralateral ear a delayed
/// low-pass (the head shadow).
/// </summary>
/// <remarks>
/// The low-pass is the minimum-phase filter whose magnitude is the 1/3-octave-smoothed contra/ipsi magnitude ratio of
/// the reference head for a source at the angle (2 m), so its ILD per band follows that head; the pure delay is the
/// reference head's cross-correlation ITD minus the low-pass's own (the ITD of the pair ipsi = 1, contra = low-pass),
/// so the pair's cross-correlation ITD matches the head's. (An earlier version matched the interaural group delay over
/// 500 Hz..1.5 kHz instead, which for KEMAR at 30 degrees is 141 us where the cross-correlation ITD is 275 us and the
/// phase delays in the band are 350..390 us: the group delay follows the wiggles of KEMAR's interaural phase.) The reference head is the measured KEMAR set when available (the realism target), else the
/// sphere.
/// </remarks>
public static class VirtualizerDesign
{
    /// <summary>Designs the virtualizer on <paramref name="grid"/> for a pair at +/- <paramref name="angleDeg"/>.</summary>
    /// <param name="grid">The design grid.</param>
    /// <param name="referenceHead">Head whose cues are copied.</param>
    /// <param name="angleDeg">Virtual source angle, (0, 90] degrees.</param>
    /// <param name="distanceMeters">Virtual source distance, meters.</param>
    /// <param name="itdSeconds">The ITD the pair should carry; null: the reference head's (the design passes a larger
    /// one to pre-compensate what the crosstalk stage loses at low frequencies).</param>
    public static VirtualizerResult Design(DesignGrid grid, IHeadModel referenceHead, double angleDeg, double distanceMeters = 2.0, double? itdSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(referenceHead);
        if (!(angleDeg is > 0 and <= 90))
        {
            throw new ArgumentOutOfRangeException(nameof(angleDeg), angleDeg, "must be in (0, 90] degrees");
        }

        var f = ClampedFrequencies(grid, referenceHead.MaxFrequencyHz);
        var source = distanceMeters * Vector3D.FromSpherical(angleDeg, 0);
        var ipsi = new Complex[f.Length];
        var contra = new Complex[f.Length];
        referenceHead.Response(Ear.Left, source, f, ipsi);
        referenceHead.Response(Ear.Right, source, f, contra);

        var ratioPower = new double[f.Length];
        var ratio = new Complex[f.Length];
        for (var k = 0; k < f.Length; k++)
        {
            ratio[k] = contra[k] / ipsi[k];
            ratioPower[k] = ratio[k].Magnitude * ratio[k].Magnitude;
        }

        var smoothed = Smoothing.FractionalOctave(ratioPower, grid.FrequenciesHz, 3);
        var magnitude = smoothed.Select(p => Math.Min(Math.Sqrt(p), 1.0)).ToArray();
        var lowPassTaps = MinimumPhase.FromMagnitude(magnitude, grid.FftLength / 2);
        var lowPass = Spectrum(lowPassTaps, grid.FftLength);

        var frequencies = grid.FrequenciesHz;
        var referenceItd = InterauralAnalysis.ItdCrossSpectrumSeconds(ipsi, contra, frequencies);
        var flat = Enumerable.Repeat(Complex.One, lowPass.Length).ToArray();
        var lowPassDelay = InterauralAnalysis.ItdCrossSpectrumSeconds(flat, lowPass, frequencies);
        var carried = itdSeconds ?? referenceItd;
        var pureDelay = carried - lowPassDelay;

        var desired = new ResponseMatrix(grid, 2, 2);
        for (var k = 0; k < frequencies.Length; k++)
        {
            var contraPath = lowPass[k] * Complex.FromPolarCoordinates(1, -2 * Math.PI * frequencies[k] * pureDelay);
            desired[0, 0, k] = Complex.One;    // L': left ear ipsilateral
            desired[1, 0, k] = contraPath;     // L': right ear contralateral
            desired[1, 1, k] = Complex.One;    // R': right ear ipsilateral
            desired[0, 1, k] = contraPath;     // R': left ear contralateral
        }

        return new VirtualizerResult(desired, carried, referenceItd, referenceHead.Name);
    }

    private static double[] ClampedFrequencies(DesignGrid grid, double maxHz) =>
        [.. grid.FrequenciesHz.ToArray().Select(v => Math.Min(v, 0.999 * maxHz))];

    private static Complex[] Spectrum(double[] taps, int fftLength)
    {
        var buffer = new Complex[fftLength];
        for (var n = 0; n < taps.Length; n++)
        {
            buffer[n] = taps[n];
        }

        DoubleFft.Forward(buffer);
        return buffer[..((fftLength / 2) + 1)];
    }
}
