namespace SpatialAudio.Drivers.Tests.Devices;

using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Geometry;

public sealed class DeviceFileTests : IDisposable
{
    private const string ValidJson = """
        {
          "name": "test pair",
          "sample_rate_hz": 48000,
          "drivers": [
            { "id": "left",  "role": "mid", "position_m": [0, -0.08, 0], "axis": { "azimuth_deg": 0, "elevation_deg": 0 }, "diameter_m": 0.05 },
            { "id": "right", "role": "mid", "position_m": [0,  0.08, 0], "axis": { "azimuth_deg": 0, "elevation_deg": 0 }, "diameter_m": 0.05 }
          ],
          "sensing": { "probe_drivers": ["left"], "mics": [ { "id": "m0", "position_m": [0, 0, 0.05] } ] }
        }
        """;

    private readonly string folder = Directory.CreateTempSubdirectory("device-tests").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void ValidFile_LoadsEveryField()
    {
        var device = DeviceFile.Parse(ValidJson, "device.json", folder: null);

        Assert.Equal("test pair", device.Name);
        Assert.Equal(48000, device.SampleRateHz);
        Assert.Equal(2, device.Drivers.Count);
        Assert.Equal(new Vector3D(0, -0.08, 0), device.Drivers[0].PositionMeters);
        Assert.Equal(DriverRole.Mid, device.Drivers[1].Role);
        Assert.Equal(0.05, device.Drivers[1].DiameterMeters);
        Assert.Equal(["left"], device.ProbeDriverIds);
        Assert.Equal("m0", device.Microphones[0].Id);
        Assert.Equal(1, device.IndexOf("right"));
    }

    [Fact]
    public void SaveThenLoad_ReturnsTheSameDevice()
    {
        var original = DeviceFile.Parse(ValidJson, "device.json", folder: null);

        DeviceFile.Save(original, folder);
        var loaded = DeviceFile.Load(folder);

        Assert.Equal(original.Name, loaded.Name);
        Assert.Equal(original.Drivers, loaded.Drivers);
        Assert.Equal(original.ProbeDriverIds, loaded.ProbeDriverIds);
        Assert.Equal(original.Microphones, loaded.Microphones);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Theory]
    [InlineData("{ not json", "", "not valid JSON")]
    [InlineData("[]", "", "JSON object")]
    [InlineData("""{"sample_rate_hz":48000,"drivers":[]}""", "name", "is required")]
    [InlineData("""{"name":"x","sample_rate_hz":47.5,"drivers":[]}""", "sample_rate_hz", "whole number")]
    [InlineData("""{"name":"x","sample_rate_hz":48000,"drivers":[]}""", "drivers", "at least one driver")]
    [InlineData("""{"name":"x","sample_rate_hz":48000,"drivers":[{"id":"a","role":"horn","position_m":[0,0,0],"axis":{"azimuth_deg":0,"elevation_deg":0},"diameter_m":0.05}]}""", "drivers[0].role", "woofer, mid or tweeter")]
    [InlineData("""{"name":"x","sample_rate_hz":48000,"drivers":[{"id":"a","role":"mid","position_m":[0,0],"axis":{"azimuth_deg":0,"elevation_deg":0},"diameter_m":0.05}]}""", "drivers[0].position_m", "3 numbers")]
    [InlineData("""{"name":"x","sample_rate_hz":48000,"drivers":[{"id":"a","role":"mid","position_m":[0,0,"z"],"axis":{"azimuth_deg":0,"elevation_deg":0},"diameter_m":0.05}]}""", "drivers[0].position_m", "finite number")]
    [InlineData("""{"name":"x","sample_rate_hz":48000,"drivers":[{"id":"a","role":"mid","position_m":[0,80,0],"axis":{"azimuth_deg":0,"elevation_deg":0},"diameter_m":0.05}]}""", "drivers[0].position_m", "in mm?")]
    [InlineData("""{"name":"x","sample_rate_hz":48000,"drivers":[{"id":"a","role":"mid","position_m":[0,0,0],"axis":{"azimuth_deg":0,"elevation_deg":0},"diameter_m":50}]}""", "drivers[0].diameter_m", "in mm?")]
    [InlineData("""{"name":"x","sample_rate_hz":48000,"drivers":[{"id":"a","role":"mid","position_m":[0,0,0],"axis":{"azimuth_deg":0,"elevation_deg":120},"diameter_m":0.05}]}""", "drivers[0].axis.elevation_deg", "-90..90")]
    [InlineData("""{"name":"x","sample_rate_hz":48000,"drivers":[{"id":"a","role":"mid","position_m":[0,0,0],"axis":{"azimuth_deg":0,"elevation_deg":0},"diameter":0.05}]}""", "drivers[0].diameter", "unknown property")]
    [InlineData("""{"name":"x","sample_rate_hz":48000,"drivers":[{"id":"a b","role":"mid","position_m":[0,0,0],"axis":{"azimuth_deg":0,"elevation_deg":0},"diameter_m":0.05}]}""", "drivers[0].id", "not a valid id")]
    public void MalformedField_IsNamedInTheError(string json, string field, string problem)
    {
        var error = Assert.Throws<DeviceFileException>(() => DeviceFile.Parse(json, "bad.json", folder: null));

        Assert.Equal("bad.json", error.FilePath);
        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("bad.json: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateIds_AreRejected()
    {
        var json = ValidJson.Replace("\"right\"", "\"left\"", StringComparison.Ordinal);

        var error = Assert.Throws<DeviceFileException>(() => DeviceFile.Parse(json, "d.json", folder: null));

        Assert.Equal("drivers[1].id", error.Field);
    }

    [Fact]
    public void CoincidentDrivers_AreRejected()
    {
        var json = ValidJson.Replace("[0,  0.08, 0]", "[0, -0.07, 0]", StringComparison.Ordinal);

        var error = Assert.Throws<DeviceFileException>(() => DeviceFile.Parse(json, "d.json", folder: null));

        Assert.Equal("drivers[1].position_m", error.Field);
        Assert.Contains("cannot coincide", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownProbeDriver_IsRejected()
    {
        var json = ValidJson.Replace("\"probe_drivers\": [\"left\"]", "\"probe_drivers\": [\"tweeter\"]", StringComparison.Ordinal);

        var error = Assert.Throws<DeviceFileException>(() => DeviceFile.Parse(json, "d.json", folder: null));

        Assert.Equal("sensing.probe_drivers[0]", error.Field);
    }

    [Fact]
    public void MissingMeasurementFile_IsNamed()
    {
        var json = ValidJson.Replace("\"diameter_m\": 0.05 }", "\"diameter_m\": 0.05, \"measurement\": \"left/ir.json\" }", StringComparison.Ordinal);

        var error = Assert.Throws<DeviceFileException>(() => DeviceFile.Parse(json, "d.json", folder));

        Assert.Equal("drivers[0].measurement", error.Field);
        Assert.Contains("left/ir.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFolder_GivesFileNotFoundWithThePath()
    {
        var missing = Path.Combine(folder, "nope");

        var error = Assert.Throws<FileNotFoundException>(() => DeviceFile.Load(missing));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SingleMidDevice_IsValidButNotSpatial()
    {
        var device = DeviceFile.Parse(ValidJson, "d.json", folder: null);
        var single = device with { Drivers = [device.Drivers[0]], ProbeDriverIds = [] };

        DeviceFile.Validate(single, "d.json");
        var error = Assert.Throws<DeviceFileException>(() => DeviceFile.ValidateForSpatial(single, "d.json"));

        Assert.Contains("at least 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Azimuth90_PointsToTheDevicesLeft()
    {
        var left = Vector3D.FromSpherical(90, 0);

        Assert.Equal(0, left.X, 12);
        Assert.Equal(1, left.Y, 12);
        Assert.Equal(0, left.Z, 12);
    }
}
