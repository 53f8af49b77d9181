namespace SpatialAudio.Filters.Iir;

/// <summary>
/// A bank of biquad cascades: N channels, each running M second-order sections in series with its own state
/// (and optionally its own coefficients). Float samples in and out, coefficients and state in double.
/// </summary>
/// <remarks>
/// <para>Structure: direct form I per section. Its state is the section's last two inputs and outputs, which mean
/// the same thing under any coefficients, so <see cref="SetCoefficients(ReadOnlySpan{BiquadCoefficients})"/>
/// retunes without the internal-state transients of transposed forms, and no internal node can overflow.
/// Coefficients and state are double because low-frequency poles (38 Hz at 192 kHz: |p| = 0.9988) lose their
/// frequency in float's 24-bit a1; scalar double arithmetic costs the same as float on x64 and ARM64.</para>
/// <para>The block is run section by section (section-outer, sample-inner) so each section's coefficients and state
/// live in registers; samples pass between sections as float (rounding noise near -150 dBFS).</para>
/// <para>Denormals: outputs are rounded to a grid of 1.5e-36 (so no float denormal leaves the filter) and, at the
/// end of every block, a section whose state has decayed below 1e-30 (or is NaN/Inf) is cleared to exact zero.
/// A NaN/Inf burst therefore reaches the output only until the end of the block it arrived in.</para>
/// <para>Threading: one instance per audio thread; retune and reset between blocks on that thread.</para>
/// </remarks>
public sealed class BiquadCascade
{
    private const int CoefficientStride = 5;
    private const int StateStride = 4;
    private const double TinyState = 1e-30;

    // (y + c) - c rounds |y| below ulp(c)/2 = 7.6e-37 to zero and keeps everything else a normal float.
    private const double DenormalGuard = 1e-20;

    private readonly int channelCount;
    private readonly int sectionCount;
    private readonly double[] coefficients;
    private readonly double[] state;

    /// <summary>Creates a bank whose sections all pass the signal unchanged until coefficients are set.</summary>
    /// <param name="channelCount">Number of channels, at least 1.</param>
    /// <param name="sectionCount">Sections per channel, at least 1.</param>
    public BiquadCascade(int channelCount, int sectionCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channelCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sectionCount, 1);
        this.channelCount = channelCount;
        this.sectionCount = sectionCount;
        coefficients = new double[channelCount * sectionCount * CoefficientStride];
        state = new double[channelCount * sectionCount * StateStride];
        for (var c = 0; c < channelCount; c++)
        {
            for (var s = 0; s < sectionCount; s++)
            {
                Store(c, s, BiquadCoefficients.Identity);
            }
        }
    }

    /// <summary>Creates a bank running the same <paramref name="sections"/> on every channel.</summary>
    /// <param name="channelCount">Number of channels, at least 1.</param>
    /// <param name="sections">Sections in processing order, at least one, all finite.</param>
    public BiquadCascade(int channelCount, ReadOnlySpan<BiquadCoefficients> sections)
        : this(channelCount, sections.Length)
    {
        SetCoefficients(sections);
    }

    /// <summary>Number of channels.</summary>
    public int ChannelCount => channelCount;

    /// <summary>Number of sections per channel.</summary>
    public int SectionCount => sectionCount;

    /// <summary>Sets the same sections on every channel; the filter state is kept (retune, no reset).</summary>
    /// <param name="sections">Exactly <see cref="SectionCount"/> finite sections.</param>
    public void SetCoefficients(ReadOnlySpan<BiquadCoefficients> sections)
    {
        Validate(sections);
        for (var c = 0; c < channelCount; c++)
        {
            for (var s = 0; s < sectionCount; s++)
            {
                Store(c, s, sections[s]);
            }
        }
    }

    /// <summary>Sets the sections of one channel; its state is kept (retune, no reset).</summary>
    /// <param name="channel">Channel index.</param>
    /// <param name="sections">Exactly <see cref="SectionCount"/> finite sections.</param>
    public void SetCoefficients(int channel, ReadOnlySpan<BiquadCoefficients> sections)
    {
        ValidateChannel(channel);
        Validate(sections);
        for (var s = 0; s < sectionCount; s++)
        {
            Store(channel, s, sections[s]);
        }
    }

    /// <summary>The coefficients of one section of one channel.</summary>
    /// <param name="channel">Channel index.</param>
    /// <param name="section">Section index.</param>
    public BiquadCoefficients GetCoefficients(int channel, int section)
    {
        ValidateChannel(channel);
        ArgumentOutOfRangeException.ThrowIfNegative(section);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(section, sectionCount);
        var i = ((channel * sectionCount) + section) * CoefficientStride;
        return new BiquadCoefficients(coefficients[i], coefficients[i + 1], coefficients[i + 2], coefficients[i + 3], coefficients[i + 4]);
    }

    /// <summary>Clears the state of every channel (coefficients are kept).</summary>
    public void Reset() => Array.Clear(state);

    /// <summary>Clears the state of one channel.</summary>
    /// <param name="channel">Channel index.</param>
    public void Reset(int channel)
    {
        ValidateChannel(channel);
        state.AsSpan(channel * sectionCount * StateStride, sectionCount * StateStride).Clear();
    }

    /// <summary>Filters one block of one channel.</summary>
    /// <param name="input">Input samples.</param>
    /// <param name="output">Output, at least as long as <paramref name="input"/>; may be the same span (in place).</param>
    /// <param name="channel">Channel index, 0 .. ChannelCount-1.</param>
    /// <remarks>Real-time safe: no allocation, no lock. Processes <c>input.Length</c> samples.</remarks>
    public void Process(ReadOnlySpan<float> input, Span<float> output, int channel)
    {
        var frames = input.Length;
        output = output[..frames];
        var coefficientBase = channel * sectionCount * CoefficientStride;
        var stateBase = channel * sectionCount * StateStride;
        var source = input;
        for (var s = 0; s < sectionCount; s++)
        {
            var ci = coefficientBase + (s * CoefficientStride);
            var si = stateBase + (s * StateStride);
            var b0 = coefficients[ci];
            var b1 = coefficients[ci + 1];
            var b2 = coefficients[ci + 2];
            var a1 = coefficients[ci + 3];
            var a2 = coefficients[ci + 4];
            var x1 = state[si];
            var x2 = state[si + 1];
            var y1 = state[si + 2];
            var y2 = state[si + 3];
            for (var n = 0; n < frames; n++)
            {
                double x = source[n];

                // Everything but a1 * y1 is ready early; adding that term last keeps the recursion's critical
                // path at one multiply and one subtract per sample.
                var y = ((b0 * x) + (b1 * x1) + (b2 * x2) - (a2 * y2)) - (a1 * y1);
                x2 = x1;
                x1 = x;
                y2 = y1;
                y1 = y;
                output[n] = (float)((y + DenormalGuard) - DenormalGuard);
            }

            var magnitude = Math.Abs(x1) + Math.Abs(x2) + Math.Abs(y1) + Math.Abs(y2);
            if (!(magnitude >= TinyState) || !double.IsFinite(magnitude))
            {
                x1 = x2 = y1 = y2 = 0.0;
            }

            state[si] = x1;
            state[si + 1] = x2;
            state[si + 2] = y1;
            state[si + 3] = y2;
            source = output;
        }
    }

    /// <summary>Filters every channel of a planar block: channel c occupies [c * frames, (c + 1) * frames).</summary>
    /// <param name="input">ChannelCount * framesPerChannel samples, planar.</param>
    /// <param name="output">Same layout and length; may be the same span.</param>
    /// <param name="framesPerChannel">Frames per channel.</param>
    public void ProcessPlanar(ReadOnlySpan<float> input, Span<float> output, int framesPerChannel)
    {
        for (var c = 0; c < channelCount; c++)
        {
            var offset = c * framesPerChannel;
            Process(input.Slice(offset, framesPerChannel), output.Slice(offset, framesPerChannel), c);
        }
    }

    private void Store(int channel, int section, BiquadCoefficients value)
    {
        var i = ((channel * sectionCount) + section) * CoefficientStride;
        coefficients[i] = value.B0;
        coefficients[i + 1] = value.B1;
        coefficients[i + 2] = value.B2;
        coefficients[i + 3] = value.A1;
        coefficients[i + 4] = value.A2;
    }

    private void Validate(ReadOnlySpan<BiquadCoefficients> sections)
    {
        if (sections.Length != sectionCount)
        {
            throw new ArgumentException($"Expected {sectionCount} sections, got {sections.Length}.", nameof(sections));
        }

        foreach (var section in sections)
        {
            if (!section.IsFinite)
            {
                throw new ArgumentException("Every coefficient must be finite.", nameof(sections));
            }
        }
    }

    private void ValidateChannel(int channel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, channelCount);
    }
}
