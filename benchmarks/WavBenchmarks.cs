using BenchmarkDotNet.Attributes;
using SpatialAudio.Filters.Audio;
using SpatialAudio.Filters.Wav;

namespace SpatialAudio.Benchmarks;

/// <summary>Streaming WAV read and write of 10 s of 48 kHz stereo (x real time = 10 s / mean).</summary>
public class WavBenchmarks
{
    private const int Frames = 480_000; // 10 s at 48 kHz
    private const int BlockFrames = 1024; // 21.3 ms at 48 kHz, a typical render block
    private readonly float[] block = new float[BlockFrames * 2];
    private float[] signal = [];
    private string folder = "";
    private string inputPath = "";

    /// <summary>Sample storage of the file.</summary>
    [Params(WavEncoding.Pcm16, WavEncoding.Pcm24, WavEncoding.IeeeFloat32)]
    public WavEncoding Encoding { get; set; }

    /// <summary>Writes the input file once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        folder = Path.Combine(Path.GetTempPath(), "wavbench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        inputPath = Path.Combine(folder, "in.wav");
        signal = new float[Frames * 2];
        SignalGenerator.WhiteNoise(new AudioFormat(48000, 2), 0.5, 2, Frames).Read(signal);
        WavFile.Write(inputPath, new ArraySampleSource(new AudioFormat(48000, 2), signal), Encoding);
    }

    /// <summary>Removes the files.</summary>
    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(folder, recursive: true);

    /// <summary>Reads the whole file in render-sized blocks.</summary>
    [Benchmark]
    public int Read()
    {
        using var reader = WavReader.Open(inputPath);
        var total = 0;
        int read;
        while ((read = reader.Read(block)) > 0)
        {
            total += read;
        }

        return total;
    }

    /// <summary>Writes the whole file in render-sized blocks, including the final flush to disk and rename.</summary>
    [Benchmark]
    public long Write()
    {
        using var writer = WavWriter.Create(Path.Combine(folder, "out.wav"), new AudioFormat(48000, 2), Encoding);
        for (var start = 0; start < signal.Length; start += block.Length)
        {
            writer.Write(signal.AsSpan(start, Math.Min(block.Length, signal.Length - start)));
        }

        writer.Complete();
        return writer.FramesWritten;
    }
}
