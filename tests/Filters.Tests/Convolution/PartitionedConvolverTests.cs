namespace SpatialAudio.Filters.Tests.Convolution;

using SpatialAudio.Filters.Convolution;
using SpatialAudio.Filters.Simd;
using static SpatialAudio.Filters.Tests.Convolution.ConvolutionReference;

public sealed class PartitionedConvolverTests
{
    public static TheoryData<int, int, int, int> Shapes() => new()
    {
        // inputs, outputs, block size, seed: every block size 32..4096, shapes 1x1 .. 3x7.
        { 1, 1, 32, 1 },
        { 1, 2, 64, 2 },
        { 2, 1, 128, 3 },
        { 2, 3, 256, 4 },
        { 3, 7, 512, 5 },
        { 3, 7, 32, 6 },
        { 1, 1, 1024, 7 },
        { 2, 2, 2048, 8 },
        { 1, 2, 4096, 9 },
        { 3, 4, 64, 10 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesDirectConvolution_ForRandomFiltersOfMixedLengths(int inputs, int outputs, int blockSize, int seed)
    {
        var rng = new Random(seed);
        var firs = RandomFilters(inputs, outputs, blockSize, rng, out var maxLength);
        var x = RandomInputs(inputs, blockSize * ((maxLength / blockSize) + 3), rng);
        var convolver = new PartitionedConvolver(inputs, outputs, blockSize, maxLength, new ConvolverFilters(blockSize, firs));

        var y = Run(convolver, x);

        var error = ErrorDb(y, ConvolveMimo(x, firs));
        Assert.True(error < -100, $"error {error:F1} dB");
    }

    [Theory]
    [Trait("Category", "Simd")]
    [InlineData(SimdTier.Vector128)]
    [InlineData(SimdTier.Vector256)]
    [InlineData(SimdTier.Vector512)]
    public void SimdTier_MatchesScalar(SimdTier tier)
    {
        foreach (var blockSize in new[] { 32, 64, 256 })
        {
            var rng = new Random(blockSize);
            var firs = RandomFilters(3, 4, blockSize, rng, out var maxLength);
            var x = RandomInputs(3, blockSize * ((maxLength / blockSize) + 2), rng);
            var filters = new ConvolverFilters(blockSize, firs);
            var scalar = Run(new PartitionedConvolver(3, 4, blockSize, maxLength, filters, 1, SimdTier.Scalar), x);
            var vector = Run(new PartitionedConvolver(3, 4, blockSize, maxLength, filters, 1, tier), x);
            var error = ErrorDb(vector, scalar.Select(c => c.Select(v => (double)v).ToArray()).ToArray());
            Assert.True(error < -120, $"block {blockSize}: {error:F1} dB");
        }
    }

    [Theory]
    [InlineData(32, 0)]
    [InlineData(256, 0)]
    [InlineData(256, 300)]
    public void Latency_IsZero_AnImpulseComesOutInTheSameBlockDelayedOnlyByTheFilter(int blockSize, int delay)
    {
        var h = new float[delay + 1];
        h[delay] = 1f;
        var convolver = new PartitionedConvolver(1, 1, blockSize, delay + 1, new ConvolverFilters(blockSize, new[,] { { h } }));
        Assert.Equal(0, convolver.LatencySamples);

        var x = new float[blockSize * 4];
        var at = blockSize + 5;
        x[at] = 1f;
        var y = Run(convolver, [x])[0];

        var peak = Array.IndexOf(y, y.MaxBy(Math.Abs));
        Assert.Equal(at + delay, peak);
        Assert.Equal(1f, y[peak], 1e-5f);
    }

    [Fact]
    public void AbsentAndZeroFilters_GiveSilentOutputs_AndCostNothing()
    {
        var rng = new Random(2);
        var firs = new float[]?[2, 3];
        firs[0, 0] = Noise(100, rng);
        firs[1, 1] = new float[500];
        firs[1, 2] = [0.5f, 0f, 0f, 0f];
        var filters = new ConvolverFilters(64, firs);
        Assert.Equal(0, filters.GetLength(1, 1));
        Assert.Equal(1, filters.GetLength(1, 2));
        Assert.Equal(2 + 1, filters.PartitionProductCount);

        var x = RandomInputs(2, 64 * 5, rng);
        var y = Run(new PartitionedConvolver(2, 3, 64, 100, filters), x);
        Assert.All(y[1], v => Assert.Equal(0f, v));
        Assert.True(ErrorDb(y, ConvolveMimo(x, firs)) < -100);
    }

    [Fact]
    public void Process_DoesNotAllocate_IncludingFilterSwaps()
    {
        var rng = new Random(3);
        const int B = 128;
        var a = new ConvolverFilters(B, RandomFilters(3, 7, B, rng, out _, maxPartitions: 4));
        var b = new ConvolverFilters(B, RandomFilters(3, 7, B, rng, out _, maxPartitions: 4));
        var convolver = new PartitionedConvolver(3, 7, B, 4 * B, a, crossfadeBlocks: 2);
        var input = Noise(3 * B, rng);
        var output = new float[7 * B];
        convolver.Process(input, output);
        convolver.SetFilters(b);
        convolver.Process(input, output);
        convolver.Process(input, output);

        var allocated = Support.Allocations.OnCurrentThread(() =>
        {
            for (var k = 0; k < 300; k++)
            {
                if (k % 50 == 0)
                {
                    convolver.SetFilters(k % 100 == 0 ? a : b);
                }

                convolver.Process(input, output);
            }
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void SwappingToIdenticalFilters_ChangesNothing()
    {
        var rng = new Random(4);
        const int B = 64;
        var firs = RandomFilters(2, 3, B, rng, out var maxLength);
        var x = RandomInputs(2, B * 12, rng);
        var steady = Run(new PartitionedConvolver(2, 3, B, maxLength, new ConvolverFilters(B, firs)), x);

        var swapped = new PartitionedConvolver(2, 3, B, maxLength, new ConvolverFilters(B, firs));
        var y = Run(swapped, x, beforeBlock: (k, c) =>
        {
            if (k % 3 == 1) c.SetFilters(new ConvolverFilters(B, firs));
        });

        for (var o = 0; o < 3; o++)
        {
            Assert.Equal(steady[o], y[o]);
        }
    }

    [Theory]
    [InlineData(256, 1)]
    [InlineData(64, 3)]
    public void SwapDuringSteadySine_FollowsAnIdealRaisedCosineCrossfade_OfTheTwoOfflineOutputs(int blockSize, int fadeBlocks)
    {
        var rng = new Random(blockSize);
        var filterA = Noise(700, rng);
        var filterB = Noise(1000, rng);
        var sine = new float[blockSize * 30];
        for (var n = 0; n < sine.Length; n++) sine[n] = (float)Math.Sin(2 * Math.PI * 997.0 * n / 48000);

        const int SwapBlock = 20;
        var convolver = new PartitionedConvolver(1, 1, blockSize, 1000, new ConvolverFilters(blockSize, new[,] { { filterA } }), fadeBlocks);
        var filtersB = new ConvolverFilters(blockSize, new[,] { { filterB } });
        var y = Run(convolver, [sine], beforeBlock: (k, c) =>
        {
            if (k == SwapBlock) c.SetFilters(filtersB);
        })[0];

        var yA = Convolve(sine, filterA);
        var yB = Convolve(sine, filterB);
        var ideal = new double[sine.Length];
        var fadeStart = SwapBlock * blockSize;
        var fadeLength = fadeBlocks * blockSize;
        for (var n = 0; n < ideal.Length; n++)
        {
            var w = n < fadeStart ? 0.0
                : n >= fadeStart + fadeLength ? 1.0
                : 0.5 - (0.5 * Math.Cos(Math.PI * (n - fadeStart + 1) / fadeLength));
            ideal[n] = yA[n] + (w * (yB[n] - yA[n]));
        }

        // Steady state only: skip the first filter length, where the sine starts abruptly.
        var from = 1000;
        Assert.True(ErrorDb(y[from..fadeStart], yA[from..fadeStart]) < -100);
        Assert.True(ErrorDb(y[(fadeStart + fadeLength)..], yB[(fadeStart + fadeLength)..]) < -100);
        var transient = ErrorDb(y[from..], ideal[from..]);
        Assert.True(transient < -40, $"transient {transient:F1} dB");
    }

    [Fact]
    public void NonFiniteBurst_OutputStaysFinite_AndRecoversWithinTheFilterLength()
    {
        var rng = new Random(6);
        const int B = 64;
        var firs = new float[]?[,] { { Noise(300, rng), Noise(200, rng) } };
        var clean = RandomInputs(1, B * 20, rng);
        var dirty = new[] { (float[])clean[0].Clone() };
        for (var n = 5 * B; n < (6 * B) + 10; n++) dirty[0][n] = (n % 3) switch { 0 => float.NaN, 1 => float.PositiveInfinity, _ => float.NegativeInfinity };

        var y = Run(new PartitionedConvolver(1, 2, B, 300, new ConvolverFilters(B, firs)), dirty);

        Assert.All(y, c => Assert.All(c, v => Assert.True(float.IsFinite(v))));
        var reference = ConvolveMimo(clean, firs);
        var recovered = (6 * B) + 10 + 300;
        Assert.True(ErrorDb(y.Select(c => c[recovered..]).ToArray(), reference.Select(c => c[recovered..]).ToArray()) < -100);
        Assert.True(ErrorDb(y.Select(c => c[..(5 * B)]).ToArray(), reference.Select(c => c[..(5 * B)]).ToArray()) < -100);
    }

    [Fact]
    public void WrongSpanLengths_ReturnFalse_AndSilence()
    {
        var convolver = new PartitionedConvolver(2, 1, 32, 32, new ConvolverFilters(32, new float[]?[,] { { [1f] }, { [1f] } }));
        var output = Enumerable.Repeat(1f, 32).ToArray();
        Assert.False(convolver.Process(new float[63], output));
        Assert.All(output, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void FiltersThatDoNotFit_AreRejectedOnTheControlThread()
    {
        var convolver = new PartitionedConvolver(1, 2, 64, 128);
        Assert.Throws<ArgumentException>(() => convolver.SetFilters(new ConvolverFilters(64, new float[]?[1, 3])));
        Assert.Throws<ArgumentException>(() => convolver.SetFilters(new ConvolverFilters(32, new float[]?[1, 2])));
        Assert.Throws<ArgumentException>(() => convolver.SetFilters(new ConvolverFilters(64, new float[]?[,] { { new float[129].Select(_ => 1f).ToArray(), null } })));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvolverFilters(48, new float[]?[1, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PartitionedConvolver(1, 1, 8192, 10));
    }

    internal static float[]?[,] RandomFilters(int inputs, int outputs, int blockSize, Random rng, out int maxLength, int maxPartitions = 9)
    {
        // Lengths that matter: absent, 1 tap, shorter than a block, exactly a block, not a multiple of it, many blocks.
        int[] lengths = [0, 1, (blockSize / 2) + 3, blockSize, (3 * blockSize) + 17, (maxPartitions - 1) * blockSize + 5];
        var firs = new float[]?[inputs, outputs];
        maxLength = 1;
        var pick = rng.Next(lengths.Length);
        for (var i = 0; i < inputs; i++)
        {
            for (var o = 0; o < outputs; o++)
            {
                var length = Math.Min(lengths[pick++ % lengths.Length], maxPartitions * blockSize);
                if (length > 0)
                {
                    firs[i, o] = Noise(length, rng);
                    maxLength = Math.Max(maxLength, length);
                }
            }
        }

        firs[0, 0] ??= Noise(blockSize + 1, rng);
        maxLength = Math.Max(maxLength, firs[0, 0]!.Length);
        return firs;
    }

    internal static float[][] RandomInputs(int count, int length, Random rng)
    {
        var inputs = new float[count][];
        for (var i = 0; i < count; i++) inputs[i] = Noise(length, rng);
        return inputs;
    }

    internal static float[][] Run(PartitionedConvolver convolver, float[][] inputs, Action<int, PartitionedConvolver>? beforeBlock = null)
    {
        var b = convolver.BlockSize;
        var frames = inputs[0].Length;
        var outputs = new float[convolver.OutputCount][];
        for (var o = 0; o < outputs.Length; o++) outputs[o] = new float[frames];
        var planarIn = new float[convolver.InputCount * b];
        var planarOut = new float[convolver.OutputCount * b];
        for (var k = 0; k * b < frames; k++)
        {
            beforeBlock?.Invoke(k, convolver);
            for (var i = 0; i < inputs.Length; i++) inputs[i].AsSpan(k * b, b).CopyTo(planarIn.AsSpan(i * b));
            Assert.True(convolver.Process(planarIn, planarOut));
            for (var o = 0; o < outputs.Length; o++) planarOut.AsSpan(o * b, b).CopyTo(outputs[o].AsSpan(k * b));
        }

        return outputs;
    }
}
