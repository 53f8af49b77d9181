using System.Numerics;
using SpatialAudio.Drivers.Acoustics;
using SpatialAudio.Filters.Fft;

namespace SpatialAudio.Drivers.Paths;

/// <summary>Turns a transfer function into a band-limited impulse response with a lead (shared by every path).</summary>
internal static class ImpulseSynthesis
{
    /// <summary>Fraction of a model's top frequency (when below Nyquist) where a half-cosine fade to zero starts.</summary>
    public const double TaperStartFraction = 0.9;

    private static readonly double[] KernelTaps = CreateKernelTaps();

    /// <summary>Evaluates a response on a frequency grid.</summary>
    /// <param name="frequenciesHz">The grid.</param>
    /// <param name="destination">One value per frequency.</param>
    public delegate void ResponseFunction(double[] frequenciesHz, Complex[] destination);

    public static void Validate(double sampleRateHz, int lengthSamples, double leadSamples)
    {
        if (!(sampleRateHz >= 1000.0 && sampleRateHz <= 768_000.0))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "The sample rate must be 1000..768000 Hz.");
        }

        if (lengthSamples < 64 || lengthSamples > ComplexFft.MaxSize / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(lengthSamples), lengthSamples, $"The length must be 64..{ComplexFft.MaxSize / 2} samples.");
        }

        if (!(leadSamples >= 0.0 && leadSamples <= lengthSamples / 2.0))
        {
            throw new ArgumentOutOfRangeException(nameof(leadSamples), leadSamples, "The lead must be 0..length/2 samples.");
        }
    }

    /// <summary>
    /// Samples <paramref name="response"/> on an FFT grid of N ≥ 2·length points up to <paramref name="topHz"/>, multiplies
    /// by the shared band-limiting kernel, a fade above 0.9·top when top is below Nyquist and the lead
    /// e^{-i2πf·lead/fs}, and inverse-transforms. Returns the first <paramref name="lengthSamples"/> samples.
    /// </summary>
    public static double[] Render(ResponseFunction response, double topHz, double sampleRateHz, int lengthSamples, double leadSamples)
    {
        Validate(sampleRateHz, lengthSamples, leadSamples);
        var size = Math.Max(ComplexFft.MinSize, (int)BitOperations.RoundUpToPowerOf2((uint)(2 * lengthSamples)));
        var bins = (size / 2) + 1;
        var top = Math.Min(topHz, sampleRateHz / 2.0);
        var count = 0;
        while (count < bins && count * sampleRateHz / size <= top)
        {
            count++;
        }

        var frequencies = new double[count];
        for (var k = 0; k < count; k++)
        {
            frequencies[k] = k * sampleRateHz / size;
        }

        var values = new Complex[count];
        response(frequencies, values);

        var real = new float[bins];
        var imag = new float[bins];
        var taperStart = top < sampleRateHz / 2.0 ? TaperStartFraction * top : double.PositiveInfinity;
        for (var k = 0; k < count; k++)
        {
            var f = frequencies[k];
            var weight = KernelResponse(f, sampleRateHz);
            if (f > taperStart)
            {
                weight *= 0.5 * (1.0 + Math.Cos(Math.PI * (f - taperStart) / (top - taperStart)));
            }

            var h = weight * values[k] * Complex.FromPolarCoordinates(1.0, -2.0 * Math.PI * k * leadSamples / size);
            real[k] = (float)h.Real;
            imag[k] = (float)h.Imaginary;
        }

        // A real signal's Nyquist bin is real; the kernel is far below -80 dB there anyway.
        imag[bins - 1] = 0f;
        var time = new float[size];
        new RealFft(size).Inverse(real, imag, time);
        var result = new double[lengthSamples];
        for (var n = 0; n < lengthSamples; n++)
        {
            result[n] = time[n];
        }

        return result;
    }

    /// <summary>Zero-phase response of the shared 64-tap band-limiting kernel (flat to 0.41 fs, below -80 dB at fs/2).</summary>
    public static double KernelResponse(double frequencyHz, double sampleRateHz)
    {
        var omega = 2.0 * Math.PI * frequencyHz / sampleRateHz;
        var sum = KernelTaps[0];
        for (var n = 1; n < KernelTaps.Length; n++)
        {
            sum += 2.0 * KernelTaps[n] * Math.Cos(omega * n);
        }

        return sum;
    }

    private static double[] CreateKernelTaps()
    {
        var taps = new double[BandLimitedKernel.HalfLength];
        for (var n = 0; n < taps.Length; n++)
        {
            taps[n] = BandLimitedKernel.Evaluate(n);
        }

        return taps;
    }
}
