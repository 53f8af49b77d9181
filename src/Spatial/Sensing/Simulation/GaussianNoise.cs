namespace SpatialAudio.Spatial.Sensing.Simulation;

/// <summary>Seeded, allocation-free Gaussian-like noise (Irwin-Hall sum of four uniforms, unit variance) for the simulator.</summary>
/// <remarks>Four uniforms give a bell shape with no tail beyond 3.5 sigma: fine for noise floors, cheaper than Box-Muller.</remarks>
internal struct GaussianNoise
{
    private ulong state;

    public GaussianNoise(int seed) => state = 0x9E3779B97F4A7C15UL * (ulong)(uint)(seed + 1);

    public float Next()
    {
        var sum = 0.0f;
        for (var i = 0; i < 4; i++)
        {
            var z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            sum += (z >> 40) * (1f / 16777216f);
        }

        return (sum - 2f) * 1.7320508f;   // variance of 4 uniforms is 1/3
    }
}
