namespace SpatialAudio.Spatial.Design;

/// <summary>
/// The frequency grid every design stage works on: the non-negative bins of a real FFT of
/// <see cref="FftLength"/> points at <see cref="SampleRateHz"/>, so stage responses multiply bin by bin and turn
/// into FIRs with one inverse FFT.
/// </summary>
public sealed class DesignGrid
{
    private readonly double[] frequenciesHz;

    /// <summary>Creates the grid.</summary>
    /// <param name="sampleRateHz">Device sample rate, 8000..384000 Hz.</param>
    /// <param name="fftLength">Power of two, 64..65536 (frequency resolution = rate / length).</param>
    public DesignGrid(int sampleRateHz, int fftLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRateHz, 8000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleRateHz, 384000);
        ArgumentOutOfRangeException.ThrowIfLessThan(fftLength, 64);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fftLength, 65536);
        if ((fftLength & (fftLength - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fftLength), fftLength, "must be a power of two");
        }

        SampleRateHz = sampleRateHz;
        FftLength = fftLength;
        frequenciesHz = new double[fftLength / 2 + 1];
        for (var k = 0; k < frequenciesHz.Length; k++)
        {
            frequenciesHz[k] = (double)k * sampleRateHz / fftLength;
        }
    }

    /// <summary>Sample rate in Hz.</summary>
    public int SampleRateHz { get; }

    /// <summary>FFT length (points).</summary>
    public int FftLength { get; }

    /// <summary>Number of bins, DC to Nyquist inclusive: FftLength / 2 + 1.</summary>
    public int BinCount => frequenciesHz.Length;

    /// <summary>Bin spacing in Hz.</summary>
    public double BinWidthHz => (double)SampleRateHz / FftLength;

    /// <summary>Bin centre frequencies in Hz, DC to Nyquist.</summary>
    public ReadOnlySpan<double> FrequenciesHz => frequenciesHz;

    /// <summary>The bin nearest to <paramref name="frequencyHz"/> (clamped to the grid).</summary>
    public int BinOf(double frequencyHz) => Math.Clamp((int)Math.Round(frequencyHz / BinWidthHz), 0, BinCount - 1);
}
