using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Measurements;

namespace SpatialAudio.Drivers.Tests.Bundled;

public sealed class GeneratedDevicesFixture : IDisposable
{
    public GeneratedDevicesFixture()
    {
        RepoMeasurements = Path.Combine(FindRepoRoot(), "measurements");

        // Set SPATIAL_REGENERATE_MEASUREMENTS=1 to rewrite the committed files (then review and commit them).
        if (Environment.GetEnvironmentVariable("SPATIAL_REGENERATE_MEASUREMENTS") == "1")
        {
            BundledDevices.Generate(RepoMeasurements);
        }

        Folder = Path.Combine(Path.GetTempPath(), "bundled-" + Guid.NewGuid().ToString("N"));
        BundledDevices.Generate(Folder);
    }

    public string Folder { get; }

    public string RepoMeasurements { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SpatialAudio.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("SpatialAudio.sln not found above the test binaries.");
    }
}

public sealed class BundledDevicesTests(GeneratedDevicesFixture generated) : IClassFixture<GeneratedDevicesFixture>
{
    public static TheoryData<string> Devices => ["studio5", "soundbar", "pair"];

    [Theory]
    [MemberData(nameof(Devices))]
    public void CommittedFiles_AreExactlyWhatTheGeneratorWrites(string name)
    {
        var fresh = Path.Combine(generated.Folder, name);
        var committed = Path.Combine(generated.RepoMeasurements, name);
        var freshFiles = Directory.GetFiles(fresh).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        var committedFiles = Directory.GetFiles(committed).Select(Path.GetFileName).Where(f => f != "README.md").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(freshFiles, committedFiles);
        foreach (var file in freshFiles)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(fresh, file!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(committed, file!))),
                $"{name}/{file} differs from a fresh generation");
        }

        Assert.True(File.Exists(Path.Combine(committed, "README.md")), $"{name} has no README.md saying how it was made");
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void CommittedDevice_LoadsAndEveryMeasurementReadsBackSampleExact(string name)
    {
        var folder = Path.Combine(generated.RepoMeasurements, name);
        var device = DeviceFile.Load(folder);
        var (expected, baffles) = BundledDevices.Describe(name);
        Assert.Equal(expected.Drivers.Count, device.Drivers.Count);
        foreach (var driver in device.Drivers)
        {
            Assert.NotNull(driver.MeasurementPath);
            var loaded = MeasurementFile.Load(Path.Combine(folder, driver.MeasurementPath!));
            var length = driver.Role switch { DriverRole.Woofer => 4096, DriverRole.Mid => 1024, _ => 256 };
            var reference = PolarSampler.Sample(BundledDevices.Model(driver, baffles[driver.Id]), driver.Id, 96000, length, 32);
            Assert.Equal(driver.Id, loaded.DriverId);
            Assert.Equal(96000, loaded.SampleRateHz);
            Assert.Equal(32, loaded.TimeZeroSample);
            Assert.Equal(reference.Points.Count, loaded.Points.Count);
            for (var i = 0; i < reference.Points.Count; i++)
            {
                Assert.Equal(reference.Points[i].Angle, loaded.Points[i].Angle);
                Assert.Equal(reference.Points[i].ImpulseResponse, loaded.Points[i].ImpulseResponse);
            }
        }
    }

    [Fact]
    public void ListenerLeftDrivers_SitAtNegativeY()
    {
        var studio = DeviceFile.Load(Path.Combine(generated.RepoMeasurements, "studio5"));
        var left = studio.Drivers[studio.IndexOf("mid_left")];
        Assert.True(left.PositionMeters.Y < 0);
        Assert.True(left.AxisAzimuthDeg < 0);
        var pair = DeviceFile.Load(Path.Combine(generated.RepoMeasurements, "pair"));
        Assert.Equal(-0.08, pair.Drivers[pair.IndexOf("mid_left")].PositionMeters.Y);
    }

    [Fact]
    public void MeasurementsFolder_StaysUnder12MB()
    {
        var bytes = Directory.GetFiles(generated.RepoMeasurements, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(bytes < 12_500_000, $"measurements/ holds {bytes} bytes");
    }
}
