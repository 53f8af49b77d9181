namespace SpatialAudio.Filters.Delays;

/// <summary>
/// Multi-channel Thiran all-pass fractional delay (order N, direct form, double state, float samples):
/// a fixed, non-integer delay with unit magnitude at every frequency.
/// </summary>
/// <remarks>
/// <para>Coefficients from <see cref="ThiranDesign"/>. The group delay equals the design delay D at DC and stays
/// within about 1% of it up to roughly a tenth of the sample rate for N-0.5 &lt;= D &lt;= N+0.5 (tested); it is an
/// IIR, so the delay is exact only in the low band. For a delay that changes per sample use <see cref="FarrowDelay"/>.</para>
/// <para><see cref="SetDelay"/> retunes and keeps the state; <see cref="Reset"/> clears it. Denormal and NaN/Inf
/// handling as in <see cref="Iir.BiquadCascade"/>: state below 1e-30 or non-finite is cleared at the end of a block.
/// Real-time safe; one instance per thread.</para>
/// </remarks>
public sealed class ThiranAllPass
{
    private const double TinyState = 1e-30;
    private const double DenormalGuard = 1e-20;

    private readonly int channelCount;
    private readonly int order;
    private readonly double[] denominator;
    private readonly double[] reversed;      // a_N .. a_1: feedback weights in window (oldest-first) order
    private readonly double[] inputHistory;  // per channel 2N: the last N inputs twice, so a window is contiguous
    private readonly double[] outputHistory;
    private readonly int[] position;
    private double delaySamples;

    /// <summary>Creates the filter with silent state.</summary>
    /// <param name="channelCount">Number of channels, at least 1.</param>
    /// <param name="order">Order N, 1 .. <see cref="ThiranDesign.MaxOrder"/>.</param>
    /// <param name="delaySamples">Delay D &gt; N - 1; best in N - 0.5 .. N + 0.5.</param>
    public ThiranAllPass(int channelCount, int order, double delaySamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channelCount, 1);
        this.channelCount = channelCount;
        this.order = order;
        denominator = ThiranDesign.Denominator(order, delaySamples);
        this.delaySamples = delaySamples;
        reversed = new double[order];
        SetReversed();
        inputHistory = new double[channelCount * 2 * order];
        outputHistory = new double[channelCount * 2 * order];
        position = new int[channelCount];
    }

    /// <summary>Number of channels.</summary>
    public int ChannelCount => channelCount;

    /// <summary>Order N.</summary>
    public int Order => order;

    /// <summary>Design delay D in samples (the group delay at DC).</summary>
    public double DelaySamples => delaySamples;

    /// <summary>Redesigns for a new delay, keeping the state (retune; the transient is that of an IIR coefficient change).</summary>
    /// <param name="delaySamples">Delay D &gt; N - 1.</param>
    public void SetDelay(double delaySamples)
    {
        var designed = ThiranDesign.Denominator(order, delaySamples);
        designed.CopyTo(denominator, 0);
        SetReversed();
        this.delaySamples = delaySamples;
    }

    /// <summary>Clears the state of every channel.</summary>
    public void Reset()
    {
        Array.Clear(inputHistory);
        Array.Clear(outputHistory);
        Array.Clear(position);
    }

    /// <summary>Filters one block of one channel.</summary>
    /// <param name="input">Input samples.</param>
    /// <param name="output">Output, at least as long as the input; may be the same span.</param>
    /// <param name="channel">Channel index.</param>
    public void Process(ReadOnlySpan<float> input, Span<float> output, int channel)
    {
        // y[n] = a_N x[n] + sum_{k=1..N} (a_{N-k} x[n-k] - a_k y[n-k]); with the windows oldest-first
        // (w[j] = x[n-N+j]) that is a_N x[n] + sum_j (a_j wx[j] - a_{N-j} wy[j]).
        var n0 = order;
        ReadOnlySpan<double> forward = denominator.AsSpan(0, n0);
        ReadOnlySpan<double> feedback = reversed;
        var aN = denominator[n0];
        var xh = inputHistory.AsSpan(channel * 2 * n0, 2 * n0);
        var yh = outputHistory.AsSpan(channel * 2 * n0, 2 * n0);
        var pos = position[channel];
        output = output[..input.Length];
        for (var n = 0; n < input.Length; n++)
        {
            double x = input[n];
            var wx = xh.Slice(pos, n0);
            var wy = yh.Slice(pos, n0);
            var y = aN * x;
            for (var j = 0; j < forward.Length; j++)
            {
                y += (forward[j] * wx[j]) - (feedback[j] * wy[j]);
            }

            xh[pos] = x;
            xh[pos + n0] = x;
            yh[pos] = y;
            yh[pos + n0] = y;
            pos = pos + 1 == n0 ? 0 : pos + 1;
            output[n] = (float)((y + DenormalGuard) - DenormalGuard);
        }

        position[channel] = pos;
        var magnitude = 0.0;
        for (var k = 0; k < n0; k++)
        {
            magnitude += Math.Abs(xh[k]) + Math.Abs(yh[k]);
        }

        if (!(magnitude >= TinyState) || !double.IsFinite(magnitude))
        {
            xh.Clear();
            yh.Clear();
        }
    }

    private void SetReversed()
    {
        for (var j = 0; j < order; j++)
        {
            reversed[j] = denominator[order - j];
        }
    }
}
