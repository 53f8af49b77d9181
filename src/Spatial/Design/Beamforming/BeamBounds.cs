using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using SpatialAudio.Drivers.Paths;
using SpatialAudio.Spatial.Evaluation;

namespace SpatialAudio.Spatial.Design.Beamforming;

/// <summary>
/// What ANY centre filter with a flat on-axis response could give on a device, per band of the beam evaluation: the
/// deepest +/-90 degree nulls and the highest directivity index. Shows whether a beam target is reachable at all (a
/// symmetric pair of drivers cannot null both sides except where their spacing is half a wavelength, and cannot be more
/// directive than when both play in phase).
/// </summary>
/// <remarks>
/// <para><b>Nulls.</b> Per bin, with steering vectors s(az) (far field, measured directivities) and P(az) = s(az)^T w: the least mean
/// power toward +/-90 degrees with the on-axis response fixed to 1 is 1 / (a^H Q^-1 a), Q = (conj(s+) s+^T +
/// conj(s-) s-^T) / 2, a = conj(s0) (the MVDR value), or zero (an exact null pair) when a reaches into Q's null space,
/// which from three drivers on it usually does. No gain ceiling and no mismatch are imposed, so the figure bounds from
/// above every design with a flat on-axis response (as the beam design keeps): a band's null depth is then the on-axis
/// band power (1) over the mean side power, and no filter has less side power at any bin.</para>
/// <para><b>Directivity.</b> Per band centre, the most directive pattern with P(axis) = 1 minimizes the sphere-averaged
/// power W^H Γ W (Γ the diffuse-field coherence, <see cref="ArrayPattern.DiffuseFieldCoherence"/>): DI = 10 log10(a^H
/// Γ^-1 a), the MVDR value for diffuse noise. Without a gain ceiling it includes superdirective gain at low
/// frequencies, which real drivers cannot afford: an upper bound, not a design.</para>
/// </remarks>
public static class BeamBounds
{
    /// <summary>Reported instead of infinity where an exact null pair exists, dB.</summary>
    public const double ExactNullDb = 99;

    /// <summary>Deepest null depth per band of <paramref name="bandCentersHz"/>, dB.</summary>
    /// <param name="pattern">The device's far-field array pattern.</param>
    /// <param name="frequenciesHz">Frequencies to evaluate (the design grid).</param>
    /// <param name="bandCentersHz">Band centres (1/3 octave).</param>
    /// <returns>One bound per band, at most <see cref="ExactNullDb"/>; NaN for a band with no frequency.</returns>
    public static double[] NullDepthDb(ArrayPattern pattern, ReadOnlySpan<double> frequenciesHz, IReadOnlyList<double> bandCentersHz)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(bandCentersHz);
        var result = new double[bandCentersHz.Count];
        var all = frequenciesHz.ToArray();
        for (var b = 0; b < bandCentersHz.Count; b++)
        {
            var (low, high) = Bands.Edges(bandCentersHz[b]);
            var f = all.Where(v => v >= low && v < high).Select(v => Math.Min(v, 0.999 * pattern.MaxFrequencyHz)).ToArray();
            if (f.Length == 0)
            {
                result[b] = double.NaN;
                continue;
            }

            var s = BeamformerDesign.SteeringVectors(pattern, [0, 90, -90], f);
            // The band's null depth with a flat on-axis response: on-axis band power 1 over the mean least side power.
            var side = 0.0;
            for (var k = 0; k < f.Length; k++)
            {
                side += Math.Pow(10, -BinBoundDb(AtBin(s[0], k), AtBin(s[1], k), AtBin(s[2], k)) / 10);
            }

            result[b] = Math.Min(ExactNullDb, -10 * Math.Log10(Math.Max(side / f.Length, 1e-30)));
        }

        return result;
    }

    /// <summary>Highest directivity index at each of <paramref name="bandCentersHz"/>, dB (at most <see cref="ExactNullDb"/>).</summary>
    /// <param name="pattern">The device's far-field array pattern.</param>
    /// <param name="bandCentersHz">Band centres, Hz (where the evaluation measures DI).</param>
    /// <returns>One bound per centre.</returns>
    public static double[] DirectivityIndexDb(ArrayPattern pattern, IReadOnlyList<double> bandCentersHz)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(bandCentersHz);
        var f = bandCentersHz.Select(v => Math.Min(v, 0.999 * pattern.MaxFrequencyHz)).ToArray();
        var gamma = pattern.DiffuseFieldCoherence(f);
        var axis = BeamformerDesign.SteeringVectors(pattern, [0], f)[0];
        var n = pattern.DriverCount;
        var result = new double[f.Length];
        for (var k = 0; k < f.Length; k++)
        {
            var g = Matrix<Complex>.Build.Dense(n, n, (i, j) => gamma[k][i, j]);
            var a = MathNet.Numerics.LinearAlgebra.Vector<Complex>.Build.Dense(n, i => Complex.Conjugate(axis[i][k]));
            var value = a.ConjugateDotProduct(g.Solve(a)).Real;
            result[k] = double.IsFinite(value) && value > 0 ? Math.Min(ExactNullDb, 10 * Math.Log10(value)) : ExactNullDb;
        }

        return result;
    }

    /// <summary>Bound at one frequency from the steering vectors on axis and at +/-90 degrees, dB.</summary>
    internal static double BinBoundDb(Complex[] axis, Complex[] left, Complex[] right)
    {
        var n = axis.Length;
        var q = Matrix<Complex>.Build.Dense(n, n, (i, j) => 0.5 * ((Complex.Conjugate(left[i]) * left[j]) + (Complex.Conjugate(right[i]) * right[j])));
        var a = MathNet.Numerics.LinearAlgebra.Vector<Complex>.Build.Dense(n, i => Complex.Conjugate(axis[i]));
        var scale = 0.0;
        for (var i = 0; i < n; i++)
        {
            scale += q[i, i].Real;
        }

        // min w^H Q w subject to a^H w = 1: zero when a reaches into Q's null space (possible from three drivers on,
        // since Q has rank 2 at most), else 1 / sum |v_i^H a|^2 / lambda_i over Q's eigenpairs.
        var evd = q.Evd(Symmetricity.Hermitian);
        var tolerance = 1e-12 * Math.Max(scale, 1e-300);
        double inNullSpace = 0, value = 0, norm = a.ConjugateDotProduct(a).Real;
        for (var i = 0; i < n; i++)
        {
            var lambda = evd.EigenValues[i].Real;
            var projection = evd.EigenVectors.Column(i).ConjugateDotProduct(a).Magnitude;
            if (lambda <= tolerance)
            {
                inNullSpace += projection * projection;
            }
            else
            {
                value += projection * projection / lambda;
            }
        }

        if (inNullSpace > 1e-12 * norm)
        {
            return ExactNullDb;
        }

        // Null depth = on-axis power (1) over the least mean side power (1 / value).
        return Math.Min(ExactNullDb, 10 * Math.Log10(Math.Max(value, 1e-30)));
    }

    // The steering vector [driver] at bin k of [driver][bin] responses.
    private static Complex[] AtBin(Complex[][] byDriver, int k) => [.. byDriver.Select(d => d[k])];
}
