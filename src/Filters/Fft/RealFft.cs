using SpatialAudio.Filters.Simd;

namespace SpatialAudio.Filters.Fft;

/// <summary>
/// A real-input FFT plan for one power-of-two size N: N real samples to N/2 + 1 complex bins (DC .. Nyquist),
/// the spectrum held as split real and imaginary spans.
/// </summary>
/// <remarks>
/// <para>Scaling as <see cref="ComplexFft"/>: forward unscaled, <see cref="Inverse"/> scales by 1/N,
/// <see cref="InverseUnscaled"/> does not. The inverse ignores the imaginary parts of the DC and Nyquist bins
/// (they are zero for the spectrum of a real signal).</para>
/// <para>Threading: a plan owns scratch memory; use one plan per thread. Nothing is allocated after construction.</para>
/// </remarks>
public sealed class RealFft
{
    private readonly int size;
    private readonly int half;
    private readonly FftKernel kernel;
    private readonly float[] twiddleReal;
    private readonly float[] twiddleImag;
    private readonly float[] scratchReal;
    private readonly float[] scratchImag;
    private readonly float[] packedReal;
    private readonly float[] packedImag;

    /// <summary>Creates a plan for <paramref name="size"/> real samples on this machine's best SIMD tier.</summary>
    /// <param name="size">A power of two, <see cref="ComplexFft.MinSize"/>..<see cref="ComplexFft.MaxSize"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is not a supported power of two.</exception>
    public RealFft(int size)
        : this(size, SimdCapabilities.Best)
    {
    }

    /// <summary>Creates a plan on an explicit SIMD tier (tests compare tiers with it).</summary>
    internal RealFft(int size, SimdTier tier)
    {
        ComplexFft.ValidateSize(size, nameof(size));
        this.size = size;
        half = size / 2;
        kernel = new FftKernel(half, tier);
        twiddleReal = new float[half];
        twiddleImag = new float[half];
        for (var k = 0; k < half; k++)
        {
            var angle = -2.0 * Math.PI * k / size;
            twiddleReal[k] = (float)Math.Cos(angle);
            twiddleImag[k] = (float)Math.Sin(angle);
        }

        scratchReal = new float[half];
        scratchImag = new float[half];
        packedReal = new float[half + 1];
        packedImag = new float[half + 1];
    }

    /// <summary>Number of real samples N.</summary>
    public int Size => size;

    /// <summary>Number of complex bins, N/2 + 1.</summary>
    public int BinCount => half + 1;

    /// <summary>The SIMD tier this plan runs on.</summary>
    public SimdTier Tier => kernel.Tier;

    /// <summary>Forward transform.</summary>
    /// <param name="input">N real samples; left unchanged.</param>
    /// <param name="real">Real parts of bins 0..N/2, length <see cref="BinCount"/>.</param>
    /// <param name="imag">Imaginary parts of bins 0..N/2, length <see cref="BinCount"/>.</param>
    public void Forward(ReadOnlySpan<float> input, Span<float> real, Span<float> imag)
    {
        CheckLength(input.Length, size, nameof(input));
        CheckLength(real.Length, BinCount, nameof(real));
        CheckLength(imag.Length, BinCount, nameof(imag));

        // Pack even samples as real, odd as imaginary, transform N/2 points, then split the two spectra.
        var zr = scratchReal.AsSpan();
        var zi = scratchImag.AsSpan();
        for (var n = 0; n < half; n++)
        {
            zr[n] = input[2 * n];
            zi[n] = input[(2 * n) + 1];
        }

        kernel.Transform(zr, zi, inverse: false);

        real[0] = zr[0] + zi[0];
        imag[0] = 0f;
        real[half] = zr[0] - zi[0];
        imag[half] = 0f;
        for (var k = 1; k < half; k++)
        {
            var ar = zr[k];
            var ai = zi[k];
            var br = zr[half - k];
            var bi = -zi[half - k];

            // Even part E = (Z[k] + conj Z[N/2-k]) / 2, odd part O = (Z[k] - conj Z[N/2-k]) / (2i).
            var er = 0.5f * (ar + br);
            var ei = 0.5f * (ai + bi);
            var or = 0.5f * (ai - bi);
            var oi = -0.5f * (ar - br);
            var wr = twiddleReal[k];
            var wi = twiddleImag[k];
            real[k] = er + ((wr * or) - (wi * oi));
            imag[k] = ei + ((wr * oi) + (wi * or));
        }
    }

    /// <summary>Inverse transform, scaled by 1/N.</summary>
    /// <param name="real">Real parts of bins 0..N/2, length <see cref="BinCount"/>; left unchanged.</param>
    /// <param name="imag">Imaginary parts of bins 0..N/2, length <see cref="BinCount"/>; left unchanged.</param>
    /// <param name="output">N real samples.</param>
    public void Inverse(ReadOnlySpan<float> real, ReadOnlySpan<float> imag, Span<float> output)
    {
        InverseCore(real, imag, output, 1f / size);
    }

    /// <summary>Inverse transform without the 1/N scaling.</summary>
    /// <param name="real">Real parts of bins 0..N/2, length <see cref="BinCount"/>; left unchanged.</param>
    /// <param name="imag">Imaginary parts of bins 0..N/2, length <see cref="BinCount"/>; left unchanged.</param>
    /// <param name="output">N real samples.</param>
    public void InverseUnscaled(ReadOnlySpan<float> real, ReadOnlySpan<float> imag, Span<float> output)
    {
        InverseCore(real, imag, output, 1f);
    }

    /// <summary>
    /// Forward transform into the packed layout: N/2 bins, with the (real) Nyquist value stored in
    /// <c>imag[0]</c> where the (zero) imaginary part of DC would be. Power-of-two bin counts suit SIMD loops.
    /// </summary>
    /// <param name="input">N real samples; left unchanged.</param>
    /// <param name="real">Real parts of bins 0..N/2-1, length N/2.</param>
    /// <param name="imag">Imaginary parts of bins 1..N/2-1 at their index; Re X[N/2] at index 0. Length N/2.</param>
    public void ForwardPacked(ReadOnlySpan<float> input, Span<float> real, Span<float> imag)
    {
        CheckLength(real.Length, half, nameof(real));
        CheckLength(imag.Length, half, nameof(imag));
        var fullReal = packedReal.AsSpan();
        var fullImag = packedImag.AsSpan();
        Forward(input, fullReal, fullImag);
        fullReal[..half].CopyTo(real);
        fullImag[..half].CopyTo(imag);
        imag[0] = fullReal[half];
    }

    /// <summary>Inverse of <see cref="ForwardPacked"/> without the 1/N scaling.</summary>
    /// <param name="real">Packed real parts, length N/2; left unchanged.</param>
    /// <param name="imag">Packed imaginary parts (Nyquist at index 0), length N/2; left unchanged.</param>
    /// <param name="output">N real samples.</param>
    public void InverseUnscaledPacked(ReadOnlySpan<float> real, ReadOnlySpan<float> imag, Span<float> output)
    {
        CheckLength(real.Length, half, nameof(real));
        CheckLength(imag.Length, half, nameof(imag));
        var fullReal = packedReal.AsSpan();
        var fullImag = packedImag.AsSpan();
        real.CopyTo(fullReal);
        imag.CopyTo(fullImag);
        fullReal[half] = imag[0];
        fullImag[0] = 0f;
        fullImag[half] = 0f;
        InverseCore(fullReal, fullImag, output, 1f);
    }

    private void InverseCore(ReadOnlySpan<float> real, ReadOnlySpan<float> imag, Span<float> output, float scale)
    {
        CheckLength(real.Length, BinCount, nameof(real));
        CheckLength(imag.Length, BinCount, nameof(imag));
        CheckLength(output.Length, size, nameof(output));

        // Rebuild Z[k] = E[k] + i O[k] from X, inverse-transform N/2 points, unpack even/odd samples.
        var zr = scratchReal.AsSpan();
        var zi = scratchImag.AsSpan();
        for (var k = 0; k < half; k++)
        {
            var ar = real[k];
            var ai = k == 0 ? 0f : imag[k];
            var br = real[half - k];
            var bi = -(k == 0 ? 0f : imag[half - k]);

            // E = (X[k] + conj X[N/2-k]) / 2; O = (X[k] - conj X[N/2-k]) * conj(W^k) / 2.
            var er = 0.5f * (ar + br);
            var ei = 0.5f * (ai + bi);
            var dr = 0.5f * (ar - br);
            var di = 0.5f * (ai - bi);
            var wr = twiddleReal[k];
            var wi = -twiddleImag[k];
            var or = (dr * wr) - (di * wi);
            var oi = (dr * wi) + (di * wr);
            zr[k] = er - oi;
            zi[k] = ei + or;
        }

        kernel.Transform(zr, zi, inverse: true);
        var twoScale = 2f * scale;
        for (var n = 0; n < half; n++)
        {
            output[2 * n] = zr[n] * twoScale;
            output[(2 * n) + 1] = zi[n] * twoScale;
        }
    }

    private static void CheckLength(int length, int expected, string paramName)
    {
        if (length != expected)
        {
            throw new ArgumentException($"Expected {expected} values, got {length}.", paramName);
        }
    }
}
