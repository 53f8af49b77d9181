using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using SpatialAudio.Drivers.Heads;

namespace SpatialAudio.Spatial.Design.Crosstalk;

/// <summary>Per-bin diagnostics of a crosstalk-cancellation design.</summary>
/// <param name="Regularization">The regularization beta chosen per bin (relative to trace(A)/N).</param>
/// <param name="ConditionNumber">Condition number of the design pose's 2 x N ear matrix per bin (ratio of singular values).</param>
/// <param name="PredictedSeparationDb">Separation the filters give at the design pose (worse of the two inputs), dB.</param>
/// <param name="TargetDb">The target cancellation-gain curve, dB.</param>
public sealed record CrosstalkDiagnostics(double[] Regularization, double[] ConditionNumber, double[] PredictedSeparationDb, double[] TargetDb)
{
    /// <summary>The best separation any filter could give at the design pose under the gain ceiling and the
    /// wanted-ear tolerance (<see cref="SeparationBound.PerBin"/>), dB per bin; null until computed.</summary>
    public double[]? SeparationBoundDb { get; init; }
}

/// <summary>
/// Crosstalk cancellation (two drivers) and null steering (more): per bin, a regularized least-squares inversion of
/// the driver-to-ear matrix over a listening region, pulled toward the matrix preset where cancellation is not asked
/// for or not affordable.
/// </summary>
/// <remarks>
/// <para>Per bin: C = (A + L)^-1 (B T + L C0), A = sum_p w_p H_p^H H_p, B = sum_p w_p H_p^H over the region poses p
/// (design pose weight 1), T the desired ear signals (identity for <c>ctc</c>, the virtualizer for <c>spatial</c>), C0
/// the matrix preset (the prior), L = s diag(beta + (1/a_d^2 - 1)^2) with s = trace(A)/N and a_d the driver's
/// availability (crossover magnitude): an unavailable driver is pinned to the prior. beta -> 0 is the exact
/// (minimum-norm for N > 2) inverse; beta -> inf is the matrix mix.</para>
/// <para><b>Target cancellation gain.</b> beta is chosen per bin as the LARGEST value whose separation at the design pose
/// reaches the target curve (so the filters do no more than asked and do not over-fit the exact head position), subject
/// to the gain ceiling (every driver's gain at most <see cref="DesignOptions.MaxGainOverMatrixDb"/> above the matrix
/// preset's largest) and to keeping each input's own (ipsilateral) ear within +/-3 dB of its desired response, so
/// cancellation never comes from notching the wanted ear; log beta is then smoothed over 1/6 octave so the filters
/// stay short.</para>
/// </remarks>
public static class CrosstalkDesign
{
    // +/-3 dB: how far the wanted (ipsilateral) ear may move from the matrix preset's while cancelling.
    internal const double IpsilateralTolerance = 0.708;

    private static readonly double[] BetaGrid = [.. Enumerable.Range(0, 41).Select(i => Math.Pow(10, 3 - (i * 0.25)))];

    /// <summary>Target cancellation gain at <paramref name="frequencyHz"/>: the options' target inside the band, tapering
    /// (linearly in log frequency) to 0 dB one octave outside it.</summary>
    public static double TargetDb(DesignOptions options, double frequencyHz)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (frequencyHz <= 0)
        {
            return 0;
        }

        var below = Math.Log2(options.CancellationLowHz / frequencyHz);
        var above = Math.Log2(frequencyHz / options.CancellationHighHz);
        var taper = Math.Clamp(1 - Math.Max(below, above), 0, 1);
        return options.TargetCancellationDb * taper;
    }

    /// <summary>Normalized ear matrices of the region poses (design pose first) and their weights.</summary>
    public static (ResponseMatrix[] Ears, double[] Weights) RegionEars(DesignContext context, IHeadModel head)
    {
        ArgumentNullException.ThrowIfNull(context);
        var poses = context.RegionPoses();
        var ears = new ResponseMatrix[poses.Count];
        for (var p = 0; p < poses.Count; p++)
        {
            ears[p] = context.EarMatrix(poses[p].Pose, head);
            if (context.Options.RelativeTransferFunctions)
            {
                ToRelative(ears[p]);
            }
        }

        return (ears, [.. poses.Select(p => p.Weight)]);
    }

    /// <summary>
    /// Designs the canceller for desired ear signals <paramref name="desiredEars"/> [ear, input] (null: identity) with
    /// prior <paramref name="prior"/> [driver, input] (the matrix preset's L', R' columns).
    /// </summary>
    /// <param name="context">The design context.</param>
    /// <param name="ears">Region ear matrices from <see cref="RegionEars"/>.</param>
    /// <param name="weights">Their weights.</param>
    /// <param name="prior">[driver, 2] prior (matrix preset).</param>
    /// <param name="desiredEars">[2, 2] desired ear signals per input, or null for identity.</param>
    /// <param name="fixedRegularization">Reuse these per-bin betas (e.g. the ctc design's for the spatial preset); null to choose.</param>
    /// <returns>[driver, 2] filters and the diagnostics.</returns>
    public static (ResponseMatrix Filters, CrosstalkDiagnostics Diagnostics) Design(
        DesignContext context,
        ResponseMatrix[] ears,
        double[] weights,
        ResponseMatrix prior,
        ResponseMatrix? desiredEars = null,
        double[]? fixedRegularization = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(ears);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(prior);
        var n = context.DriverCount;
        if (n < 2)
        {
            throw new ArgumentException($"device '{context.Acoustics.Device.Name}' has {n} driver: crosstalk cancellation needs at least two", nameof(context));
        }

        CheckNotCoincident(context);
        var f = context.Grid.FrequenciesHz;
        var bins = f.Length;
        var betas = new double[bins];
        var condition = new double[bins];
        var target = new double[bins];
        var result = new ResponseMatrix(context.Grid, n, 2);
        var ceiling = Math.Pow(10, context.Options.MaxGainOverMatrixDb / 20);

        var solutions = new Matrix<Complex>[bins];
        var systems = new (Matrix<Complex> A, Matrix<Complex> Bt, Matrix<Complex> C0, Matrix<Complex> H0, double[] Penalty, double S)[bins];
        for (var k = 0; k < bins; k++)
        {
            target[k] = TargetDb(context.Options, f[k]);
            systems[k] = BuildSystem(context, ears, weights, prior, desiredEars, k);
            condition[k] = Condition(systems[k].H0);
            if (fixedRegularization is not null)
            {
                betas[k] = fixedRegularization[k];
                continue;
            }

            betas[k] = ChooseBeta(systems[k], target[k], ceiling);
        }

        if (fixedRegularization is null)
        {
            SmoothLog(betas, f);
        }

        for (var k = 0; k < bins; k++)
        {
            // Smoothing (or reusing another design's betas with other desired ears) may ask for more gain than the
            // ceiling allows: raise beta until it fits.
            while (betas[k] < BetaGrid[0] && !Acceptable(systems[k], Solve(systems[k], betas[k]), ceiling))
            {
                betas[k] *= Math.Pow(10, 0.25);
            }
        }

        var predicted = new double[bins];
        for (var k = 0; k < bins; k++)
        {
            solutions[k] = Solve(systems[k], betas[k]);
            predicted[k] = Separation(systems[k].H0 * solutions[k], desiredEars is null);
            for (var d = 0; d < n; d++)
            {
                result[d, 0, k] = solutions[k][d, 0];
                result[d, 1, k] = solutions[k][d, 1];
            }
        }

        return (result, new CrosstalkDiagnostics(betas, condition, predicted, target));
    }

    /// <summary>Throws when two drivers coincide (the ear matrix then has rank 1 at every frequency).</summary>
    public static void CheckNotCoincident(DesignContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var drivers = context.Acoustics.Device.Drivers;
        var distinct = drivers.Select(d => d.PositionMeters).Distinct().Count();
        for (var a = 0; a < drivers.Count; a++)
        {
            for (var b = a + 1; b < drivers.Count; b++)
            {
                if ((drivers[a].PositionMeters - drivers[b].PositionMeters).Length < 1e-3 && distinct < 2)
                {
                    throw new ArgumentException(
                        $"drivers {drivers[a].Id} and {drivers[b].Id} coincide and no other driver is elsewhere: the ear matrix has rank 1 at every frequency, nothing can be cancelled",
                        nameof(context));
                }
            }
        }

        if (distinct < 2)
        {
            throw new ArgumentException("all drivers are at one point: the ear matrix has rank 1 at every frequency", nameof(context));
        }
    }

    private static (Matrix<Complex> A, Matrix<Complex> Bt, Matrix<Complex> C0, Matrix<Complex> H0, double[] Penalty, double S) BuildSystem(
        DesignContext context, ResponseMatrix[] ears, double[] weights, ResponseMatrix prior, ResponseMatrix? desired, int k)
    {
        var n = context.DriverCount;
        var a = Matrix<Complex>.Build.Dense(n, n);
        var b = Matrix<Complex>.Build.Dense(n, 2);
        Matrix<Complex>? h0 = null;
        for (var p = 0; p < ears.Length; p++)
        {
            var h = Matrix<Complex>.Build.Dense(2, n, (r, c) => ears[p][r, c, k]);
            h0 ??= h;
            var hh = h.ConjugateTranspose();
            a += weights[p] * (hh * h);
            b += weights[p] * hh;
        }

        var t = desired is null
            ? Matrix<Complex>.Build.DenseIdentity(2)
            : Matrix<Complex>.Build.Dense(2, 2, (r, c) => desired[r, c, k]);
        var c0 = Matrix<Complex>.Build.Dense(n, 2, (r, c) => prior[r, c, k]);
        var s = 0.0;
        for (var d = 0; d < n; d++)
        {
            s += a[d, d].Real;
        }

        s = Math.Max(s / n, 1e-12);
        var penalty = new double[n];
        for (var d = 0; d < n; d++)
        {
            // Squared, so a driver well inside its band (a = 0.99 at 500 Hz for studio5's mids) is nearly free: the plain
            // 1/a^2 - 1 = 0.017 there regularized as strongly as the ear matrix's small singular value (condition
            // number 28), and the 500 Hz band got 0.2 dB of separation.
            var availability = Math.Max(context.Availability[d][k], 1e-3);
            var excess = (1 / (availability * availability)) - 1;
            penalty[d] = excess * excess;
        }

        return (a, b * t, c0, h0!, penalty, s);
    }

    private static Matrix<Complex> Solve((Matrix<Complex> A, Matrix<Complex> Bt, Matrix<Complex> C0, Matrix<Complex> H0, double[] Penalty, double S) system, double beta)
    {
        var n = system.Penalty.Length;
        var lambda = Matrix<Complex>.Build.Dense(n, n);
        for (var d = 0; d < n; d++)
        {
            lambda[d, d] = system.S * (beta + system.Penalty[d]);
        }

        return (system.A + lambda).Solve(system.Bt + (lambda * system.C0));
    }

    private static double ChooseBeta((Matrix<Complex> A, Matrix<Complex> Bt, Matrix<Complex> C0, Matrix<Complex> H0, double[] Penalty, double S) system, double targetDb, double ceiling)
    {
        if (targetDb <= 0)
        {
            // No cancellation asked for here (far outside the band): the matrix mix, whatever its separation.
            return BetaGrid[0];
        }

        var best = BetaGrid[0];
        var bestSeparation = double.NegativeInfinity;
        foreach (var beta in BetaGrid)
        {
            var c = Solve(system, beta);
            if (!WithinCeiling(c, system.C0, ceiling))
            {
                break;
            }

            if (!IpsilateralKept(system, c))
            {
                continue;
            }

            var separation = Separation(system.H0 * c, identityTarget: true);
            if (separation >= targetDb)
            {
                return beta;
            }

            if (separation > bestSeparation)
            {
                bestSeparation = separation;
                best = beta;
            }
        }

        return best;
    }

    // A solution is acceptable when every driver stays within the gain ceiling and each input still reaches its own
    // (ipsilateral) ear within +/-3 dB: cancelling by notching the wanted ear as well is not cancellation.
    private static bool Acceptable((Matrix<Complex> A, Matrix<Complex> Bt, Matrix<Complex> C0, Matrix<Complex> H0, double[] Penalty, double S) system, Matrix<Complex> c, double ceiling) =>
        WithinCeiling(c, system.C0, ceiling) && IpsilateralKept(system, c);

    private static bool IpsilateralKept((Matrix<Complex> A, Matrix<Complex> Bt, Matrix<Complex> C0, Matrix<Complex> H0, double[] Penalty, double S) system, Matrix<Complex> c)
    {
        // The desired ipsilateral response is 1 (identity, or the virtualizer's all-pass); allow +/-3 dB around it, or
        // the matrix preset's own deviation where that is larger.
        var e = system.H0 * c;
        var reference = system.H0 * system.C0;
        for (var i = 0; i < 2; i++)
        {
            var allowed = Math.Max(-20 * Math.Log10(IpsilateralTolerance), Math.Abs(20 * Math.Log10(Math.Max(reference[i, i].Magnitude, 1e-9)))) + 0.01;
            if (Math.Abs(20 * Math.Log10(Math.Max(e[i, i].Magnitude, 1e-9))) > allowed)
            {
                return false;
            }
        }

        return true;
    }

    private static bool WithinCeiling(Matrix<Complex> c, Matrix<Complex> c0, double ceiling)
    {
        for (var i = 0; i < c.ColumnCount; i++)
        {
            var reference = 0.0;
            var largest = 0.0;
            for (var d = 0; d < c.RowCount; d++)
            {
                reference = Math.Max(reference, c0[d, i].Magnitude);
                largest = Math.Max(largest, c[d, i].Magnitude);
            }

            if (largest > ceiling * Math.Max(reference, 1e-6))
            {
                return false;
            }
        }

        return true;
    }

    // Separation of the ear result E = H C for input 0 (left ear ipsi) and input 1 (right ear ipsi), the worse of the two.
    private static double Separation(Matrix<Complex> e, bool identityTarget)
    {
        _ = identityTarget;
        var left = Db(e[0, 0]) - Db(e[1, 0]);
        var right = Db(e[1, 1]) - Db(e[0, 1]);
        return Math.Min(left, right);
    }

    private static double Db(Complex value) => 10 * Math.Log10(Math.Max(value.Magnitude * value.Magnitude, 1e-30));

    private static double Condition(Matrix<Complex> h)
    {
        var singular = h.Svd(computeVectors: false).S;
        var largest = singular.Enumerate().Max(v => v.Magnitude);
        var smallest = singular.Enumerate().Min(v => v.Magnitude);
        return smallest > 0 ? largest / smallest : double.PositiveInfinity;
    }

    private static void SmoothLog(double[] betas, ReadOnlySpan<double> f)
    {
        var logs = betas.Select(Math.Log10).ToArray();
        var half = Math.Pow(2, 1.0 / 12);
        var df = f[1] - f[0];
        for (var k = 1; k < betas.Length; k++)
        {
            var lo = Math.Max(1, (int)(f[k] / half / df));
            var hi = Math.Min(betas.Length - 1, (int)Math.Ceiling(f[k] * half / df));
            var sum = 0.0;
            for (var j = lo; j <= hi; j++)
            {
                sum += logs[j];
            }

            betas[k] = Math.Pow(10, sum / (hi - lo + 1));
        }

        betas[0] = betas[1];
    }

    private static void ToRelative(ResponseMatrix ears)
    {
        for (var e = 0; e < 2; e++)
        {
            for (var k = 0; k < ears.Grid.BinCount; k++)
            {
                var mean = Complex.Zero;
                for (var d = 0; d < ears.Columns; d++)
                {
                    mean += ears[e, d, k];
                }

                mean /= ears.Columns;
                if (mean.Magnitude < 1e-9)
                {
                    continue;
                }

                // Relative transfer functions: what is common to every driver at this ear (the head's coloration and
                // delay) is divided out, so only the differences between drivers, which cancellation relies on, remain.
                for (var d = 0; d < ears.Columns; d++)
                {
                    ears[e, d, k] /= mean;
                }
            }
        }
    }
}
