namespace SpatialAudio.Filters.Wav;

/// <summary>Speaker positions of WAVE_FORMAT_EXTENSIBLE's <c>dwChannelMask</c> (Microsoft's SPEAKER_* bits).</summary>
/// <remarks>
/// Channels map to the set bits in increasing bit order; channels beyond the set bits have no position.
/// <see cref="None"/> (0) means no channel is assigned a position, the honest choice for driver feeds and FIRs.
/// </remarks>
[Flags]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1028:Enum storage should be Int32",
    Justification = "Mirrors the unsigned 32-bit dwChannelMask field of the file format.")]
public enum WavChannelMask : uint
{
    /// <summary>No speaker positions assigned.</summary>
    None = 0,

    /// <summary>SPEAKER_FRONT_LEFT.</summary>
    FrontLeft = 0x1,

    /// <summary>SPEAKER_FRONT_RIGHT.</summary>
    FrontRight = 0x2,

    /// <summary>SPEAKER_FRONT_CENTER.</summary>
    FrontCenter = 0x4,

    /// <summary>SPEAKER_LOW_FREQUENCY.</summary>
    LowFrequency = 0x8,

    /// <summary>SPEAKER_BACK_LEFT.</summary>
    BackLeft = 0x10,

    /// <summary>SPEAKER_BACK_RIGHT.</summary>
    BackRight = 0x20,

    /// <summary>SPEAKER_FRONT_LEFT_OF_CENTER.</summary>
    FrontLeftOfCenter = 0x40,

    /// <summary>SPEAKER_FRONT_RIGHT_OF_CENTER.</summary>
    FrontRightOfCenter = 0x80,

    /// <summary>SPEAKER_BACK_CENTER.</summary>
    BackCenter = 0x100,

    /// <summary>SPEAKER_SIDE_LEFT.</summary>
    SideLeft = 0x200,

    /// <summary>SPEAKER_SIDE_RIGHT.</summary>
    SideRight = 0x400,

    /// <summary>SPEAKER_TOP_CENTER.</summary>
    TopCenter = 0x800,

    /// <summary>SPEAKER_TOP_FRONT_LEFT.</summary>
    TopFrontLeft = 0x1000,

    /// <summary>SPEAKER_TOP_FRONT_CENTER.</summary>
    TopFrontCenter = 0x2000,

    /// <summary>SPEAKER_TOP_FRONT_RIGHT.</summary>
    TopFrontRight = 0x4000,

    /// <summary>SPEAKER_TOP_BACK_LEFT.</summary>
    TopBackLeft = 0x8000,

    /// <summary>SPEAKER_TOP_BACK_CENTER.</summary>
    TopBackCenter = 0x10000,

    /// <summary>SPEAKER_TOP_BACK_RIGHT.</summary>
    TopBackRight = 0x20000,

    /// <summary>Mono (KSAUDIO_SPEAKER_MONO).</summary>
    Mono = FrontCenter,

    /// <summary>Stereo (KSAUDIO_SPEAKER_STEREO).</summary>
    Stereo = FrontLeft | FrontRight,

    /// <summary>Quadraphonic (KSAUDIO_SPEAKER_QUAD).</summary>
    Quad = FrontLeft | FrontRight | BackLeft | BackRight,

    /// <summary>5.1 with back speakers (KSAUDIO_SPEAKER_5POINT1).</summary>
    Surround51 = FrontLeft | FrontRight | FrontCenter | LowFrequency | BackLeft | BackRight,

    /// <summary>7.1 surround (KSAUDIO_SPEAKER_7POINT1_SURROUND).</summary>
    Surround71 = Surround51 | SideLeft | SideRight,
}

/// <summary>Channel-mask helpers.</summary>
public static class WavChannelMasks
{
    /// <summary>The mask a writer uses when none is given.</summary>
    /// <remarks>
    /// Standard layouts for the counts that have one: 1 mono, 2 stereo, 3 L R C, 4 quad, 5 L R C BL BR, 6 5.1,
    /// 8 7.1; any other count gets <see cref="WavChannelMask.None"/> (no positions) rather than an invented layout.
    /// </remarks>
    /// <param name="channels">Channel count.</param>
    public static WavChannelMask DefaultFor(int channels) => channels switch
    {
        1 => WavChannelMask.Mono,
        2 => WavChannelMask.Stereo,
        3 => WavChannelMask.Stereo | WavChannelMask.FrontCenter,
        4 => WavChannelMask.Quad,
        5 => WavChannelMask.Quad | WavChannelMask.FrontCenter,
        6 => WavChannelMask.Surround51,
        8 => WavChannelMask.Surround71,
        _ => WavChannelMask.None,
    };

    /// <summary>Number of speaker positions set in a mask.</summary>
    /// <param name="mask">The mask.</param>
    public static int PositionCount(WavChannelMask mask) => System.Numerics.BitOperations.PopCount((uint)mask);
}
