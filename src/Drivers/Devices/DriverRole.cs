namespace SpatialAudio.Drivers.Devices;

/// <summary>What band a driver is built to play.</summary>
public enum DriverRole
{
    /// <summary>Low frequencies; receives the bass-managed signal.</summary>
    Woofer,

    /// <summary>Midrange; carries most of the spatial processing.</summary>
    Mid,

    /// <summary>High frequencies.</summary>
    Tweeter,
}
