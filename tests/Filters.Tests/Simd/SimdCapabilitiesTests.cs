namespace SpatialAudio.Filters.Tests.Simd;

using SpatialAudio.Filters.Simd;

/// <summary>Pins that the CI fallback runs (test.sh) really run the narrower tiers they claim to.</summary>
[Trait("Category", "Simd")]
public sealed class SimdCapabilitiesTests
{
    [Fact]
    public void BestTier_RespectsTheRuntimeIntrinsicSwitches()
    {
        var best = SimdCapabilities.Best;

        if (Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") == "0")
        {
            Assert.Equal(SimdTier.Scalar, best);
        }
        else if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX") == "0")
        {
            Assert.True(best <= SimdTier.Vector128, $"AVX disabled but best tier is {best}");
        }
        else if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512F") == "0")
        {
            Assert.True(best <= SimdTier.Vector256, $"AVX-512 disabled but best tier is {best}");
        }
        else
        {
            Assert.Equal(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated, best == SimdTier.Vector512);
        }
    }

    [Fact]
    public void AllTiers_AreListedNarrowestFirst()
    {
        Assert.Equal([SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512], SimdCapabilities.All);
    }
}
