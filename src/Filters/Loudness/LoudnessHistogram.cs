namespace SpatialAudio.Filters.Loudness;

/// <summary>
/// Gated-loudness bookkeeping without storing every block: per 0.01 LU bin the exact sum of block powers and the
/// block count, from the absolute gate (-70 LUFS) up to +30 LUFS.
/// </summary>
/// <remarks>
/// Sums over whole bins are exact; only blocks in the one bin that straddles the relative gate are classified by
/// the bin center (an error below 0.01 LU on that threshold). Fixed memory (10,000 bins), no allocation when adding.
/// </remarks>
internal sealed class LoudnessHistogram
{
    internal const double AbsoluteGateLufs = -70.0;
    private const double TopLufs = 30.0;
    private const double BinWidthLu = 0.01;
    private const int BinCount = (int)((TopLufs - AbsoluteGateLufs) / BinWidthLu);

    private readonly double[] power = new double[BinCount];
    private readonly long[] count = new long[BinCount];
    private double totalPower;
    private long totalCount;

    /// <summary>Adds one block given its mean-square power z (weighted sum over channels).</summary>
    public void Add(double blockPower)
    {
        var lufs = LoudnessMeter.PowerToLufs(blockPower);
        if (!(lufs > AbsoluteGateLufs))
        {
            return;
        }

        var bin = Bin(lufs);
        power[bin] += blockPower;
        count[bin]++;
        totalPower += blockPower;
        totalCount++;
    }

    public void Clear()
    {
        Array.Clear(power);
        Array.Clear(count);
        totalPower = 0;
        totalCount = 0;
    }

    /// <summary>The relative gate threshold: mean power of the blocks above the absolute gate, minus <paramref name="offsetLu"/>.</summary>
    public double RelativeGateLufs(double offsetLu) =>
        totalCount == 0 ? double.NegativeInfinity : LoudnessMeter.PowerToLufs(totalPower / totalCount) - offsetLu;

    /// <summary>BS.1770-4 gated loudness: mean power of the blocks above both gates.</summary>
    public double GatedLoudness(double relativeOffsetLu)
    {
        if (totalCount == 0)
        {
            return double.NegativeInfinity;
        }

        var first = FirstBinAbove(RelativeGateLufs(relativeOffsetLu));
        var sum = 0.0;
        long n = 0;
        for (var b = first; b < BinCount; b++)
        {
            sum += power[b];
            n += count[b];
        }

        return n == 0 ? double.NegativeInfinity : LoudnessMeter.PowerToLufs(sum / n);
    }

    /// <summary>EBU Tech 3342 loudness range: 95th minus 10th percentile of the blocks above both gates.</summary>
    public double Range(double relativeOffsetLu, double lowPercentile, double highPercentile)
    {
        if (totalCount == 0)
        {
            return 0.0;
        }

        var first = FirstBinAbove(RelativeGateLufs(relativeOffsetLu));
        long n = 0;
        for (var b = first; b < BinCount; b++)
        {
            n += count[b];
        }

        if (n == 0)
        {
            return 0.0;
        }

        return Percentile(first, n, highPercentile) - Percentile(first, n, lowPercentile);
    }

    private double Percentile(int first, long n, double percentile)
    {
        var target = Math.Max(1, (long)Math.Ceiling(percentile / 100.0 * n));
        long seen = 0;
        for (var b = first; b < BinCount; b++)
        {
            seen += count[b];
            if (seen >= target)
            {
                return Center(b);
            }
        }

        return Center(BinCount - 1);
    }

    private static int FirstBinAbove(double thresholdLufs)
    {
        if (!(thresholdLufs > AbsoluteGateLufs))
        {
            return 0;
        }

        var bin = Bin(thresholdLufs);
        return Center(bin) > thresholdLufs ? bin : bin + 1;
    }

    private static int Bin(double lufs) => Math.Clamp((int)((lufs - AbsoluteGateLufs) / BinWidthLu), 0, BinCount - 1);

    private static double Center(int bin) => AbsoluteGateLufs + ((bin + 0.5) * BinWidthLu);
}
