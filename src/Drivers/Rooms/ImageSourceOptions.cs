using SpatialAudio.Drivers.Acoustics;

namespace SpatialAudio.Drivers.Rooms;

/// <summary>What an <see cref="ImageSourceModel"/> includes.</summary>
/// <remarks>An image is kept when its order is at most <see cref="MaxOrder"/> and its delay at most
/// <see cref="MaxDelaySeconds"/>; at least one of the two must be finite-sized enough to bound the image count.</remarks>
public sealed record ImageSourceOptions
{
    /// <summary>Highest reflection order kept, 0 (direct path only) or more. Default 10.</summary>
    public int MaxOrder { get; init; } = 10;

    /// <summary>Longest delay kept, seconds (positive infinity: no limit). Default no limit.</summary>
    public double MaxDelaySeconds { get; init; } = double.PositiveInfinity;

    /// <summary>The air (speed of sound, absorption). Default 20 °C, 50 % RH, 101.325 kPa.</summary>
    public AirConditions Air { get; init; } = AirConditions.Standard;

    /// <summary>Whether paths lose energy to air absorption. Default true.</summary>
    public bool IncludeAirAbsorption { get; init; } = true;
}
