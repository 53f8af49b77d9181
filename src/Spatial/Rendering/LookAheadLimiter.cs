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
    private readonly float[] delay;         // [channel][window] ring
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
        delay = new float[channels * window];
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
        for (var n = 0; n < frames; n++)
        {
            var slot = cursor;
            var peak = 0f;
            for (var c = 0; c < channels; c++)
            {
                var x = planar[(c * stride) + n];
                peak = MathF.Max(peak, MathF.Abs(x));
            }

            var need = peak > ceiling ? ceiling / peak : 1f;

            // Sliding minimum of the required gain over the last `window` samples (monotonic deque of value, time).
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
                queueHead = (queueHead + 1) % window;
                queueCount--;
            }

            var windowMin = queueValue[queueHead];

            // Slow release that never rises above the window minimum, then a moving average over the window.
            released = Math.Min(windowMin, released + ((1.0 - released) * release));
            smoothSum += released - smoothRing[slot];
            smoothRing[slot] = released;
            var gain = (float)Math.Min(smoothSum / window, 1.0);
            minGain = Math.Min(minGain, gain);

            // Output the sample that entered `LookAheadSamples` ago (the oldest in the ring, at the next slot).
            var outSlot = cursor + 1 == window ? 0 : cursor + 1;
            for (var c = 0; c < channels; c++)
            {
                var index = (c * window) + slot;
                var x = planar[(c * stride) + n];
                delay[index] = x;
                var y = delay[(c * window) + outSlot] * gain;
                planar[(c * stride) + n] = Math.Clamp(y, -ceiling, ceiling);
            }

            time++;
            cursor = outSlot;
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

    /// <summary>Clears the delay line and the gain state.</summary>
    public void Reset()
    {
        Array.Clear(delay);
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
