namespace SpatialAudio.Filters.Tests.Delays;

using SpatialAudio.Filters.Delays;
using SpatialAudio.Filters.Tests.Iir;

public sealed class IntegerDelayLineTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(255)]
    [InlineData(1000)]
    [InlineData(5000)]
    public void Output_IsInputShiftedExactly_ForRandomBlockSizes_InPlace(int delay)
    {
        var line = new IntegerDelayLine(2, 5000);
        line.SetDelay(1, delay);
        var input = Dsp.Noise(20000, delay);
        var output = (float[])input.Clone();
        var rng = new Random(1);
        for (var start = 0; start < output.Length;)
        {
            var length = Math.Min(rng.Next(0, 2000), output.Length - start);
            line.Process(output.AsSpan(start, length), output.AsSpan(start, length), 1);
            start += length;
        }

        for (var n = 0; n < input.Length; n++)
        {
            Assert.Equal(n >= delay ? input[n - delay] : 0f, output[n]);
        }
    }

    [Fact]
    public void DelayChange_AtBlockBoundary_ReadsTheNewDelayFromThere()
    {
        var line = new IntegerDelayLine(1, 100);
        var input = Enumerable.Range(1, 400).Select(i => (float)i).ToArray();
        var output = new float[400];
        line.SetDelay(0, 10);
        line.Process(input.AsSpan(0, 200), output.AsSpan(0, 200), 0);
        line.SetDelay(0, 50);
        line.Process(input.AsSpan(200), output.AsSpan(200), 0);
        Assert.Equal(input[199 - 10], output[199]);
        Assert.Equal(input[200 - 50], output[200]);
        Assert.Equal(input[399 - 50], output[399]);
    }

    [Fact]
    public void Process_DoesNotAllocate_AndSetDelayValidates()
    {
        var line = new IntegerDelayLine(4, 2000);
        var buffer = Dsp.Noise(1024, 2);
        line.Process(buffer, buffer, 3);
        var allocated = Support.Allocations.OnCurrentThread(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                line.Process(buffer, buffer, i & 3);
            }
        });
        Assert.Equal(0, allocated);
        Assert.Equal("delaySamples", Assert.Throws<ArgumentOutOfRangeException>(() => line.SetDelay(0, 2001)).ParamName);
        Assert.Equal("channel", Assert.Throws<ArgumentOutOfRangeException>(() => line.SetDelay(4, 1)).ParamName);
    }
}
