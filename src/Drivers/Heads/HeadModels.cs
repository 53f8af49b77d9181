using System.Numerics;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Filters.Fft;

namespace SpatialAudio.Drivers.Heads;

/// <summary>Operations every <see cref="IHeadModel"/> supports: impulse responses from the frequency response.</summary>
public static class HeadModels
{
    /// <summary>Fraction of the usable band (up to min(<see cref="IHeadModel.MaxFrequencyHz"/>, Nyquist)) below which the
    /// impulse-response synthesis keeps the response untouched; above it a half-cosine fades it to 0.</summary>
    public const double TaperStartFraction = 0.9;

    /// <summary>
    /// A head-related impulse response of one ear synthesized from <see cref="IHeadModel.Response"/>: the response is
    /// sampled on the FFT grid k * fs / N, delayed by <paramref name="leadSeconds"/>, faded out toward the top of the
    /// usable band and inverse-transformed.
    /// </summary>
    /// <param name="model">The head model.</param>
    /// <param name="ear">Which ear.</param>
    /// <param name="sourceInHeadFrame">Source position, meters, head frame.</param>
    /// <param name="sampleRateHz">Sample rate, Hz.</param>
    /// <param name="length">IR length N, a power of two (64..65536).</param>
    /// <param name="leadSeconds">Delay added to every response so that the acausal part (an ear facing the source leads
    /// the head center) lands after t = 0; the head center's arrival is at this time. 0..N/(2 fs).</param>
    /// <returns>N samples; sample n is time n / fs relative to (center arrival - lead).</returns>
    /// <remarks>Scaling: the IR of H = 1 is a (band-limited) unit impulse at the lead time. Design-time call.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static float[] ImpulseResponse(
        IHeadModel model,
        Ear ear,
        Vector3D sourceInHeadFrame,
        double sampleRateHz,
        int length,
        double leadSeconds)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(sampleRateHz >= 1000 && sampleRateHz <= 768_000))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "The sample rate must be 1000..768000 Hz.");
        }

        if (length < 64 || length > 65536 || !BitOperations.IsPow2(length))
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "The length must be a power of two, 64..65536.");
        }

        if (!(leadSeconds >= 0 && leadSeconds <= length / (2.0 * sampleRateHz)))
        {
            throw new ArgumentOutOfRangeException(nameof(leadSeconds), leadSeconds, "The lead must be 0..N/(2 fs) seconds.");
        }

        var bins = (length / 2) + 1;
        var frequencies = new double[bins];
        for (var k = 0; k < bins; k++)
        {
            frequencies[k] = k * sampleRateHz / length;
        }

        var response = new Complex[bins];
        model.Response(ear, sourceInHeadFrame, frequencies, response);

        var top = Math.Min(model.MaxFrequencyHz, sampleRateHz / 2);
        var taperStart = TaperStartFraction * top;
        var real = new float[bins];
        var imag = new float[bins];
        for (var k = 0; k < bins; k++)
        {
            var f = frequencies[k];
            var weight = f <= taperStart ? 1.0
                : f >= top ? 0.0
                : 0.5 * (1.0 + Math.Cos(Math.PI * (f - taperStart) / (top - taperStart)));
            var h = weight * response[k] * Complex.FromPolarCoordinates(1.0, -2.0 * Math.PI * f * leadSeconds);
            real[k] = (float)h.Real;
            imag[k] = (float)h.Imaginary;
        }

        // A real signal's Nyquist bin is real; the taper has already made it 0 unless the model ends above Nyquist.
        imag[bins - 1] = 0f;
        var ir = new float[length];
        new RealFft(length).Inverse(real, imag, ir);
        return ir;
    }
}
