using System.Numerics;

namespace SpatialAudio.Drivers.Directivity;

/// <summary>Design-time numerics for directivity work: the Bessel function J1 and phase wrapping.</summary>
/// <remarks>Plain scalar code on purpose, like <see cref="SpatialAudio.Filters.Design.DoubleFft"/> which the
/// generator uses: the bundled measurement files must come out the same on every machine.</remarks>
internal static class DesignMath
{
    /// <summary>The Bessel function of the first kind of order 1.</summary>
    /// <remarks>Power series for |x| &lt;= 8 (cancellation costs under 4 digits there); above, the trapezoidal rule on
    /// Bessel's integral J1(x) = (1/pi) int_0^pi cos(t - x sin t) dt, which converges geometrically for this periodic
    /// analytic integrand once the node count exceeds about x + 30.</remarks>
    public static double BesselJ1(double x)
    {
        if (x < 0)
        {
            return -BesselJ1(-x);
        }

        if (x <= 8)
        {
            var term = x / 2;
            var sum = term;
            var q = -(x * x) / 4;
            for (var k = 1; k < 60; k++)
            {
                term *= q / (k * (k + 1.0));
                sum += term;
                if (Math.Abs(term) < 1e-17 * Math.Abs(sum))
                {
                    break;
                }
            }

            return sum;
        }

        var nodes = (int)Math.Ceiling(x) + 40;
        var h = Math.PI / nodes;

        // Trapezoid with half weights at t = 0 (cos 0 = 1) and t = pi (cos pi = -1): their contributions cancel.
        var total = 0.0;
        for (var i = 1; i < nodes; i++)
        {
            var t = i * h;
            total += Math.Cos(t - (x * Math.Sin(t)));
        }

        return total * h / Math.PI;
    }

    /// <summary>Wraps an angle in radians into (-pi, pi].</summary>
    public static double WrapPi(double radians)
    {
        var wrapped = Math.IEEERemainder(radians, 2 * Math.PI);
        return wrapped <= -Math.PI ? wrapped + (2 * Math.PI) : wrapped;
    }
}
