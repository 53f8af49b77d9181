using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using SpatialAudio.Filters.Convolution;

namespace SpatialAudio.Benchmarks;

/// <summary>
/// The renderer's convolver at its real shape: 3 inputs (L', R', C) x 7 drivers, 4096-tap filters, 48 kHz.
/// Columns: x real time (block duration / time per block) and GFLOP/s of the algorithm's nominal flop count.
/// </summary>
[Config(typeof(ConvolverColumnsConfig))]
public class ConvolverBenchmarks
{
    private const int Inputs = 3;
    private const int Outputs = 7;
    private const int FilterLength = 4096;
    private const int InputBlocks = 16;

    private PartitionedConvolver convolver = null!;
    private PartitionedConvolver scalarConvolver = null!;
    private float[] input = null!;
    private float[] output = null!;
    private int block;

    // 256 frames = 5.3 ms at 48 kHz (a typical low-latency period); 1024 = 21.3 ms (a relaxed desktop period).
    [Params(256, 1024)]
    public int BlockSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        var filters = new ConvolverFilters(BlockSize, ConvolverComparison.RandomFilters(Inputs, Outputs, FilterLength, rng));
        convolver = new PartitionedConvolver(Inputs, Outputs, BlockSize, FilterLength, filters);
        scalarConvolver = new PartitionedConvolver(Inputs, Outputs, BlockSize, FilterLength, filters, 1, SpatialAudio.Filters.Simd.SimdTier.Scalar);

        // Fresh noise each block (cycled), never the same buffer processed in place.
        input = new float[InputBlocks * Inputs * BlockSize];
        for (var n = 0; n < input.Length; n++) input[n] = (float)(rng.NextDouble() - 0.5);
        output = new float[Outputs * BlockSize];
    }

    /// <summary>The same convolver with its FFT and multiply-accumulate on the scalar fallback tier.</summary>
    [Benchmark(Baseline = true)]
    public void ProcessBlockScalar()
    {
        var span = input.AsSpan(block * Inputs * BlockSize, Inputs * BlockSize);
        scalarConvolver.Process(span, output);
        block = (block + 1) % InputBlocks;
    }

    [Benchmark]
    public void ProcessBlock()
    {
        var span = input.AsSpan(block * Inputs * BlockSize, Inputs * BlockSize);
        convolver.Process(span, output);
        block = (block + 1) % InputBlocks;
    }

    /// <summary>Nominal flops per block: real FFTs at 2.5 N log2 N, 8 per complex multiply-accumulate bin.</summary>
    internal static double FlopsPerBlock(int blockSize, int inputs, int outputs, int partitionProducts)
    {
        var n = 2.0 * blockSize;
        return ((inputs + outputs) * 2.5 * n * Math.Log2(n)) + (8.0 * blockSize * partitionProducts);
    }

    internal static double FlopsPerBlock(int blockSize) =>
        FlopsPerBlock(blockSize, Inputs, Outputs, Inputs * Outputs * (FilterLength / blockSize));

    private sealed class ConvolverColumnsConfig : ManualConfig
    {
        public ConvolverColumnsConfig()
        {
            AddColumn(new DerivedColumn("xRealTime", "Block duration at 48 kHz / time per block", (b, ns) => b / 48000.0 * 1e9 / ns));
            AddColumn(new DerivedColumn("GFLOP/s", "Nominal flops per block / time per block", (b, ns) => FlopsPerBlock(b) / ns));
        }
    }

    private sealed class DerivedColumn(string name, string legend, Func<int, double, double> compute) : IColumn
    {
        public string Id => nameof(DerivedColumn) + name;

        public string ColumnName => name;

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => legend;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            var blockSize = benchmarkCase.Parameters["BlockSize"] as int?;
            return mean is null || blockSize is null ? "-" : compute(blockSize.Value, mean.Value).ToString("F1");
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}

/// <summary>
/// Direct-form FIR against the partitioned convolver for one channel, 256-frame blocks (5.3 ms at 48 kHz, latency 0
/// for both): the filter length above which the partitioned convolver wins.
/// </summary>
public class FirCrossoverBenchmarks
{
    private const int Block = 256;
    private DirectFormFir direct = null!;
    private PartitionedConvolver partitioned = null!;
    private float[] input = null!;
    private float[] output = null!;
    private int block;

    // Short equalizer-sized filters up to a few blocks: the crossover lies in between.
    [Params(16, 32, 64, 128, 256, 512, 1024)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(2);
        var h = new float[Length];
        for (var k = 0; k < h.Length; k++) h[k] = (float)(rng.NextDouble() - 0.5);
        direct = new DirectFormFir(h, 1);
        partitioned = new PartitionedConvolver(1, 1, Block, Length, new ConvolverFilters(Block, new[,] { { h } }));
        input = new float[16 * Block];
        for (var n = 0; n < input.Length; n++) input[n] = (float)(rng.NextDouble() - 0.5);
        output = new float[Block];
    }

    [Benchmark(Baseline = true)]
    public void DirectForm()
    {
        direct.Process(0, input.AsSpan(block * Block, Block), output);
        block = (block + 1) & 15;
    }

    [Benchmark]
    public void Partitioned()
    {
        partitioned.Process(input.AsSpan(block * Block, Block), output);
        block = (block + 1) & 15;
    }
}
