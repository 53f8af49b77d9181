namespace SpatialAudio.Filters.Audio;

/// <summary>Test and demo signals as an <see cref="ISampleSource"/>: sine, white noise and pink noise.</summary>
/// <remarks>
/// A sine is identical in every channel; noise channels are independent, seeded streams (the same seed always
/// gives the same samples, on every machine and runtime). A generator is endless unless given a length in
/// frames. <see cref="Read"/> allocates nothing. Not thread-safe.
/// </remarks>
public sealed class SignalGenerator : ISampleSource
{
    // Paul Kellet's "refined" pink filter: six one-pole sections plus a direct and a one-sample-delayed tap,
    // within 0.05 dB of -3 dB/octave above about 10 Hz at 44.1 kHz (the band shifts proportionally at other rates).
    private static readonly double[] PinkPoles = [0.99886, 0.99332, 0.96900, 0.86650, 0.55000, -0.7616];
    private static readonly double[] PinkGains = [0.0555179, 0.0750759, 0.1538520, 0.3104856, 0.5329522, -0.0168980];
    private const double PinkDirectGain = 0.5362;
    private const double PinkDelayedGain = 0.115926;
    private const int PinkStatePerChannel = 7;

    private readonly Kind kind;
    private readonly int channels;
    private readonly double amplitude;
    private readonly double phaseIncrementRadians;
    private readonly SampleRandom[] randoms;
    private readonly double[] pinkState;
    private double phaseRadians;

    private SignalGenerator(AudioFormat format, Kind kind, double amplitude, double phaseIncrementRadians, long seed, long? lengthFrames)
    {
        if (format.Channels == 0)
        {
            throw new ArgumentException("Format is uninitialized.", nameof(format));
        }

        if (lengthFrames < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(lengthFrames), lengthFrames, "Length must not be negative.");
        }

        Format = format;
        LengthFrames = lengthFrames;
        this.kind = kind;
        channels = format.Channels;
        this.amplitude = amplitude;
        this.phaseIncrementRadians = phaseIncrementRadians;
        randoms = new SampleRandom[kind == Kind.Sine ? 0 : channels];
        var master = new SampleRandom(seed);
        for (var c = 0; c < randoms.Length; c++)
        {
            randoms[c] = new SampleRandom(unchecked((long)master.NextUInt64()));
        }

        pinkState = new double[kind == Kind.Pink ? channels * PinkStatePerChannel : 0];
    }

    private enum Kind
    {
        Sine,
        White,
        Pink,
    }

    /// <summary>A sine <c>amplitude * sin(2 pi frequencyHz n / sampleRate)</c>, starting at phase 0, in every channel.</summary>
    /// <param name="format">Sample rate and channel count.</param>
    /// <param name="frequencyHz">Frequency, 0..sampleRate/2.</param>
    /// <param name="amplitude">Peak amplitude (linear, 1 = full scale), finite and not negative.</param>
    /// <param name="lengthFrames">Length in frames, or null for endless.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range.</exception>
    public static SignalGenerator Sine(AudioFormat format, double frequencyHz, double amplitude, long? lengthFrames = null)
    {
        if (!(frequencyHz >= 0 && frequencyHz <= format.SampleRateHz / 2.0))
        {
            throw new ArgumentOutOfRangeException(nameof(frequencyHz), frequencyHz, "Frequency must be 0..sampleRate/2 Hz.");
        }

        CheckLevel(amplitude, nameof(amplitude));
        return new SignalGenerator(format, Kind.Sine, amplitude, 2 * Math.PI * frequencyHz / format.SampleRateHz, 0, lengthFrames);
    }

    /// <summary>White noise, uniformly distributed in [-amplitude, amplitude) (RMS = amplitude / sqrt(3)).</summary>
    /// <param name="format">Sample rate and channel count.</param>
    /// <param name="amplitude">Peak amplitude (linear), finite and not negative.</param>
    /// <param name="seed">Seed; the same seed gives the same samples.</param>
    /// <param name="lengthFrames">Length in frames, or null for endless.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range.</exception>
    public static SignalGenerator WhiteNoise(AudioFormat format, double amplitude, long seed, long? lengthFrames = null)
    {
        CheckLevel(amplitude, nameof(amplitude));
        return new SignalGenerator(format, Kind.White, amplitude, 0, seed, lengthFrames);
    }

    /// <summary>Pink noise (-3 dB per octave) with the given long-term RMS level.</summary>
    /// <remarks>Peaks are not bounded: expect about four times <paramref name="rmsLevel"/>.</remarks>
    /// <param name="format">Sample rate and channel count.</param>
    /// <param name="rmsLevel">Long-term RMS (linear), finite and not negative.</param>
    /// <param name="seed">Seed; the same seed gives the same samples.</param>
    /// <param name="lengthFrames">Length in frames, or null for endless.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range.</exception>
    public static SignalGenerator PinkNoise(AudioFormat format, double rmsLevel, long seed, long? lengthFrames = null)
    {
        CheckLevel(rmsLevel, nameof(rmsLevel));

        // Output power of the filter for white input of unit variance: the energy of its impulse response.
        // The uniform input in [-1, 1) has variance 1/3.
        var energy = 0.0;
        for (var m = 0; m < 60_000; m++)
        {
            var h = m == 0 ? PinkDirectGain : m == 1 ? PinkDelayedGain : 0.0;
            for (var k = 0; k < PinkPoles.Length; k++)
            {
                h += PinkGains[k] * Math.Pow(PinkPoles[k], m);
            }

            energy += h * h;
        }

        var scale = rmsLevel / Math.Sqrt(energy / 3.0);
        return new SignalGenerator(format, Kind.Pink, scale, 0, seed, lengthFrames);
    }

    /// <inheritdoc />
    public AudioFormat Format { get; }

    /// <summary>Length in frames, or null when endless.</summary>
    public long? LengthFrames { get; }

    /// <summary>Frames produced so far.</summary>
    public long FramePosition { get; private set; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The buffer length is not a multiple of the channel count.</exception>
    public int Read(Span<float> buffer)
    {
        if (buffer.Length % channels != 0)
        {
            throw new ArgumentException($"Buffer length {buffer.Length} is not a multiple of {channels} channels.", nameof(buffer));
        }

        var frames = buffer.Length / channels;
        if (LengthFrames is { } length)
        {
            frames = (int)Math.Min(frames, length - FramePosition);
        }

        var output = buffer[..(frames * channels)];
        switch (kind)
        {
            case Kind.Sine:
                FillSine(output);
                break;
            case Kind.White:
                FillWhite(output);
                break;
            default:
                FillPink(output);
                break;
        }

        FramePosition += frames;
        return output.Length;
    }

    private static void CheckLevel(double value, string name)
    {
        if (!(value >= 0 && double.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, "Level must be finite and not negative.");
        }
    }

    private void FillSine(Span<float> output)
    {
        for (var i = 0; i < output.Length; i += channels)
        {
            output.Slice(i, channels).Fill((float)(amplitude * Math.Sin(phaseRadians)));
            phaseRadians += phaseIncrementRadians;
            if (phaseRadians >= 2 * Math.PI)
            {
                phaseRadians -= 2 * Math.PI;
            }
        }
    }

    private void FillWhite(Span<float> output)
    {
        var scale = (float)amplitude;
        for (var c = 0; c < channels; c++)
        {
            ref var random = ref randoms[c];
            for (var i = c; i < output.Length; i += channels)
            {
                output[i] = scale * ((2f * random.NextSingle()) - 1f);
            }
        }
    }

    private void FillPink(Span<float> output)
    {
        for (var c = 0; c < channels; c++)
        {
            ref var random = ref randoms[c];
            var s = pinkState.AsSpan(c * PinkStatePerChannel, PinkStatePerChannel);
            for (var i = c; i < output.Length; i += channels)
            {
                double white = (2f * random.NextSingle()) - 1f;
                var pink = s[6] + (white * PinkDirectGain);
                for (var k = 0; k < 6; k++)
                {
                    s[k] = (PinkPoles[k] * s[k]) + (white * PinkGains[k]);
                    pink += s[k];
                }

                s[6] = white * PinkDelayedGain;
                output[i] = (float)(amplitude * pink);
            }
        }
    }
}
