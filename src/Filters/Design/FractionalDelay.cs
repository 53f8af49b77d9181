namespace SpatialAudio.Filters.Design;

/// <summary>Fractional-delay FIR design (Laakso et al. 1996), in double.</summary>
/// <remarks>
/// These are design-time coefficient generators. Runtime fractional delay lines (Lagrange/Thiran interpolation
/// per sample) live elsewhere; this class only returns taps.
/// </remarks>
public static class FractionalDelay
{
    /// <summary>Windowed-sinc fractional delay: a Kaiser window centered on the delay, unit DC gain.</summary>
    /// <param name="delaySamples">Delay D in samples, in [0, length - 1]. The window is symmetric about D with the
    /// shorter side's half width, so keep D within a sample of (length - 1) / 2 for the full use of the taps.</param>
    /// <param name="length">Number of taps, at least 2.</param>
    /// <param name="kaiserBeta">Kaiser window shape (larger: less ripple, narrower band of accurate delay).</param>
    /// <param name="bandwidth">Band limit of the sinc as a fraction of Nyquist, (0, 1]; 1 is a full-band sinc.</param>
    /// <returns>The taps h[n] ≈ sinc(bandwidth·(n - D))·w(n - D).</returns>
    public static double[] WindowedSinc(double delaySamples, int length, double kaiserBeta, double bandwidth = 1.0)
    {
        if (length < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "Length must be at least 2.");
        }

        if (!(delaySamples >= 0 && delaySamples <= length - 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delaySamples), delaySamples, "Delay must lie within the filter, 0..length-1.");
        }

        if (!(kaiserBeta >= 0) || double.IsInfinity(kaiserBeta))
        {
            throw new ArgumentOutOfRangeException(nameof(kaiserBeta), kaiserBeta, "Kaiser beta must be finite and >= 0.");
        }

        if (!(bandwidth > 0 && bandwidth <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(bandwidth), bandwidth, "Bandwidth must lie in (0, 1].");
        }

        // The window follows the delay and stays symmetric about it (its half width is the shorter side), so h is
        // (continuously) symmetric about D and the group delay near-constant D; off-center delays use fewer taps.
        var halfWidth = Math.Min(delaySamples, length - 1 - delaySamples) + 1.0;
        var denominator = Windows.BesselI0(kaiserBeta);
        var taps = new double[length];
        var sum = 0.0;
        for (var n = 0; n < length; n++)
        {
            var t = n - delaySamples;
            var r = t / halfWidth;
            var window = Windows.BesselI0(kaiserBeta * Math.Sqrt(Math.Max(0.0, 1.0 - (r * r)))) / denominator;
            var x = Math.PI * bandwidth * t;
            var sinc = Math.Abs(x) < 1e-12 ? 1.0 : Math.Sin(x) / x;
            taps[n] = bandwidth * sinc * window;
            sum += taps[n];
        }

        for (var n = 0; n < length; n++)
        {
            taps[n] /= sum;
        }

        return taps;
    }

    /// <summary>Lagrange interpolation FIR of order N (N + 1 taps), maximally flat delay at DC.</summary>
    /// <param name="delaySamples">Delay D in samples, best in [(N-1)/2, (N+1)/2]; must lie in [0, order].</param>
    /// <param name="order">Polynomial order N, 1..64.</param>
    /// <returns>h[n] = prod over k != n of (D - k) / (n - k).</returns>
    public static double[] Lagrange(double delaySamples, int order)
    {
        if (order is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, "Order must be 1..64.");
        }

        if (!(delaySamples >= 0 && delaySamples <= order))
        {
            throw new ArgumentOutOfRangeException(nameof(delaySamples), delaySamples, "Delay must lie in 0..order.");
        }

        var taps = new double[order + 1];
        for (var n = 0; n <= order; n++)
        {
            var product = 1.0;
            for (var k = 0; k <= order; k++)
            {
                if (k != n)
                {
                    product *= (delaySamples - k) / (n - k);
                }
            }

            taps[n] = product;
        }

        return taps;
    }
}
