using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SpatialAudio.Spatial.Stimuli;

namespace SpatialAudio.Spatial.Sensing.Detection;

/// <summary>Classes the detector tells apart, in output order.</summary>
public enum MotionClass
{
    /// <summary>Nothing moving (fans, curtains and noise included).</summary>
    None = 0,

    /// <summary>A small movement.</summary>
    Minor = 1,

    /// <summary>Walking.</summary>
    Major = 2,
}

/// <summary>
/// The motion detector: a small multilayer perceptron (ReLU hidden layers, softmax over <see cref="MotionClass"/>),
/// about 1.5 k weights, saved as JSON (models/sensing/detector.json).
/// </summary>
/// <remarks><see cref="Predict"/> is allocation-free (scratch buffers owned by the model, so one instance per thread).</remarks>
public sealed class DetectorModel
{
    /// <summary>Format version written and accepted.</summary>
    public const int FormatVersion = 1;

    private readonly float[][] weights;   // [layer][out * in]
    private readonly float[][] biases;
    private readonly float[][] activations;

    /// <summary>Creates a model from its layers.</summary>
    /// <param name="sizes">Layer widths, input first, 3 last.</param>
    /// <param name="weights">Per layer, row-major [out][in].</param>
    /// <param name="biases">Per layer.</param>
    public DetectorModel(IReadOnlyList<int> sizes, float[][] weights, float[][] biases)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(biases);
        if (sizes.Count < 2 || sizes[^1] != 3 || weights.Length != sizes.Count - 1 || biases.Length != sizes.Count - 1)
        {
            throw new ArgumentException("layer sizes, weights and biases disagree (the last layer must have 3 outputs)", nameof(sizes));
        }

        for (var l = 0; l < weights.Length; l++)
        {
            if (weights[l].Length != sizes[l] * sizes[l + 1] || biases[l].Length != sizes[l + 1])
            {
                throw new ArgumentException($"layer {l}: expected {sizes[l + 1]}x{sizes[l]} weights and {sizes[l + 1]} biases", nameof(weights));
            }
        }

        Sizes = [.. sizes];
        this.weights = weights;
        this.biases = biases;
        activations = [.. sizes.Select(n => new float[n])];
    }

    /// <summary>Layer widths, input first.</summary>
    public IReadOnlyList<int> Sizes { get; }

    /// <summary>Inputs.</summary>
    public int InputCount => Sizes[0];

    /// <summary>Free-form training facts saved with the model (seeds, error rates).</summary>
    public JsonObject Training { get; init; } = [];

    /// <summary>How the front end in front of the model is built, when that was chosen apart from its training
    /// (<c>front_end</c>; e.g. a canceller adopted for a detector trained without it).</summary>
    public JsonObject FrontEnd { get; init; } = [];

    /// <summary>Presence thresholds chosen for this model's probabilities (<c>presence</c>; <c>walk_threshold</c> is read),
    /// when they differ from <see cref="PresenceOptions"/>' defaults: a threshold belongs to the detector it was chosen
    /// for, so a model adopted at another walking threshold carries it.</summary>
    public JsonObject Presence { get; init; } = [];

    /// <summary>The presence logic this model runs with unless told otherwise: <see cref="PresenceOptions"/>' defaults with
    /// the model's own walking threshold (<c>presence.walk_threshold</c>) when it has one.</summary>
    public PresenceOptions PresenceDefaults =>
        WalkThreshold(Presence) is { } walk ? new PresenceOptions { MajorThreshold = walk } : new PresenceOptions();

    private static float? WalkThreshold(JsonObject presence) =>
        presence["walk_threshold"] is JsonValue value && value.TryGetValue<double>(out var t) ? (float)t : null;

    /// <summary>Whether the front end runs the fan canceller: <c>front_end.fan_canceller</c>, else whether the model was
    /// trained behind it (<c>training.fan_canceller</c>). <see cref="Pipeline.SensingPipeline"/> and the evaluations
    /// build the front end that way.</summary>
    public bool FanCanceller => Flag(FrontEnd, "fan_canceller") ?? Flag(Training, "fan_canceller") ?? false;

    /// <summary>Whether the front end's time-domain distortion canceller runs with its output guard
    /// (<see cref="FrontEnd.DistortionCanceller"/>): <c>front_end.distortion_guard</c>, else
    /// <c>training.distortion_guard</c>, else not (every model before the twenty-second session).</summary>
    public bool DistortionGuard => Flag(FrontEnd, "distortion_guard") ?? Flag(Training, "distortion_guard") ?? false;

    /// <summary>Whether the front end's start settles as a low-power wake-up does
    /// (<see cref="FrontEnd.DopplerFrontEnd.FastStart"/>): <c>front_end.fast_start</c>, else <c>training.fast_start</c>,
    /// else not (every model before the twenty-third session).</summary>
    public bool FastStart => Flag(FrontEnd, "fast_start") ?? Flag(Training, "fast_start") ?? false;

    /// <summary>FIR length per regressor of the front end's time-domain distortion canceller: <c>front_end.canceller_taps</c>,
    /// else <c>training.canceller_taps</c>, else <see cref="Sensing.FrontEnd.DistortionCanceller.DefaultTaps"/> (every model before
    /// the twenty-third session).</summary>
    public int CancellerTaps => PositiveInt(FrontEnd, "canceller_taps") ?? PositiveInt(Training, "canceller_taps") ?? Sensing.FrontEnd.DistortionCanceller.DefaultTaps;

    /// <summary>Whether the front end's time-domain distortion canceller is the least-squares lattice
    /// (<see cref="Sensing.FrontEnd.LatticeDistortionCanceller"/>): <c>front_end.lattice_canceller</c>, else
    /// <c>training.lattice_canceller</c>, else not (every model before the twenty-fourth session).</summary>
    public bool LatticeCanceller => Flag(FrontEnd, "lattice_canceller") ?? Flag(Training, "lattice_canceller") ?? false;

    /// <summary>The floor the lattice canceller's prediction-error powers leak towards
    /// (<see cref="Sensing.FrontEnd.LatticeDistortionCanceller"/>): <c>front_end.lattice_power_floor</c>, else
    /// <c>training.lattice_power_floor</c>, else <see cref="Sensing.FrontEnd.LatticeDistortionCanceller.DefaultPowerFloor"/>
    /// (every model before the twenty-seventh session).</summary>
    public double LatticePowerFloor => PositiveDouble(FrontEnd, "lattice_power_floor") ?? PositiveDouble(Training, "lattice_power_floor")
        ?? Sensing.FrontEnd.LatticeDistortionCanceller.DefaultPowerFloor;

    // A floor the lattice would refuse, or one given to a front end without the lattice, is an error in the file, not a
    // surprise when the pipeline is built.
    private static void CheckLatticePowerFloor(DetectorModel model)
    {
        foreach (var (name, section) in new[] { ("front_end", model.FrontEnd), ("training", model.Training) })
        {
            if (section["lattice_power_floor"] is { } given
                && !(PositiveDouble(section, "lattice_power_floor") is { } x && Sensing.FrontEnd.LatticeDistortionCanceller.IsPowerFloor(x)))
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{name}.lattice_power_floor {given.ToJsonString()}: give {Sensing.FrontEnd.LatticeDistortionCanceller.MinPowerFloor:R}..{Sensing.FrontEnd.LatticeDistortionCanceller.MaxPowerFloor:R}"));
            }
        }

        if (model.LatticePowerFloor != Sensing.FrontEnd.LatticeDistortionCanceller.DefaultPowerFloor && !model.LatticeCanceller)
        {
            throw new InvalidDataException("lattice_power_floor is given but the front end's canceller is not the lattice (lattice_canceller)");
        }
    }

    private static double? PositiveDouble(JsonObject section, string name) =>
        section[name] is JsonValue value && value.TryGetValue<double>(out var x) && x > 0 && double.IsFinite(x) ? x : null;

    private static int? PositiveInt(JsonObject section, string name) =>
        section[name] is JsonValue value && value.TryGetValue<int>(out var n) && n > 0 ? n : null;

    private static bool? Flag(JsonObject section, string name) =>
        section[name] is JsonValue value && value.TryGetValue<bool>(out var on) ? on : null;

    internal float[][] Weights => weights;

    internal float[][] Biases => biases;

    /// <summary>A randomly initialized model (He initialization).</summary>
    public static DetectorModel Random(IReadOnlyList<int> sizes, int seed)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        var random = new Random(seed);
        var w = new float[sizes.Count - 1][];
        var b = new float[sizes.Count - 1][];
        for (var l = 0; l < w.Length; l++)
        {
            w[l] = new float[sizes[l] * sizes[l + 1]];
            b[l] = new float[sizes[l + 1]];
            var std = Math.Sqrt(2.0 / sizes[l]);
            for (var i = 0; i < w[l].Length; i++)
            {
                w[l][i] = (float)(std * Gaussian.Next(random));
            }
        }

        return new DetectorModel(sizes, w, b);
    }

    /// <summary>Class probabilities for one feature vector.</summary>
    /// <param name="features">Inputs.</param>
    /// <param name="probabilities">Receives 3 probabilities (None, Minor, Major).</param>
    public void Predict(ReadOnlySpan<float> features, Span<float> probabilities)
    {
        features[..InputCount].CopyTo(activations[0]);
        for (var l = 0; l < weights.Length; l++)
        {
            Layer(activations[l], weights[l], biases[l], activations[l + 1], relu: l < weights.Length - 1);
        }

        Softmax(activations[^1], probabilities);
    }

    internal static void Layer(ReadOnlySpan<float> input, float[] w, float[] b, Span<float> output, bool relu)
    {
        var n = input.Length;
        for (var o = 0; o < output.Length; o++)
        {
            var sum = b[o] + System.Numerics.Tensors.TensorPrimitives.Dot(input, w.AsSpan(o * n, n));
            output[o] = relu && sum < 0 ? 0 : sum;
        }
    }

    // Float at run time, double in training: one definition for both.
    internal static void Softmax<T>(ReadOnlySpan<T> logits, Span<T> probabilities)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var max = T.NegativeInfinity;
        foreach (var z in logits)
        {
            max = T.Max(max, z);
        }

        var sum = T.Zero;
        for (var i = 0; i < logits.Length; i++)
        {
            probabilities[i] = T.Exp(logits[i] - max);
            sum += probabilities[i];
        }

        for (var i = 0; i < logits.Length; i++)
        {
            probabilities[i] /= sum;
        }
    }

    /// <summary>The most probable class of (None, Minor, Major) probabilities; ties go to the more severe class.</summary>
    internal static int ArgMax(ReadOnlySpan<float> p) => p[2] >= p[1] && p[2] >= p[0] ? 2 : p[1] >= p[0] ? 1 : 0;

    /// <summary>Writes the model as JSON (atomically: temp file, then rename).</summary>
    public void Save(string path)
    {
        var root = new JsonObject
        {
            ["format_version"] = FormatVersion,
            ["kind"] = "mlp-relu-softmax",
            ["features"] = "MotionFeatures: 14 Doppler bands over background (dB/20) at 4 time scales (frame, peak of 4, means of 16 and 128 frames), each minus its median, and the median; music level and change"
                + (InputCount > MotionFeatures.BaseCount ? "; largest music onset over the last 4 and 16 frames" : ""),
            ["classes"] = new JsonArray("none", "minor", "major"),
            ["sizes"] = new JsonArray([.. Sizes.Select(s => (JsonNode)s)]),
            ["layers"] = new JsonArray([.. weights.Select((w, l) => (JsonNode)new JsonObject
            {
                ["weights"] = new JsonArray([.. w.Select(v => (JsonNode)Math.Round(v, 6))]),
                ["bias"] = new JsonArray([.. biases[l].Select(v => (JsonNode)Math.Round(v, 6))]),
            })]),
            ["training"] = JsonNode.Parse(Training.ToJsonString()),
        };
        if (FrontEnd.Count > 0)
        {
            root["front_end"] = JsonNode.Parse(FrontEnd.ToJsonString());
        }

        if (Presence.Count > 0)
        {
            root["presence"] = JsonNode.Parse(Presence.ToJsonString());
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        File.WriteAllText(temp, root.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a detector model; the message names the file and the problem.</exception>
    public static DetectorModel Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: detector model not found", path);
        }

        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InvalidDataException("empty file");
            var version = root["format_version"]?.GetValue<int>() ?? throw new InvalidDataException("no format_version");
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"format_version {version}; this build reads {FormatVersion}");
            }

            var sizes = root["sizes"]!.AsArray().Select(n => n!.GetValue<int>()).ToArray();
            var layers = root["layers"]!.AsArray();
            var w = layers.Select(l => l!["weights"]!.AsArray().Select(v => (float)v!.GetValue<double>()).ToArray()).ToArray();
            var b = layers.Select(l => l!["bias"]!.AsArray().Select(v => (float)v!.GetValue<double>()).ToArray()).ToArray();
            if (sizes.Length == 0 || sizes[0] < MotionFeatures.BaseCount || sizes[0] > MotionFeatures.Count)
            {
                throw new InvalidDataException($"the model takes {(sizes.Length == 0 ? 0 : sizes[0])} inputs; this build's features are {MotionFeatures.BaseCount}..{MotionFeatures.Count} (a model reads the first as many as it takes)");
            }

            var presence = root["presence"]?.AsObject() is { } p ? (JsonObject)JsonNode.Parse(p.ToJsonString())! : [];
            if (presence["walk_threshold"] is { } given && !(WalkThreshold(presence) is { } walk && walk > 0 && walk < 1))
            {
                throw new InvalidDataException($"presence.walk_threshold {given.ToJsonString()}: a probability between 0 and 1 (exclusive)");
            }

            var model = new DetectorModel(sizes, w, b)
            {
                Training = root["training"]?.AsObject() is { } t ? (JsonObject)JsonNode.Parse(t.ToJsonString())! : [],
                FrontEnd = root["front_end"]?.AsObject() is { } f ? (JsonObject)JsonNode.Parse(f.ToJsonString())! : [],
                Presence = presence,
            };
            CheckLatticePowerFloor(model);
            return model;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException or ArgumentException or FormatException)
        {
            throw new InvalidDataException($"{path}: not a detector model ({ex.Message})", ex);
        }
        catch (InvalidDataException ex) when (!ex.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Several models of the same depth as one: their hidden layers side by side (block-diagonal weights) and the output
    /// layer averaging their logits, so the result is softmax(mean of the members' logits), a geometric-mean ensemble.
    /// It runs through the same code (float and int8) at the members' summed cost.
    /// </summary>
    /// <remarks>Models trained from different seeds err on different frames; averaging them removes most of the
    /// one-model blips that become false alarms.</remarks>
    public static DetectorModel Ensemble(IReadOnlyList<DetectorModel> members) =>
        Ensemble(members, [.. Enumerable.Repeat(1.0, members?.Count ?? 0)]);

    /// <summary>
    /// Models of the same depth as one whose logits are the weighted mean of theirs (weights normalized to sum 1): e.g.
    /// two ensembles of 6 and 6 members with weights 6 and 6 average all twelve members alike.
    /// </summary>
    public static DetectorModel Ensemble(IReadOnlyList<DetectorModel> members, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(weights);
        if (members.Count == 0 || members.Any(m => m.Sizes.Count != members[0].Sizes.Count || m.InputCount != members[0].InputCount))
        {
            throw new ArgumentException("an ensemble needs one or more models with the same inputs and the same number of layers", nameof(members));
        }

        if (weights.Count != members.Count || weights.Any(v => !(v > 0) || double.IsInfinity(v)))
        {
            throw new ArgumentException("an ensemble needs one positive, finite weight per model", nameof(weights));
        }

        var total = weights.Sum();

        var depth = members[0].weights.Length;
        var sizes = new int[depth + 1];
        sizes[0] = members[0].InputCount;
        sizes[depth] = 3;
        for (var l = 1; l < depth; l++)
        {
            sizes[l] = members.Sum(m => m.Sizes[l]);
        }

        var w = new float[depth][];
        var b = new float[depth][];
        for (var l = 0; l < depth; l++)
        {
            w[l] = new float[sizes[l] * sizes[l + 1]];
            b[l] = new float[sizes[l + 1]];
            int rowOffset = 0, columnOffset = 0;
            for (var k = 0; k < members.Count; k++)
            {
                var m = members[k];
                var ins = m.Sizes[l];
                var outs = m.Sizes[l + 1];
                var last = l == depth - 1;
                var scale = last ? (float)(weights[k] / total) : 1f;
                for (var o = 0; o < outs; o++)
                {
                    var row = last ? o : rowOffset + o;
                    var column = l == 0 ? 0 : columnOffset;
                    for (var i = 0; i < ins; i++)
                    {
                        w[l][(row * sizes[l]) + column + i] += scale * m.weights[l][(o * ins) + i];
                    }

                    b[l][row] += scale * m.biases[l][o];
                }

                rowOffset += last ? 0 : outs;
                columnOffset += l == 0 ? 0 : ins;
            }
        }

        return new DetectorModel(sizes, w, b);
    }

    /// <summary>A deep copy (weights, training facts, front end, presence thresholds).</summary>
    public DetectorModel Clone() =>
        new(Sizes, [.. weights.Select(w => (float[])w.Clone())], [.. biases.Select(b => (float[])b.Clone())])
        {
            Training = (JsonObject)JsonNode.Parse(Training.ToJsonString())!,
            FrontEnd = (JsonObject)JsonNode.Parse(FrontEnd.ToJsonString())!,
            Presence = (JsonObject)JsonNode.Parse(Presence.ToJsonString())!,
        };

    /// <summary>The same weights with other training facts (and no front-end choice of its own: a newly trained model runs
    /// behind the front end it was trained on).</summary>
    public DetectorModel WithTraining(JsonObject training) =>
        new(Sizes, weights, biases) { Training = training };

    /// <summary>The same weights and training facts with a front-end choice of its own (<see cref="FrontEnd"/>).</summary>
    public DetectorModel WithFrontEnd(JsonObject frontEnd) =>
        new(Sizes, weights, biases) { Training = Training, FrontEnd = frontEnd, Presence = Presence };

    /// <summary>Weights and biases in all.</summary>
    public int ParameterCount => weights.Sum(w => w.Length) + biases.Sum(b => b.Length);

    /// <summary>A one-line description.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"MLP {string.Join("-", Sizes)} ({ParameterCount} parameters)");
}
