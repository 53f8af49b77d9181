namespace SpatialAudio.Spatial.Evaluation;

/// <summary>Nominal 1/3-octave bands (IEC 61260 base-10 centres) used by every metric.</summary>
public static class Bands
{
    /// <summary>Centres of the 1/3-octave bands whose centre lies in [<paramref name="lowHz"/>, <paramref name="highHz"/>].</summary>
    public static double[] ThirdOctaveCenters(double lowHz, double highHz)
    {
        var list = new List<double>();
        for (var i = -20; i <= 20; i++)
        {
            var center = 1000 * Math.Pow(10, i / 10.0);
            if (center >= lowHz * 0.99 && center <= highHz * 1.01)
            {
                list.Add(center);
            }
        }

        return [.. list];
    }

    /// <summary>Lower and upper edge of the 1/3-octave band at <paramref name="centerHz"/>.</summary>
    public static (double Low, double High) Edges(double centerHz) => (centerHz * Math.Pow(10, -0.05), centerHz * Math.Pow(10, 0.05));

    /// <summary>Mean of <paramref name="power"/> over the bins of <paramref name="frequenciesHz"/> inside the band.</summary>
    public static double BandPower(ReadOnlySpan<double> power, ReadOnlySpan<double> frequenciesHz, double centerHz)
    {
        var (low, high) = Edges(centerHz);
        double sum = 0;
        var count = 0;
        for (var k = 0; k < frequenciesHz.Length; k++)
        {
            if (frequenciesHz[k] >= low && frequenciesHz[k] < high)
            {
                sum += power[k];
                count++;
            }
        }

        return count > 0 ? sum / count : double.NaN;
    }
}
