using System.Globalization;
using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Measurements;
using SpatialAudio.Filters.Wav;

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

    // The generator is scalar double code, but Math.Sin/Cos/Exp come from the C library, which may pick FMA or non-FMA
    // variants by CPU: a last-bit difference can flip a float32 rounding. So the committed files must equal a fresh
    // generation byte for byte in every JSON file, and within 2 float32 ulps (WAV) or 0.02 px (SVG) elsewhere; on the
    // machine that generated them they are identical.
    [Theory]
    [MemberData(nameof(Devices))]
    public void CommittedFiles_MatchAFreshGeneration(string name)
    {
        var fresh = Path.Combine(generated.Folder, name);
        var committed = Path.Combine(generated.RepoMeasurements, name);
        var freshFiles = Directory.GetFiles(fresh).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        var committedFiles = Directory.GetFiles(committed).Select(Path.GetFileName).Where(f => f is not ("README.md" or "design.json")).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(freshFiles, committedFiles);
        foreach (var file in freshFiles)
        {
            var a = Path.Combine(fresh, file!);
            var b = Path.Combine(committed, file!);
            if (file!.EndsWith(".wav", StringComparison.Ordinal))
            {
                var x = WavFile.ReadAll(a);
                var y = WavFile.ReadAll(b);
                Assert.Equal(x.FileFormat.Encoding, y.FileFormat.Encoding);
                Assert.Equal(x.Channels.Length, y.Channels.Length);
                for (var c = 0; c < x.Channels.Length; c++)
                {
                    Assert.Equal(x.Channels[c].Length, y.Channels[c].Length);
                    for (var n = 0; n < x.Channels[c].Length; n++)
                    {
                        Assert.True(Ulps(x.Channels[c][n], y.Channels[c][n]) <= 2, $"{name}/{file} channel {c} sample {n}");
                    }
                }
            }
            else if (file.EndsWith(".svg", StringComparison.Ordinal))
            {
                var x = SvgTokens(File.ReadAllText(a));
                var y = SvgTokens(File.ReadAllText(b));
                Assert.Equal(x.Length, y.Length);
                for (var i = 0; i < x.Length; i++)
                {
                    var same = x[i] == y[i] || (double.TryParse(x[i], CultureInfo.InvariantCulture, out var u)
                        && double.TryParse(y[i], CultureInfo.InvariantCulture, out var v) && Math.Abs(u - v) <= 0.02);
                    Assert.True(same, $"{name}/{file}: '{x[i]}' vs '{y[i]}'");
                }
            }
            else
            {
                Assert.True(File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b)), $"{name}/{file} differs from a fresh generation");
            }
        }

        Assert.True(File.Exists(Path.Combine(committed, "README.md")), $"{name} has no README.md saying how it was made");
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void GeneratedDevice_LoadsAndEveryMeasurementReadsBackSampleExact(string name)
    {
        var folder = Path.Combine(generated.Folder, name);
        foreach (var (driver, loaded, reference) in LoadAll(folder, name))
        {
            for (var i = 0; i < reference.Points.Count; i++)
            {
                Assert.Equal(reference.Points[i].Angle, loaded.Points[i].Angle);
                Assert.Equal(reference.Points[i].ImpulseResponse, loaded.Points[i].ImpulseResponse);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void CommittedDevice_LoadsThroughDeviceFileAndTheImporter(string name)
    {
        var folder = Path.Combine(generated.RepoMeasurements, name);
        foreach (var (driver, loaded, reference) in LoadAll(folder, name))
        {
            for (var i = 0; i < reference.Points.Count; i++)
            {
                Assert.Equal(reference.Points[i].Angle, loaded.Points[i].Angle);
                var x = reference.Points[i].ImpulseResponse!;
                var y = loaded.Points[i].ImpulseResponse!;
                Assert.Equal(x.Length, y.Length);
                Assert.True(x.Zip(y).All(p => Ulps(p.First, p.Second) <= 2), $"{name}/{driver} point {i}");
            }
        }
    }

    private static IEnumerable<(string Driver, DriverMeasurement Loaded, DriverMeasurement Reference)> LoadAll(string folder, string name)
    {
        var device = DeviceFile.Load(folder);
        var (expected, baffles) = BundledDevices.Describe(name);
        Assert.Equal(expected, device, DeviceComparer.Instance);
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
            yield return (driver.Id, loaded, reference);
        }
    }

    private static long Ulps(float a, float b)
    {
        if (a == b)
        {
            return 0;
        }

        static long Ordered(float v)
        {
            var bits = BitConverter.SingleToInt32Bits(v);
            return bits < 0 ? int.MinValue - (long)bits : bits;
        }

        return Math.Abs(Ordered(a) - Ordered(b));
    }

    private static string[] SvgTokens(string text) => text.Split([' ', ',', '"', '=', '<', '>', '\n', 'M', 'L'], StringSplitOptions.RemoveEmptyEntries);

    private sealed class DeviceComparer : IEqualityComparer<DeviceDescription>
    {
        public static DeviceComparer Instance { get; } = new();

        public bool Equals(DeviceDescription? x, DeviceDescription? y) =>
            x is not null && y is not null && x.Name == y.Name && x.SampleRateHz == y.SampleRateHz
            && x.Drivers.SequenceEqual(y.Drivers) && x.ProbeDriverIds.SequenceEqual(y.ProbeDriverIds) && x.Microphones.SequenceEqual(y.Microphones);

        public int GetHashCode(DeviceDescription obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
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
