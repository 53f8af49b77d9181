using SpatialAudio.Drivers.Acoustics;
using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Directivity;
using SpatialAudio.Drivers.Paths;

namespace SpatialAudio.Drivers.Measurements;

/// <summary>Loads a device folder (<c>device.json</c> + driver measurements) into its acoustic path set.</summary>
public static class MeasuredDevice
{
    /// <summary>Name of the device description inside a device folder.</summary>
    public const string DeviceFileName = "device.json";

    /// <summary>
    /// Loads <c>device.json</c> from <paramref name="deviceFolderOrFile"/> (a folder or the file itself) and every
    /// driver's measurement; drivers without a measurement are modelled as omnidirectional point sources.
    /// </summary>
    /// <param name="deviceFolderOrFile">Device folder or its <c>device.json</c>.</param>
    /// <param name="sampleRateHz">Rate to convert the measurements to; 0 keeps their own rate (e.g. 96 kHz for ultrasound).</param>
    /// <param name="air">Air conditions; null for standard air.</param>
    /// <exception cref="DeviceFileException">The description or a measurement is missing or malformed (names the file).</exception>
    public static DeviceAcoustics Load(string deviceFolderOrFile, int sampleRateHz = 0, AirConditions? air = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deviceFolderOrFile);
        var path = Directory.Exists(deviceFolderOrFile) ? Path.Combine(deviceFolderOrFile, DeviceFileName) : deviceFolderOrFile;
        var device = DeviceFile.Load(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var directivities = new IDirectivity[device.Drivers.Count];
        for (var d = 0; d < device.Drivers.Count; d++)
        {
            var driver = device.Drivers[d];
            if (driver.MeasurementPath is null)
            {
                directivities[d] = OmniDirectivity.Instance;
                continue;
            }

            var measurementPath = Path.Combine(folder, driver.MeasurementPath);
            try
            {
                directivities[d] = new MeasuredDirectivity(MeasurementFile.Load(measurementPath), sampleRateHz);
            }
            catch (ArgumentException e)
            {
                throw new DeviceFileException(measurementPath, $"drivers[{d}].measurement", e.Message, e);
            }
        }

        return new DeviceAcoustics(device, directivities, air);
    }
}
