namespace SpatialAudio.Spatial.Sensing.FrontEnd;

/// <summary>
/// A recursive-least-squares canceller of the music-induced sidebands, driven by the low-passed playback u and its square
/// v, for every microphone at once. Two algorithms compute the same least-squares filter: <see cref="DistortionCanceller"/>
/// (inverse QR, O(L^2) per sample) and <see cref="LatticeDistortionCanceller"/> (least-squares lattice, O(L)).
/// </summary>
public interface IDistortionCanceller
{
    /// <summary>Microphones processed together.</summary>
    int Channels { get; }

    /// <summary>FIR length per regressor, samples.</summary>
    int Taps { get; }

    /// <summary>Whether the output guard is on (<see cref="PredictionGuard"/>).</summary>
    bool Guarded { get; }

    /// <summary>Whether the filter adapts (default); when false it only subtracts what it has learnt, e.g. while the probe
    /// is off (no probe, no distortion: adapting would unlearn the paths) or its static echo is still settling.</summary>
    bool Learning { get; set; }

    /// <summary>Pushes one reference sample pair and cancels the distortion in one sample of every channel (in place).</summary>
    /// <param name="music">u: low-passed playback.</param>
    /// <param name="musicSquared">v: low-passed playback squared.</param>
    /// <param name="re">Target real parts, one per channel (replaced by the a-priori error).</param>
    /// <param name="im">Target imaginary parts.</param>
    void Process(float music, float musicSquared, Span<float> re, Span<float> im);

    /// <summary>Cancels the distortion in <paramref name="count"/> samples of every channel (in place): the same as
    /// <see cref="Process"/> sample by sample, learning (if <see cref="Learning"/>) from sample <paramref name="learnFrom"/> on.</summary>
    /// <param name="music">u per sample.</param>
    /// <param name="musicSquared">v per sample.</param>
    /// <param name="re">Target real parts per channel, at least <paramref name="count"/> each.</param>
    /// <param name="im">Target imaginary parts per channel.</param>
    /// <param name="count">Samples.</param>
    /// <param name="learnFrom">First sample that may adapt (the ones before only filter).</param>
    void ProcessBlock(ReadOnlySpan<float> music, ReadOnlySpan<float> musicSquared, float[][] re, float[][] im, int count, int learnFrom);

    /// <summary>Forgets the weights and the history.</summary>
    void Reset();
}

/// <summary>The arguments both distortion cancellers take, checked once.</summary>
internal static class CancellerArguments
{
    public static void Check(int channels, int taps, double forgetting, int guardSamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(guardSamples);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(taps, 1);
        if (!(forgetting is > 0.9 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(forgetting), forgetting, "forgetting factor must be in (0.9, 1]");
        }
    }
}
