namespace SpatialAudio.Spatial.Stimuli;

/// <summary>Standard normal draws from a seeded <see cref="Random"/> (Box-Muller, one value per two uniforms), so every
/// seeded scene, unit variation, tail noise and weight initialization draws the same numbers the same way.</summary>
internal static class Gaussian
{
    /// <summary>One draw with mean 0 and standard deviation 1.</summary>
    public static double Next(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
