namespace SpatialAudio.Filters.Tests.Fft;

using SpatialAudio.Filters.Fft;

public sealed class FftSmokeTests
{
    [Fact]
    public void RealRoundTrip_ReturnsInput()
    {
        var fft = new RealFft(64);
        var x = new float[64];
        var rng = new Random(1);
        for (var i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble() - 0.5f;
        var re = new float[33];
        var im = new float[33];
        fft.Forward(x, re, im);
        var y = new float[64];
        fft.Inverse(re, im, y);
        for (var i = 0; i < x.Length; i++) Assert.Equal(x[i], y[i], 1e-5f);
    }
}
