using System.Numerics;
using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Directivity;
using SpatialAudio.Drivers.Geometry;

namespace SpatialAudio.Drivers.Paths;

/// <summary>
/// The far-field pattern of a device's drivers driven with complex weights, and its directivity index.
/// </summary>
/// <remarks>
/// <para><b>Pattern.</b> P(u, f) = Σ_k W_k(f) · D_k(u in driver k's frame, f) · e^{+i2πf (u·r_k)/c}, with u the unit
/// direction, r_k driver k's position and the phase referenced to the device origin: a driver closer to the far-field
/// observer (u·r_k &gt; 0) arrives earlier, hence the phase advance. The common far-field factor e^{-ikR}/R is left out,
/// so a single omni driver at the origin with weight 1 has P = 1 everywhere. Weights are per driver and per frequency
/// (for example the responses of the drivers' filters), time convention e^{+iωt}.</para>
/// <para><b>Directivity index.</b> DI(f) = 10 log10(|P(axis, f)|² / ⟨|P|²⟩_sphere), the mean taken over the whole sphere
/// with a product rule: Gauss-Legendre in sin(elevation) and the trapezoidal rule (uniform spacing) in azimuth. With n
/// Gauss nodes and 2n azimuths it integrates exactly every spherical harmonic up to degree 2n - 1, so it is exact for
/// an array of omni sources when n exceeds kR (R the array radius); <see cref="QuadratureOrder"/> picks
/// n = ⌈k_max (R + a)⌉ + 16, with a the largest driver radius, to cover the directivities' own angular detail.
/// The horizontal variant averages |P|² over the horizontal circle (elevation 0) instead, with the trapezoidal rule.</para>
/// <para>Design-time code: allocates, validates; immutable and thread-safe if the directivities are.</para>
/// </remarks>
public sealed class ArrayPattern
{
    private readonly DriverDescription[] drivers;
    private readonly IDirectivity[] directivities;
    private readonly Orientation[] orientations;

    /// <summary>Creates the pattern evaluator.</summary>
    /// <param name="drivers">The drivers (positions and axes), in device order.</param>
    /// <param name="directivities">One directivity per driver.</param>
    /// <param name="speedOfSoundMetersPerSecond">Speed of sound c, m/s (200..500).</param>
    /// <exception cref="ArgumentException">The lists differ in length or hold nulls.</exception>
    public ArrayPattern(IReadOnlyList<DriverDescription> drivers, IReadOnlyList<IDirectivity> directivities, double speedOfSoundMetersPerSecond)
    {
        ArgumentNullException.ThrowIfNull(drivers);
        ArgumentNullException.ThrowIfNull(directivities);
        if (drivers.Count != directivities.Count || drivers.Count == 0)
        {
            throw new ArgumentException("Give one directivity per driver, at least one driver.", nameof(directivities));
        }

        if (!(speedOfSoundMetersPerSecond >= 200.0 && speedOfSoundMetersPerSecond <= 500.0))
        {
            throw new ArgumentOutOfRangeException(nameof(speedOfSoundMetersPerSecond), speedOfSoundMetersPerSecond, "The speed of sound must be 200..500 m/s.");
        }

        this.drivers = [.. drivers];
        this.directivities = [.. directivities];
        if (Array.Exists(this.drivers, d => d is null) || Array.Exists(this.directivities, d => d is null))
        {
            throw new ArgumentException("A driver or directivity is null.", nameof(drivers));
        }

        orientations = Array.ConvertAll(this.drivers, DriverFrames.OrientationOf);
        SpeedOfSoundMetersPerSecond = speedOfSoundMetersPerSecond;
        MaxFrequencyHz = this.directivities.Min(d => d.MaxFrequencyHz);
        RadiusMeters = this.drivers.Max(d => d.PositionMeters.Length);
        LargestDriverRadiusMeters = this.drivers.Max(d => double.IsFinite(d.DiameterMeters) ? Math.Max(0.0, d.DiameterMeters / 2.0) : 0.0);
    }

    /// <summary>Number of drivers.</summary>
    public int DriverCount => drivers.Length;

    /// <summary>Speed of sound, m/s.</summary>
    public double SpeedOfSoundMetersPerSecond { get; }

    /// <summary>The highest frequency every directivity is valid for, Hz.</summary>
    public double MaxFrequencyHz { get; }

    /// <summary>Largest distance of a driver from the device origin, meters.</summary>
    public double RadiusMeters { get; }

    /// <summary>Largest driver radius (half the diameter), meters.</summary>
    public double LargestDriverRadiusMeters { get; }

    /// <summary>The pattern toward one direction at each frequency.</summary>
    /// <param name="azimuthDeg">Azimuth, device frame, degrees.</param>
    /// <param name="elevationDeg">Elevation, device frame, degrees.</param>
    /// <param name="frequenciesHz">Frequencies, Hz, each 0..<see cref="MaxFrequencyHz"/>.</param>
    /// <param name="weights">Per driver, one complex weight per frequency.</param>
    /// <param name="destination">One value per frequency.</param>
    public void Response(double azimuthDeg, double elevationDeg, ReadOnlySpan<double> frequenciesHz, IReadOnlyList<Complex[]> weights, Span<Complex> destination)
    {
        Validate(frequenciesHz, weights);
        if (destination.Length < frequenciesHz.Length)
        {
            throw new ArgumentException("The destination must hold one value per frequency.", nameof(destination));
        }

        var f = frequenciesHz.ToArray();
        Evaluate(Vector3D.FromSpherical(azimuthDeg, elevationDeg), f, weights, destination, new Complex[f.Length]);
    }

    /// <summary>The pattern over an azimuth × elevation grid.</summary>
    /// <param name="azimuthsDeg">Azimuths, device frame, degrees.</param>
    /// <param name="elevationsDeg">Elevations, device frame, degrees.</param>
    /// <param name="frequenciesHz">Frequencies, Hz, each 0..<see cref="MaxFrequencyHz"/>.</param>
    /// <param name="weights">Per driver, one complex weight per frequency.</param>
    /// <returns>The grid of responses.</returns>
    public PatternGrid Grid(IReadOnlyList<double> azimuthsDeg, IReadOnlyList<double> elevationsDeg, ReadOnlySpan<double> frequenciesHz, IReadOnlyList<Complex[]> weights)
    {
        ArgumentNullException.ThrowIfNull(azimuthsDeg);
        ArgumentNullException.ThrowIfNull(elevationsDeg);
        Validate(frequenciesHz, weights);
        var f = frequenciesHz.ToArray();
        var grid = new PatternGrid([.. azimuthsDeg], [.. elevationsDeg], f);
        var scratch = new Complex[f.Length];
        for (var e = 0; e < elevationsDeg.Count; e++)
        {
            for (var a = 0; a < azimuthsDeg.Count; a++)
            {
                Evaluate(Vector3D.FromSpherical(azimuthsDeg[a], elevationsDeg[e]), f, weights, grid.Writable(e, a), scratch);
            }
        }

        return grid;
    }

    /// <summary>Delay-and-sum weights that steer the array toward a direction: W_k = e^{-i2πf (u₀·r_k)/c} / N.</summary>
    /// <param name="azimuthDeg">Steering azimuth, device frame, degrees.</param>
    /// <param name="elevationDeg">Steering elevation, device frame, degrees.</param>
    /// <param name="frequenciesHz">Frequencies, Hz.</param>
    /// <returns>Per driver, one weight per frequency. With omni drivers P(u₀) = 1.</returns>
    public Complex[][] DelayAndSumWeights(double azimuthDeg, double elevationDeg, ReadOnlySpan<double> frequenciesHz)
    {
        var u = Vector3D.FromSpherical(azimuthDeg, elevationDeg);
        var weights = new Complex[drivers.Length][];
        for (var k = 0; k < drivers.Length; k++)
        {
            var delaySeconds = Vector3D.Dot(u, drivers[k].PositionMeters) / SpeedOfSoundMetersPerSecond;
            weights[k] = new Complex[frequenciesHz.Length];
            for (var b = 0; b < frequenciesHz.Length; b++)
            {
                weights[k][b] = Complex.FromPolarCoordinates(1.0 / drivers.Length, -2.0 * Math.PI * frequenciesHz[b] * delaySeconds);
            }
        }

        return weights;
    }

    /// <summary>The Gauss-Legendre order the directivity index uses by default up to a frequency:
    /// ⌈2πf (R + a)/c⌉ + 16.</summary>
    /// <param name="maxFrequencyHz">The highest frequency to integrate, Hz.</param>
    /// <returns>The number of Gauss nodes in sin(elevation); azimuth uses twice as many points.</returns>
    public int QuadratureOrder(double maxFrequencyHz)
    {
        var kr = 2.0 * Math.PI * Math.Max(0.0, maxFrequencyHz) * (RadiusMeters + LargestDriverRadiusMeters) / SpeedOfSoundMetersPerSecond;
        return (int)Math.Min(2048, Math.Ceiling(kr) + 16);
    }

    /// <summary>The directivity index: on-axis power over the power averaged over the sphere, dB, per frequency.</summary>
    /// <param name="frequenciesHz">Frequencies, Hz, each 0..<see cref="MaxFrequencyHz"/>.</param>
    /// <param name="weights">Per driver, one complex weight per frequency.</param>
    /// <param name="axisAzimuthDeg">Azimuth of the reference axis, device frame, degrees.</param>
    /// <param name="axisElevationDeg">Elevation of the reference axis, degrees.</param>
    /// <param name="quadratureOrder">Gauss nodes in sin(elevation), 2..2048; 0 for <see cref="QuadratureOrder"/> at the
    /// highest frequency.</param>
    /// <returns>DI per frequency, dB (-∞ where the axis is a null, NaN where the pattern vanishes everywhere).</returns>
    public double[] DirectivityIndexDb(
        ReadOnlySpan<double> frequenciesHz,
        IReadOnlyList<Complex[]> weights,
        double axisAzimuthDeg = 0.0,
        double axisElevationDeg = 0.0,
        int quadratureOrder = 0)
    {
        Validate(frequenciesHz, weights);
        var f = frequenciesHz.ToArray();
        var order = quadratureOrder == 0 ? QuadratureOrder(f.Length == 0 ? 0.0 : f.Max()) : quadratureOrder;
        if (order < 2 || order > 2048)
        {
            throw new ArgumentOutOfRangeException(nameof(quadratureOrder), quadratureOrder, "The quadrature order must be 0 (automatic) or 2..2048.");
        }

        var (nodes, nodeWeights) = GaussLegendre(order);
        var azimuths = 2 * order;
        var mean = new double[f.Length];
        var value = new Complex[f.Length];
        var scratch = new Complex[f.Length];
        for (var i = 0; i < order; i++)
        {
            var elevation = Math.Asin(nodes[i]) * 180.0 / Math.PI;
            var weight = nodeWeights[i] / 2.0 / azimuths;
            for (var j = 0; j < azimuths; j++)
            {
                Evaluate(Vector3D.FromSpherical(j * 360.0 / azimuths, elevation), f, weights, value, scratch);
                for (var b = 0; b < f.Length; b++)
                {
                    mean[b] += weight * Norm(value[b]);
                }
            }
        }

        return Ratio(axisAzimuthDeg, axisElevationDeg, f, weights, mean);
    }

    /// <summary>The diffuse-field (spherically isotropic) coherence of the drivers: Γ_pq(f) = ⟨conj(v_p) v_q⟩ over the
    /// sphere, v_k(u, f) = D_k(u, f) e^{+i2πf (u·r_k)/c}, so that the sphere-averaged power of weights W is W^H Γ W and
    /// DI(f) = 10 log10(|P(axis, f)|² / W^H Γ W).</summary>
    /// <remarks>The same quadrature as <see cref="DirectivityIndexDb"/>, each driver evaluated once per direction. For omni
    /// drivers Γ_pq = sinc(k |r_p - r_q|) (sin x / x).</remarks>
    /// <param name="frequenciesHz">Frequencies, Hz, each 0..<see cref="MaxFrequencyHz"/>.</param>
    /// <param name="quadratureOrder">Gauss nodes in sin(elevation), 2..2048; 0 for <see cref="QuadratureOrder"/> at the
    /// highest frequency.</param>
    /// <returns>Per frequency, the Hermitian driver x driver matrix.</returns>
    public Complex[][,] DiffuseFieldCoherence(ReadOnlySpan<double> frequenciesHz, int quadratureOrder = 0)
    {
        var unit = new Complex[drivers.Length][];
        for (var k = 0; k < drivers.Length; k++)
        {
            unit[k] = new Complex[frequenciesHz.Length];
            Array.Fill(unit[k], Complex.One);
        }

        Validate(frequenciesHz, unit);
        var f = frequenciesHz.ToArray();
        var order = quadratureOrder == 0 ? QuadratureOrder(f.Length == 0 ? 0.0 : f.Max()) : quadratureOrder;
        if (order < 2 || order > 2048)
        {
            throw new ArgumentOutOfRangeException(nameof(quadratureOrder), quadratureOrder, "The quadrature order must be 0 (automatic) or 2..2048.");
        }

        var n = drivers.Length;
        var (nodes, nodeWeights) = GaussLegendre(order);
        var azimuths = 2 * order;
        // One ring of directions per task; the rings' sums are added in ring order, so the result does not depend on threading.
        var rings = new Complex[order][];
        Parallel.For(0, order, i =>
        {
            var sum = new Complex[f.Length * n * n];
            var v = new Complex[n][];
            for (var k = 0; k < n; k++)
            {
                v[k] = new Complex[f.Length];
            }

            var elevation = Math.Asin(nodes[i]) * 180.0 / Math.PI;
            for (var j = 0; j < azimuths; j++)
            {
                var u = Vector3D.FromSpherical(j * 360.0 / azimuths, elevation);
                for (var k = 0; k < n; k++)
                {
                    DriverResponse(k, u, f, v[k]);
                }

                for (var b = 0; b < f.Length; b++)
                {
                    var offset = b * n * n;
                    for (var p = 0; p < n; p++)
                    {
                        var conj = Complex.Conjugate(v[p][b]);
                        for (var q = p; q < n; q++)
                        {
                            sum[offset + (p * n) + q] += conj * v[q][b];
                        }
                    }
                }
            }

            rings[i] = sum;
        });

        var result = new Complex[f.Length][,];
        for (var b = 0; b < f.Length; b++)
        {
            var g = new Complex[n, n];
            for (var i = 0; i < order; i++)
            {
                var weight = nodeWeights[i] / 2.0 / azimuths;
                for (var p = 0; p < n; p++)
                {
                    for (var q = p; q < n; q++)
                    {
                        g[p, q] += weight * rings[i][(b * n * n) + (p * n) + q];
                    }
                }
            }

            for (var p = 0; p < n; p++)
            {
                g[p, p] = new Complex(g[p, p].Real, 0);
                for (var q = p + 1; q < n; q++)
                {
                    g[q, p] = Complex.Conjugate(g[p, q]);
                }
            }

            result[b] = g;
        }

        return result;
    }

    /// <summary>The horizontal-plane directivity index: on-axis power over the power averaged over the horizontal circle
    /// (elevation 0), dB, per frequency.</summary>
    /// <param name="frequenciesHz">Frequencies, Hz, each 0..<see cref="MaxFrequencyHz"/>.</param>
    /// <param name="weights">Per driver, one complex weight per frequency.</param>
    /// <param name="axisAzimuthDeg">Azimuth of the reference axis, degrees.</param>
    /// <param name="azimuthCount">Uniform azimuths on the circle, 4..65536; 0 for 2·<see cref="QuadratureOrder"/> (at least 72).</param>
    /// <returns>Horizontal DI per frequency, dB.</returns>
    public double[] HorizontalDirectivityIndexDb(
        ReadOnlySpan<double> frequenciesHz,
        IReadOnlyList<Complex[]> weights,
        double axisAzimuthDeg = 0.0,
        int azimuthCount = 0)
    {
        Validate(frequenciesHz, weights);
        var f = frequenciesHz.ToArray();
        var count = azimuthCount == 0 ? Math.Max(72, 2 * QuadratureOrder(f.Length == 0 ? 0.0 : f.Max())) : azimuthCount;
        if (count < 4 || count > 65536)
        {
            throw new ArgumentOutOfRangeException(nameof(azimuthCount), azimuthCount, "The azimuth count must be 0 (automatic) or 4..65536.");
        }

        var mean = new double[f.Length];
        var value = new Complex[f.Length];
        var scratch = new Complex[f.Length];
        for (var j = 0; j < count; j++)
        {
            Evaluate(Vector3D.FromSpherical(j * 360.0 / count, 0.0), f, weights, value, scratch);
            for (var b = 0; b < f.Length; b++)
            {
                mean[b] += Norm(value[b]) / count;
            }
        }

        return Ratio(axisAzimuthDeg, 0.0, f, weights, mean);
    }

    /// <summary>Gauss-Legendre nodes and weights on [-1, 1] (Newton iteration on the Legendre recurrence).</summary>
    /// <param name="order">Number of nodes, at least 1.</param>
    /// <returns>Nodes in increasing order and their weights (summing to 2).</returns>
    public static (double[] Nodes, double[] Weights) GaussLegendre(int order)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        var nodes = new double[order];
        var weights = new double[order];
        for (var i = 0; i < (order + 1) / 2; i++)
        {
            var x = Math.Cos(Math.PI * (i + 0.75) / (order + 0.5));
            double derivative = 0.0;
            for (var iteration = 0; iteration < 100; iteration++)
            {
                double p0 = 1.0, p1 = x;
                for (var m = 2; m <= order; m++)
                {
                    var p2 = ((((2 * m) - 1) * x * p1) - ((m - 1) * p0)) / m;
                    p0 = p1;
                    p1 = p2;
                }

                derivative = order * ((x * p1) - p0) / ((x * x) - 1.0);
                var step = p1 / derivative;
                x -= step;
                if (Math.Abs(step) < 1e-15)
                {
                    break;
                }
            }

            var w = 2.0 / ((1.0 - (x * x)) * derivative * derivative);
            nodes[i] = -x;
            nodes[order - 1 - i] = x;
            weights[i] = w;
            weights[order - 1 - i] = w;
        }

        return (nodes, weights);
    }

    private static double Norm(Complex z) => (z.Real * z.Real) + (z.Imaginary * z.Imaginary);

    private double[] Ratio(double axisAzimuthDeg, double axisElevationDeg, double[] f, IReadOnlyList<Complex[]> weights, double[] mean)
    {
        var axis = new Complex[f.Length];
        Evaluate(Vector3D.FromSpherical(axisAzimuthDeg, axisElevationDeg), f, weights, axis, new Complex[f.Length]);
        var result = new double[f.Length];
        for (var b = 0; b < f.Length; b++)
        {
            result[b] = 10.0 * Math.Log10(Norm(axis[b]) / mean[b]);
        }

        return result;
    }

    private void Evaluate(Vector3D u, double[] frequenciesHz, IReadOnlyList<Complex[]> weights, Span<Complex> destination, Complex[] scratch)
    {
        var total = destination[..frequenciesHz.Length];
        total.Clear();
        for (var k = 0; k < drivers.Length; k++)
        {
            DriverResponse(k, u, frequenciesHz, scratch);
            var w = weights[k];
            for (var b = 0; b < frequenciesHz.Length; b++)
            {
                total[b] += w[b] * scratch[b];
            }
        }
    }

    // v_k(u, f) = D_k(u in driver k's frame, f) e^{+i2πf (u·r_k)/c}.
    private void DriverResponse(int k, Vector3D u, double[] frequenciesHz, Complex[] destination)
    {
        var (azimuth, elevation) = Orientation.Angles(orientations[k].ToLocal(u));
        directivities[k].Response(azimuth, elevation, frequenciesHz, destination);
        var advanceSeconds = Vector3D.Dot(u, drivers[k].PositionMeters) / SpeedOfSoundMetersPerSecond;
        for (var b = 0; b < frequenciesHz.Length; b++)
        {
            destination[b] *= Complex.FromPolarCoordinates(1.0, 2.0 * Math.PI * frequenciesHz[b] * advanceSeconds);
        }
    }

    private void Validate(ReadOnlySpan<double> frequenciesHz, IReadOnlyList<Complex[]> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count != drivers.Length)
        {
            throw new ArgumentException($"Give weights for each of the {drivers.Length} drivers.", nameof(weights));
        }

        foreach (var w in weights)
        {
            if (w is null || w.Length < frequenciesHz.Length)
            {
                throw new ArgumentException("Each driver needs one weight per frequency.", nameof(weights));
            }
        }

        foreach (var f in frequenciesHz)
        {
            if (!(f >= 0.0 && f <= MaxFrequencyHz) || double.IsInfinity(f))
            {
                throw new ArgumentOutOfRangeException(nameof(frequenciesHz), f, $"Frequencies must be finite and lie in 0..{MaxFrequencyHz} Hz.");
            }
        }
    }
}
