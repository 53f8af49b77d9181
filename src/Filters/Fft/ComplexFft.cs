using SpatialAudio.Filters.Simd;

namespace SpatialAudio.Filters.Fft;

/// <summary>
/// A complex FFT plan for one power-of-two size, on split (separate real and imaginary) float spans.
/// </summary>
/// <remarks>
/// <para>Scaling: <see cref="Forward(Span{float}, Span{float})"/> is unscaled,
/// X[k] = sum_n x[n] e^(-2 pi i k n / N); <see cref="Inverse(Span{float}, Span{float})"/> scales by 1/N so that
/// Inverse(Forward(x)) = x; <see cref="InverseUnscaled(Span{float}, Span{float})"/> skips the 1/N (callers that fold
/// it into their own gains, like the convolver, use that). MathNet's default scales by 1/sqrt(N) both ways.</para>
/// <para>Threading: a plan owns scratch memory; use one plan per thread. Nothing is allocated after construction.</para>
/// </remarks>
public sealed class ComplexFft
{
    /// <summary>Smallest supported size.</summary>
    public const int MinSize = 16;

    /// <summary>Largest supported size.</summary>
    public const int MaxSize = 65536;

    private readonly FftKernel kernel;

    /// <summary>Creates a plan for <paramref name="size"/> points on this machine's best SIMD tier.</summary>
    /// <param name="size">A power of two, <see cref="MinSize"/>..<see cref="MaxSize"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is not a supported power of two.</exception>
    public ComplexFft(int size)
        : this(size, SimdCapabilities.Best)
    {
    }

    /// <summary>Creates a plan on an explicit SIMD tier (tests compare tiers with it).</summary>
    internal ComplexFft(int size, SimdTier tier)
    {
        ValidateSize(size, nameof(size));
        kernel = new FftKernel(size, tier);
    }

    /// <summary>Number of points.</summary>
    public int Size => kernel.Size;

    /// <summary>The SIMD tier this plan runs on.</summary>
    public SimdTier Tier => kernel.Tier;

    /// <summary>Forward transform in place.</summary>
    /// <param name="real">Real parts, length <see cref="Size"/>.</param>
    /// <param name="imag">Imaginary parts, length <see cref="Size"/>.</param>
    public void Forward(Span<float> real, Span<float> imag)
    {
        CheckLength(real.Length, nameof(real));
        CheckLength(imag.Length, nameof(imag));
        kernel.Transform(real, imag, real, imag, inverse: false);
    }

    /// <summary>Forward transform out of place; the inputs are left unchanged.</summary>
    /// <param name="inputReal">Real parts of the input, length <see cref="Size"/>.</param>
    /// <param name="inputImag">Imaginary parts of the input, length <see cref="Size"/>.</param>
    /// <param name="outputReal">Real parts of the spectrum, length <see cref="Size"/>.</param>
    /// <param name="outputImag">Imaginary parts of the spectrum, length <see cref="Size"/>.</param>
    /// <remarks>The outputs may be the inputs themselves (then this is the in-place transform), otherwise they must
    /// not overlap them; the same holds for every out-of-place overload.</remarks>
    public void Forward(ReadOnlySpan<float> inputReal, ReadOnlySpan<float> inputImag, Span<float> outputReal, Span<float> outputImag)
    {
        OutOfPlace(inputReal, inputImag, outputReal, outputImag, inverse: false);
    }

    /// <summary>Inverse transform in place, scaled by 1/<see cref="Size"/>.</summary>
    /// <param name="real">Real parts, length <see cref="Size"/>.</param>
    /// <param name="imag">Imaginary parts, length <see cref="Size"/>.</param>
    public void Inverse(Span<float> real, Span<float> imag)
    {
        InverseUnscaled(real, imag);
        FftKernel.Scale(real, imag, 1f / Size);
    }

    /// <summary>Inverse transform out of place, scaled by 1/<see cref="Size"/>; the inputs are left unchanged.</summary>
    /// <param name="inputReal">Real parts of the spectrum, length <see cref="Size"/>.</param>
    /// <param name="inputImag">Imaginary parts of the spectrum, length <see cref="Size"/>.</param>
    /// <param name="outputReal">Real parts of the signal, length <see cref="Size"/>.</param>
    /// <param name="outputImag">Imaginary parts of the signal, length <see cref="Size"/>.</param>
    public void Inverse(ReadOnlySpan<float> inputReal, ReadOnlySpan<float> inputImag, Span<float> outputReal, Span<float> outputImag)
    {
        InverseUnscaled(inputReal, inputImag, outputReal, outputImag);
        FftKernel.Scale(outputReal, outputImag, 1f / Size);
    }

    /// <summary>Inverse transform out of place without the 1/<see cref="Size"/> scaling; the inputs are left unchanged.</summary>
    /// <param name="inputReal">Real parts of the spectrum, length <see cref="Size"/>.</param>
    /// <param name="inputImag">Imaginary parts of the spectrum, length <see cref="Size"/>.</param>
    /// <param name="outputReal">Real parts of the signal, length <see cref="Size"/>.</param>
    /// <param name="outputImag">Imaginary parts of the signal, length <see cref="Size"/>.</param>
    public void InverseUnscaled(ReadOnlySpan<float> inputReal, ReadOnlySpan<float> inputImag, Span<float> outputReal, Span<float> outputImag)
    {
        OutOfPlace(inputReal, inputImag, outputReal, outputImag, inverse: true);
    }

    /// <summary>Inverse transform in place without the 1/<see cref="Size"/> scaling.</summary>
    /// <param name="real">Real parts, length <see cref="Size"/>.</param>
    /// <param name="imag">Imaginary parts, length <see cref="Size"/>.</param>
    public void InverseUnscaled(Span<float> real, Span<float> imag)
    {
        CheckLength(real.Length, nameof(real));
        CheckLength(imag.Length, nameof(imag));
        kernel.Transform(real, imag, real, imag, inverse: true);
    }

    internal static void ValidateSize(int size, string paramName)
    {
        if (size < MinSize || size > MaxSize || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(paramName, size,
                $"FFT size must be a power of two in {MinSize}..{MaxSize}.");
        }
    }

    private void OutOfPlace(
        ReadOnlySpan<float> inputReal, ReadOnlySpan<float> inputImag, Span<float> outputReal, Span<float> outputImag, bool inverse)
    {
        CheckLength(inputReal.Length, nameof(inputReal));
        CheckLength(inputImag.Length, nameof(inputImag));
        CheckLength(outputReal.Length, nameof(outputReal));
        CheckLength(outputImag.Length, nameof(outputImag));
        var sameReal = inputReal == outputReal;
        var sameImag = inputImag == outputImag;
        var disjoint = !inputReal.Overlaps(outputReal) && !inputReal.Overlaps(outputImag)
            && !inputImag.Overlaps(outputReal) && !inputImag.Overlaps(outputImag);
        if (!(sameReal && sameImag) && !disjoint)
        {
            throw new ArgumentException("The outputs must either be the inputs themselves or not overlap them.", nameof(outputReal));
        }

        kernel.Transform(inputReal, inputImag, outputReal, outputImag, inverse);
    }

    private void CheckLength(int length, string paramName)
    {
        if (length != Size)
        {
            throw new ArgumentException($"Expected {Size} values, got {length}.", paramName);
        }
    }
}
