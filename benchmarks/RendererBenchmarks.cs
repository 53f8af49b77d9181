using BenchmarkDotNet.Attributes;
using SpatialAudio.Drivers.Measurements;
using SpatialAudio.Filters.Audio;
using SpatialAudio.Spatial.Design;
using SpatialAudio.Spatial.Rendering;
using SpatialAudio.Spatial.Upmix;

namespace SpatialAudio.Benchmarks;

/// <summary>
/// The whole real-time chain on studio5 at 48 kHz as designed by <c>spatial design</c> (spatial preset, 3 x 5 FIRs of
/// <see cref="DesignOptions.FirLength"/> taps): LRC upmix, render-matrix convolution, gain, look-ahead limiter. One
/// operation = one Read of one block; x real time = block duration / time per operation.
/// </summary>
public class RendererBenchmarks
{
    private SpatialRenderer renderer = null!;
    private float[] buffer = null!;

    // 256 frames = 5.3 ms at 48 kHz (low-latency period); 1024 = 21.3 ms (relaxed desktop period).
    [Params(256, 1024)]
    public int BlockSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var folder = Path.Combine(FindRoot(), "measurements", "studio5");
        var design = RenderMatrixDesigner.Design(MeasuredDevice.Load(folder, 48000));
        var matrix = design.Presets["spatial"];
        renderer = new SpatialRenderer(new EndlessNoise(), matrix, new RendererOptions { BlockSize = BlockSize }, new LrcUpmixer(48000));
        buffer = new float[BlockSize * matrix.DriverCount];
        for (var i = 0; i < 200; i++)
        {
            renderer.Read(buffer);
        }

        Console.WriteLine($"// studio5 spatial: FIR {matrix.FirLength} taps, block {BlockSize}, total latency {renderer.LatencySeconds * 1000:0.00} ms");
    }

    [Benchmark]
    public int ReadOneBlock() => renderer.Read(buffer);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SpatialAudio.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("run the benchmarks from the repository");
    }

    /// <summary>Stereo noise that never ends (cycled through a 1 s table, never the same buffer in place).</summary>
    private sealed class EndlessNoise : ISampleSource
    {
        private readonly float[] table;
        private int position;

        public EndlessNoise()
        {
            var rng = new Random(1);
            table = [.. Enumerable.Range(0, 2 * 48000).Select(_ => (float)((rng.NextDouble() - 0.5) * 0.5))];
        }

        public AudioFormat Format { get; } = new(48000, 2);

        public int Read(Span<float> destination)
        {
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = table[position];
                position = position + 1 == table.Length ? 0 : position + 1;
            }

            return destination.Length;
        }
    }
}
