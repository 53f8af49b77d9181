using System.Numerics;
using SpatialAudio.Filters.Fft;

namespace SpatialAudio.Spatial.Sensing.FrontEnd;

/// <summary>
/// The second stage of music-distortion cancellation: removes, bin by bin in the Doppler frames, what the time-domain
/// <see cref="DistortionCanceller"/> leaves of the distortion: mostly the sidebands that reach the microphones through
/// the room's later echoes, longer than its 24 taps (8 ms) cover.
/// </summary>
/// <remarks>
/// <para><b>Why.</b> The distortion reaches the microphones through the room, and at 40 kHz the room's echoes keep coming
/// for tens of milliseconds while the probe driver's coupling to the microphones inside the box is weak, so the echoes
/// carry a large share of it. Measured on a simulated room with loud music (validation seed 550257: -3 dBFS music from
/// 306 s, -14 dBFS probe), the velocity bands' mean over 290 s of music against the 15 s before it: with the 24-tap
/// filter alone 0.6..9.2 dB up; with 48 taps 0.3..4.5 dB, but the time-domain RLS costs O(taps^2) per sample (48 taps: 5
/// times the 24-tap cost, far over the sensing budget). In the frame domain each bin k is almost a product:
/// D(k) = Hu(k) U(k) + Hv(k) V(k), U and V the frame spectra of the two regressors (low-passed music and music squared).
/// Echoes longer than a fraction of the 42.7 ms frame leak into the next frame, so each bin also takes the previous
/// frame's U(k), V(k) (a two-frame convolutive transfer function): four complex weights per bin per microphone, found by
/// a 4 x 4 RLS per bin. After the 24-tap filter this stage leaves -0.8..3.4 dB in the same room, at a small fraction of
/// the 48-tap cost; with the -14 dBFS detector, that room's 17 false alarms and the 11 of another room with music
/// (seed 550198) are gone, and the 200 validation walks are found as before (190/200 against 191).</para>
/// <para><b>Only lowered.</b> A bin's output is the cancelled value only where that has less energy than the input.
/// When music starts, the time-domain filter converges within about 0.1 s, and this stage's first weights, fitted to
/// its transient, then add up to 18 dB of junk for a second: without the rule, a walk 1.4 m away that began 0.6 s after
/// the music was missed, and 179 of the 200 validation walks were found instead of 190.</para>
/// <para>The RLS gains depend only on the regressors, so they are computed once per frame for all microphones
/// (<see cref="Reference"/>), and each microphone's frame only subtracts and updates its weights (<see cref="Cancel"/>).
/// Only the bins the velocity bands read are processed. Without music a bin's regressors carry no energy and nothing is
/// learnt; while learning is off (probe asleep, echo settling) the weights are kept. P starts, and restarts when its
/// trace runs away in a bin the music hardly excites, at 1e12 I: no prior, so a bin learns from its first frames whatever
/// the regressors' scale. Forgetting 0.98 per frame: a memory of about 50 frames (1 s).</para>
/// <para>Allocation-free after construction.</para>
/// </remarks>
public sealed class SpectralDistortionCanceller
{
    /// <summary>Regressors per bin: U and V of this frame and of the previous one.</summary>
    public const int Regressors = 4;

    private const double InitialP = 1e12;
    private const double Forgetting = 0.98;
    private const int Square = Regressors * Regressors;

    private readonly int frameLength;
    private readonly int[] readBins;        // 1..highestBin either side of the carrier: the bins the bands read
    private readonly ComplexFft fft;
    private readonly float[] fftRe, fftIm;
    private readonly Complex[][] spectra;   // per frame slot: Regressors x frameLength (U, V, previous U, previous V)
    private readonly Complex[][] gains;     // per frame slot: Regressors x frameLength
    private readonly bool[] learning;       // per frame slot
    private readonly Complex[] previous;    // U and V of the last frame
    private readonly Complex[] p;           // per bin: Regressors x Regressors
    private readonly Complex[][] weights;   // per channel: Regressors x frameLength

    /// <summary>Creates the canceller.</summary>
    /// <param name="channels">Microphones.</param>
    /// <param name="frameLength">Frame length, samples (a power of two).</param>
    /// <param name="highestBin">Highest |bin| the caller reads; bins above it are left as they are.</param>
    /// <param name="slots">Frames one block can produce (each gets its own reference slot).</param>
    public SpectralDistortionCanceller(int channels, int frameLength, int highestBin, int slots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(highestBin, (frameLength / 2) - 1);
        this.frameLength = frameLength;
        readBins = [.. Enumerable.Range(1, highestBin), .. Enumerable.Range(frameLength - highestBin, highestBin)];
        fft = new ComplexFft(frameLength);
        fftRe = new float[frameLength];
        fftIm = new float[frameLength];
        spectra = [.. Enumerable.Range(0, slots).Select(_ => new Complex[Regressors * frameLength])];
        gains = [.. Enumerable.Range(0, slots).Select(_ => new Complex[Regressors * frameLength])];
        learning = new bool[slots];
        previous = new Complex[2 * frameLength];
        p = new Complex[frameLength * Square];
        weights = [.. Enumerable.Range(0, channels).Select(_ => new Complex[Regressors * frameLength])];
        Reset();
    }

    /// <summary>Takes one frame of the regressors (the same samples and window as the microphones' frame) into a slot and
    /// computes every bin's RLS gain for it.</summary>
    /// <param name="u">Low-passed music, <c>frameLength</c> samples, oldest first.</param>
    /// <param name="v">Low-passed music squared, the same.</param>
    /// <param name="window">The microphones' frame window.</param>
    /// <param name="slot">Slot of this frame in the block.</param>
    /// <param name="learn">Whether the weights may adapt on this frame.</param>
    public void Reference(ReadOnlySpan<float> u, ReadOnlySpan<float> v, ReadOnlySpan<float> window, int slot, bool learn)
    {
        var spec = spectra[slot];
        Transform(u, window, spec.AsSpan(0, frameLength));
        Transform(v, window, spec.AsSpan(frameLength, frameLength));
        previous.AsSpan(0, 2 * frameLength).CopyTo(spec.AsSpan(2 * frameLength));
        spec.AsSpan(0, 2 * frameLength).CopyTo(previous);

        learning[slot] = learn;
        var gain = gains[slot];
        Span<Complex> x = stackalloc Complex[Regressors];
        Span<Complex> px = stackalloc Complex[Regressors];
        Span<Complex> xp = stackalloc Complex[Regressors];
        foreach (var k in readBins)
        {
            var energy = 0.0;
            for (var a = 0; a < Regressors; a++)
            {
                x[a] = spec[(a * frameLength) + k];
                energy += SquaredNorm(x[a]);
                gain[(a * frameLength) + k] = 0;
            }

            if (!learn || !(energy > 1e-16))
            {
                continue;   // no music in this bin: nothing to learn, and forgetting would only inflate P
            }

            // k = P x / (lambda + x^H P x); P = (P - k x^H P) / lambda.
            var bin = p.AsSpan(k * Square, Square);
            Complex denominator = Forgetting;
            for (var a = 0; a < Regressors; a++)
            {
                px[a] = 0;
                xp[a] = 0;
                for (var b = 0; b < Regressors; b++)
                {
                    px[a] += bin[(a * Regressors) + b] * x[b];
                    xp[a] += Complex.Conjugate(x[b]) * bin[(b * Regressors) + a];
                }
            }

            for (var a = 0; a < Regressors; a++)
            {
                denominator += Complex.Conjugate(x[a]) * px[a];
            }

            var trace = 0.0;
            for (var a = 0; a < Regressors; a++)
            {
                var g = px[a] / denominator;
                gain[(a * frameLength) + k] = g;
                for (var b = 0; b < Regressors; b++)
                {
                    bin[(a * Regressors) + b] = (bin[(a * Regressors) + b] - (g * xp[b])) / Forgetting;
                }

                trace += bin[(a * Regressors) + a].Real;
            }

            if (!double.IsFinite(trace) || trace > InitialP * Regressors)
            {
                ResetBin(k);
            }
        }
    }

    /// <summary>Cancels the distortion in one microphone's frame spectrum (in place) and updates its weights.</summary>
    /// <param name="channel">Microphone.</param>
    /// <param name="slot">The slot <see cref="Reference"/> filled for this frame.</param>
    /// <param name="re">Real parts of the frame's spectrum.</param>
    /// <param name="im">Imaginary parts.</param>
    public void Cancel(int channel, int slot, Span<float> re, Span<float> im)
    {
        var spec = spectra[slot];
        var gain = gains[slot];
        var w = weights[channel];
        foreach (var k in readBins)
        {
            // y = w^H x; e = d - y; w += g e*.
            Complex y = 0;
            for (var a = 0; a < Regressors; a++)
            {
                y += Complex.Conjugate(w[(a * frameLength) + k]) * spec[(a * frameLength) + k];
            }

            var d = new Complex(re[k], im[k]);
            var e = d - y;
            if (SquaredNorm(e) < SquaredNorm(d))
            {
                re[k] = (float)e.Real;   // only ever lower a bin: weights still chasing the first stage add nothing
                im[k] = (float)e.Imaginary;
            }
            if (learning[slot] && double.IsFinite(e.Real) && double.IsFinite(e.Imaginary))
            {
                var conjugate = Complex.Conjugate(e);
                for (var a = 0; a < Regressors; a++)
                {
                    w[(a * frameLength) + k] += gain[(a * frameLength) + k] * conjugate;
                }
            }
        }
    }

    /// <summary>Forgets the weights, P and the previous frame.</summary>
    public void Reset()
    {
        foreach (var w in weights)
        {
            Array.Clear(w);
        }

        Array.Clear(previous);
        Array.Clear(learning);
        for (var k = 0; k < frameLength; k++)
        {
            ResetBin(k);
        }
    }

    // |z|^2 without Complex.Magnitude's overflow-safe hypot: slower, and these values (float spectra, squared in double)
    // are nowhere near overflow. Comparing squares decides exactly as comparing magnitudes, but for ties within rounding.
    private static double SquaredNorm(Complex z) => (z.Real * z.Real) + (z.Imaginary * z.Imaginary);

    private void ResetBin(int k)
    {
        var bin = p.AsSpan(k * Square, Square);
        bin.Clear();
        for (var a = 0; a < Regressors; a++)
        {
            bin[(a * Regressors) + a] = InitialP;
        }
    }

    private void Transform(ReadOnlySpan<float> samples, ReadOnlySpan<float> window, Span<Complex> destination)
    {
        for (var i = 0; i < frameLength; i++)
        {
            fftRe[i] = samples[i] * window[i];
            fftIm[i] = 0;
        }

        fft.Forward(fftRe, fftIm);
        for (var k = 0; k < frameLength; k++)
        {
            destination[k] = new Complex(fftRe[k], fftIm[k]);
        }
    }
}
