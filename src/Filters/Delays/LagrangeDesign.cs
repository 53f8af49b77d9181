namespace SpatialAudio.Filters.Delays;

/// <summary>Lagrange-interpolation fractional-delay FIR design (maximally flat magnitude and delay at DC), in double.</summary>
/// <remarks>
/// h[k] = prod_{m != k} (D - m) / (k - m), k = 0 .. N. The filter reproduces every polynomial signal of degree &lt;= N
/// exactly, delayed by D; it is best centered, (N - 1)/2 &lt;= D &lt;= (N + 1)/2, where its magnitude never exceeds 1.
/// </remarks>
public static class LagrangeDesign
{
    /// <summary>The N + 1 taps for a delay of <paramref name="delaySamples"/>.</summary>
    /// <param name="order">Order N, 1 .. 31.</param>
    /// <param name="delaySamples">Delay D in samples, 0 .. N (other values extrapolate and are rejected).</param>
    public static double[] Taps(int order, double delaySamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, 31);
        if (!(delaySamples >= 0 && delaySamples <= order))
        {
            throw new ArgumentOutOfRangeException(nameof(delaySamples), delaySamples, $"Delay must lie in 0 .. {order} samples.");
        }

        var taps = new double[order + 1];
        for (var k = 0; k <= order; k++)
        {
            var value = 1.0;
            for (var m = 0; m <= order; m++)
            {
                if (m != k)
                {
                    value *= (delaySamples - m) / (k - m);
                }
            }

            taps[k] = value;
        }

        return taps;
    }

    /// <summary>
    /// Farrow sub-filter coefficients: h_k(D0 + mu) = sum_p c[k, p] mu^p for mu in [0, 1), D0 = (N - 1)/2, stored as
    /// c[k * (N + 1) + p]. Only odd orders have an integer center D0.
    /// </summary>
    /// <param name="order">Odd order N, 1 .. 31.</param>
    public static double[] FarrowCoefficients(int order)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, 31);
        if ((order & 1) == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, "Farrow structure needs an odd order (centered interpolation).");
        }

        var baseDelay = (order - 1) / 2;
        var size = order + 1;
        var c = new double[size * size];
        var polynomial = new double[size];
        for (var k = 0; k <= order; k++)
        {
            Array.Clear(polynomial);
            polynomial[0] = 1.0;
            var degree = 0;
            for (var m = 0; m <= order; m++)
            {
                if (m == k)
                {
                    continue;
                }

                // Multiply by (mu + baseDelay - m) / (k - m).
                var shift = baseDelay - m;
                var scale = 1.0 / (k - m);
                for (var p = degree + 1; p >= 0; p--)
                {
                    var lower = p > 0 ? polynomial[p - 1] : 0.0;
                    polynomial[p] = (lower + (shift * polynomial[p])) * scale;
                }

                degree++;
            }

            polynomial.CopyTo(c, k * size);
        }

        return c;
    }
}
