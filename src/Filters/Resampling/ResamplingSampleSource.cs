using SpatialAudio.Filters.Audio;

namespace SpatialAudio.Filters.Resampling;

/// <summary>An <see cref="ISampleSource"/> that converts another source to a new sample rate with a <see cref="PolyphaseResampler"/>.</summary>
/// <remarks>
/// <para>With <c>compensateLatency</c> (the default) the first <see cref="PolyphaseResampler.LatencyOutputFrames"/>
/// output frames are dropped and the filter tail is flushed at the end of the source, so output frame m is the
/// source signal at time m / outputRate and a source of n frames yields exactly ceil(n·L/M) frames. Without it the
/// stream is delayed by that latency and the tail is appended (n·L/M + latency frames).</para>
/// <para><see cref="Read"/> never allocates; buffers are sized at construction. Not thread-safe.</para>
/// </remarks>
public sealed class ResamplingSampleSource : ISampleSource
{
    private const int ReadFrames = 1024;

    private readonly ISampleSource source;
    private readonly PolyphaseResampler resampler;
    private readonly int channels;
    private readonly float[] interleaved;
    private readonly float[] planarInput;
    private readonly float[] planarOutput;
    private readonly int outputStride;
    private readonly bool compensateLatency;
    private int queued;
    private int queuePosition;
    private int framesToDrop;
    private bool sourceEnded;
    private bool ended;

    /// <summary>Wraps <paramref name="source"/>, converting it to <paramref name="outputRateHz"/> with the default filter.</summary>
    /// <param name="source">The source to convert.</param>
    /// <param name="outputRateHz">Output sample rate in Hz.</param>
    /// <param name="compensateLatency">Remove the converter's delay (see remarks).</param>
    public ResamplingSampleSource(ISampleSource source, int outputRateHz, bool compensateLatency = true)
    {
        ArgumentNullException.ThrowIfNull(source);
        this.source = source;
        channels = source.Format.Channels;
        resampler = new PolyphaseResampler(source.Format.SampleRateHz, outputRateHz, channels);
        Format = new AudioFormat(outputRateHz, channels);
        interleaved = new float[ReadFrames * channels];
        planarInput = new float[ReadFrames * channels];
        outputStride = Math.Max(resampler.MaxOutputFrameCount(ReadFrames), resampler.LatencyOutputFrames) + 1;
        planarOutput = new float[outputStride * channels];
        this.compensateLatency = compensateLatency;
        framesToDrop = compensateLatency ? resampler.LatencyOutputFrames : 0;
    }

    /// <inheritdoc />
    public AudioFormat Format { get; }

    /// <summary>The converter doing the work (its latency, taps per phase and so on).</summary>
    public PolyphaseResampler Resampler => resampler;

    /// <inheritdoc />
    public int Read(Span<float> buffer)
    {
        var frames = buffer.Length / channels;
        var written = 0;
        while (written < frames)
        {
            if (queued > 0)
            {
                var count = Math.Min(queued, frames - written);
                var destination = buffer.Slice(written * channels, count * channels);
                for (var c = 0; c < channels; c++)
                {
                    var from = planarOutput.AsSpan((c * outputStride) + queuePosition, count);
                    for (var i = 0; i < count; i++)
                    {
                        destination[(i * channels) + c] = from[i];
                    }
                }

                queued -= count;
                queuePosition += count;
                written += count;
                continue;
            }

            if (ended || !Refill())
            {
                break;
            }
        }

        return written * channels;
    }

    /// <summary>Restarts conversion (the wrapped source is not rewound).</summary>
    public void Reset()
    {
        resampler.Reset();
        queued = 0;
        queuePosition = 0;
        framesToDrop = compensateLatency ? resampler.LatencyOutputFrames : 0;
        sourceEnded = false;
        ended = false;
    }

    // Produces the next batch of output frames into the queue; false at the end of the stream.
    private bool Refill()
    {
        int produced;
        if (!sourceEnded)
        {
            var frames = source.Read(interleaved) / channels;
            if (frames == 0)
            {
                sourceEnded = true;
                return true;
            }

            for (var c = 0; c < channels; c++)
            {
                var to = planarInput.AsSpan(c * frames, frames);
                for (var i = 0; i < frames; i++)
                {
                    to[i] = interleaved[(i * channels) + c];
                }
            }

            produced = resampler.Process(planarInput.AsSpan(0, frames * channels), planarOutput);
        }
        else
        {
            produced = resampler.Flush(planarOutput);
            if (produced == 0)
            {
                ended = true;
                return false;
            }
        }

        var drop = Math.Min(framesToDrop, produced);
        framesToDrop -= drop;
        queuePosition = drop;
        queued = produced - drop;
        return true;
    }
}
