using System.Numerics;
using SpatialAudio.Drivers.Geometry;

namespace SpatialAudio.Drivers.Heads;

/// <summary>
/// The rigid-sphere head: the exact series solution for a point source (or a plane wave) scattered by a rigid sphere,
/// observed at two points on its surface (Duda and Martens 1998, "Range dependence of the response of a spherical head
/// model", JASA 104(5)).
/// </summary>
/// <remarks>
/// <para><b>The series.</b> For a source at distance r from the center of a sphere of radius a, with mu = 2 pi f a / c,
/// rho = r / a and theta the angle between the source direction and the ear,
/// H = -(rho / mu) e^{+i mu rho} sum_m (2m+1) P_m(cos theta) h_m(mu rho) / h_m'(mu), where h_m is the outgoing spherical
/// Hankel function of our e^{+i omega t} convention (h_m = j_m - i y_m, the second kind). The paper writes the complex
/// conjugate (e^{-i mu rho}) because it uses the opposite time convention; the magnitudes are identical. The plane-wave
/// limit (rho -> infinity) is H = (1 / (i mu)) e^{+i mu} sum_m (2m+1) P_m(cos theta) / (Q_{m-1} + (m+1) Q_m / (i mu)).</para>
/// <para><b>Evaluation.</b> As in the paper, the Hankel functions are carried as their polynomial parts Q_m(z),
/// h_m(x) = i^{m+1} e^{-i x} Q_m(1/(i x)) / x, which obey Q_{m+1} = Q_{m-1} + (2m+1) z Q_m; here only the ratios
/// Q_{m-1}/Q_m are propagated, so nothing overflows at low frequencies or for many terms. Legendre polynomials use
/// Bonnet's recursion. The sum stops when two successive terms are below <see cref="ConvergenceThreshold"/> times the
/// partial sum (the paper's criterion) and the order exceeds mu (below it terms do not decay yet), or at
/// <see cref="MaxTerms"/> (reached only for sources within about 1% of the surface).</para>
/// <para><b>DC.</b> At f = 0 the plane-wave response is exactly 1 (the head is transparent). A source at finite range
/// keeps a near-field gain at DC, sum_m (2m+1)/(m+1) rho^{-m} P_m(cos theta), which is the limit of the series.</para>
/// <para>The series is exact at every frequency; <see cref="MaxFrequencyHz"/> (24 kHz) only bounds the band a real head
/// is usefully modeled over and the cost (about mu + 20 terms, 60 at 24 kHz).</para>
/// </remarks>
public sealed class SphericalHeadModel : IHeadModel
{
    /// <summary>Default head radius, 8.75 cm (Brown and Duda's average adult head).</summary>
    public const double DefaultRadiusMeters = 0.0875;

    /// <summary>Default speed of sound, 343 m/s (dry air, 20 degrees C).</summary>
    public const double DefaultSpeedOfSoundMetersPerSecond = 343.0;

    /// <summary>The series stops when two successive terms are smaller than this times the partial sum.</summary>
    public const double ConvergenceThreshold = 1e-12;

    /// <summary>Safety bound on the number of series terms.</summary>
    public const int MaxTerms = 100_000;

    /// <summary>Creates a sphere.</summary>
    /// <param name="radiusMeters">Sphere radius a, meters (0.03..0.3).</param>
    /// <param name="speedOfSoundMetersPerSecond">Speed of sound c, m/s (300..400).</param>
    /// <param name="leftEarAzimuthDeg">Left ear azimuth, degrees (90 = on the interaural axis; Brown and Duda use 100, slightly back).</param>
    /// <param name="leftEarElevationDeg">Left ear elevation, degrees.</param>
    /// <param name="rightEarAzimuthDeg">Right ear azimuth, degrees (-90 by default).</param>
    /// <param name="rightEarElevationDeg">Right ear elevation, degrees.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of its range or not finite.</exception>
    public SphericalHeadModel(
        double radiusMeters = DefaultRadiusMeters,
        double speedOfSoundMetersPerSecond = DefaultSpeedOfSoundMetersPerSecond,
        double leftEarAzimuthDeg = 90.0,
        double leftEarElevationDeg = 0.0,
        double rightEarAzimuthDeg = -90.0,
        double rightEarElevationDeg = 0.0)
    {
        if (!(radiusMeters >= 0.03 && radiusMeters <= 0.3))
        {
            throw new ArgumentOutOfRangeException(nameof(radiusMeters), radiusMeters, "Head radius must be 0.03..0.3 m.");
        }

        if (!(speedOfSoundMetersPerSecond >= 300 && speedOfSoundMetersPerSecond <= 400))
        {
            throw new ArgumentOutOfRangeException(nameof(speedOfSoundMetersPerSecond), speedOfSoundMetersPerSecond, "Speed of sound must be 300..400 m/s.");
        }

        CheckAngle(leftEarAzimuthDeg, nameof(leftEarAzimuthDeg), 360);
        CheckAngle(leftEarElevationDeg, nameof(leftEarElevationDeg), 90);
        CheckAngle(rightEarAzimuthDeg, nameof(rightEarAzimuthDeg), 360);
        CheckAngle(rightEarElevationDeg, nameof(rightEarElevationDeg), 90);

        RadiusMeters = radiusMeters;
        SpeedOfSoundMetersPerSecond = speedOfSoundMetersPerSecond;
        LeftEarDirection = Vector3D.FromSpherical(leftEarAzimuthDeg, leftEarElevationDeg);
        RightEarDirection = Vector3D.FromSpherical(rightEarAzimuthDeg, rightEarElevationDeg);
    }

    /// <inheritdoc />
    public string Name => $"rigid sphere, a = {RadiusMeters * 100:0.##} cm";

    /// <inheritdoc />
    public double MaxFrequencyHz => 24_000.0;

    /// <summary>Sphere radius a, meters.</summary>
    public double RadiusMeters { get; }

    /// <summary>Speed of sound c, m/s.</summary>
    public double SpeedOfSoundMetersPerSecond { get; }

    /// <summary>Unit vector from the center to the left ear, head frame.</summary>
    public Vector3D LeftEarDirection { get; }

    /// <summary>Unit vector from the center to the right ear, head frame.</summary>
    public Vector3D RightEarDirection { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The source is not finite or not outside the sphere, or a frequency is negative or not finite.</exception>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public void Response(Ear ear, Vector3D sourceInHeadFrame, ReadOnlySpan<double> frequenciesHz, Span<Complex> destination)
    {
        var distance = sourceInHeadFrame.Length;
        if (!sourceInHeadFrame.IsFinite || !(distance > RadiusMeters))
        {
            throw new ArgumentOutOfRangeException(nameof(sourceInHeadFrame), sourceInHeadFrame, $"The source must be outside the sphere (distance > {RadiusMeters} m).");
        }

        Evaluate(CosIncidence(ear, sourceInHeadFrame), distance, frequenciesHz, destination);
    }

    /// <summary>The HRTF of one ear for a plane wave arriving from a direction (the infinitely distant source).</summary>
    /// <param name="ear">Which ear.</param>
    /// <param name="directionInHeadFrame">Direction the wave comes from (any non-zero length), head frame.</param>
    /// <param name="frequenciesHz">Frequencies, Hz, finite and non-negative.</param>
    /// <param name="destination">H at each frequency, relative to the plane wave's pressure at the head center.</param>
    /// <exception cref="ArgumentOutOfRangeException">The direction is zero or not finite, or a frequency is invalid.</exception>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public void FarFieldResponse(Ear ear, Vector3D directionInHeadFrame, ReadOnlySpan<double> frequenciesHz, Span<Complex> destination)
    {
        if (!directionInHeadFrame.IsFinite || !(directionInHeadFrame.Length > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(directionInHeadFrame), directionInHeadFrame, "The direction must be finite and non-zero.");
        }

        Evaluate(CosIncidence(ear, directionInHeadFrame), double.PositiveInfinity, frequenciesHz, destination);
    }

    /// <summary>The surface response at a given angle of incidence, independent of where the ears are.</summary>
    /// <param name="incidenceAngleDeg">Angle between the source direction and the observation point, degrees (0 = facing the source, 180 = antipode).</param>
    /// <param name="sourceDistanceMeters">Distance of the source from the center, meters, greater than the radius; <see cref="double.PositiveInfinity"/> for a plane wave.</param>
    /// <param name="frequenciesHz">Frequencies, Hz, finite and non-negative.</param>
    /// <param name="destination">H at each frequency.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public void Response(double incidenceAngleDeg, double sourceDistanceMeters, ReadOnlySpan<double> frequenciesHz, Span<Complex> destination)
    {
        if (!double.IsFinite(incidenceAngleDeg))
        {
            throw new ArgumentOutOfRangeException(nameof(incidenceAngleDeg), incidenceAngleDeg, "The angle must be finite.");
        }

        if (!(sourceDistanceMeters > RadiusMeters))
        {
            throw new ArgumentOutOfRangeException(nameof(sourceDistanceMeters), sourceDistanceMeters, $"The source must be outside the sphere (distance > {RadiusMeters} m).");
        }

        Evaluate(Math.Cos(incidenceAngleDeg * Math.PI / 180.0), sourceDistanceMeters, frequenciesHz, destination);
    }

    /// <summary>The normalized series itself: H(mu, rho, cos theta) for one frequency.</summary>
    /// <param name="mu">Normalized frequency 2 pi f a / c, finite and non-negative.</param>
    /// <param name="rho">Normalized distance r / a, greater than 1; <see cref="double.PositiveInfinity"/> for a plane wave.</param>
    /// <param name="cosTheta">Cosine of the angle between the source direction and the observation point, -1..1.</param>
    /// <returns>H, pressure on the surface over free-field pressure at the center (e^{+i omega t} convention).</returns>
    /// <remarks>Arguments are not validated here (inner loop of the public methods, which validate).</remarks>
    public static Complex Series(double mu, double rho, double cosTheta)
    {
        var x = Math.Clamp(cosTheta, -1.0, 1.0);
        var planeWave = double.IsPositiveInfinity(rho);
        if (mu == 0)
        {
            return planeWave ? Complex.One : DcNearFieldGain(rho, x);
        }

        var za = new Complex(0, -1.0 / mu);
        var zr = planeWave ? Complex.Zero : new Complex(0, -1.0 / (mu * rho));

        // m = 0: Q_{-1} = Q_0 = 1, so both ratios Q_{m-1}/Q_m are 1 and Qr_0 / Qa_0 = 1.
        var ratioA = Complex.One;
        var ratioR = Complex.One;
        var qrOverQa = Complex.One;
        var legendrePrevious = 1.0;
        var legendre = 1.0;
        var sum = Complex.Zero;
        var smallTerms = 0;
        for (var m = 0; m < MaxTerms; m++)
        {
            if (m == 1)
            {
                legendrePrevious = 1.0;
                legendre = x;
            }
            else if (m > 1)
            {
                var next = (((2 * m) - 1) * x * legendre - ((m - 1) * legendrePrevious)) / m;
                legendrePrevious = legendre;
                legendre = next;
            }

            var term = (2 * m + 1) * legendre * qrOverQa / (ratioA + ((m + 1) * za));
            sum += term;

            smallTerms = term.Magnitude <= ConvergenceThreshold * sum.Magnitude ? smallTerms + 1 : 0;
            if (smallTerms >= 2 && m > mu)
            {
                break;
            }

            // Q_{m+1} = Q_{m-1} + (2m+1) z Q_m  =>  Q_m / Q_{m+1} = 1 / (Q_{m-1}/Q_m + (2m+1) z).
            ratioA = Complex.One / (ratioA + ((2 * m + 1) * za));
            ratioR = Complex.One / (ratioR + ((2 * m + 1) * zr));
            qrOverQa *= ratioA / ratioR;
        }

        return za * Complex.FromPolarCoordinates(1.0, mu) * sum;
    }

    private static Complex DcNearFieldGain(double rho, double x)
    {
        var legendrePrevious = 1.0;
        var legendre = x;
        var power = 1.0 / rho;
        var sum = 1.0;
        for (var m = 1; m < MaxTerms; m++)
        {
            if (m > 1)
            {
                var next = (((2 * m) - 1) * x * legendre - ((m - 1) * legendrePrevious)) / m;
                legendrePrevious = legendre;
                legendre = next;
                power /= rho;
            }

            var term = (2.0 * m + 1) / (m + 1) * power * legendre;
            sum += term;
            if (Math.Abs(term) <= ConvergenceThreshold * Math.Abs(sum) && power < ConvergenceThreshold)
            {
                break;
            }
        }

        return new Complex(sum, 0);
    }

    private static void CheckAngle(double value, string name, double limit)
    {
        if (!double.IsFinite(value) || Math.Abs(value) > limit)
        {
            throw new ArgumentOutOfRangeException(name, value, $"The angle must be finite and within +/-{limit} degrees.");
        }
    }

    private double CosIncidence(Ear ear, Vector3D source)
    {
        var earDirection = ear == Ear.Left ? LeftEarDirection : RightEarDirection;
        return Vector3D.Dot(source.Normalized(), earDirection);
    }

    private void Evaluate(double cosTheta, double distanceMeters, ReadOnlySpan<double> frequenciesHz, Span<Complex> destination)
    {
        if (destination.Length != frequenciesHz.Length)
        {
            throw new ArgumentException("The destination must have one element per frequency.", nameof(destination));
        }

        var rho = distanceMeters / RadiusMeters;
        var muPerHz = 2.0 * Math.PI * RadiusMeters / SpeedOfSoundMetersPerSecond;
        for (var k = 0; k < frequenciesHz.Length; k++)
        {
            var f = frequenciesHz[k];
            if (!(f >= 0) || !double.IsFinite(f))
            {
                throw new ArgumentOutOfRangeException(nameof(frequenciesHz), f, "Frequencies must be finite and non-negative.");
            }

            destination[k] = Series(muPerHz * f, rho, cosTheta);
        }
    }
}
