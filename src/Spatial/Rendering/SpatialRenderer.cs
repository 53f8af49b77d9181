using SpatialAudio.Filters.Audio;
using SpatialAudio.Filters.Convolution;
using SpatialAudio.Filters.Resampling;
using SpatialAudio.Spatial.RenderMatrices;
using SpatialAudio.Spatial.Upmix;

namespace SpatialAudio.Spatial.Rendering;

/// <summary>Options of a <see cref="SpatialRenderer"/>.</summary>
public sealed record RendererOptions
{
    /// <summary>Processing block, frames at the device rate (latency vs CPU), 32..4096, power of two.</summary>
    public int BlockSize { get; init; } = 256;

    /// <summary>Master gain, dB.</summary>
    public double GainDb { get; init; }

    /// <summary>Limiter ceiling, dBFS.</summary>
    public double CeilingDb { get; init; } = -1.0;

    /// <summary>Limiter look-ahead, ms.</summary>
    public double LookAheadMs { get; init; } = 2.0;

    /// <summary>Cross-fade length of a render-matrix switch, ms (rounded up to whole blocks).</summary>
    public double CrossfadeMs { get; init; } = 20.0;

    /// <summary>Longest FIR a later <see cref="SpatialRenderer.SetRenderMatrix"/> may bring (0: the first matrix's length).</summary>
    public int MaxFirLength { get; init; }
}

/// <summary>
/// The real-time renderer: a stereo sample source in, one channel per driver out (NAudio-3-shaped
/// <see cref="ISampleSource"/>): [resample to the device rate] -> upmix (L', R', C) -> render-matrix convolution ->
/// master gain -> linked look-ahead limiter.
/// </summary>
/// <remarks>
/// <para><b>Latency</b> (<see cref="LatencySamples"/>, at the device rate): upmixer + convolver + the render matrix's
/// modelling delay + limiter look-ahead. The resampler's delay is compensated by <see cref="ResamplingSampleSource"/>.
/// Output sample n corresponds to input sample n - latency; at the end of the input the tail is flushed.</para>
/// <para><b>Threads</b>: <see cref="Read"/> on one audio thread: never allocates, never locks, never throws for any
/// buffer whose length is a multiple of the channel count. <see cref="SetRenderMatrix"/> and <see cref="GainDb"/> may be
/// called from any other thread; the new matrix is cross-faded in over <see cref="RendererOptions.CrossfadeMs"/> and the
/// gain is ramped over one block, so switching does not click.</para>
/// <para>Non-finite input samples are replaced by silence (and the upmixer reset), so they never reach the drivers or
/// the filter state.</para>
/// </remarks>
public sealed class SpatialRenderer : ISampleSource
{
    private readonly ISampleSource source;
    private readonly IUpmixer upmixer;
    private readonly PartitionedConvolver convolver;
    private readonly LookAheadLimiter limiter;
    private readonly int block;
    private readonly int drivers;
    private readonly float[] interleavedIn;
    private readonly float[] planarIn;     // L, R
    private readonly float[] upmixed;      // L', R', C
    private readonly float[] output;       // drivers x block
    private readonly int baseLatency;
    private int outputAvailable;
    private int outputPosition;
    private long tailRemaining = -1;
    private float currentGain;
    private volatile float targetGain;
    private long nonFiniteSamples;

    /// <summary>Creates the renderer.</summary>
    /// <param name="stereoSource">A two-channel source at any rate (resampled to the matrix rate when it differs).</param>
    /// <param name="matrix">The render matrix to start with.</param>
    /// <param name="options">Options (null: defaults).</param>
    /// <param name="upmixer">The upmixer (null: <see cref="PassiveUpmixer"/>).</param>
    public SpatialRenderer(ISampleSource stereoSource, RenderMatrix matrix, RendererOptions? options = null, IUpmixer? upmixer = null)
    {
        ArgumentNullException.ThrowIfNull(stereoSource);
        ArgumentNullException.ThrowIfNull(matrix);
        options ??= new RendererOptions();
        if (stereoSource.Format.Channels != 2)
        {
            throw new ArgumentException($"the renderer needs a stereo source, got {stereoSource.Format.Channels} channel(s)", nameof(stereoSource));
        }

        if (options.BlockSize is < ConvolverFilters.MinBlockSize or > ConvolverFilters.MaxBlockSize || (options.BlockSize & (options.BlockSize - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BlockSize, $"block size must be a power of two, {ConvolverFilters.MinBlockSize}..{ConvolverFilters.MaxBlockSize}");
        }

        source = stereoSource.Format.SampleRateHz == matrix.SampleRateHz ? stereoSource : new ResamplingSampleSource(stereoSource, matrix.SampleRateHz);
        this.upmixer = upmixer ?? new PassiveUpmixer();
        block = options.BlockSize;
        drivers = matrix.DriverCount;
        Matrix = matrix;
        Format = new AudioFormat(matrix.SampleRateHz, drivers);
        MaxFirLength = Math.Max(matrix.FirLength, options.MaxFirLength);
        var crossfadeBlocks = Math.Max(1, (int)Math.Ceiling(options.CrossfadeMs * matrix.SampleRateHz / 1000 / block));
        convolver = new PartitionedConvolver(3, drivers, block, MaxFirLength, new ConvolverFilters(block, matrix.ToConvolverArray()), crossfadeBlocks);
        limiter = new LookAheadLimiter(drivers, matrix.SampleRateHz, options.CeilingDb, options.LookAheadMs);
        interleavedIn = new float[2 * block];
        planarIn = new float[2 * block];
        upmixed = new float[3 * block];
        output = new float[drivers * block];
        currentGain = targetGain = (float)Math.Pow(10, options.GainDb / 20);
        baseLatency = this.upmixer.LatencySamples + convolver.LatencySamples + limiter.LookAheadSamples;
        MatrixLatencySamples = matrix.LatencySamples;
    }

    /// <inheritdoc />
    public AudioFormat Format { get; }

    /// <summary>The render matrix most recently set (the one playing once its cross-fade is done).</summary>
    public RenderMatrix Matrix { get; private set; }

    /// <summary>Longest FIR <see cref="SetRenderMatrix"/> accepts.</summary>
    public int MaxFirLength { get; }

    /// <summary>Modelling delay every matrix is aligned to, samples.</summary>
    public int MatrixLatencySamples { get; }

    /// <summary>Total latency from input to driver output, samples at the device rate.</summary>
    public int LatencySamples => baseLatency + MatrixLatencySamples;

    /// <summary>Total latency, seconds.</summary>
    public double LatencySeconds => (double)LatencySamples / Format.SampleRateHz;

    /// <summary>Non-finite input samples replaced by silence so far.</summary>
    public long NonFiniteSamples => Interlocked.Read(ref nonFiniteSamples);

    /// <summary>Master gain in dB; settable from any thread (ramped over one block).</summary>
    public double GainDb
    {
        get => 20 * Math.Log10(Math.Max(targetGain, 1e-12f));
        set => targetGain = (float)Math.Pow(10, Math.Clamp(value, -120, 24) / 20);
    }

    /// <summary>Lowest limiter gain since the last call (1 = the limiter did nothing), audio-thread state read racily.</summary>
    public double TakeLimiterMinimumGain() => limiter.TakeMinimumGain();

    /// <summary>
    /// Switches to <paramref name="matrix"/> (another preset of the same device), cross-faded; call from any thread but
    /// the audio thread (it allocates the new filter set here).
    /// </summary>
    /// <exception cref="ArgumentException">Other drivers or rate, a longer FIR than <see cref="MaxFirLength"/> allows
    /// after alignment, or a larger modelling delay than the renderer's.</exception>
    public void SetRenderMatrix(RenderMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.SampleRateHz != Format.SampleRateHz || !matrix.DriverIds.SequenceEqual(Matrix.DriverIds))
        {
            throw new ArgumentException($"render matrix '{matrix.Preset}' is for other drivers or another rate", nameof(matrix));
        }

        var pad = MatrixLatencySamples - matrix.LatencySamples;
        if (pad < 0 || matrix.FirLength + pad > MaxFirLength)
        {
            throw new ArgumentException(
                $"render matrix '{matrix.Preset}' (latency {matrix.LatencySamples}, {matrix.FirLength} taps) does not fit the renderer (latency {MatrixLatencySamples}, at most {MaxFirLength} taps)",
                nameof(matrix));
        }

        var firs = matrix.ToConvolverArray();
        if (pad > 0)
        {
            // Align the modelling delays so a switch does not jump in time.
            for (var i = 0; i < firs.GetLength(0); i++)
            {
                for (var d = 0; d < firs.GetLength(1); d++)
                {
                    var padded = new float[firs[i, d]!.Length + pad];
                    firs[i, d]!.CopyTo(padded, pad);
                    firs[i, d] = padded;
                }
            }
        }

        convolver.SetFilters(new ConvolverFilters(block, firs));
        Matrix = matrix;
    }

    /// <inheritdoc />
    public int Read(Span<float> buffer)
    {
        var frames = buffer.Length / drivers;
        var written = 0;
        while (written < frames)
        {
            if (outputPosition >= outputAvailable && !ProduceBlock())
            {
                break;
            }

            var count = Math.Min(frames - written, outputAvailable - outputPosition);
            if (count == block)
            {
                Interleaving.Interleave(output, drivers, buffer.Slice(written * drivers, block * drivers));
            }
            else
            {
                for (var d = 0; d < drivers; d++)
                {
                    var source = output.AsSpan((d * block) + outputPosition, count);
                    for (int n = 0, j = (written * drivers) + d; n < count; n++, j += drivers)
                    {
                        buffer[j] = source[n];
                    }
                }
            }

            outputPosition += count;
            written += count;
        }

        return written * drivers;
    }

    private bool ProduceBlock()
    {
        if (tailRemaining == 0)
        {
            return false;
        }

        var got = 0;
        if (tailRemaining < 0)
        {
            var span = interleavedIn.AsSpan();
            while (got < block)
            {
                var read = source.Read(span[(2 * got)..]);
                if (read <= 0)
                {
                    // End of input: flush the tail (latency + filter length) with silence.
                    tailRemaining = LatencySamples + MaxFirLength + block;
                    break;
                }

                got += read / 2;
            }
        }

        interleavedIn.AsSpan(2 * got).Clear();
        if (tailRemaining > 0)
        {
            tailRemaining = Math.Max(0, tailRemaining - (block - got));
        }

        Sanitize();
        Interleaving.Deinterleave(interleavedIn, 2, planarIn);
        upmixer.Process(planarIn.AsSpan(0, block), planarIn.AsSpan(block, block), upmixed.AsSpan(0, block), upmixed.AsSpan(block, block), upmixed.AsSpan(2 * block, block));
        convolver.Process(upmixed, output);
        ApplyGain();
        limiter.Process(output, block, block);
        outputAvailable = block;
        outputPosition = 0;
        return true;
    }

    private void Sanitize()
    {
        // Fast check: the sum of finite samples times 0 is 0; NaN or infinity anywhere makes it NaN.
        if (float.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum(interleavedIn) * 0f))
        {
            return;
        }

        var bad = 0;
        for (var i = 0; i < interleavedIn.Length; i++)
        {
            if (!float.IsFinite(interleavedIn[i]))
            {
                interleavedIn[i] = 0;
                bad++;
            }
        }

        if (bad > 0)
        {
            Interlocked.Add(ref nonFiniteSamples, bad);
            upmixer.Reset();
        }
    }

    private void ApplyGain()
    {
        var target = targetGain;
        var start = currentGain;
        var step = (target - start) / block;
        for (var d = 0; d < drivers; d++)
        {
            var channel = output.AsSpan(d * block, block);
            if (step == 0)
            {
                if (start != 1f)
                {
                    System.Numerics.Tensors.TensorPrimitives.Multiply(channel, start, channel);
                }

                continue;
            }

            for (var n = 0; n < block; n++)
            {
                channel[n] *= start + (step * (n + 1));
            }
        }

        currentGain = target;
    }
}
