using System.Numerics.Tensors;
using SpatialAudio.Filters.Design;

namespace SpatialAudio.Spatial.Sensing.FrontEnd;

/// <summary>
/// Complex demodulation and decimation in one step: the band around the carrier is shifted to 0 Hz, low-pass filtered
/// and kept at every <see cref="Factor"/>-th sample. With a carrier of 0 it is a plain real low-pass decimator (used for
/// the playback reference).
/// </summary>
/// <remarks>
/// <para>Mix-then-filter, <c>y[k] = sum_i h[i] x[n-i] e^{-j w (n-i)}</c> at <c>n = kD</c>, is rewritten as
/// <c>e^{-j w n} sum_i (h[i] e^{j w i}) x[n-i]</c>: a complex band-pass FIR evaluated only at the kept instants (two dot
/// products of the tap count per output) and one phasor rotation, so nothing is computed for the samples thrown away.</para>
/// <para>The low-pass (Kaiser, 100 dB) passes +/-1 kHz and stops from (output rate - 1 kHz), so nothing aliases into the
/// +/-1 kHz Doppler band (+/-4.5 m/s at 40 kHz) and the audible band, 12 kHz or more away, is 100 dB down. Scaled so a
/// real tone of amplitude A at the carrier comes out with magnitude A (and a real input with gain 1 when the carrier is 0).
/// Group delay: (taps - 1) / 2 input samples. Allocation-free after construction.</para>
/// </remarks>
public sealed class BasebandDecimator
{
    /// <summary>Edge of the passband, Hz either side of the carrier.</summary>
    public const double PassbandHz = 1000;

    private readonly float[] tapsRe, tapsIm;   // reversed: index 0 multiplies the oldest sample
    private readonly float[] history;
    private readonly int length;
    private readonly double stepRe, stepIm;
    private readonly bool real;
    private readonly double startRe, startIm;
    private double rotRe, rotIm;
    private int head, phase, renormalize;

    /// <summary>Creates the decimator.</summary>
    /// <param name="sampleRateHz">Input rate, Hz.</param>
    /// <param name="carrierHz">Frequency shifted to 0 Hz; 0 for a real low-pass decimator.</param>
    /// <param name="factor">Decimation factor; the output rate must leave room for the 1 kHz passband (at least 3 kHz).</param>
    public BasebandDecimator(int sampleRateHz, double carrierHz, int factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        var outputRate = (double)sampleRateHz / factor;
        if (outputRate < 3 * PassbandHz)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"the output rate {outputRate:0} Hz is below {3 * PassbandHz:0} Hz");
        }

        if (!(carrierHz >= 0 && carrierHz < sampleRateHz / 2.0))
        {
            throw new ArgumentOutOfRangeException(nameof(carrierHz), carrierHz, "must lie in 0 .. half the sample rate");
        }

        var h = WindowedSinc.LowPassForSpec(PassbandHz, outputRate - PassbandHz, 100, sampleRateHz);
        length = h.Length;
        real = carrierHz == 0;
        var w = 2 * Math.PI * carrierHz / sampleRateHz;
        var scale = real ? 1.0 : 2.0;
        tapsRe = new float[length];
        tapsIm = new float[length];
        for (var i = 0; i < length; i++)
        {
            var (s, c) = Math.SinCos(w * i);
            tapsRe[length - 1 - i] = (float)(scale * h[i] * c);
            tapsIm[length - 1 - i] = (float)(scale * h[i] * s);
        }

        history = new float[2 * length];
        (stepIm, stepRe) = Math.SinCos(-w * factor);
        (startIm, startRe) = Math.SinCos(-w * (factor - 1));   // the first output is at input n = factor - 1
        (rotRe, rotIm) = (startRe, startIm);
        Factor = factor;
        OutputRateHz = outputRate;
    }

    /// <summary>Decimation factor.</summary>
    public int Factor { get; }

    /// <summary>Output rate, Hz.</summary>
    public double OutputRateHz { get; }

    /// <summary>Low-pass length, input samples.</summary>
    public int TapCount => length;

    /// <summary>Group delay, input samples.</summary>
    public double DelaySamples => (length - 1) / 2.0;

    /// <summary>Filters a block and writes the kept outputs.</summary>
    /// <param name="input">Input samples (any count).</param>
    /// <param name="outRe">Real parts of the outputs; room for <c>input.Length / Factor + 1</c>.</param>
    /// <param name="outIm">Imaginary parts (zeros for a real decimator).</param>
    /// <returns>Outputs written.</returns>
    public int Process(ReadOnlySpan<float> input, Span<float> outRe, Span<float> outIm)
    {
        var written = 0;
        while (!input.IsEmpty)
        {
            // The samples up to the next kept instant go into the history in bulk (per-sample bookkeeping cost more than
            // the dot products), then one output is computed on the same window as sample by sample.
            var take = Math.Min(Factor - phase, input.Length);
            Push(input[..take]);
            input = input[take..];
            phase += take;
            if (phase < Factor)
            {
                break;
            }

            phase = 0;
            var window = history.AsSpan(head, length);   // oldest .. newest
            var accRe = TensorPrimitives.Dot(window, tapsRe);
            if (real)
            {
                outRe[written] = accRe;
                outIm[written] = 0;
            }
            else
            {
                var accIm = TensorPrimitives.Dot(window, tapsIm);
                outRe[written] = (float)((rotRe * accRe) - (rotIm * accIm));
                outIm[written] = (float)((rotRe * accIm) + (rotIm * accRe));
                (rotRe, rotIm) = ((rotRe * stepRe) - (rotIm * stepIm), (rotRe * stepIm) + (rotIm * stepRe));
                if (++renormalize == 1024)
                {
                    renormalize = 0;
                    var norm = 1 / Math.Sqrt((rotRe * rotRe) + (rotIm * rotIm));
                    rotRe *= norm;
                    rotIm *= norm;
                }
            }

            written++;
        }

        return written;
    }

    // Appends samples to the doubled ring (each sample at head and head + length, so any window is contiguous).
    private void Push(ReadOnlySpan<float> samples)
    {
        while (!samples.IsEmpty)
        {
            var n = Math.Min(samples.Length, length - head);
            samples[..n].CopyTo(history.AsSpan(head));
            samples[..n].CopyTo(history.AsSpan(head + length));
            head = head + n == length ? 0 : head + n;
            samples = samples[n..];
        }
    }

    /// <summary>Clears the history and the phase.</summary>
    public void Reset()
    {
        Array.Clear(history);
        head = phase = renormalize = 0;
        (rotRe, rotIm) = (startRe, startIm);
    }
}
