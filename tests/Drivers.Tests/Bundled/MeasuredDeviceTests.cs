using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Directivity;
using SpatialAudio.Drivers.Measurements;

namespace SpatialAudio.Drivers.Tests.Bundled;

public sealed class MeasuredDeviceTests
{
    private static string Folder(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SpatialAudio.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir!.FullName, "measurements", name);
    }

    [Theory]
    [InlineData("studio5", 5)]
    [InlineData("pair", 2)]
    public void Load_BundledDevice_GivesOneMeasuredDirectivityPerDriver(string name, int drivers)
    {
        var acoustics = MeasuredDevice.Load(Folder(name), 48000);
        Assert.Equal(drivers, acoustics.Device.Drivers.Count);
        Assert.All(acoustics.Directivities, d => Assert.IsType<MeasuredDirectivity>(d));
    }

    [Fact]
    public void Load_MissingMeasurement_NamesTheFile()
    {
        var temp = Directory.CreateTempSubdirectory("md-");
        try
        {
            File.Copy(Path.Combine(Folder("pair"), "device.json"), Path.Combine(temp.FullName, "device.json"));
            var e = Assert.Throws<DeviceFileException>(() => MeasuredDevice.Load(temp.FullName));
            Assert.Contains("mid_left.json", e.Message);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }
}
