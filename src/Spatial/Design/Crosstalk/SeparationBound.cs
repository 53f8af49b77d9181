using System.Numerics;

namespace SpatialAudio.Spatial.Design.Crosstalk;

/// <summary>
/// The best channel separation ANY filter can give at one frequency under the design's two constraints: every
/// driver's gain at most a ceiling, and the wanted (ipsilateral) ear within a tolerance of its desired level. It shows
/// whether a separation target is reachable at all, independently of how the canceller is designed.
/// </summary>
/// <remarks>
/// <para>For one input with filter c (one complex gain per driver), ipsilateral row b and contralateral row a of the
/// ear matrix: maximize |b c| / |a c| subject to |c_d| &lt;= g and lo &lt;= |b c| &lt;= hi. A common phase does not
/// change either ear's level, so b c may be taken real: for each ipsilateral level t the problem
/// min |a c| s.t. b c = t, |c_d| &lt;= g is convex (a second-order cone program); the bound is the largest t / min |a c|
/// over a grid of t in [lo, hi].</para>
/// <para>The convex program is solved by ADMM (c on the affine set with the objective, w on the box, c = w), run until
/// both residuals are below 1e-10 of the scale: for a convex problem it converges to the global optimum, so the value is
/// the bound up to that tolerance (and the t grid). No package here offers a cone solver; this is written by hand.</para>
/// </remarks>
public static class SeparationBound
{
    /// <summary>Ipsilateral levels tried between the limits.</summary>
    private const int LevelSteps = 9;

    /// <summary>Best separation, dB (ipsilateral over contralateral level), or +infinity when an exact null fits.</summary>
    /// <param name="ipsilateral">Row b: wanted ear's response to each driver.</param>
    /// <param name="contralateral">Row a: other ear's response to each driver.</param>
    /// <param name="maxGain">g: largest allowed |c_d| for every driver.</param>
    /// <param name="lowLevel">Smallest allowed |b c| (e.g. desired level - 3 dB).</param>
    /// <param name="highLevel">Largest allowed |b c|.</param>
    /// <returns>The bound in dB; negative infinity when no filter reaches <paramref name="lowLevel"/> at all.</returns>
    /// <exception cref="ArgumentException">The rows differ in length or are empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not positive or the levels are reversed.</exception>
    public static double BestSeparationDb(ReadOnlySpan<Complex> ipsilateral, ReadOnlySpan<Complex> contralateral, double maxGain, double lowLevel, double highLevel)
    {
        if (ipsilateral.Length != contralateral.Length || ipsilateral.IsEmpty)
        {
            throw new ArgumentException("The two ear rows must have one value per driver.", nameof(contralateral));
        }

        if (!(maxGain > 0) || !(lowLevel > 0) || !(highLevel >= lowLevel) || !double.IsFinite(highLevel))
        {
            throw new ArgumentOutOfRangeException(nameof(maxGain), "The gain ceiling and the levels must be positive, low <= high.");
        }

        var b = ipsilateral.ToArray();
        var a = contralateral.ToArray();

        // The largest |b c| within the box is g * sum |b_d| (all drivers at the ceiling, phases aligned to b).
        var reachable = 0.0;
        foreach (var v in b)
        {
            reachable += v.Magnitude;
        }

        reachable *= maxGain;
        if (reachable < lowLevel)
        {
            return double.NegativeInfinity;
        }

        if (ExactNullFits(b, a, maxGain, lowLevel))
        {
            return double.PositiveInfinity;
        }

        var best = double.NegativeInfinity;
        var top = Math.Max(lowLevel, Math.Min(highLevel, 0.999 * reachable));
        for (var s = 0; s < LevelSteps; s++)
        {
            var t = LevelSteps == 1 ? lowLevel : lowLevel * Math.Pow(top / lowLevel, (double)s / (LevelSteps - 1));
            var contra = MinimumContralateral(b, a, maxGain, t);
            var separation = contra <= 1e-12 * t ? double.PositiveInfinity : 20 * Math.Log10(t / contra);
            best = Math.Max(best, separation);
        }

        return best;
    }

    /// <summary>
    /// The bound per bin at the design pose for the worse of the two side inputs, with every driver free (crossovers
    /// ignored: any driver may play any frequency), each driver's gain at most <paramref name="ceilingDb"/> above the
    /// matrix preset's largest at that bin, and the wanted ear within 3 dB of 1 (or of the matrix preset's own
    /// level where that deviates more, as the design allows).
    /// </summary>
    /// <param name="ears">[ear, driver] ear matrix of the design pose (design head).</param>
    /// <param name="prior">[driver, input] the matrix preset's side columns (L', R').</param>
    /// <param name="lowHz">First frequency evaluated, Hz.</param>
    /// <param name="highHz">Last frequency evaluated, Hz.</param>
    /// <param name="ceilingDb">Gain ceiling above the matrix preset, dB (issue 4: 12).</param>
    /// <returns>Bound per grid bin, dB; NaN outside [lowHz, highHz].</returns>
    public static double[] PerBin(ResponseMatrix ears, ResponseMatrix prior, double lowHz, double highHz, double ceilingDb)
    {
        ArgumentNullException.ThrowIfNull(ears);
        ArgumentNullException.ThrowIfNull(prior);
        var f = ears.Grid.FrequenciesHz;
        var n = ears.Columns;
        var result = new double[f.Length];
        var ceiling = Math.Pow(10, ceilingDb / 20);
        var ipsi = new Complex[n];
        var contra = new Complex[n];
        for (var k = 0; k < f.Length; k++)
        {
            if (f[k] < lowHz || f[k] > highHz)
            {
                result[k] = double.NaN;
                continue;
            }

            var worst = double.PositiveInfinity;
            for (var input = 0; input < 2; input++)
            {
                var reference = 0.0;
                var matrixIpsi = Complex.Zero;
                for (var d = 0; d < n; d++)
                {
                    ipsi[d] = ears[input, d, k];
                    contra[d] = ears[1 - input, d, k];
                    reference = Math.Max(reference, prior[d, input, k].Magnitude);
                    matrixIpsi += ipsi[d] * prior[d, input, k];
                }

                var allowedDb = Math.Max(-20 * Math.Log10(CrosstalkDesign.IpsilateralTolerance), Math.Abs(20 * Math.Log10(Math.Max(matrixIpsi.Magnitude, 1e-9))));
                var bound = BestSeparationDb(ipsi, contra, ceiling * Math.Max(reference, 1e-6), Math.Pow(10, -allowedDb / 20), Math.Pow(10, allowedDb / 20));
                worst = Math.Min(worst, bound);
            }

            result[k] = worst;
        }

        return result;
    }

    /// <summary>Whether the minimum-norm filter with b c = t and a c = 0 stays inside the box (a quick sufficient
    /// test for an exact null, which saves the iterative solve at most bins).</summary>
    private static bool ExactNullFits(Complex[] b, Complex[] a, double g, double t)
    {
        // c = M^H (M M^H)^-1 [t; 0] with M = [b; a] (2 x N).
        Complex bb = 0, ba = 0, aa = 0;
        for (var d = 0; d < b.Length; d++)
        {
            bb += b[d] * Complex.Conjugate(b[d]);
            ba += b[d] * Complex.Conjugate(a[d]);
            aa += a[d] * Complex.Conjugate(a[d]);
        }

        var det = (bb * aa) - (ba * Complex.Conjugate(ba));
        if (det.Magnitude <= 1e-12 * bb.Magnitude * aa.Magnitude)
        {
            return false;
        }

        // (M M^H)^-1 [t; 0] = [aa; -conj(ba)] t / det.
        var y0 = aa * t / det;
        var y1 = -Complex.Conjugate(ba) * t / det;
        for (var d = 0; d < b.Length; d++)
        {
            var c = (Complex.Conjugate(b[d]) * y0) + (Complex.Conjugate(a[d]) * y1);
            if (c.Magnitude > g)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>min |a c| subject to b c = t and |c_d| &lt;= g (ADMM); the value at the box-feasible iterate.</summary>
    internal static double MinimumContralateral(Complex[] b, Complex[] a, double g, double t)
    {
        var n = b.Length;
        var aNorm = 0.0;
        foreach (var value in a)
        {
            aNorm += value.Magnitude * value.Magnitude;
        }

        // rho on the scale of the objective's curvature keeps both sub-problems well balanced.
        var rho = Math.Max(aNorm, 1e-12);

        // M = a^H a + rho I; M^-1 x = (x - a^H (a x) / (rho + |a|^2)) / rho (Sherman-Morrison).
        void SolveM(Complex[] x, Complex[] y)
        {
            var ax = Complex.Zero;
            for (var d = 0; d < n; d++)
            {
                ax += a[d] * x[d];
            }

            for (var d = 0; d < n; d++)
            {
                y[d] = (x[d] - (Complex.Conjugate(a[d]) * ax / (rho + aNorm))) / rho;
            }
        }

        var bH = b.Select(Complex.Conjugate).ToArray();
        var mInvBH = new Complex[n];
        SolveM(bH, mInvBH);
        var bMinvBH = Complex.Zero;
        for (var d = 0; d < n; d++)
        {
            bMinvBH += b[d] * mInvBH[d];
        }

        var c = new Complex[n];
        var w = new Complex[n];
        var u = new Complex[n];
        var v = new Complex[n];
        var mInvV = new Complex[n];
        var scale = Math.Max(g * Math.Sqrt(n), 1e-30);
        for (var iteration = 0; iteration < 20000; iteration++)
        {
            // c-update: min 1/2 |a c|^2 + rho/2 |c - (w - u)|^2 subject to b c = t.
            for (var d = 0; d < n; d++)
            {
                v[d] = rho * (w[d] - u[d]);
            }

            SolveM(v, mInvV);
            var bMinvV = Complex.Zero;
            for (var d = 0; d < n; d++)
            {
                bMinvV += b[d] * mInvV[d];
            }

            var mu = (bMinvV - t) / bMinvBH;
            for (var d = 0; d < n; d++)
            {
                c[d] = mInvV[d] - (mu * mInvBH[d]);
            }

            // w-update: projection of c + u onto the box (each |w_d| <= g), then the scaled dual.
            double primal = 0, dual = 0;
            for (var d = 0; d < n; d++)
            {
                var x = c[d] + u[d];
                var next = x.Magnitude > g ? x * (g / x.Magnitude) : x;
                dual += (next - w[d]).Magnitude * (next - w[d]).Magnitude;
                w[d] = next;
                u[d] += c[d] - w[d];
                primal += (c[d] - w[d]).Magnitude * (c[d] - w[d]).Magnitude;
            }

            if (Math.Sqrt(primal) < 1e-10 * scale && Math.Sqrt(dual) < 1e-10 * scale && iteration > 10)
            {
                break;
            }
        }

        // Evaluate at w (inside the box), rescaled onto b w = t: the rescale is within 1e-10 of 1 at convergence.
        var bw = Complex.Zero;
        var aw = Complex.Zero;
        for (var d = 0; d < n; d++)
        {
            bw += b[d] * w[d];
            aw += a[d] * w[d];
        }

        return bw.Magnitude > 0 ? aw.Magnitude * t / bw.Magnitude : double.PositiveInfinity;
    }
}
