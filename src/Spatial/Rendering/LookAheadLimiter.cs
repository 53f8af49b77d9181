using System.Numerics.Tensors;

namespace SpatialAudio.Spatial.Rendering;

/// <summary>
/// A linked look-ahead peak limiter over N planar channels: the output never exceeds the ceiling, and below it the
/// limiter is exactly a delay.
/// </summary>
/// <remarks>
/// <para><b>Linked</b>: every driver gets the same gain. Crosstalk cancellation and beamforming live in the level and
/// phase relations between drivers; limiting drivers separately would break the nulls exactly when the music is loud.</para>
/// <para><b>Gain</b>: per sample the required gain is ceiling / peak over channels (1 when below); a sliding minimum over
/// the look-ahead window, a slow exponential release (which never lets the gain exceed that minimum), then a moving
/// average over the window. Every value averaged for the sample leaving the delay line is at most that sample's
/// required gain, so the output is within the ceiling without clipping, and the gain moves smoothly (linear attack over
/// the look-ahead).</para>
/// <para>Latency = <see cref="LookAheadSamples"/>. Real-time safe: no allocation, no locks, no exceptions in
/// <see cref="Process"/>.</para>
/// </remarks>
public sealed class LookAheadLimiter
{
    private readonly int channels;
    private readonly int window;            // look-ahead + 1
    private const int ChunkFrames = 1024;
    private readonly float[] history;       // [channel][look-ahead] the last inputs, oldest first
    private readonly float[] peak = new float[ChunkFrames];
    private readonly float[] gain = new float[ChunkFrames];
    private readonly float[] scratch = new float[ChunkFrames];
    private readonly float[] queueValue;    // monotonic deque of required gains ...
    private readonly long[] queueTime;      // ... and the sample times they belong to
    private readonly double[] smoothRing;
    private readonly float ceiling;
    private readonly double release;
    private int queueHead;
    private int queueCount;
    private long time;
    private int cursor;   // time % window
    private double released = 1.0;
    private double smoothSum;
    private double minGain = 1.0;

    /// <summary>Creates the limiter.</summary>
    /// <param name="channels">Number of channels, 1..32.</param>
    /// <param name="sampleRateHz">Sample rate, Hz.</param>
    /// <param name="ceilingDb">Output ceiling, dBFS (-20..0).</param>
    /// <param name="lookAheadMs">Look-ahead, 0.5..20 ms.</param>
    /// <param name="releaseMs">Release time constant, 10..2000 ms.</param>
    public LookAheadLimiter(int channels, int sampleRateHz, double ceilingDb = -1.0, double lookAheadMs = 2.0, double releaseMs = 150.0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, 32);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRateHz, 8000);
        if (!(ceilingDb is >= -20 and <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(ceilingDb), ceilingDb, "must be -20..0 dBFS");
        }

        if (!(lookAheadMs is >= 0.5 and <= 20))
        {
            throw new ArgumentOutOfRangeException(nameof(lookAheadMs), lookAheadMs, "must be 0.5..20 ms");
        }

        if (!(releaseMs is >= 10 and <= 2000))
        {
            throw new ArgumentOutOfRangeException(nameof(releaseMs), releaseMs, "must be 10..2000 ms");
        }

        this.channels = channels;
        LookAheadSamples = Math.Max(1, (int)Math.Round(lookAheadMs * sampleRateHz / 1000));
        window = LookAheadSamples + 1;
        history = new float[channels * LookAheadSamples];
        queueValue = new float[window];
        queueTime = new long[window];
        smoothRing = new double[window];
        ceiling = (float)Math.Pow(10, ceilingDb / 20);
        CeilingLinear = ceiling;
        release = 1 - Math.Exp(-1000.0 / (releaseMs * sampleRateHz));
        Reset();
    }

    /// <summary>Latency (the look-ahead), samples.</summary>
    public int LookAheadSamples { get; }

    /// <summary>The ceiling as a linear amplitude.</summary>
    public float CeilingLinear { get; }

    /// <summary>Lowest gain applied since the last <see cref="TakeMinimumGain"/> (1 = never limited).</summary>
    public double TakeMinimumGain()
    {
        var value = minGain;
        minGain = 1.0;
        return value;
    }

    /// <summary>Limits <paramref name="frames"/> frames in place; channel c occupies [c * stride, c * stride + frames).</summary>
    public void Process(Span<float> planar, int stride, int frames)
    {
        for (var done = 0; done < frames;)
        {
            var count = Math.Min(frames - done, ChunkFrames);
            ProcessChunk(planar, stride, done, count);
            done += count;
        }
    }

    private void ProcessChunk(Span<float> planar, int stride, int offset, int frames)
    {
        // 1. Peak over channels per frame (vectorized).
        var peaks = peak.AsSpan(0, frames);
        TensorPrimitives.Abs(planar.Slice(offset, frames), peaks);
        for (var c = 1; c < channels; c++)
        {
            TensorPrimitives.MaxMagnitude(peaks, planar.Slice((c * stride) + offset, frames), peaks);
        }

        TensorPrimitives.Abs(peaks, peaks);

        // 2. Gain per frame: sliding minimum of the required gain, slow release, moving average (scalar, cheap).
        var gainSpan = gain.AsSpan(0, frames);
        if (Relaxed && TensorPrimitives.Max(peaks) <= ceiling)
        {
            // Nothing to limit and nothing still releasing: the state stays relaxed, the gain is exactly 1. Keep the
            // deque holding the newest frame only (every older required gain, all 1, would have been popped).
            gainSpan.Fill(1f);
            time += frames;
            cursor = (int)((cursor + (long)frames) % window);
            queueHead = 0;
            queueCount = 1;
            queueValue[0] = 1f;
            queueTime[0] = time - 1;
        }
        else
        {
            ComputeGains(peaks, gainSpan);
        }

        // 3. Per channel: the input delayed by the look-ahead (history + input), times the gain, clamped (vectorized).
        var lookAhead = LookAheadSamples;
        for (var c = 0; c < channels; c++)
        {
            var x = planar.Slice((c * stride) + offset, frames);
            var input = scratch.AsSpan(0, frames);
            x.CopyTo(input);
            var history = this.history.AsSpan(c * lookAhead, lookAhead);
            var fromHistory = Math.Min(lookAhead, frames);
            history[..fromHistory].CopyTo(x);
            input[..(frames - fromHistory)].CopyTo(x[fromHistory..]);
            if (frames >= lookAhead)
            {
                input[(frames - lookAhead)..].CopyTo(history);
            }
            else
            {
                history[frames..].CopyTo(history);
                input.CopyTo(history[(lookAhead - frames)..]);
            }

            TensorPrimitives.Multiply(x, gainSpan, x);
            TensorPrimitives.Min(x, ceiling, x);
            TensorPrimitives.Max(x, -ceiling, x);
        }

        // Guard against drift of the running sum.
        if ((time & 0xFFFF) < frames)
        {
            smoothSum = 0;
            foreach (var v in smoothRing)
            {
                smoothSum += v;
            }
        }
    }

    private bool Relaxed => released >= 1.0 && smoothSum >= window - 1e-9 && queueCount > 0 && queueValue[queueHead] >= 1f;

    private void ComputeGains(ReadOnlySpan<float> peaks, Span<float> gainSpan)
    {
        for (var n = 0; n < peaks.Length; n++)
        {
            var p = peaks[n];
            var need = p > ceiling ? ceiling / p : 1f;
            while (queueCount > 0 && queueValue[(queueHead + queueCount - 1) % window] >= need)
            {
                queueCount--;
            }

            var tail = (queueHead + queueCount) % window;
            queueValue[tail] = need;
            queueTime[tail] = time;
            queueCount++;
            while (queueTime[queueHead] <= time - window)
            {
                queueHead = queueHead + 1 == window ? 0 : queueHead + 1;
                queueCount--;
            }

            released = Math.Min(queueValue[queueHead], released + ((1.0 - released) * release));
            smoothSum += released - smoothRing[cursor];
            smoothRing[cursor] = released;
            var g = (float)Math.Min(smoothSum / window, 1.0);
            minGain = Math.Min(minGain, g);
            gainSpan[n] = g;
            cursor = cursor + 1 == window ? 0 : cursor + 1;
            time++;
        }
    }

    /// <summary>Clears the delay line and the gain state.</summary>
    public void Reset()
    {
        Array.Clear(history);
        Array.Fill(smoothRing, 1.0);
        smoothSum = window;
        released = 1.0;
        queueHead = 0;
        queueCount = 0;
        time = 0;
        cursor = 0;
        minGain = 1.0;
    }
}
