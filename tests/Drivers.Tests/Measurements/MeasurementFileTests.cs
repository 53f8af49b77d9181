using System.Globalization;
using System.Numerics;
using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Directivity;
using SpatialAudio.Drivers.Measurements;
using SpatialAudio.Filters.Wav;

namespace SpatialAudio.Drivers.Tests.Measurements;

public sealed class MeasurementFileTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "measurement-" + Guid.NewGuid().ToString("N"));

    public MeasurementFileTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static float[] Ir(int seed, int length = 16)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
    }

    [Fact]
    public void SaveThenLoad_IsSampleExact_AcrossMultichannelFiles()
    {
        var points = new List<MeasurementPoint>();
        for (var i = 0; i < 40; i++)
        {
            points.Add(MeasurementPoint.FromImpulseResponse(new MeasurementAngle((i * 9) - 180, 0), Ir(i)));
        }

        var set = new DriverMeasurement("mid", 96000, 7, points);
        var sidecar = MeasurementFile.Save(set, folder, "mid");
        Assert.Equal(32, WavFile.ReadAll(Path.Combine(folder, "mid_1.wav")).Channels.Length);
        Assert.Equal(8, WavFile.ReadAll(Path.Combine(folder, "mid_2.wav")).Channels.Length);
        var loaded = MeasurementFile.Load(sidecar);
        Assert.Equal("mid", loaded.DriverId);
        Assert.Equal(96000, loaded.SampleRateHz);
        Assert.Equal(7, loaded.TimeZeroSample);
        Assert.Equal(points.Select(p => p.Angle), loaded.Points.Select(p => p.Angle));
        for (var i = 0; i < points.Count; i++)
        {
            Assert.Equal(points[i].ImpulseResponse, loaded.Points[i].ImpulseResponse);
        }
    }

    private string WriteMonoSet(string extra = "", double distance = 1.0, bool delayRemoved = true)
    {
        WavFile.Write(Path.Combine(folder, "a0.wav"), 48000, [Ir(1)], WavEncoding.IeeeFloat32);
        WavFile.Write(Path.Combine(folder, "a30.wav"), 48000, [Ir(2)], WavEncoding.Pcm24);
        var json = "{\"driver\":\"tw\",\"sample_rate_hz\":48000,\"distance_m\":" + distance.ToString(CultureInfo.InvariantCulture) +
            ",\"delay_removed\":" + (delayRemoved ? "true" : "false") + extra + ",\"files\":[" +
            "{\"path\":\"a0.wav\",\"angles\":[{\"azimuth_deg\":0,\"elevation_deg\":0}]}," +
            "{\"path\":\"a30.wav\",\"angles\":[{\"azimuth_deg\":30,\"elevation_deg\":0}]}]}";
        var path = Path.Combine(folder, "tw.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void MonoFilesPerAngle_AnyEncoding_Load()
    {
        var loaded = MeasurementFile.Load(WriteMonoSet());
        Assert.Equal(2, loaded.Points.Count);
        Assert.Equal(Ir(1), loaded.Points[0].ImpulseResponse);
        Assert.Equal(new MeasurementAngle(30, 0), loaded.Points[1].Angle);
    }

    [Fact]
    public void DistanceAndDelay_AreNormalizedToTheDriverCenterAtOneMeter()
    {
        var loaded = MeasurementFile.Load(WriteMonoSet(",\"time_zero_sample\":5", distance: 2.0, delayRemoved: false));
        var original = Ir(1);
        for (var n = 0; n < original.Length; n++)
        {
            Assert.Equal(original[n] * 2.0, loaded.Points[0].ImpulseResponse![n], 6);
        }

        Assert.Equal(5 + (2.0 / 343.2 * 48000), loaded.TimeZeroSample, 9);
    }

    public static TheoryData<string, string, string> Broken => new()
    {
        // name of the break, field expected in the error, text expected in the message
        { "missing-file", "files[1].path", "does not exist" },
        { "channel-count", "files[0].angles", "2 channel(s) but 1 angle(s)" },
        { "sample-rate", "files[1].path", "44100 Hz but sample_rate_hz says 48000" },
        { "azimuth", "files[1].angles[0].azimuth_deg", "-180..180" },
        { "elevation", "files[1].angles[0].elevation_deg", "-90..90" },
        { "duplicate", "files[1].angles[0]", "duplicate direction" },
        { "no-on-axis", "files", "no on-axis" },
        { "nan", "files[1].angles[0]", "must be finite" },
        { "unknown", "distance", "unknown property" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void InvalidSets_AreRejectedNamingTheFileAndField(string breakName, string field, string text)
    {
        var sidecar = WriteMonoSet();
        var json = File.ReadAllText(sidecar);
        switch (breakName)
        {
            case "missing-file": File.Delete(Path.Combine(folder, "a30.wav")); break;
            case "channel-count": WavFile.Write(Path.Combine(folder, "a0.wav"), 48000, [Ir(1), Ir(2)], WavEncoding.IeeeFloat32); break;
            case "sample-rate": WavFile.Write(Path.Combine(folder, "a30.wav"), 44100, [Ir(2)], WavEncoding.IeeeFloat32); break;
            case "azimuth": json = json.Replace("\"azimuth_deg\":30", "\"azimuth_deg\":181", StringComparison.Ordinal); break;
            case "elevation": json = json.Replace("\"azimuth_deg\":30,\"elevation_deg\":0", "\"azimuth_deg\":30,\"elevation_deg\":-91", StringComparison.Ordinal); break;
            case "duplicate": json = json.Replace("\"azimuth_deg\":30", "\"azimuth_deg\":0", StringComparison.Ordinal); break;
            case "no-on-axis": json = json.Replace("\"azimuth_deg\":0,", "\"azimuth_deg\":10,", StringComparison.Ordinal); break;
            case "nan":
                var samples = Ir(2);
                samples[3] = float.NaN;
                WavFile.Write(Path.Combine(folder, "a30.wav"), 48000, [samples], WavEncoding.IeeeFloat32);
                break;
            case "unknown": json = json.Replace("\"distance_m\"", "\"distance\"", StringComparison.Ordinal); break;
        }

        File.WriteAllText(sidecar, json);
        var error = Assert.Throws<MeasurementFileException>(() => MeasurementFile.Load(sidecar));
        Assert.Equal(field, error.Field);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
        Assert.Contains(breakName == "nan" ? "a30.wav" : "tw.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RewExports_ImportAndInterpolateLikeTheModel()
    {
        // Write REW text exports of a piston model at 1/24-octave points, 0..180 deg every 5 deg in the horizontal
        // plane, at 94 dB SPL reference; the imported set must reproduce the model between the export frequencies.
        var model = new PistonDriverModel(DriverRole.Mid, 0.05, 0.175);
        var files = new List<string>();
        for (var az = -175; az <= 180; az += 5)
        {
            var lines = new List<string> { "* Measurement data measured by REW", "* Freq(Hz) SPL(dB) Phase(degrees)" };
            for (var f = 100.0; f <= 24000; f *= Math.Pow(2, 1.0 / 24))
            {
                var h = model.Response(Math.Abs(az), f);
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{f:R} {94 + (20 * Math.Log10(h.Magnitude)):R} {h.Phase * 180 / Math.PI:R}"));
            }

            var name = $"rew_{az}.txt";
            File.WriteAllLines(Path.Combine(folder, name), lines);
            files.Add("{\"path\":\"" + name + "\",\"angles\":[{\"azimuth_deg\":" + az + ",\"elevation_deg\":0}]}");
        }

        var sidecar = Path.Combine(folder, "rew.json");
        File.WriteAllText(sidecar, "{\"driver\":\"m\",\"sample_rate_hz\":48000,\"distance_m\":1,\"format\":\"rew\",\"spl_reference_db\":94,\"files\":[" +
            string.Join(",", files) + "]}");
        var directivity = MeasuredDirectivity.Load(sidecar);
        var result = new Complex[1];
        foreach (var (az, f) in new[] { (0.0, 1000.0), (30, 5000), (-60, 12000), (150, 3000), (0, 300) })
        {
            directivity.Response(az, 0, [f], result);
            var expected = model.Response(Math.Abs(az), f);
            Assert.InRange(20 * Math.Log10(result[0].Magnitude / expected.Magnitude), -0.05, 0.05);
            Assert.InRange(Math.IEEERemainder(result[0].Phase - expected.Phase, 2 * Math.PI), -0.02, 0.02);
        }
    }

    [Fact]
    public void RewMalformedLine_NamesTheFileAndLine()
    {
        var path = Path.Combine(folder, "bad.txt");
        File.WriteAllLines(path, ["* header", "100 90 0", "200 ninety 0"]);
        var error = Assert.Throws<MeasurementFileException>(() => MeasurementFile.ReadRewText(path));
        Assert.Contains("bad.txt", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RewFileWithSeveralAngles_IsRejected()
    {
        File.WriteAllLines(Path.Combine(folder, "r.txt"), ["100 90 0", "200 90 0"]);
        var sidecar = Path.Combine(folder, "r.json");
        File.WriteAllText(sidecar, "{\"driver\":\"m\",\"sample_rate_hz\":48000,\"distance_m\":1,\"format\":\"rew\",\"files\":[" +
            "{\"path\":\"r.txt\",\"angles\":[{\"azimuth_deg\":0,\"elevation_deg\":0},{\"azimuth_deg\":5,\"elevation_deg\":0}]}]}");
        var error = Assert.Throws<MeasurementFileException>(() => MeasurementFile.Load(sidecar));
        Assert.Equal("files[0].angles", error.Field);
    }
}
