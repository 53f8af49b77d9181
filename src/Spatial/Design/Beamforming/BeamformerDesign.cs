using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using SpatialAudio.Drivers.Paths;
using CVector = MathNet.Numerics.LinearAlgebra.Vector<System.Numerics.Complex>;

namespace SpatialAudio.Spatial.Design.Beamforming;

/// <summary>How the beamformer's pattern is specified.</summary>
public enum BeamControl
{
    /// <summary>The most directive pattern whose +/-90 degree nulls (robust to driver mismatch) and +/-45 degree window meet
    /// the targets, the nulls bought where they cost least directivity (see <see cref="DirectiveBeamDesign"/>).</summary>
    Directivity,

    /// <summary>Least squares to a desired pattern over azimuth: cos(azimuth)^e in front (nulls at +/-90; e = 0.5 gives -1.5 dB at +/-45), zero behind.</summary>
    NullShape,

    /// <summary>Only the on/off-axis cancellation gain: unit response on axis, nulls at +/-90, nothing asked elsewhere.</summary>
    CancellationGain,
}

/// <summary>
/// The midrange beamformer for the center channel: driver filters whose far-field pattern is flat on axis and has nulls
/// at +/-90 degrees in the beam band, robust to driver mismatch, matrix-mixed outside the band.
/// </summary>
/// <remarks>
/// <para>Per bin: w = (A + R + L)^-1 (b + L w0), the weighted least-squares fit of the pattern a(theta)^T w to the
/// desired d(theta) over horizontal azimuths (A = sum alpha conj(a) a^T, b = sum alpha conj(a) d), with the expected
/// error of random driver mismatch as diagonal loading (R = sigma^2 diag(sum alpha |a_d|^2), sigma^2 the gain and phase
/// mismatch variance at its stated bounds: robust by construction), plus L = s diag(beta + 1/a_d^2 - 1) toward the
/// matrix-mix centre w0 (unavailable drivers pinned there). beta is the smallest value that keeps every driver within
/// the gain ceiling. Outside the beam band the result cross-fades (cos^2 over half an octave) to w0.</para>
/// <para>Patterns come from <see cref="ArrayPattern"/> (far field, phase referenced to the device origin), the same
/// normalization as <see cref="DesignContext"/>'s listener responses.</para>
/// </remarks>
public static class BeamformerDesign
{
    private static readonly double[] BetaGrid = [.. Enumerable.Range(0, 33).Select(i => Math.Pow(10, -6 + (i * 0.25)))];

    /// <summary>Azimuth step of the design points, degrees.</summary>
    public const double AzimuthStepDeg = 5.0;

    /// <summary>Designs the centre filters [driver, 1].</summary>
    /// <param name="context">The design context.</param>
    /// <param name="matrixCenter">[driver, 1] matrix-mix centre (the prior and the out-of-band result).</param>
    /// <param name="control">How the pattern is specified (null: <see cref="DesignOptions.BeamControl"/>).</param>
    public static ResponseMatrix Design(DesignContext context, ResponseMatrix matrixCenter, BeamControl? control = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(matrixCenter);
        var n = context.DriverCount;
        if (n < 2)
        {
            throw new ArgumentException($"device '{context.Acoustics.Device.Name}' has one driver: a beam needs at least two", nameof(context));
        }

        Crosstalk.CrosstalkDesign.CheckNotCoincident(context);
        var options = context.Options;
        var grid = context.Grid.FrequenciesHz;
        var how = control ?? options.BeamControl;
        if (how == BeamControl.Directivity)
        {
            return Directive(context, matrixCenter);
        }

        var f = context.EvaluableFrequencies();
        var points = DesignPoints(how, options.BeamNullWeight, options.BeamLobeExponent);
        var steering = SteeringVectors(context, points.Select(p => p.AzimuthDeg).ToArray(), f);

        var gainDb = options.MismatchGainDb;
        var phaseRad = options.MismatchPhaseDeg * Math.PI / 180;
        var sigma2 = Math.Pow(Math.Pow(10, gainDb / 20) - 1, 2) + (phaseRad * phaseRad);
        var ceiling = Math.Pow(10, options.MaxGainOverMatrixDb / 20);
        var result = new ResponseMatrix(context.Grid, n, 1);
        for (var k = 0; k < grid.Length; k++)
        {
            var blend = BandBlend(grid[k], options.BeamLowHz, options.BeamHighHz);
            var w0 = CVector.Build.Dense(n, d => matrixCenter[d, 0, k]);
            if (blend <= 0)
            {
                for (var d = 0; d < n; d++)
                {
                    result[d, 0, k] = w0[d];
                }

                continue;
            }

            var a = Matrix<Complex>.Build.Dense(n, n);
            var b = CVector.Build.Dense(n);
            var loading = new double[n];
            for (var p = 0; p < points.Length; p++)
            {
                var v = CVector.Build.Dense(n, d => steering[p][d][k]);
                var conj = v.Conjugate();
                a += points[p].Weight * conj.OuterProduct(v);
                b += points[p].Weight * points[p].Desired * conj;
                for (var d = 0; d < n; d++)
                {
                    loading[d] += points[p].Weight * sigma2 * v[d].Magnitude * v[d].Magnitude;
                }
            }

            var s = 0.0;
            for (var d = 0; d < n; d++)
            {
                s += a[d, d].Real;
            }

            s = Math.Max(s / n, 1e-12);
            CVector w = w0;
            foreach (var beta in BetaGrid)
            {
                var system = a.Clone();
                var rhs = b.Clone();
                for (var d = 0; d < n; d++)
                {
                    var availability = Math.Max(context.Availability[d][k], 1e-3);
                    var lambda = s * (beta + (1 / (availability * availability)) - 1);
                    system[d, d] += loading[d] + lambda;
                    rhs[d] += lambda * w0[d];
                }

                w = system.Solve(rhs);
                if (WithinCeiling(w, w0, ceiling))
                {
                    break;
                }
            }

            for (var d = 0; d < n; d++)
            {
                result[d, 0, k] = (blend * w[d]) + ((1 - blend) * w0[d]);
            }
        }

        return result;
    }

    private static ResponseMatrix Directive(DesignContext context, ResponseMatrix matrixCenter)
    {
        var grid = context.Grid.FrequenciesHz;
        var blend = new double[grid.Length];
        for (var k = 0; k < grid.Length; k++)
        {
            blend[k] = BandBlend(grid[k], context.Options.BeamLowHz, context.Options.BeamHighHz);
        }

        var (weights, _) = DirectiveBeamDesign.Design(context, matrixCenter, blend);
        var result = new ResponseMatrix(context.Grid, context.DriverCount, 1);
        for (var k = 0; k < grid.Length; k++)
        {
            for (var d = 0; d < context.DriverCount; d++)
            {
                var w0 = matrixCenter[d, 0, k];
                result[d, 0, k] = weights[k] is { } w ? (blend[k] * w[d]) + ((1 - blend[k]) * w0) : w0;
            }
        }

        return result;
    }

    /// <summary>Far-field horizontal responses of each driver, [point][driver][bin].</summary>
    public static Complex[][][] SteeringVectors(DesignContext context, double[] azimuthsDeg, double[] frequenciesHz)
    {
        ArgumentNullException.ThrowIfNull(context);
        return SteeringVectors(context.Acoustics.Pattern, azimuthsDeg, frequenciesHz);
    }

    /// <summary>Far-field horizontal responses of each driver of <paramref name="pattern"/>, [point][driver][bin].</summary>
    public static Complex[][][] SteeringVectors(ArrayPattern pattern, double[] azimuthsDeg, double[] frequenciesHz)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(azimuthsDeg);
        var n = pattern.DriverCount;
        var result = new Complex[azimuthsDeg.Length][][];
        var unit = new Complex[n][];
        for (var d = 0; d < n; d++)
        {
            unit[d] = new Complex[frequenciesHz.Length];
        }

        for (var p = 0; p < azimuthsDeg.Length; p++)
        {
            result[p] = new Complex[n][];
            for (var d = 0; d < n; d++)
            {
                Array.Fill(unit[d], Complex.One);
                result[p][d] = new Complex[frequenciesHz.Length];
                pattern.Response(azimuthsDeg[p], 0, frequenciesHz, unit, result[p][d]);
                Array.Clear(unit[d]);
            }
        }

        return result;
    }

    private static (double AzimuthDeg, double Desired, double Weight)[] DesignPoints(BeamControl control, double nullWeight, double lobeExponent)
    {
        if (control == BeamControl.CancellationGain)
        {
            return [(0, 1, 1), (90, 0, 1), (-90, 0, 1)];
        }

        var list = new List<(double, double, double)>();
        for (var az = -180.0; az < 180.0; az += AzimuthStepDeg)
        {
            var front = Math.Abs(az) <= 90;
            var desired = front ? Math.Pow(Math.Cos(az * Math.PI / 180), lobeExponent) : 0;
            var weight = Math.Abs(az) is 0 or 90 ? nullWeight : front ? 1.0 : 0.3;
            list.Add((az, desired, weight));
        }

        return [.. list];
    }

    private static double BandBlend(double frequencyHz, double lowHz, double highHz)
    {
        if (frequencyHz <= 0)
        {
            return 0;
        }

        var outside = Math.Max(Math.Log2(lowHz / frequencyHz), Math.Log2(frequencyHz / highHz));
        if (outside <= 0)
        {
            return 1;
        }

        if (outside >= 0.5)
        {
            return 0;
        }

        var c = Math.Cos(Math.PI * outside);
        return c * c;
    }

    private static bool WithinCeiling(CVector w, CVector w0, double ceiling)
    {
        var reference = w0.Enumerate().Max(v => v.Magnitude);
        return w.Enumerate().Max(v => v.Magnitude) <= ceiling * Math.Max(reference, 1e-6);
    }
}
