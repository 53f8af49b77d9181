namespace SpatialAudio.Spatial.Sensing.Probe;

/// <summary>
/// The ultrasonic sensing probe: a continuous tone at the carrier, switched on and off with raised-cosine ramps so the
/// switching puts no energy into the audible band.
/// </summary>
/// <remarks>
/// <para>A ramp of T seconds is an amplitude modulation whose spectrum lies within about 2/T of the carrier (20 ms:
/// +/-100 Hz), far above 20 kHz for any carrier of 32 kHz or more.</para>
/// <para>The oscillator is a double-precision complex rotator, renormalized every block, so the phase is continuous
/// across calls of any size. <see cref="Enabled"/> may be set from any thread; the ramp starts at the next sample
/// generated. <see cref="AddTo"/> never allocates or throws.</para>
/// </remarks>
public sealed class ProbeGenerator
{
    /// <summary>Lowest carrier accepted, Hz (the sensing band starts well above hearing).</summary>
    public const double MinCarrierHz = 32000;

    private readonly double stepRe, stepIm;
    private readonly int rampSamples;
    private double re = 1, im;
    private double envelope;   // 0..1 position on the ramp
    private volatile bool enabled;

    /// <summary>The probe level the committed detector was trained and validated at, dBFS: 6 dB over the -20 dBFS of the
    /// ninth session, which left a tenth of the walks at 3..5 m undetected (docs/sensing-notebook.md, "A louder probe").</summary>
    public const double DefaultLevelDbfs = -14;

    /// <summary>Creates the generator.</summary>
    /// <param name="sampleRateHz">Output rate, Hz (96 kHz for sensing).</param>
    /// <param name="carrierHz">Carrier, 32 kHz .. Nyquist - 2 kHz.</param>
    /// <param name="levelDbfs">Peak level, -60..-6 dBFS.</param>
    /// <param name="rampMs">On/off ramp, 2..500 ms.</param>
    public ProbeGenerator(int sampleRateHz, double carrierHz, double levelDbfs = DefaultLevelDbfs, double rampMs = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRateHz, 8000);
        if (!(carrierHz >= MinCarrierHz && carrierHz <= (sampleRateHz / 2.0) - 2000))
        {
            throw new ArgumentOutOfRangeException(nameof(carrierHz), carrierHz,
                $"the carrier must be {MinCarrierHz:0} Hz .. {(sampleRateHz / 2.0) - 2000:0} Hz at {sampleRateHz} Hz (sensing needs a 96 kHz output)");
        }

        if (!(levelDbfs is >= -60 and <= -6))
        {
            throw new ArgumentOutOfRangeException(nameof(levelDbfs), levelDbfs, "must be -60..-6 dBFS");
        }

        if (!(rampMs is >= 2 and <= 500))
        {
            throw new ArgumentOutOfRangeException(nameof(rampMs), rampMs, "must be 2..500 ms");
        }

        SampleRateHz = sampleRateHz;
        CarrierHz = carrierHz;
        Amplitude = Math.Pow(10, levelDbfs / 20);
        var w = 2 * Math.PI * carrierHz / sampleRateHz;
        stepRe = Math.Cos(w);
        stepIm = Math.Sin(w);
        rampSamples = Math.Max(1, (int)Math.Round(rampMs * sampleRateHz / 1000));
    }

    /// <summary>Output rate, Hz.</summary>
    public int SampleRateHz { get; }

    /// <summary>Carrier, Hz.</summary>
    public double CarrierHz { get; }

    /// <summary>Peak amplitude (linear) when fully on: the headroom the music must leave.</summary>
    public double Amplitude { get; }

    /// <summary>Whether the probe is (ramping) on; settable from any thread.</summary>
    public bool Enabled
    {
        get => enabled;
        set => enabled = value;
    }

    /// <summary>Whether the probe is completely off (ramp finished).</summary>
    public bool IsSilent => envelope <= 0 && !enabled;

    /// <summary>Adds the probe to <paramref name="destination"/> (one channel, consecutive samples).</summary>
    public void AddTo(Span<float> destination) => Render(destination, accumulate: true);

    /// <summary>Writes the probe into <paramref name="destination"/>.</summary>
    public void WriteTo(Span<float> destination) => Render(destination, accumulate: false);

    private void Render(Span<float> destination, bool accumulate)
    {
        var target = enabled ? 1.0 : 0.0;
        var step = 1.0 / rampSamples;
        for (var n = 0; n < destination.Length; n++)
        {
            if (envelope != target)
            {
                envelope = target > envelope ? Math.Min(target, envelope + step) : Math.Max(target, envelope - step);
            }

            // Raised cosine of the ramp position: smooth start and end, so the switching stays narrow-band.
            var gain = envelope >= 1 ? 1.0 : envelope <= 0 ? 0.0 : 0.5 - (0.5 * Math.Cos(Math.PI * envelope));
            var value = (float)(Amplitude * gain * im);
            destination[n] = accumulate ? destination[n] + value : value;
            var nextRe = (re * stepRe) - (im * stepIm);
            im = (re * stepIm) + (im * stepRe);
            re = nextRe;
        }

        // Keep the rotator on the unit circle.
        var norm = 1 / Math.Sqrt((re * re) + (im * im));
        re *= norm;
        im *= norm;
    }
}
