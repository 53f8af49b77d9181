using BenchmarkDotNet.Attributes;
using MathNet.Numerics.IntegralTransforms;
using SpatialAudio.Filters.Fft;
using SpatialAudio.Filters.Simd;

namespace SpatialAudio.Benchmarks;

// Run: dotnet run -c Release --project benchmarks -- --short --filter '*FftBenchmarks*' '*FftTierBenchmarks*'

/// <summary>
/// Real FFT against MathNet.Numerics 5.0 (managed provider), the same inputs, no scaling on either side.
/// MathNet's real transform works in place on an N+2 array, so its timing includes copying the input in
/// (an N-float copy, a few percent of its time); ours reads the input and writes the bins out of place.
/// </summary>
public class RealFftBenchmarks
{
    private RealFft fft = null!;
    private float[] input = null!;
    private float[] mathNetWork = null!;
    private float[] real = null!;
    private float[] imag = null!;
    private float[] packedReal = null!;
    private float[] packedImag = null!;
    private float[] output = null!;

    // The partitioned convolver's block FFTs: 512..2048 (5.3..21 ms at 96/48 kHz), 4096 for long partitions.
    [Params(512, 1024, 2048, 4096)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        fft = new RealFft(Size);
        var rng = new Random(1);
        input = new float[Size];
        for (var i = 0; i < Size; i++)
        {
            input[i] = (float)((2 * rng.NextDouble()) - 1);
        }

        mathNetWork = new float[Size + 2];
        real = new float[fft.BinCount];
        imag = new float[fft.BinCount];
        packedReal = new float[fft.PackedBinCount];
        packedImag = new float[fft.PackedBinCount];
        output = new float[Size];
        fft.ForwardPacked(input, packedReal, packedImag);
    }

    [Benchmark(Baseline = true, Description = "MathNet ForwardReal")]
    public void MathNetForwardReal()
    {
        input.CopyTo(mathNetWork, 0);
        Fourier.ForwardReal(mathNetWork, Size, FourierOptions.NoScaling);
    }

    [Benchmark(Description = "MathNet InverseReal")]
    public void MathNetInverseReal()
    {
        input.CopyTo(mathNetWork, 0);
        mathNetWork[1] = 0f;
        mathNetWork[Size + 1] = 0f;
        Fourier.InverseReal(mathNetWork, Size, FourierOptions.NoScaling);
    }

    [Benchmark(Description = "Ours Forward")]
    public void OursForward() => fft.Forward(input, real, imag);

    [Benchmark(Description = "Ours ForwardPacked")]
    public void OursForwardPacked() => fft.ForwardPacked(input, packedReal, packedImag);

    [Benchmark(Description = "Ours InverseUnscaledPacked")]
    public void OursInverseUnscaledPacked() => fft.InverseUnscaledPacked(packedReal, packedImag, output);
}

/// <summary>Complex FFT against MathNet.Numerics 5.0 on split real/imaginary arrays, its fastest float form.</summary>
public class ComplexFftBenchmarks
{
    private ComplexFft fft = null!;
    private float[] inputReal = null!;
    private float[] inputImag = null!;
    private float[] outputReal = null!;
    private float[] outputImag = null!;
    private MathNet.Numerics.Complex32[] inputComplex = null!;
    private MathNet.Numerics.Complex32[] workComplex = null!;

    // 1024 = 21 ms at 48 kHz, 4096 = 85 ms.
    [Params(1024, 4096)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        fft = new ComplexFft(Size);
        var rng = new Random(2);
        inputReal = new float[Size];
        inputImag = new float[Size];
        inputComplex = new MathNet.Numerics.Complex32[Size];
        for (var i = 0; i < Size; i++)
        {
            inputReal[i] = (float)((2 * rng.NextDouble()) - 1);
            inputImag[i] = (float)((2 * rng.NextDouble()) - 1);
            inputComplex[i] = new MathNet.Numerics.Complex32(inputReal[i], inputImag[i]);
        }

        outputReal = new float[Size];
        outputImag = new float[Size];
        workComplex = new MathNet.Numerics.Complex32[Size];
    }

    [Benchmark(Baseline = true, Description = "MathNet Forward(Complex32[])")]
    public void MathNetForwardComplex32()
    {
        inputComplex.CopyTo(workComplex, 0);
        Fourier.Forward(workComplex, FourierOptions.NoScaling);
    }

    [Benchmark(Description = "MathNet Forward(real[], imag[])")]
    public void MathNetForwardSplit()
    {
        inputReal.CopyTo(outputReal, 0);
        inputImag.CopyTo(outputImag, 0);
        Fourier.Forward(outputReal, outputImag, FourierOptions.NoScaling);
    }

    [Benchmark(Description = "Ours Forward")]
    public void OursForward() => fft.Forward(inputReal, inputImag, outputReal, outputImag);

    [Benchmark(Description = "Ours InverseUnscaled")]
    public void OursInverseUnscaled() => fft.InverseUnscaled(inputReal, inputImag, outputReal, outputImag);
}

/// <summary>Our real FFT per SIMD tier (users may have only SSE or AVX2), MathNet as the baseline.</summary>
public class RealFftTierBenchmarks
{
    private RealFft fft = null!;
    private float[] input = null!;
    private float[] mathNetWork = null!;
    private float[] packedReal = null!;
    private float[] packedImag = null!;

    // The convolver's typical block FFT sizes (21 and 85 ms at 48 kHz).
    [Params(1024, 4096)]
    public int Size { get; set; }

    [Params(SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512)]
    public SimdTier Tier { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        fft = new RealFft(Size, Tier);
        var rng = new Random(3);
        input = new float[Size];
        for (var i = 0; i < Size; i++)
        {
            input[i] = (float)((2 * rng.NextDouble()) - 1);
        }

        mathNetWork = new float[Size + 2];
        packedReal = new float[fft.PackedBinCount];
        packedImag = new float[fft.PackedBinCount];
    }

    [Benchmark(Baseline = true, Description = "MathNet ForwardReal")]
    public void MathNetForwardReal()
    {
        input.CopyTo(mathNetWork, 0);
        Fourier.ForwardReal(mathNetWork, Size, FourierOptions.NoScaling);
    }

    [Benchmark(Description = "Ours ForwardPacked")]
    public void OursForwardPacked() => fft.ForwardPacked(input, packedReal, packedImag);
}
