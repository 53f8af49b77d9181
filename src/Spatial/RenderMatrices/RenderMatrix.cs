using System.Text.Json;
using System.Text.Json.Nodes;
using SpatialAudio.Filters.Wav;

namespace SpatialAudio.Spatial.RenderMatrices;

/// <summary>
/// The design-time product the real-time renderer runs: one FIR per (input, driver), inputs <c>L</c>, <c>R</c>,
/// <c>C</c> (the upmixer's L', R', C), drivers in device order.
/// </summary>
/// <remarks>
/// <para>On disk (DESIGN.md, contract): a folder with <c>render-matrix.json</c> and one float32 WAV per input whose
/// channel k is the FIR from that input to driver k. <see cref="Save"/> writes to a temporary sibling folder and
/// renames it when complete, so a reader never sees a half-written matrix.</para>
/// <para><see cref="LatencySamples"/> is the modelling delay the FIRs contain (the delay of the on-axis acoustic
/// result relative to the input), at <see cref="SampleRateHz"/>. Immutable and thread-safe after construction.</para>
/// </remarks>
public sealed class RenderMatrix
{
    /// <summary>File name of the description inside a render-matrix folder.</summary>
    public const string DescriptionFileName = "render-matrix.json";

    /// <summary>Current file-format version.</summary>
    public const int FormatVersion = 1;

    /// <summary>Longest FIR accepted (2.7 s at 48 kHz), a guard against nonsense files.</summary>
    public const int MaxFirLength = 131072;

    /// <summary>Input names in order: left remainder, right remainder, center.</summary>
    public static IReadOnlyList<string> InputNames { get; } = ["L", "R", "C"];

    private readonly float[][][] filters;

    /// <summary>Creates a render matrix; copies and validates the filters.</summary>
    /// <param name="preset">Preset name (<c>spatial</c>, <c>matrix</c>, <c>ctc</c>, <c>bypass</c> or a user name).</param>
    /// <param name="sampleRateHz">Device sample rate the FIRs are designed for.</param>
    /// <param name="driverIds">Driver ids in device order.</param>
    /// <param name="filters">FIRs indexed [input (L, R, C)][driver][tap]; all the same length, finite.</param>
    /// <param name="latencySamples">Modelling delay contained in the FIRs, 0..length.</param>
    /// <param name="designParameters">Free-form design parameters recorded with the matrix (copied).</param>
    /// <param name="metrics">Free-form evaluation metrics recorded with the matrix (copied).</param>
    public RenderMatrix(
        string preset,
        int sampleRateHz,
        IReadOnlyList<string> driverIds,
        float[][][] filters,
        int latencySamples,
        JsonObject? designParameters = null,
        JsonObject? metrics = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(preset);
        ArgumentNullException.ThrowIfNull(driverIds);
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRateHz, 8000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleRateHz, 384000);
        if (driverIds.Count == 0)
        {
            throw new ArgumentException("a render matrix needs at least one driver", nameof(driverIds));
        }

        if (filters.Length != InputNames.Count)
        {
            throw new ArgumentException($"expected {InputNames.Count} inputs (L, R, C), got {filters.Length}", nameof(filters));
        }

        var length = -1;
        this.filters = new float[filters.Length][][];
        for (var i = 0; i < filters.Length; i++)
        {
            if (filters[i] is null || filters[i].Length != driverIds.Count)
            {
                throw new ArgumentException($"input {InputNames[i]}: expected {driverIds.Count} driver FIRs", nameof(filters));
            }

            this.filters[i] = new float[driverIds.Count][];
            for (var d = 0; d < driverIds.Count; d++)
            {
                var fir = filters[i][d] ?? throw new ArgumentException($"input {InputNames[i]}, driver {driverIds[d]}: FIR is null", nameof(filters));
                if (length < 0)
                {
                    length = fir.Length;
                }

                if (fir.Length != length || length == 0 || length > MaxFirLength)
                {
                    throw new ArgumentException(
                        $"input {InputNames[i]}, driver {driverIds[d]}: FIR length {fir.Length}; all FIRs must have the same length 1..{MaxFirLength}",
                        nameof(filters));
                }

                foreach (var v in fir)
                {
                    if (!float.IsFinite(v))
                    {
                        throw new ArgumentException($"input {InputNames[i]}, driver {driverIds[d]}: FIR has a non-finite tap", nameof(filters));
                    }
                }

                this.filters[i][d] = (float[])fir.Clone();
            }
        }

        ArgumentOutOfRangeException.ThrowIfNegative(latencySamples);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(latencySamples, length);
        Preset = preset;
        SampleRateHz = sampleRateHz;
        DriverIds = [.. driverIds];
        FirLength = length;
        LatencySamples = latencySamples;
        DesignParameters = (JsonObject?)designParameters?.DeepClone() ?? [];
        Metrics = (JsonObject?)metrics?.DeepClone() ?? [];
    }

    /// <summary>Preset name.</summary>
    public string Preset { get; }

    /// <summary>Sample rate the FIRs are designed for, Hz.</summary>
    public int SampleRateHz { get; }

    /// <summary>Driver ids in device order (the output channels).</summary>
    public IReadOnlyList<string> DriverIds { get; }

    /// <summary>Number of inputs (3: L, R, C).</summary>
    public int InputCount => filters.Length;

    /// <summary>Number of drivers (output channels).</summary>
    public int DriverCount => DriverIds.Count;

    /// <summary>Length of every FIR in taps.</summary>
    public int FirLength { get; }

    /// <summary>Modelling delay contained in the FIRs, samples at <see cref="SampleRateHz"/>.</summary>
    public int LatencySamples { get; }

    /// <summary>Design parameters recorded with the matrix (a private copy; edits do not change the file).</summary>
    public JsonObject DesignParameters { get; }

    /// <summary>Evaluation metrics recorded with the matrix.</summary>
    public JsonObject Metrics { get; }

    /// <summary>The FIR from input <paramref name="input"/> (0 = L, 1 = R, 2 = C) to driver <paramref name="driver"/>.</summary>
    public ReadOnlySpan<float> Filter(int input, int driver) => filters[input][driver];

    /// <summary>The FIRs as the convolver's [input, output] array (shared, do not modify).</summary>
    public float[]?[,] ToConvolverArray()
    {
        var result = new float[]?[InputCount, DriverCount];
        for (var i = 0; i < InputCount; i++)
        {
            for (var d = 0; d < DriverCount; d++)
            {
                result[i, d] = filters[i][d];
            }
        }

        return result;
    }

    /// <summary>
    /// Writes the matrix to <paramref name="folder"/> (created; must not exist unless <paramref name="overwrite"/>).
    /// Everything is written to a temporary sibling first and renamed when complete.
    /// </summary>
    /// <exception cref="RenderMatrixException">The folder exists (and <paramref name="overwrite"/> is false) or cannot be written.</exception>
    public void Save(string folder, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var target = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        if (Directory.Exists(target) && !overwrite)
        {
            throw new RenderMatrixException(target, "folder already exists (choose another output folder or remove it)");
        }

        var parent = Path.GetDirectoryName(target) ?? ".";
        var temp = Path.Combine(parent, $".{Path.GetFileName(target)}.tmp-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(temp);
            WriteInto(temp);
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            Directory.Move(temp, target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw e as RenderMatrixException ?? new RenderMatrixException(target, $"cannot write the render matrix: {e.Message}", e);
        }
    }

    /// <summary>Writes the description and the WAVs into an existing, empty folder (no temp/rename).</summary>
    /// <remarks>For callers that assemble a larger output in their own temporary folder and rename it once.</remarks>
    public void WriteInto(string folder)
    {
        var files = new JsonObject();
        for (var i = 0; i < InputCount; i++)
        {
            var name = $"{InputNames[i]}.wav";
            files[InputNames[i]] = name;
            var channels = new float[DriverCount][];
            for (var d = 0; d < DriverCount; d++)
            {
                channels[d] = filters[i][d];
            }

            WavFile.Write(Path.Combine(folder, name), SampleRateHz, channels, WavEncoding.IeeeFloat32);
        }

        var json = new JsonObject
        {
            ["format_version"] = FormatVersion,
            ["preset"] = Preset,
            ["sample_rate_hz"] = SampleRateHz,
            ["inputs"] = new JsonArray([.. InputNames.Select(n => (JsonNode)n)]),
            ["drivers"] = new JsonArray([.. DriverIds.Select(n => (JsonNode)n)]),
            ["fir_length"] = FirLength,
            ["latency_samples"] = LatencySamples,
            ["latency_ms"] = Math.Round(1000.0 * LatencySamples / SampleRateHz, 3),
            ["files"] = files,
            ["design_parameters"] = DesignParameters.DeepClone(),
            ["metrics"] = Metrics.DeepClone(),
        };
        File.WriteAllText(Path.Combine(folder, DescriptionFileName), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>Reads and validates a render-matrix folder.</summary>
    /// <exception cref="RenderMatrixException">Missing or malformed description or WAVs; the message names the file.</exception>
    public static RenderMatrix Load(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var jsonPath = Path.Combine(folder, DescriptionFileName);
        if (!Directory.Exists(folder))
        {
            throw new RenderMatrixException(folder, "render-matrix folder not found");
        }

        if (!File.Exists(jsonPath))
        {
            throw new RenderMatrixException(jsonPath, "file not found (is this a folder written by `spatial design`?)");
        }

        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(jsonPath)) as JsonObject
                ?? throw new RenderMatrixException(jsonPath, "expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new RenderMatrixException(jsonPath, $"malformed JSON: {e.Message}", e);
        }

        var version = Get<int>(root, "format_version", jsonPath);
        if (version != FormatVersion)
        {
            throw new RenderMatrixException(jsonPath, $"format_version {version} is not supported (expected {FormatVersion})");
        }

        var preset = Get<string>(root, "preset", jsonPath);
        var rate = Get<int>(root, "sample_rate_hz", jsonPath);
        var firLength = Get<int>(root, "fir_length", jsonPath);
        var latency = Get<int>(root, "latency_samples", jsonPath);
        var inputs = GetArray(root, "inputs", jsonPath);
        if (!inputs.SequenceEqual(InputNames))
        {
            throw new RenderMatrixException(jsonPath, $"inputs must be [\"L\", \"R\", \"C\"], found [{string.Join(", ", inputs)}]");
        }

        var drivers = GetArray(root, "drivers", jsonPath);
        if (drivers.Count == 0)
        {
            throw new RenderMatrixException(jsonPath, "drivers is empty");
        }

        if (root["files"] is not JsonObject files)
        {
            throw new RenderMatrixException(jsonPath, "files: missing or not an object");
        }

        var filters = new float[InputNames.Count][][];
        for (var i = 0; i < InputNames.Count; i++)
        {
            var name = files[InputNames[i]]?.GetValue<string>()
                ?? throw new RenderMatrixException(jsonPath, $"files.{InputNames[i]}: missing");
            var wavPath = Path.Combine(folder, name);
            if (!File.Exists(wavPath))
            {
                throw new RenderMatrixException(wavPath, $"file not found (listed as files.{InputNames[i]} in {DescriptionFileName})");
            }

            WavData data;
            try
            {
                data = WavFile.ReadAll(wavPath);
            }
            catch (WavFormatException e)
            {
                throw new RenderMatrixException(wavPath, e.Message, e);
            }

            if (data.Format.SampleRateHz != rate)
            {
                throw new RenderMatrixException(wavPath, $"sample rate {data.Format.SampleRateHz} Hz, but {DescriptionFileName} says {rate} Hz");
            }

            if (data.Channels.Length != drivers.Count)
            {
                throw new RenderMatrixException(wavPath, $"{data.Channels.Length} channels, but {drivers.Count} drivers are listed");
            }

            if (data.FrameCount != firLength)
            {
                throw new RenderMatrixException(wavPath, $"{data.FrameCount} taps, but fir_length is {firLength}");
            }

            foreach (var channel in data.Channels)
            {
                foreach (var v in channel)
                {
                    if (!float.IsFinite(v))
                    {
                        throw new RenderMatrixException(wavPath, "contains a non-finite tap (NaN or Inf)");
                    }
                }
            }

            filters[i] = data.Channels;
        }

        try
        {
            return new RenderMatrix(
                preset, rate, drivers, filters, latency,
                root["design_parameters"] as JsonObject, root["metrics"] as JsonObject);
        }
        catch (ArgumentException e)
        {
            throw new RenderMatrixException(jsonPath, e.Message, e);
        }
    }

    private static T Get<T>(JsonObject root, string name, string path)
    {
        try
        {
            return root[name] is JsonValue value ? value.GetValue<T>() : throw new RenderMatrixException(path, $"{name}: missing");
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new RenderMatrixException(path, $"{name}: expected {typeof(T).Name}", e);
        }
    }

    private static List<string> GetArray(JsonObject root, string name, string path)
    {
        if (root[name] is not JsonArray array)
        {
            throw new RenderMatrixException(path, $"{name}: missing or not an array");
        }

        try
        {
            return [.. array.Select(n => n?.GetValue<string>() ?? throw new RenderMatrixException(path, $"{name}: null entry"))];
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new RenderMatrixException(path, $"{name}: expected strings", e);
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a leftover hidden temp folder is harmless and named as such.
        }
    }
}
