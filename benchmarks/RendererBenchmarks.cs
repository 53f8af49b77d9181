using BenchmarkDotNet.Attributes;
using SpatialAudio.Drivers.Measurements;
using SpatialAudio.Filters.Audio;
using SpatialAudio.Filters.Resampling;
using SpatialAudio.Spatial.Design;
using SpatialAudio.Spatial.Rendering;
using SpatialAudio.Spatial.Sensing.Probe;
using SpatialAudio.Spatial.Upmix;

namespace SpatialAudio.Benchmarks;

/// <summary>
/// The whole real-time chain on studio5 at 48 kHz as designed by <c>spatial design</c> (spatial preset, 3 x 5 FIRs of
/// <see cref="DesignOptions.FirLength"/> taps): LRC upmix, render-matrix convolution, gain, look-ahead limiter. One
/// operation = one Read of one block; x real time = block duration / time per operation.
/// </summary>
/// <remarks>
/// <see cref="Ultrasound"/> runs the chain of <c>spatial render --ultrasound</c>: the 48 kHz renderer, every driver
/// resampled to 96 kHz, and the 38 kHz probe (-20 dBFS) added on the device's probe drivers; one operation is then one
/// Read of <see cref="BlockSize"/> frames at 96 kHz (half the duration of a 48 kHz block).
/// </remarks>
public class RendererBenchmarks
{
    private ISampleSource chain = null!;
    private ProbeGenerator[] probes = [];
    private int[] probeChannels = [];
    private float[] probeBuffer = null!;
    private float[] buffer = null!;
    private int drivers;

    // 256 frames = 5.3 ms at 48 kHz (low-latency period); 1024 = 21.3 ms (relaxed desktop period).
    [Params(256, 1024)]
    public int BlockSize { get; set; }

    // false: 48 kHz music only; true: 96 kHz output with the ultrasonic sensing probe.
    [Params(false, true)]
    public bool Ultrasound { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var folder = Path.Combine(FindRoot(), "measurements", "studio5");
        var acoustics = MeasuredDevice.Load(folder, 48000);
        var design = RenderMatrixDesigner.Design(acoustics);
        var matrix = design.Presets["spatial"];
        var options = new RendererOptions { BlockSize = BlockSize };
        if (Ultrasound)
        {
            probes = [.. acoustics.Device.ProbeDriverIds.Select(_ => new ProbeGenerator(96000, 38000, -20) { Enabled = true })];
            probeChannels = [.. acoustics.Device.ProbeDriverIds.Select(acoustics.Device.IndexOf)];
            var musicCeiling = (Math.Pow(10, options.CeilingDb / 20) - probes[0].Amplitude) * Math.Pow(10, -2.0 / 20);
            options = options with { CeilingDb = 20 * Math.Log10(musicCeiling) };
        }

        var renderer = new SpatialRenderer(new EndlessNoise(), matrix, options, new LrcUpmixer(48000));
        chain = Ultrasound ? new ResamplingSampleSource(renderer, 96000) : renderer;
        drivers = matrix.DriverCount;
        buffer = new float[BlockSize * drivers];
        probeBuffer = new float[BlockSize];
        for (var i = 0; i < 200; i++)
        {
            ReadOneBlock();
        }

        Console.WriteLine($"// studio5 spatial: FIR {matrix.FirLength} taps, block {BlockSize}, output {chain.Format.SampleRateHz} Hz, {probes.Length} probe driver(s), renderer latency {renderer.LatencySeconds * 1000:0.00} ms");
    }

    [Benchmark]
    public int ReadOneBlock()
    {
        var read = chain.Read(buffer);
        var frames = read / drivers;
        for (var p = 0; p < probes.Length; p++)
        {
            // As `spatial render --ultrasound`: the probe onto its driver's channel of the interleaved output.
            probes[p].WriteTo(probeBuffer.AsSpan(0, frames));
            for (int n = 0, j = probeChannels[p]; n < frames; n++, j += drivers)
            {
                buffer[j] += probeBuffer[n];
            }
        }

        return read;
    }

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
