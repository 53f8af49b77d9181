using System.Numerics.Tensors;
using SpatialAudio.Filters.Iir;

namespace SpatialAudio.Filters.Loudness;

/// <summary>
/// A streaming ITU-R BS.1770-4 loudness meter: integrated (gated) loudness, momentary (400 ms) and short-term (3 s)
/// loudness, and the EBU Tech 3342 loudness range, fed with blocks of any size.
/// </summary>
/// <remarks>
/// <para>Per channel: K-weighting (<see cref="KWeighting"/>, double state), mean square over 100 ms steps
/// (round(0.1 fs) samples). Gating blocks are 400 ms with 75% overlap (a new block every 100 ms); a block's power is
/// z = sum_c G_c z_c and its loudness -0.691 + 10 log10 z LUFS. Integrated loudness gates blocks at -70 LUFS
/// (absolute) and at 10 LU below the mean of the blocks passing the absolute gate (relative). Loudness range gates
/// the 3 s short-term values (every 100 ms) at -70 LUFS and -20 LU and reports their 95th minus 10th percentile.</para>
/// <para>Channel weights G_c: 1.0 for L, R, C; 1.41 for the surrounds; 0 for LFE (excluded). The defaults follow
/// the channel count (see <see cref="DefaultChannelWeights"/>); any other layout passes its weights.</para>
/// <para>Loudness of silence (or of too little audio) is negative infinity. Only complete 100 ms steps count;
/// a partial step is carried to the next call. Real-time safe: no allocation per call; one instance per thread;
/// about 320 KB of fixed memory for the gating histograms.</para>
/// </remarks>
public sealed class LoudnessMeter
{
    /// <summary>BS.1770's constant in the loudness formula, in dB.</summary>
    public const double OffsetDb = -0.691;

    private const int ScratchFrames = 1024;
    private const int ShortTermSteps = 30;
    private const int MomentarySteps = 4;

    private readonly int channelCount;
    private readonly double[] weights;
    private readonly BiquadCascade kFilter;
    private readonly float[] scratch;
    private readonly double[] channelEnergy;
    private readonly double[] stepEnergy = new double[ShortTermSteps];
    private readonly LoudnessHistogram gatingBlocks = new();
    private readonly LoudnessHistogram shortTermBlocks = new();
    private readonly int stepFrames;
    private int stepFill;
    private long completedSteps;

    /// <summary>Creates a meter with the default weights for the channel count.</summary>
    /// <param name="sampleRateHz">Sample rate in Hz, at least 8000.</param>
    /// <param name="channelCount">1, 2, 3, 5 or 6 (see <see cref="DefaultChannelWeights"/>).</param>
    public LoudnessMeter(double sampleRateHz, int channelCount)
        : this(sampleRateHz, DefaultChannelWeights(channelCount))
    {
    }

    /// <summary>Creates a meter with explicit channel weights (0 excludes a channel, e.g. LFE).</summary>
    /// <param name="sampleRateHz">Sample rate in Hz, at least 8000.</param>
    /// <param name="channelWeights">One weight per channel, each finite and &gt;= 0.</param>
    public LoudnessMeter(double sampleRateHz, ReadOnlySpan<double> channelWeights)
    {
        if (!(sampleRateHz >= 8000.0) || double.IsInfinity(sampleRateHz))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "Sample rate must be at least 8000 Hz and finite.");
        }

        if (channelWeights.IsEmpty)
        {
            throw new ArgumentException("At least one channel is needed.", nameof(channelWeights));
        }

        foreach (var w in channelWeights)
        {
            if (!(w >= 0) || double.IsInfinity(w))
            {
                throw new ArgumentException("Channel weights must be finite and non-negative.", nameof(channelWeights));
            }
        }

        channelCount = channelWeights.Length;
        weights = channelWeights.ToArray();
        SampleRateHz = sampleRateHz;
        kFilter = new BiquadCascade(channelCount, KWeighting.Sections(sampleRateHz));
        scratch = new float[channelCount * ScratchFrames];
        channelEnergy = new double[channelCount];
        stepFrames = (int)Math.Round(0.1 * sampleRateHz);
    }

    /// <summary>Sample rate in Hz.</summary>
    public double SampleRateHz { get; }

    /// <summary>Number of channels.</summary>
    public int ChannelCount => channelCount;

    /// <summary>Integrated loudness in LUFS (LKFS) of everything fed since construction or <see cref="Reset"/>.</summary>
    /// <remarks>Cost: a pass over the 10,000-bin histogram; query it when needed, not per sample.</remarks>
    public double IntegratedLoudness => gatingBlocks.GatedLoudness(10.0);

    /// <summary>Momentary loudness in LUFS: the latest 400 ms block, ungated.</summary>
    public double MomentaryLoudness => WindowLoudness(MomentarySteps);

    /// <summary>Short-term loudness in LUFS: the latest 3 s, ungated.</summary>
    public double ShortTermLoudness => WindowLoudness(ShortTermSteps);

    /// <summary>Loudness range (EBU Tech 3342) in LU: spread between the 10th and 95th percentile of gated short-term loudness.</summary>
    public double LoudnessRange => shortTermBlocks.Range(20.0, 10.0, 95.0);

    /// <summary>
    /// Default BS.1770 weights by channel count: 1 (mono), 2 (L R), 3 (L R C) all 1.0; 5 (L R C Ls Rs) with 1.41 on
    /// the surrounds; 6 (L R C LFE Ls Rs, SMPTE/ITU order) with LFE at 0. Other counts must pass weights.
    /// </summary>
    /// <param name="channelCount">Channel count.</param>
    public static double[] DefaultChannelWeights(int channelCount) => channelCount switch
    {
        1 => [1.0],
        2 => [1.0, 1.0],
        3 => [1.0, 1.0, 1.0],
        5 => [1.0, 1.0, 1.0, 1.41, 1.41],
        6 => [1.0, 1.0, 1.0, 0.0, 1.41, 1.41],
        _ => throw new ArgumentOutOfRangeException(nameof(channelCount), channelCount, "No default layout for this channel count; pass channel weights."),
    };

    /// <summary>-0.691 + 10 log10(power): the BS.1770 loudness of a weighted mean-square power.</summary>
    /// <param name="power">Weighted mean-square power.</param>
    public static double PowerToLufs(double power) => OffsetDb + (10.0 * Math.Log10(power));

    /// <summary>Clears the filters and every measurement.</summary>
    public void Reset()
    {
        kFilter.Reset();
        Array.Clear(channelEnergy);
        Array.Clear(stepEnergy);
        gatingBlocks.Clear();
        shortTermBlocks.Clear();
        stepFill = 0;
        completedSteps = 0;
    }

    /// <summary>Feeds interleaved frames (length a multiple of the channel count; a trailing partial frame is ignored).</summary>
    /// <param name="interleaved">Interleaved samples.</param>
    public void ProcessInterleaved(ReadOnlySpan<float> interleaved)
    {
        var frames = interleaved.Length / channelCount;
        for (var start = 0; start < frames; start += ScratchFrames)
        {
            var length = Math.Min(ScratchFrames, frames - start);
            var source = interleaved.Slice(start * channelCount, length * channelCount);
            for (var c = 0; c < channelCount; c++)
            {
                var destination = scratch.AsSpan(c * length, length);
                for (var n = 0; n < length; n++)
                {
                    destination[n] = source[(n * channelCount) + c];
                }
            }

            Accumulate(scratch.AsSpan(0, length * channelCount), length);
        }
    }

    /// <summary>Feeds a planar block: channel c occupies [c * frames, (c + 1) * frames).</summary>
    /// <param name="planar">ChannelCount * framesPerChannel samples.</param>
    /// <param name="framesPerChannel">Frames per channel.</param>
    public void ProcessPlanar(ReadOnlySpan<float> planar, int framesPerChannel)
    {
        for (var start = 0; start < framesPerChannel; start += ScratchFrames)
        {
            var length = Math.Min(ScratchFrames, framesPerChannel - start);
            for (var c = 0; c < channelCount; c++)
            {
                planar.Slice((c * framesPerChannel) + start, length).CopyTo(scratch.AsSpan(c * length, length));
            }

            Accumulate(scratch.AsSpan(0, length * channelCount), length);
        }
    }

    private void Accumulate(Span<float> planarChunk, int frames)
    {
        for (var c = 0; c < channelCount; c++)
        {
            var channel = planarChunk.Slice(c * frames, frames);
            kFilter.Process(channel, channel, c);
        }

        var offset = 0;
        while (offset < frames)
        {
            var length = Math.Min(frames - offset, stepFrames - stepFill);
            for (var c = 0; c < channelCount; c++)
            {
                channelEnergy[c] += TensorPrimitives.SumOfSquares(planarChunk.Slice((c * frames) + offset, length));
            }

            offset += length;
            stepFill += length;
            if (stepFill == stepFrames)
            {
                CompleteStep();
            }
        }
    }

    private void CompleteStep()
    {
        var weighted = 0.0;
        for (var c = 0; c < channelCount; c++)
        {
            weighted += weights[c] * channelEnergy[c];
            channelEnergy[c] = 0.0;
        }

        // A NaN/Inf that slipped into a step must not poison the gating sums for ever.
        if (!double.IsFinite(weighted))
        {
            weighted = 0.0;
        }

        stepEnergy[completedSteps % ShortTermSteps] = weighted;
        completedSteps++;
        stepFill = 0;
        if (completedSteps >= MomentarySteps)
        {
            gatingBlocks.Add(WindowPower(MomentarySteps));
        }

        if (completedSteps >= ShortTermSteps)
        {
            shortTermBlocks.Add(WindowPower(ShortTermSteps));
        }
    }

    private double WindowPower(int steps)
    {
        var sum = 0.0;
        for (var i = 1; i <= steps; i++)
        {
            sum += stepEnergy[(completedSteps - i) % ShortTermSteps];
        }

        return sum / (steps * (double)stepFrames);
    }

    private double WindowLoudness(int steps) =>
        completedSteps < steps ? double.NegativeInfinity : PowerToLufs(WindowPower(steps));
}
