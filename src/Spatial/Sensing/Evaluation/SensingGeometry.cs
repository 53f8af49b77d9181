using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Geometry;

namespace SpatialAudio.Spatial.Sensing.Evaluation;

/// <summary>Where a device's probe driver and sensing microphones are (device frame, m).</summary>
/// <param name="ProbeDriverMeters">The (first) probe driver.</param>
/// <param name="MicMeters">The microphones used.</param>
/// <param name="MicIds">Their ids.</param>
public sealed record SensingGeometry(Vector3D ProbeDriverMeters, IReadOnlyList<Vector3D> MicMeters, IReadOnlyList<string> MicIds)
{
    /// <summary>The device's first probe driver and its <paramref name="micCount"/> front-most microphones.</summary>
    /// <exception cref="ArgumentException">The device has no probe driver or too few microphones.</exception>
    public static SensingGeometry FromDevice(DeviceDescription device, int micCount = 2)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.ProbeDriverIds.Count == 0)
        {
            throw new ArgumentException($"device '{device.Name}' has no probe_drivers (sensing.probe_drivers in device.json)", nameof(device));
        }

        if (device.Microphones.Count < micCount)
        {
            throw new ArgumentException($"device '{device.Name}' has {device.Microphones.Count} sensing microphone(s); {micCount} needed", nameof(device));
        }

        var driver = device.Drivers.First(d => d.Id == device.ProbeDriverIds[0]);
        var mics = device.Microphones.OrderByDescending(m => m.PositionMeters.X).ThenBy(m => m.Id, StringComparer.Ordinal).Take(micCount).ToList();
        return new SensingGeometry(driver.PositionMeters, [.. mics.Select(m => m.PositionMeters)], [.. mics.Select(m => m.Id)]);
    }
}
