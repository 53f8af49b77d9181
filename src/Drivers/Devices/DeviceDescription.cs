namespace SpatialAudio.Drivers.Devices;

/// <summary>A loudspeaker device: its drivers and its sensing hardware, as in <c>device.json</c>.</summary>
/// <param name="Name">Display name.</param>
/// <param name="SampleRateHz">The rate the device's DAC runs at and its render matrix is designed for.</param>
/// <param name="Drivers">Drivers in device order (output channel k is driver k).</param>
/// <param name="ProbeDriverIds">Ids of the drivers that emit the ultrasonic probe (may be empty).</param>
/// <param name="Microphones">Sensing microphones (may be empty).</param>
public sealed record DeviceDescription(
    string Name,
    int SampleRateHz,
    IReadOnlyList<DriverDescription> Drivers,
    IReadOnlyList<string> ProbeDriverIds,
    IReadOnlyList<MicrophoneDescription> Microphones)
{
    /// <summary>Index of the driver with <paramref name="id"/> in device order.</summary>
    /// <param name="id">A driver id.</param>
    /// <exception cref="KeyNotFoundException">No driver has that id.</exception>
    public int IndexOf(string id)
    {
        for (var i = 0; i < Drivers.Count; i++)
        {
            if (Drivers[i].Id == id)
            {
                return i;
            }
        }

        throw new KeyNotFoundException($"Device '{Name}' has no driver '{id}'.");
    }
}
