using SpatialAudio.Filters.Iir;

namespace SpatialAudio.Filters.Delays;

/// <summary>
/// Thiran all-pass fractional delay design (maximally flat group delay at DC), in double:
/// H(z) = z^-N A(z^-1) / A(z), A(z) = sum a_k z^-k.
/// </summary>
/// <remarks>
/// a_k = (-1)^k C(N,k) prod_{n=0..N} (D - N + n) / (D - N + k + n) (Thiran 1971). The filter is stable for
/// D &gt; N - 1; its group delay is flattest (and the approximation best) for D near N, i.e. N - 0.5 &lt;= D &lt;= N + 0.5.
/// Unit magnitude at every frequency; the delay error grows towards Nyquist.
/// </remarks>
public static class ThiranDesign
{
    /// <summary>Largest supported order (direct-form conditioning stays comfortable in double up to here).</summary>
    public const int MaxOrder = 8;

    /// <summary>The denominator a_0 (= 1) .. a_N; the numerator is the same coefficients reversed.</summary>
    /// <param name="order">Order N, 1 .. <see cref="MaxOrder"/>.</param>
    /// <param name="delaySamples">Delay D in samples, D &gt; N - 1 (stability), finite.</param>
    public static double[] Denominator(int order, double delaySamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, MaxOrder);
        if (!(delaySamples > order - 1) || double.IsInfinity(delaySamples))
        {
            throw new ArgumentOutOfRangeException(nameof(delaySamples), delaySamples, $"A Thiran all-pass of order {order} needs a finite delay > {order - 1} samples to be stable.");
        }

        var a = new double[order + 1];
        for (var k = 0; k <= order; k++)
        {
            var value = Binomial(order, k) * ((k & 1) == 0 ? 1.0 : -1.0);
            for (var n = 0; n <= order; n++)
            {
                value *= (delaySamples - order + n) / (delaySamples - order + k + n);
            }

            a[k] = value;
        }

        return a;
    }

    /// <summary>Group delay in samples of the all-pass with this denominator, at a frequency.</summary>
    /// <param name="denominator">a_0 .. a_N from <see cref="Denominator"/>.</param>
    /// <param name="frequencyHz">Frequency in Hz.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    public static double GroupDelaySamples(ReadOnlySpan<double> denominator, double frequencyHz, double sampleRateHz)
    {
        Span<double> numerator = stackalloc double[denominator.Length];
        denominator.CopyTo(numerator);
        numerator.Reverse();
        return TransferFunction.GroupDelay(numerator, denominator, TransferFunction.Omega(frequencyHz, sampleRateHz));
    }

    private static double Binomial(int n, int k)
    {
        var result = 1.0;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }

        return result;
    }
}
