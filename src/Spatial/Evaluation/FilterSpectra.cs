using System.Numerics;
using SpatialAudio.Filters.Design;
using SpatialAudio.Spatial.RenderMatrices;

namespace SpatialAudio.Spatial.Evaluation;

/// <summary>Frequency responses of a render matrix's FIRs, with its modelling delay removed.</summary>
public sealed class FilterSpectra
{
    private readonly Complex[][][] values;

    private FilterSpectra(Complex[][][] values, double[] frequenciesHz)
    {
        this.values = values;
        FrequenciesHz = frequenciesHz;
    }

    /// <summary>The frequencies, Hz.</summary>
    public double[] FrequenciesHz { get; }

    /// <summary>Response of the filter from <paramref name="input"/> to <paramref name="driver"/> (latency removed).</summary>
    public Complex[] Response(int input, int driver) => values[input][driver];

    /// <summary>Number of inputs.</summary>
    public int InputCount => values.Length;

    /// <summary>Number of drivers.</summary>
    public int DriverCount => values[0].Length;

    /// <summary>Evaluates <paramref name="matrix"/> at the bins of an FFT of <paramref name="fftLength"/> points whose
    /// frequency lies in [<paramref name="lowHz"/>, <paramref name="highHz"/>].</summary>
    public static FilterSpectra Of(RenderMatrix matrix, int fftLength, double lowHz = 0, double highHz = double.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (fftLength < matrix.FirLength || !DoubleFft.IsPowerOfTwo(fftLength))
        {
            throw new ArgumentException("FFT length must be a power of two >= the FIR length", nameof(fftLength));
        }

        var rate = (double)matrix.SampleRateHz;
        var bins = Enumerable.Range(0, (fftLength / 2) + 1).Where(k => k * rate / fftLength >= lowHz && k * rate / fftLength <= highHz).ToArray();
        var frequencies = bins.Select(k => k * rate / fftLength).ToArray();
        var result = new Complex[matrix.InputCount][][];
        var buffer = new Complex[fftLength];
        for (var i = 0; i < matrix.InputCount; i++)
        {
            result[i] = new Complex[matrix.DriverCount][];
            for (var d = 0; d < matrix.DriverCount; d++)
            {
                Array.Clear(buffer);
                var fir = matrix.Filter(i, d);
                for (var n = 0; n < fir.Length; n++)
                {
                    buffer[n] = fir[n];
                }

                DoubleFft.Forward(buffer);
                result[i][d] = new Complex[bins.Length];
                for (var b = 0; b < bins.Length; b++)
                {
                    var advance = Complex.FromPolarCoordinates(1, 2 * Math.PI * bins[b] * matrix.LatencySamples / fftLength);
                    result[i][d][b] = buffer[bins[b]] * advance;
                }
            }
        }

        return new FilterSpectra(result, frequencies);
    }
}
