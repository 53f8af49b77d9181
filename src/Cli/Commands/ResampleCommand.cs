using System.CommandLine;
using System.Globalization;
using SpatialAudio.Filters.Resampling;
using SpatialAudio.Filters.Wav;

namespace SpatialAudio.Cli.Commands;

/// <summary><c>spatial resample IN.wav OUT.wav --rate HZ</c>: streaming polyphase sample-rate conversion.</summary>
internal static class ResampleCommand
{
    public static Command Create(CliIo io)
    {
        var input = new Argument<string>("input") { Description = "WAV file to convert." };
        var output = new Argument<string>("output") { Description = "WAV file to write (written to a temporary name, renamed when complete)." };
        var rate = new Option<int>("--rate") { Description = "Output sample rate in Hz, e.g. 96000.", Required = true };
        var encoding = CommonOptions.EncodingOption("Output sample encoding; default: the input's.");
        var command = new Command("resample", "Convert a WAV file's sample rate (polyphase; <= 0.01 dB ripple to 20 kHz, >= 120 dB stopband).")
        {
            input, output, rate, encoding,
        };
        command.SetAction(result => Run(io, result.GetValue(input)!, result.GetValue(output)!, result.GetValue(rate), result.GetValue(encoding)));
        return command;
    }

    private static int Run(CliIo io, string inputPath, string outputPath, int outputRateHz, string? encodingName)
    {
        CommonOptions.RequireFile(inputPath, "Input");
        CommonOptions.RequireDistinct(inputPath, outputPath);
        using var reader = WavReader.Open(inputPath);
        if (outputRateHz is < Filters.Audio.AudioFormat.MinSampleRateHz or > Filters.Audio.AudioFormat.MaxSampleRateHz)
        {
            throw new CliException($"--rate {outputRateHz} is outside {Filters.Audio.AudioFormat.MinSampleRateHz}..{Filters.Audio.AudioFormat.MaxSampleRateHz} Hz.");
        }

        var encoding = encodingName is null ? reader.FileFormat.Encoding : CommonOptions.Encodings[encodingName];
        var source = new ResamplingSampleSource(reader, outputRateHz);
        var channels = source.Format.Channels;
        var totalFrames = reader.FileFormat.FrameCount ?? 0;
        var expectedFrames = totalFrames * (double)outputRateHz / reader.Format.SampleRateHz;
        var buffer = new float[4096 * channels];
        long framesWritten = 0;
        long clipped = 0;
        var started = System.Diagnostics.Stopwatch.StartNew();
        io.WithProgress($"Resampling {Path.GetFileName(inputPath)} to {outputRateHz} Hz", progress =>
        {
            using var writer = WavWriter.Create(outputPath, source.Format, encoding);
            int read;
            while ((read = source.Read(buffer)) > 0)
            {
                writer.Write(buffer.AsSpan(0, read));
                progress(expectedFrames > 0 ? writer.FramesWritten / expectedFrames : 0);
            }

            writer.Complete();
            framesWritten = writer.FramesWritten;
            clipped = writer.ClippedSampleCount;
        });

        var seconds = framesWritten / (double)outputRateHz;
        var elapsed = started.Elapsed.TotalSeconds;
        io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{outputPath}: {framesWritten} frames, {channels} ch, {outputRateHz} Hz, {encoding}, {seconds:0.###} s, {seconds / Math.Max(elapsed, 1e-9):0}x real time"));
        if (clipped > 0)
        {
            io.Error.WriteLine($"warning: {clipped} samples clipped while encoding {encoding}; use --encoding float32 to keep them.");
        }

        return ExitCodes.Success;
    }
}
