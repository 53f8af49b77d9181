using System.Text.Json.Nodes;
using SpatialAudio.Drivers.Devices;

namespace SpatialAudio.Spatial.Design.Assembly;

/// <summary>The per-driver facts of assembly toward the design listener: bands, EQ and alignment.</summary>
/// <param name="Bands">Crossovers and availability.</param>
/// <param name="Eq">The EQ rule used.</param>
/// <param name="TowardListener">Normalized responses driver -> listener head centre, 1 x drivers.</param>
/// <param name="EqGains">EQ magnitude per driver and bin (linear).</param>
/// <param name="ArrivalSeconds">Measured arrival per driver relative to the normalization reference, seconds.</param>
/// <param name="AlignmentDelaySeconds">Delay per driver that aligns it to the slowest arrival, seconds (>= 0).</param>
public sealed record AssemblyDesign(
    DriverBands Bands,
    DriverEq Eq,
    ResponseMatrix TowardListener,
    double[][] EqGains,
    double[] ArrivalSeconds,
    double[] AlignmentDelaySeconds)
{
    /// <summary>The facts as snake_case JSON for metrics.json: crossovers, EQ limits, and per driver its band, largest
    /// boost and cut, arrival and alignment delay.</summary>
    public JsonObject ToJson(DeviceDescription device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var drivers = new JsonArray();
        var rate = Bands.Grid.SampleRateHz;
        for (var d = 0; d < device.Drivers.Count; d++)
        {
            var gainsDb = EqGains[d].Select(g => 20 * Math.Log10(g)).ToArray();
            drivers.Add(new JsonObject
            {
                ["id"] = device.Drivers[d].Id,
                ["role"] = device.Drivers[d].Role.ToString().ToLowerInvariant(),
                ["woofer"] = Bands.IsWoofer(d),
                ["eq_max_boost_db"] = Math.Round(gainsDb.Max(), 2),
                ["eq_max_cut_db"] = Math.Round(-gainsDb.Min(), 2),
                ["arrival_us"] = Math.Round(ArrivalSeconds[d] * 1e6, 1),
                ["alignment_delay_us"] = Math.Round(AlignmentDelaySeconds[d] * 1e6, 1),
                ["alignment_delay_samples"] = Math.Round(AlignmentDelaySeconds[d] * rate, 2),
            });
        }

        return new JsonObject
        {
            ["bass_crossover_hz"] = Bands.BassCrossoverHz,
            ["bass_management"] = Bands.HasBassManagement,
            ["tweeter_crossover_hz"] = Bands.TweeterCrossoverHz,
            ["crossover_type"] = "LR4",
            ["eq_max_boost_db"] = Eq.MaxBoostDb,
            ["eq_max_cut_db"] = Eq.MaxCutDb,
            ["eq_smoothing_octave_fraction"] = Eq.SmoothingFraction,
            ["drivers"] = drivers,
        };
    }
}
