using System.Numerics;
using SpatialAudio.Drivers.Geometry;

namespace SpatialAudio.Drivers.Heads;

/// <summary>A model of a listener's head: the head-related transfer function (HRTF) of each ear for a point source.</summary>
/// <remarks>
/// <para><b>Frame.</b> AES69 head frame: origin at the head center (the midpoint between the ears), x where the listener
/// looks, y the listener's left, z up, meters. Azimuth counter-clockwise seen from above (positive = listener's left),
/// elevation up.</para>
/// <para><b>Normalization.</b> H(f) is the complex pressure at the ear divided by the free-field pressure the same source
/// would produce at the head center with the head absent. At low frequencies and for distant sources H tends to 1.</para>
/// <para><b>Time convention.</b> e^{+i omega t}: a delay tau is the factor e^{-i 2 pi f tau}. H therefore carries the ear's
/// delay relative to the head center: an ear facing the source leads the center (phase advance), a shadowed ear lags it.</para>
/// <para><b>Threading.</b> Implementations are immutable after construction; <see cref="Response"/> may be called from
/// several threads at once. It is a design-time call: it may allocate and it validates its arguments.</para>
/// </remarks>
public interface IHeadModel
{
    /// <summary>A short human-readable name (for reports and the CLI).</summary>
    string Name { get; }

    /// <summary>The highest frequency at which the model is valid (for measured data: where the data ends).</summary>
    double MaxFrequencyHz { get; }

    /// <summary>The HRTF of one ear for a point source, at the given frequencies.</summary>
    /// <param name="ear">Which ear.</param>
    /// <param name="sourceInHeadFrame">Source position in meters, head frame.</param>
    /// <param name="frequenciesHz">Frequencies, Hz, finite and non-negative.</param>
    /// <param name="destination">H at each frequency; same length as <paramref name="frequenciesHz"/>.</param>
    void Response(Ear ear, Vector3D sourceInHeadFrame, ReadOnlySpan<double> frequenciesHz, Span<Complex> destination);
}
