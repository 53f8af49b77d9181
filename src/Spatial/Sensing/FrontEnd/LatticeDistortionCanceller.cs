namespace SpatialAudio.Spatial.Sensing.FrontEnd;

/// <summary>
/// The distortion canceller's recursive least squares in a two-channel least-squares lattice: the same exponentially
/// weighted least-squares filter as <see cref="DistortionCanceller"/> (FIR of u = LP(m) and v = LP(m^2) per microphone),
/// at O(L) cost per sample instead of O(L^2), so filters long enough for the room's later echoes (96 taps = 32 ms at
/// 3 kHz) fit the sensing CPU budget.
/// </summary>
/// <remarks>
/// <para><b>Why.</b> With loud music the distortion comes back through echoes later than 24 taps (8 ms) reach; 96 taps
/// removed most of the false alarms that leaves (docs/sensing-notebook.md, "The music canceller is too short"), but the
/// inverse-QR RLS costs 2.5 L^2 multiply-adds per sample (L = 2 x taps), 8.6 times the 24-tap cost. The regressor vector
/// is a tapped delay line of the pair (u, v), and a lattice uses that shift structure: stage m turns the order-m forward and
/// backward prediction errors of the pair into those of order m + 1 (2 x 2 reflection matrices), and the backward errors,
/// which are orthogonal across stages, drive the joint-process (regression) stage of every microphone. Exactly as in the
/// transversal RLS, the costly part depends only on the regressors and is shared by the microphones.</para>
/// <para><b>Form.</b> The a-posteriori least-squares lattice (Haykin, <i>Adaptive Filter Theory</i>, recursive LSL) for a
/// vector input, with the error powers updated in time (a sum of positive semi-definite terms, so they stay positive
/// definite) rather than by order (a difference); the conversion factors stay in (0, 1]. The powers start at
/// <c>delta I</c> (as the transversal filter's P(0) = I / delta) and leak towards 1e-12 I, so no inverse can overflow where
/// the music excites nothing. The output is the a-priori error (the a-posteriori error over the conversion factor), which
/// is what the transversal filter subtracts.</para>
/// <para><b>Memory.</b> The transversal filter stops forgetting while P's trace is at its cap, which lengthens its memory
/// where the music excites few directions (it forgot in 7..92 % of the samples with music in six validation rooms, 96 taps). A
/// lattice cannot do that: its order updates rely on the weighting depending only on a sample's age, and a forgetting
/// factor that varied with the music's energy left residuals 60..70 dB over the noise in the unit test's music. So the
/// lattice has a fixed, longer memory: 1.67 s (<see cref="DefaultForgetting"/>). On validation's rooms of 30 s with 96
/// taps (committed detector, fast start, walking 0.95), 0.67 s gave 2 / 19 false alarms (demo clip / varied songs), 1.67 s
/// 1 / 1, 4.2 s 1 / 1 but 14 / 16 events in the scenes with people away from their motions (1.67 s: 9 / 10; the inverse-QR
/// filter: 3 / 9).</para>
/// <para><b>Learning off / no music.</b> The reflection and regression coefficients stay as they are, and the lattice
/// filters with them (the same FIR as the frozen transversal weights). A non-finite quantity resets the coefficients.</para>
/// <para>Allocation-free; per baseband sample about 60 multiply-adds and 2 divisions per stage plus 8 per stage and
/// microphone.</para>
/// </remarks>
public sealed class LatticeDistortionCanceller : IDistortionCanceller
{
    private const double Delta = 1e-3;   // P(0) = I / Delta, as the transversal filter's initial P = 1e3 I
    private const double Floor = 1e-12;   // the powers' floor (see remarks)
    private const double MinConversion = 1e-12;

    private readonly int taps, channels;
    private readonly double forgetting, leak;

    // Per stage m (2 x 2 symmetric matrices as [a, b, c] = [[a, b], [b, c]]): forward power F_m(n), its inverse, backward
    // power B_m(n - 1), its inverse, cross-correlation Delta_m (full 2 x 2, row-major), the previous backward error
    // b_m(n - 1) and conversion factor gamma_m(n - 1).
    private readonly double[] forward, forwardInverse, backward, backwardInverse, cross, backwardPrevious, conversionPrevious;
    private readonly double[][] rhoRe, rhoIm;   // per channel and stage: joint-process cross-correlations (2 per stage)
    private readonly double[] errRe, errIm;
    private readonly PredictionGuard? guard;
    private int sinceMusic;

    /// <summary>Creates the canceller.</summary>
    /// <param name="channels">Microphones processed together.</param>
    /// <param name="taps">FIR length per regressor, baseband samples (the number of lattice stages).</param>
    /// <param name="forgetting">Forgetting factor (default <see cref="DefaultForgetting"/>: see remarks).</param>
    /// <param name="guardSamples">Time constant of the output guard's window, baseband samples; 0 = no guard.</param>
    public LatticeDistortionCanceller(int channels = 1, int taps = DistortionCanceller.DefaultTaps, double forgetting = DefaultForgetting, int guardSamples = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(guardSamples);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(taps, 1);
        if (!(forgetting is > 0.9 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(forgetting), forgetting, "forgetting factor must be in (0.9, 1]");
        }

        this.taps = taps;
        this.channels = channels;
        this.forgetting = forgetting;
        leak = (1 - this.forgetting) * Floor;
        forward = new double[3 * taps];
        forwardInverse = new double[3 * taps];
        backward = new double[3 * taps];
        backwardInverse = new double[3 * taps];
        cross = new double[4 * taps];
        backwardPrevious = new double[2 * taps];
        conversionPrevious = new double[taps];
        rhoRe = [.. Enumerable.Range(0, channels).Select(_ => new double[2 * taps])];
        rhoIm = [.. Enumerable.Range(0, channels).Select(_ => new double[2 * taps])];
        errRe = new double[channels];
        errIm = new double[channels];
        guard = guardSamples > 0 ? new PredictionGuard(channels, guardSamples) : null;
        Reset();
    }

    /// <summary>Default forgetting factor: a memory of 5 000 samples, 1.67 s at 3 kHz (see remarks).</summary>
    public const double DefaultForgetting = 0.9998;

    /// <inheritdoc/>
    public int Channels => channels;

    /// <inheritdoc/>
    public int Taps => taps;

    /// <inheritdoc/>
    public bool Guarded => guard is not null;

    /// <inheritdoc/>
    public bool Learning { get; set; } = true;

    /// <inheritdoc/>
    public void Process(float music, float musicSquared, Span<float> re, Span<float> im)
    {
        double f0 = float.IsFinite(music) ? music : 0f, f1 = float.IsFinite(musicSquared) ? musicSquared : 0f;
        sinceMusic = f0 != 0 || f1 != 0 ? 0 : Math.Min(sinceMusic + 1, taps);
        for (var c = 0; c < channels; c++)
        {
            errRe[c] = re[c];
            errIm[c] = im[c];
        }

        // No music in the window: nothing to learn, and forgetting would only inflate the gain.
        var conversion = Learning && sinceMusic < taps ? Adapt(f0, f1) : Filter(f0, f1);
        if (!double.IsFinite(conversion) || !AllFinite(errRe) || !AllFinite(errIm))
        {
            ResetCoefficients();
            return;   // the targets pass unchanged
        }

        for (var c = 0; c < channels; c++)
        {
            // The a-priori error is the a-posteriori error over the conversion factor (1 when nothing was learnt).
            var yRe = re[c] - (errRe[c] / conversion);
            var yIm = im[c] - (errIm[c] / conversion);
            var scale = guard?.Scale(c, re[c], im[c], yRe, yIm) ?? 1.0;
            re[c] = (float)(re[c] - (scale * yRe));
            im[c] = (float)(im[c] - (scale * yIm));
        }
    }

    /// <inheritdoc/>
    public void Reset()
    {
        ResetCoefficients();
        guard?.Reset();
        sinceMusic = taps;
    }

    // One time step of the lattice with every coefficient updated; leaves the a-posteriori errors in errRe / errIm and
    // returns the final conversion factor gamma_L(n).
    private double Adapt(double f0, double f1)
    {
        double b0 = f0, b1 = f1, gamma = 1;
        var lambda = forgetting;
        for (var m = 0; m < taps; m++)
        {
            int i3 = 3 * m, i2 = 2 * m, i4 = 4 * m;
            var gammaPrevious = conversionPrevious[m];
            var bp0 = backwardPrevious[i2];
            var bp1 = backwardPrevious[i2 + 1];

            // Forward power F_m(n) = lambda F_m(n - 1) + f f' / gamma_m(n - 1), and its inverse.
            var weight = 1 / gammaPrevious;
            var fa = (lambda * forward[i3]) + (weight * f0 * f0) + leak;
            var fb = (lambda * forward[i3 + 1]) + (weight * f0 * f1);
            var fc = (lambda * forward[i3 + 2]) + (weight * f1 * f1) + leak;
            forward[i3] = fa;
            forward[i3 + 1] = fb;
            forward[i3 + 2] = fc;
            Invert(fa, fb, fc, forwardInverse.AsSpan(i3, 3));

            // Order m + 1: Delta_m(n) = lambda Delta_m(n - 1) + b_m(n - 1) f_m(n)' / gamma_m(n - 1);
            // f_{m+1}(n) = f_m(n) - Delta' B_m(n - 1)^-1 b_m(n - 1); b_{m+1}(n) = b_m(n - 1) - Delta F_m(n)^-1 f_m(n).
            double nf0 = 0, nf1 = 0, nb0 = 0, nb1 = 0;
            if (m + 1 < taps)
            {
                var d00 = cross[i4] = (lambda * cross[i4]) + (weight * bp0 * f0);
                var d01 = cross[i4 + 1] = (lambda * cross[i4 + 1]) + (weight * bp0 * f1);
                var d10 = cross[i4 + 2] = (lambda * cross[i4 + 2]) + (weight * bp1 * f0);
                var d11 = cross[i4 + 3] = (lambda * cross[i4 + 3]) + (weight * bp1 * f1);
                (nf0, nf1, nb0, nb1) = Reflect(m, f0, f1, bp0, bp1, d00, d01, d10, d11);
            }

            // Backward power B_m(n) with b_m(n), then the joint process and gamma_{m+1}(n) = gamma - b' B_m(n)^-1 b.
            var ba = (lambda * backward[i3]) + (b0 * b0 / gamma) + leak;
            var bb = (lambda * backward[i3 + 1]) + (b0 * b1 / gamma);
            var bc = (lambda * backward[i3 + 2]) + (b1 * b1 / gamma) + leak;
            backward[i3] = ba;
            backward[i3 + 1] = bb;
            backward[i3 + 2] = bc;
            var inverse = backwardInverse.AsSpan(i3, 3);
            Invert(ba, bb, bc, inverse);
            var q0 = (inverse[0] * b0) + (inverse[1] * b1);
            var q1 = (inverse[1] * b0) + (inverse[2] * b1);
            var inverseGamma = 1 / gamma;
            for (var c = 0; c < channels; c++)
            {
                var rr = rhoRe[c];
                var ri = rhoIm[c];
                rr[i2] = (lambda * rr[i2]) + (b0 * errRe[c] * inverseGamma);
                rr[i2 + 1] = (lambda * rr[i2 + 1]) + (b1 * errRe[c] * inverseGamma);
                ri[i2] = (lambda * ri[i2]) + (b0 * errIm[c] * inverseGamma);
                ri[i2 + 1] = (lambda * ri[i2 + 1]) + (b1 * errIm[c] * inverseGamma);
                errRe[c] -= (rr[i2] * q0) + (rr[i2 + 1] * q1);
                errIm[c] -= (ri[i2] * q0) + (ri[i2 + 1] * q1);
            }

            backwardPrevious[i2] = b0;
            backwardPrevious[i2 + 1] = b1;
            conversionPrevious[m] = gamma;
            gamma = Math.Max(gamma - ((b0 * q0) + (b1 * q1)), MinConversion * gamma);
            (f0, f1, b0, b1) = (nf0, nf1, nb0, nb1);
        }

        return gamma;
    }

    // One time step with the coefficients as they are (a fixed lattice filter); returns 1 (a-priori = a-posteriori).
    private double Filter(double f0, double f1)
    {
        double b0 = f0, b1 = f1;
        for (var m = 0; m < taps; m++)
        {
            int i3 = 3 * m, i2 = 2 * m, i4 = 4 * m;
            var bp0 = backwardPrevious[i2];
            var bp1 = backwardPrevious[i2 + 1];
            double nf0 = 0, nf1 = 0, nb0 = 0, nb1 = 0;
            if (m + 1 < taps)
            {
                (nf0, nf1, nb0, nb1) = Reflect(m, f0, f1, bp0, bp1, cross[i4], cross[i4 + 1], cross[i4 + 2], cross[i4 + 3]);
            }

            var inverse = backwardInverse.AsSpan(i3, 3);
            var q0 = (inverse[0] * b0) + (inverse[1] * b1);
            var q1 = (inverse[1] * b0) + (inverse[2] * b1);
            for (var c = 0; c < channels; c++)
            {
                var rr = rhoRe[c];
                var ri = rhoIm[c];
                errRe[c] -= (rr[i2] * q0) + (rr[i2 + 1] * q1);
                errIm[c] -= (ri[i2] * q0) + (ri[i2 + 1] * q1);
            }

            backwardPrevious[i2] = b0;
            backwardPrevious[i2 + 1] = b1;
            (f0, f1, b0, b1) = (nf0, nf1, nb0, nb1);
        }

        return 1;
    }

    // The order-(m + 1) errors from stage m's cross-correlation d (row-major [[d00, d01], [d10, d11]]), B_m(n - 1)^-1 and
    // F_m(n)^-1 (as stored when this is called).
    private (double F0, double F1, double B0, double B1) Reflect(int m, double f0, double f1, double bp0, double bp1,
        double d00, double d01, double d10, double d11)
    {
        var bi = backwardInverse.AsSpan(3 * m, 3);
        var fi = forwardInverse.AsSpan(3 * m, 3);
        var kb0 = (bi[0] * bp0) + (bi[1] * bp1);   // B^-1 b(n - 1)
        var kb1 = (bi[1] * bp0) + (bi[2] * bp1);
        var kf0 = (fi[0] * f0) + (fi[1] * f1);     // F^-1 f(n)
        var kf1 = (fi[1] * f0) + (fi[2] * f1);
        return (f0 - ((d00 * kb0) + (d10 * kb1)), f1 - ((d01 * kb0) + (d11 * kb1)),
                bp0 - ((d00 * kf0) + (d01 * kf1)), bp1 - ((d10 * kf0) + (d11 * kf1)));
    }

    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (var value in values)
        {
            if (!double.IsFinite(value))
            {
                return false;
            }
        }

        return true;
    }

    private static void Invert(double a, double b, double c, Span<double> inverse)
    {
        var determinant = (a * c) - (b * b);
        inverse[0] = c / determinant;
        inverse[1] = -b / determinant;
        inverse[2] = a / determinant;
    }

    private void ResetCoefficients()
    {
        for (var m = 0; m < taps; m++)
        {
            forward[3 * m] = forward[(3 * m) + 2] = backward[3 * m] = backward[(3 * m) + 2] = Delta;
            forward[(3 * m) + 1] = backward[(3 * m) + 1] = 0;
            Invert(Delta, 0, Delta, forwardInverse.AsSpan(3 * m, 3));
            Invert(Delta, 0, Delta, backwardInverse.AsSpan(3 * m, 3));
        }

        Array.Clear(cross);
        Array.Clear(backwardPrevious);
        Array.Fill(conversionPrevious, 1.0);
        foreach (var rho in rhoRe)
        {
            Array.Clear(rho);
        }

        foreach (var rho in rhoIm)
        {
            Array.Clear(rho);
        }
    }
}
