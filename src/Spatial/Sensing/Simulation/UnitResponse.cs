using SpatialAudio.Filters.Design;
using SpatialAudio.Spatial.Stimuli;

namespace SpatialAudio.Spatial.Sensing.Simulation;

/// <summary>
/// Unit-to-unit variation of a transducer in the ultrasonic band: a smooth random gain curve (flat below 25 kHz,
/// a few dB of ripple and tilt over 28..48 kHz, as production spread of tweeters and MEMS microphones shows there),
/// realized as a short minimum-phase FIR.
/// </summary>
public static class UnitResponse
{
    /// <summary>Taps of the FIR.</summary>
    public const int Length = 64;

    /// <summary>The FIR of one unit.</summary>
    /// <param name="seed">Unit seed.</param>
    /// <param name="spreadDb">Standard deviation of the curve's nodes, dB.</param>
    /// <param name="sampleRateHz">Sample rate, Hz.</param>
    public static double[] Random(int seed, double spreadDb, int sampleRateHz)
    {
        var random = new Random(seed);
        double[] nodesHz = [25000, 29000, 33000, 37000, 41000, 45000, 49000];
        var nodesDb = nodesHz.Select((f, i) => i == 0 ? 0 : spreadDb * Gaussian.Next(random)).ToArray();
        const int n = 1024;
        var magnitude = new double[(n / 2) + 1];
        for (var k = 0; k < magnitude.Length; k++)
        {
            magnitude[k] = Math.Pow(10, GainDb(nodesHz, nodesDb, (double)k * sampleRateHz / n) / 20);
        }

        return MinimumPhase.FromMagnitude(magnitude, Length);
    }

    /// <summary>The curve's gain at <paramref name="frequencyHz"/>, dB (piecewise-cosine between nodes).</summary>
    private static double GainDb(double[] nodesHz, double[] nodesDb, double frequencyHz)
    {
        if (frequencyHz <= nodesHz[0])
        {
            return 0;
        }

        for (var i = 1; i < nodesHz.Length; i++)
        {
            if (frequencyHz <= nodesHz[i])
            {
                var x = (frequencyHz - nodesHz[i - 1]) / (nodesHz[i] - nodesHz[i - 1]);
                var w = 0.5 - (0.5 * Math.Cos(Math.PI * x));
                return nodesDb[i - 1] + (w * (nodesDb[i] - nodesDb[i - 1]));
            }
        }

        return nodesDb[^1];
    }
}
