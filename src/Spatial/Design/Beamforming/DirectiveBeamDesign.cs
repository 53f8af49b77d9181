using System.Numerics;
using SpatialAudio.Spatial.Evaluation;

namespace SpatialAudio.Spatial.Design.Beamforming;

/// <summary>
/// <see cref="BeamControl.Directivity"/>: per bin, the most directive centre pattern whose +/-90 degree nulls (robust to
/// driver mismatch) and +/-45 degree listening window meet the beam targets as <see cref="BeamEvaluation"/> measures them.
/// </summary>
/// <remarks>
/// <para><b>Candidates.</b> Per bin, w(t, v) = argmin w^H (Q + t Γ + v W) w - 2 Re(w^H b_v) + (w - w0)^H Λ (w - w0) subject to
/// a0^T w = 1 (flat on axis). Q is the power toward +/-90 degrees plus its expected increase under random driver mismatch
/// (sigma^2 at the stated bounds times the drivers' power there: robust by construction); Γ the 3-D diffuse-field coherence
/// (<see cref="Drivers.Paths.ArrayPattern.DiffuseFieldCoherence"/>), so w^H Γ w is the sphere-averaged power and
/// 1/(w^H Γ w) the directivity; W and b_v fit |P| = 1 over the +/-45 degree window with the phase left free (three
/// re-fits, each taking the previous pattern's phase). Without the window term, w(t) over t &gt; 0 is exactly the set of
/// patterns that maximize DI_dB + lambda N_dB (N = robust null depth) for some lambda: the stationary point of
/// log(w^H Γ w) + lambda log(w^H Q w) under the constraint is such an MVDR solution. Λ pulls toward the matrix-mix centre
/// w0 as in <see cref="BeamControl.NullShape"/> (unavailable drivers pinned, the smallest loading within the gain ceiling).
/// Where no filter can reach the null target at all (<see cref="BeamBounds"/>: a mirror-image pair), one more candidate
/// feeds the centre from the driver nearest the centre line alone, so the window can still be met.</para>
/// <para><b>Choice.</b> Each candidate is scored with the evaluation's own quantities at that bin: null depth N (with the
/// expected mismatch of uniform draws inside the bounds), DI, and the worst window level over the evaluation's
/// azimuths. Per bin the design takes the candidate that maximizes DI_dB + lambda min(N_dB, cap) among those whose window is
/// above the floor (when none is, the score also pays <see cref="WindowDeficitPrice"/> per dB below the floor). lambda, the
/// price of a dB of null in dB of DI, is common to all bins: the smallest of a grid whose predicted mean null over the
/// evaluation's 1/3-octave bands (band power, as <see cref="BeamEvaluation"/>, with the expected power of the mismatch
/// added at +/-90 degrees) reaches the null target, else the one with the deepest prediction. Predicting with the
/// mismatch keeps a bin's 40 dB nominal null from counting for more than mismatched drivers leave of it. So the nulls are bought
/// where they cost least directivity, and the rest of the freedom goes to directivity.</para>
/// </remarks>
internal static class DirectiveBeamDesign
{
    /// <summary>Weights t of the diffuse-field term (relative to the null term).</summary>
    internal static readonly double[] DiffuseWeights = [0, .. Enumerable.Range(0, 25).Select(i => Math.Pow(10, -3 + (i * 0.25)))];

    /// <summary>Weights v of the window fit.</summary>
    internal static readonly double[] WindowWeights = [0, 0.3, 1, 3, 10];

    /// <summary>Candidate prices lambda (dB of DI per dB of null).</summary>
    internal static readonly double[] Prices = [.. Enumerable.Range(0, 36).Select(i => 0.04 * Math.Pow(1.1, i))];

    private static readonly double[] BetaGrid = [.. Enumerable.Range(0, 33).Select(i => Math.Pow(10, -6 + (i * 0.25)))];

    private const int PhaseIterations = 3;

    /// <summary>Where no candidate reaches the window floor (a long array), the score pays this many dB per dB of window
    /// below the floor.</summary>
    internal const double WindowDeficitPrice = 1.0;

    /// <summary>Window azimuths of the evaluation (0 included), degrees.</summary>
    internal static readonly double[] WindowAzimuthsDeg = [.. Enumerable.Range(-9, 19).Select(i => i * 5.0)];

    /// <summary>One candidate at one bin with its figures (linear powers relative to nothing: ratios are taken later).</summary>
    internal readonly record struct Candidate(Complex[] Weights, double AxisPower, double SidePower, double MismatchPower, double DiffusePower, double WindowRatio)
    {
        public double NullDb => 10 * Math.Log10(AxisPower / Math.Max(SidePower, 1e-30));

        public double RobustNullDb => 10 * Math.Log10(AxisPower / Math.Max(SidePower + MismatchPower, 1e-30));

        public double DirectivityDb => 10 * Math.Log10(AxisPower / Math.Max(DiffusePower, 1e-30));

        public double WindowDb => 10 * Math.Log10(Math.Max(WindowRatio, 1e-30));
    }

    /// <summary>Designs the beam weights at the bins where <paramref name="blend"/> &gt; 0 (others null).</summary>
    /// <returns>Per bin the weights (null outside the band) and the chosen price lambda.</returns>
    public static (Complex[]?[] Weights, double Price) Design(DesignContext context, ResponseMatrix matrixCenter, double[] blend)
    {
        var options = context.Options;
        var n = context.DriverCount;
        var f = context.EvaluableFrequencies();
        var bins = Enumerable.Range(0, f.Length).Where(k => blend[k] > 0).ToArray();
        var candidates = new Candidate[f.Length][];
        if (bins.Length == 0)
        {
            return (new Complex[]?[f.Length], 0);
        }

        var azimuths = new List<double> { 90, -90 };
        azimuths.AddRange(WindowAzimuthsDeg);
        var steering = BeamformerDesign.SteeringVectors(context, [.. azimuths], f);
        var gamma = Coherence(context, f, bins);

        var gainBound = Math.Pow(10, options.MismatchGainDb / 20) - 1;
        var phaseBound = options.MismatchPhaseDeg * Math.PI / 180;
        var sigma2 = (gainBound * gainBound) + (phaseBound * phaseBound);
        var ceiling = Math.Pow(10, options.MaxGainOverMatrixDb / 20);
        var single = NullTargetOutOfReach(context, bins) ? CentreMostDriver(context) : -1;
        Parallel.For(0, bins.Length, i =>
        {
            var k = bins[i];
            var w0 = new Complex[n];
            var availability = new double[n];
            for (var d = 0; d < n; d++)
            {
                w0[d] = matrixCenter[d, 0, k];
                availability[d] = Math.Max(context.Availability[d][k], 1e-3);
            }

            var h = new Complex[azimuths.Count][];
            for (var p = 0; p < azimuths.Count; p++)
            {
                h[p] = new Complex[n];
                for (var d = 0; d < n; d++)
                {
                    h[p][d] = steering[p][d][k];
                }
            }

            candidates[k] = Candidates(h, gamma[k], w0, availability, sigma2, ceiling);
            if (single >= 0 && SingleDriver(h, single, w0, availability, ceiling) is { } alone)
            {
                candidates[k] = [.. candidates[k], Measure(alone, h, 2 + Array.IndexOf(WindowAzimuthsDeg, 0.0), gamma[k], sigma2 / 3)];
            }
        });

        var bands = Bands.ThirdOctaveCenters(BeamEvaluation.LowHz, BeamEvaluation.HighHz)
            .Select(c => Bands.Edges(c))
            .Select(e => bins.Where(k => context.Grid.FrequenciesHz[k] >= e.Low && context.Grid.FrequenciesHz[k] < e.High).ToArray())
            .Where(b => b.Length > 0)
            .ToArray();
        var floorDb = options.BeamWindowFloorDb;
        var cap = options.BeamNullCapDb;
        var chosenPrice = Prices[^1];
        var best = double.NegativeInfinity;
        foreach (var price in Prices)
        {
            var predicted = bands.Average(band =>
            {
                double axis = 0, side = 0;
                foreach (var k in band)
                {
                    var c = Choose(candidates[k], price, floorDb, cap);
                    axis += c.AxisPower;
                    side += c.SidePower + c.MismatchPower;
                }

                return 10 * Math.Log10(axis / Math.Max(side, 1e-30));
            });
            if (predicted >= options.BeamNullTargetDb)
            {
                chosenPrice = price;
                break;
            }

            if (predicted > best)
            {
                best = predicted;
                chosenPrice = price;
            }
        }

        var result = new Complex[]?[f.Length];
        foreach (var k in bins)
        {
            result[k] = Choose(candidates[k], chosenPrice, floorDb, cap).Weights;
        }

        return (result, chosenPrice);
    }

    /// <summary>The candidate a bin contributes at price <paramref name="price"/>.</summary>
    internal static Candidate Choose(Candidate[] candidates, double price, double windowFloorDb, double nullCapDb)
    {
        var bestIndex = -1;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < candidates.Length; i++)
        {
            var c = candidates[i];
            if (c.WindowDb < windowFloorDb)
            {
                continue;
            }

            var score = c.DirectivityDb + (price * Math.Min(c.RobustNullDb, nullCapDb));
            if (score > bestScore)
            {
                bestScore = score;
                bestIndex = i;
            }
        }

        if (bestIndex >= 0)
        {
            return candidates[bestIndex];
        }

        for (var i = 0; i < candidates.Length; i++)
        {
            var c = candidates[i];
            var score = c.DirectivityDb + (price * Math.Min(c.RobustNullDb, nullCapDb)) - (WindowDeficitPrice * (windowFloorDb - c.WindowDb));
            if (score > bestScore)
            {
                bestScore = score;
                bestIndex = i;
            }
        }

        return candidates[bestIndex];
    }

    /// <summary>
    /// Whether no centre filter with a flat on-axis response can reach the null target on this device
    /// (<see cref="BeamBounds.NullDepthDb"/>: the pair's mirror-image drivers). Then nulls and directivity are settled
    /// by physics, and the listening window is the beam target still within reach: the design may also feed the centre
    /// from one driver alone, whose pattern has no interference notch inside +/-45 degrees.
    /// </summary>
    private static bool NullTargetOutOfReach(DesignContext context, int[] bins)
    {
        var centers = Bands.ThirdOctaveCenters(BeamEvaluation.LowHz, BeamEvaluation.HighHz);
        var bounds = BeamBounds.NullDepthDb(context.Acoustics.Pattern, context.Grid.FrequenciesHz, centers).Where(v => !double.IsNaN(v)).ToArray();
        return bins.Length > 0 && bounds.Length > 0 && bounds.Average() < context.Options.BeamNullTargetDb;
    }

    // The driver nearest the device's centre line (smallest |y|), first in device order on a tie: one fixed driver, so
    // the single-driver centre never hops from side to side between bins.
    private static int CentreMostDriver(DesignContext context)
    {
        var drivers = context.Acoustics.Device.Drivers;
        var best = -1;
        for (var d = 0; d < drivers.Count; d++)
        {
            if (drivers[d].Role == Drivers.Devices.DriverRole.Woofer)
            {
                continue;
            }

            if (best < 0 || Math.Abs(drivers[d].PositionMeters.Y) < Math.Abs(drivers[best].PositionMeters.Y) - 1e-9)
            {
                best = d;
            }
        }

        return best;
    }

    // The centre through driver `driver` alone, flat on axis; drivers outside their band keep the matrix mix. Null when
    // the driver is unavailable here or would exceed the gain ceiling.
    private static Complex[]? SingleDriver(Complex[][] h, int driver, Complex[] w0, double[] availability, double ceiling)
    {
        if (availability[driver] < 0.5)
        {
            return null;
        }

        var axis = h[2 + Array.IndexOf(WindowAzimuthsDeg, 0.0)];
        var w = new Complex[w0.Length];
        var rest = Complex.One;
        for (var d = 0; d < w0.Length; d++)
        {
            if (d != driver && availability[d] < 0.5)
            {
                w[d] = w0[d];
                rest -= axis[d] * w0[d];
            }
        }

        if (axis[driver].Magnitude < 1e-9)
        {
            return null;
        }

        w[driver] = rest / axis[driver];
        var reference = Math.Max(w0.Max(z => z.Magnitude), 1e-6);
        return w[driver].Magnitude <= ceiling * reference ? w : null;
    }

    // h: [point][driver], points +90, -90, then the window azimuths (0 among them).
    private static Candidate[] Candidates(Complex[][] h, Complex[,] gamma, Complex[] w0, double[] availability, double sigma2, double ceiling)
    {
        var n = w0.Length;
        var axisPoint = 2 + Array.IndexOf(WindowAzimuthsDeg, 0.0);
        var axis = h[axisPoint];
        var nulls = new Complex[n, n];
        var window = new Complex[n, n];
        var windowPoints = 0;
        for (var p = 0; p < h.Length; p++)
        {
            if (p < 2)
            {
                AddOuter(nulls, h[p], 0.5);
                for (var d = 0; d < n; d++)
                {
                    nulls[d, d] += 0.5 * sigma2 * Norm(h[p][d]);
                }
            }
            else if (p != axisPoint)
            {
                AddOuter(window, h[p], 1);
                windowPoints++;
            }
        }

        var list = new List<Candidate>(DiffuseWeights.Length * WindowWeights.Length);
        var m = new Complex[n, n];
        var linear = new Complex[n];
        foreach (var t in DiffuseWeights)
        {
            foreach (var v in WindowWeights)
            {
                Complex[]? w = null;
                for (var iteration = 0; iteration < (v > 0 ? PhaseIterations : 1); iteration++)
                {
                    Array.Clear(linear);
                    for (var p = 0; p < n; p++)
                    {
                        for (var q = 0; q < n; q++)
                        {
                            m[p, q] = nulls[p, q] + (t * gamma[p, q]) + (v / windowPoints * window[p, q]);
                        }
                    }

                    if (v > 0)
                    {
                        for (var p = 2; p < h.Length; p++)
                        {
                            if (p == axisPoint)
                            {
                                continue;
                            }

                            var target = Complex.One;
                            if (w is not null)
                            {
                                var value = Dot(h[p], w);
                                target = value.Magnitude > 1e-12 ? value / value.Magnitude : Complex.One;
                            }

                            for (var d = 0; d < n; d++)
                            {
                                linear[d] += v / windowPoints * target * Complex.Conjugate(h[p][d]);
                            }
                        }
                    }

                    w = Solve(m, linear, axis, w0, availability, ceiling);
                }

                list.Add(Measure(w!, h, axisPoint, gamma, sigma2 / 3));
            }
        }

        return [.. list];
    }

    // min w^H M w - 2 Re(w^H b) + (w - w0)^H Λ (w - w0) s.t. a^T w = 1, with the smallest loading beta in Λ that keeps every
    // driver within the gain ceiling over the matrix mix.
    private static Complex[] Solve(Complex[,] m, Complex[] b, Complex[] axis, Complex[] w0, double[] availability, double ceiling)
    {
        var n = w0.Length;
        var s = 0.0;
        for (var d = 0; d < n; d++)
        {
            s += m[d, d].Real;
        }

        s = Math.Max(s / n, 1e-12);
        var reference = Math.Max(w0.Max(z => z.Magnitude), 1e-6);
        var system = new Complex[n, n];
        var rhs = new Complex[n, 2];
        Complex[] w = w0;
        foreach (var beta in BetaGrid)
        {
            for (var p = 0; p < n; p++)
            {
                for (var q = 0; q < n; q++)
                {
                    system[p, q] = m[p, q];
                }

                var lambda = s * (beta + (1 / (availability[p] * availability[p])) - 1);
                system[p, p] += lambda;
                rhs[p, 0] = b[p] + (lambda * w0[p]);
                rhs[p, 1] = Complex.Conjugate(axis[p]);
            }

            SmallComplexSolver.Solve(system, rhs);
            var x = new Complex[n];
            var y = new Complex[n];
            for (var d = 0; d < n; d++)
            {
                x[d] = rhs[d, 0];
                y[d] = rhs[d, 1];
            }

            var nu = (Complex.One - Dot(axis, x)) / Dot(axis, y);
            w = new Complex[n];
            for (var d = 0; d < n; d++)
            {
                w[d] = x[d] + (nu * y[d]);
            }

            if (w.Max(z => z.Magnitude) <= ceiling * reference)
            {
                break;
            }
        }

        return w;
    }

    private static Candidate Measure(Complex[] w, Complex[][] h, int axisPoint, Complex[,] gamma, double mismatchVariance)
    {
        var n = w.Length;
        var axis = Norm(Dot(h[axisPoint], w));
        var side = 0.5 * (Norm(Dot(h[0], w)) + Norm(Dot(h[1], w)));
        var mismatch = 0.0;
        for (var d = 0; d < n; d++)
        {
            mismatch += 0.5 * mismatchVariance * (Norm(h[0][d] * w[d]) + Norm(h[1][d] * w[d]));
        }

        var diffuse = 0.0;
        for (var p = 0; p < n; p++)
        {
            for (var q = 0; q < n; q++)
            {
                diffuse += (Complex.Conjugate(w[p]) * gamma[p, q] * w[q]).Real;
            }
        }

        var window = double.PositiveInfinity;
        for (var p = 2; p < h.Length; p++)
        {
            window = Math.Min(window, Norm(Dot(h[p], w)) / Math.Max(axis, 1e-30));
        }

        return new Candidate(w, axis, side, mismatch, diffuse, window);
    }

    // Γ at the band's bins, computed per half octave with the quadrature order that half octave needs.
    private static Complex[][,] Coherence(DesignContext context, double[] f, int[] bins)
    {
        var result = new Complex[f.Length][,];
        var pattern = context.Acoustics.Pattern;
        var start = 0;
        while (start < bins.Length)
        {
            var end = start;
            while (end < bins.Length && f[bins[end]] <= Math.Max(f[bins[start]], 1.0) * Math.Sqrt(2))
            {
                end++;
            }

            var chunk = bins[start..end];
            var gamma = pattern.DiffuseFieldCoherence(chunk.Select(k => f[k]).ToArray());
            for (var i = 0; i < chunk.Length; i++)
            {
                result[chunk[i]] = gamma[i];
            }

            start = end;
        }

        return result;
    }

    private static void AddOuter(Complex[,] target, Complex[] v, double weight)
    {
        for (var p = 0; p < v.Length; p++)
        {
            for (var q = 0; q < v.Length; q++)
            {
                target[p, q] += weight * Complex.Conjugate(v[p]) * v[q];
            }
        }
    }

    private static Complex Dot(Complex[] a, Complex[] b)
    {
        var sum = Complex.Zero;
        for (var d = 0; d < a.Length; d++)
        {
            sum += a[d] * b[d];
        }

        return sum;
    }

    private static double Norm(Complex z) => (z.Real * z.Real) + (z.Imaginary * z.Imaginary);
}

/// <summary>Gaussian elimination with partial pivoting for the small dense systems of the beam design.</summary>
internal static class SmallComplexSolver
{
    /// <summary>Solves A X = B in place: <paramref name="b"/> receives X; <paramref name="a"/> is destroyed.</summary>
    public static void Solve(Complex[,] a, Complex[,] b)
    {
        var n = a.GetLength(0);
        var columns = b.GetLength(1);
        for (var c = 0; c < n; c++)
        {
            var pivot = c;
            for (var r = c + 1; r < n; r++)
            {
                if (a[r, c].Magnitude > a[pivot, c].Magnitude)
                {
                    pivot = r;
                }
            }

            if (pivot != c)
            {
                for (var j = 0; j < n; j++)
                {
                    (a[c, j], a[pivot, j]) = (a[pivot, j], a[c, j]);
                }

                for (var j = 0; j < columns; j++)
                {
                    (b[c, j], b[pivot, j]) = (b[pivot, j], b[c, j]);
                }
            }

            var inverse = 1 / a[c, c];
            for (var r = c + 1; r < n; r++)
            {
                var factor = a[r, c] * inverse;
                if (factor == Complex.Zero)
                {
                    continue;
                }

                for (var j = c; j < n; j++)
                {
                    a[r, j] -= factor * a[c, j];
                }

                for (var j = 0; j < columns; j++)
                {
                    b[r, j] -= factor * b[c, j];
                }
            }
        }

        for (var c = n - 1; c >= 0; c--)
        {
            for (var j = 0; j < columns; j++)
            {
                var sum = b[c, j];
                for (var k = c + 1; k < n; k++)
                {
                    sum -= a[c, k] * b[k, j];
                }

                b[c, j] = sum / a[c, c];
            }
        }
    }
}
