using SpatialAudio.Drivers.Devices;

namespace SpatialAudio.Spatial.Design.Assembly;

/// <summary>Which side of the listener a driver plays for, from its position (device frame: -y is the listener's left).</summary>
public enum DriverSide
{
    /// <summary>The listener's left (device -y).</summary>
    Left,

    /// <summary>On the centre line (|y| within <see cref="DriverGroups.CenterToleranceMeters"/>).</summary>
    Center,

    /// <summary>The listener's right (device +y).</summary>
    Right,
}

/// <summary>
/// The routing facts every preset needs: drivers grouped by side, woofers apart, and each driver's band
/// (bass management to the woofers, tweeter/mid split inside a side group).
/// </summary>
public sealed class DriverGroups
{
    /// <summary>Drivers closer than this to the centre line (|y|) count as centre drivers, meters.</summary>
    public const double CenterToleranceMeters = 0.02;

    /// <summary>Builds the groups for <paramref name="device"/>.</summary>
    public DriverGroups(DeviceDescription device)
    {
        ArgumentNullException.ThrowIfNull(device);
        Device = device;
        Sides = [.. device.Drivers.Select(d => d.PositionMeters.Y < -CenterToleranceMeters ? DriverSide.Left
            : d.PositionMeters.Y > CenterToleranceMeters ? DriverSide.Right : DriverSide.Center)];
        IsWoofer = [.. device.Drivers.Select(d => d.Role == DriverRole.Woofer)];
        WooferCount = IsWoofer.Count(w => w);
        if (WooferCount == device.Drivers.Count)
        {
            // Only woofers: they are the full-range drivers (no bass management possible).
            IsWoofer = new bool[device.Drivers.Count];
            WooferCount = 0;
        }
    }

    /// <summary>The device.</summary>
    public DeviceDescription Device { get; }

    /// <summary>Side of each driver, device order.</summary>
    public IReadOnlyList<DriverSide> Sides { get; }

    /// <summary>Whether each driver is a bass-managed woofer.</summary>
    public IReadOnlyList<bool> IsWoofer { get; }

    /// <summary>Number of bass-managed woofers (0: every driver plays full band).</summary>
    public int WooferCount { get; }

    /// <summary>Non-woofer drivers on <paramref name="side"/>.</summary>
    public IReadOnlyList<int> OnSide(DriverSide side) =>
        [.. Enumerable.Range(0, Sides.Count).Where(d => !IsWoofer[d] && Sides[d] == side)];

    /// <summary>Whether <paramref name="side"/> holds both tweeters and mids (then split at the tweeter crossover).</summary>
    public bool SplitsTweeters(DriverSide side)
    {
        var drivers = OnSide(side);
        return drivers.Any(d => Device.Drivers[d].Role == DriverRole.Tweeter) && drivers.Any(d => Device.Drivers[d].Role != DriverRole.Tweeter);
    }
}
