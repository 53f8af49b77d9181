using System.Runtime.Intrinsics;

namespace SpatialAudio.Filters.Simd;

/// <summary>The vector width a SIMD kernel runs at.</summary>
/// <remarks>
/// Every kernel has a scalar fallback and takes its tier at construction, so tests can run each tier on any
/// machine and compare it against scalar (a wider tier on narrower hardware is emulated by .NET, slowly but exactly).
/// </remarks>
public enum SimdTier
{
    /// <summary>Plain scalar code, the reference every vector tier is tested against.</summary>
    Scalar = 0,

    /// <summary>128-bit vectors (SSE / NEON).</summary>
    Vector128 = 128,

    /// <summary>256-bit vectors (AVX2).</summary>
    Vector256 = 256,

    /// <summary>512-bit vectors (AVX-512).</summary>
    Vector512 = 512,
}

/// <summary>Which <see cref="SimdTier"/> this machine accelerates.</summary>
public static class SimdCapabilities
{
    /// <summary>The widest hardware-accelerated tier (respects <c>DOTNET_EnableAVX512=0</c> and similar switches).</summary>
    public static SimdTier Best { get; } =
        Vector512.IsHardwareAccelerated ? SimdTier.Vector512
        : Vector256.IsHardwareAccelerated ? SimdTier.Vector256
        : Vector128.IsHardwareAccelerated ? SimdTier.Vector128
        : SimdTier.Scalar;

    /// <summary>Every tier, narrowest first; tests iterate it to compare tiers.</summary>
    public static IReadOnlyList<SimdTier> All { get; } =
        [SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512];
}
