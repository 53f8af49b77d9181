namespace SpatialAudio.Spatial.Sensing.Detection;

/// <summary>
/// The int8 variant of a <see cref="DetectorModel"/>: weights quantized per output row (symmetric, scale = max|w|/127),
/// activations quantized per layer and frame (scale = max|a|/127), products accumulated in int32 and rescaled: what a
/// microcontroller or DSP without a float unit would run.
/// </summary>
/// <remarks>Allocation-free <see cref="Predict"/>; one instance per thread.</remarks>
public sealed class QuantizedDetector
{
    private readonly sbyte[][] weights;
    private readonly float[][] rowScales;
    private readonly float[][] biases;
    private readonly int[] sizes;
    private readonly float[][] activations;
    private readonly sbyte[] quantized;

    /// <summary>Quantizes <paramref name="model"/>.</summary>
    public QuantizedDetector(DetectorModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        sizes = [.. model.Sizes];
        weights = new sbyte[sizes.Length - 1][];
        rowScales = new float[sizes.Length - 1][];
        biases = [.. model.Biases.Select(b => (float[])b.Clone())];
        for (var l = 0; l < weights.Length; l++)
        {
            int n = sizes[l], outs = sizes[l + 1];
            weights[l] = new sbyte[n * outs];
            rowScales[l] = new float[outs];
            for (var o = 0; o < outs; o++)
            {
                var row = model.Weights[l].AsSpan(o * n, n);
                var max = 1e-12f;
                foreach (var v in row)
                {
                    max = Math.Max(max, Math.Abs(v));
                }

                var scale = max / 127f;
                rowScales[l][o] = scale;
                for (var i = 0; i < n; i++)
                {
                    weights[l][(o * n) + i] = (sbyte)Math.Clamp((int)MathF.Round(row[i] / scale), -127, 127);
                }
            }
        }

        activations = [.. sizes.Select(n => new float[n])];
        quantized = new sbyte[sizes.Max()];
    }

    /// <summary>Class probabilities for one feature vector (None, Minor, Major).</summary>
    public void Predict(ReadOnlySpan<float> features, Span<float> probabilities)
    {
        features[..sizes[0]].CopyTo(activations[0]);
        for (var l = 0; l < weights.Length; l++)
        {
            var input = activations[l];
            var max = 1e-12f;
            foreach (var v in input)
            {
                max = Math.Max(max, Math.Abs(v));
            }

            var inScale = max / 127f;
            for (var i = 0; i < input.Length; i++)
            {
                quantized[i] = (sbyte)Math.Clamp((int)MathF.Round(input[i] / inScale), -127, 127);
            }

            int n = sizes[l], outs = sizes[l + 1];
            var output = activations[l + 1];
            var w = weights[l];
            for (var o = 0; o < outs; o++)
            {
                var acc = 0;
                var row = o * n;
                for (var i = 0; i < n; i++)
                {
                    acc += quantized[i] * w[row + i];
                }

                var sum = biases[l][o] + (acc * inScale * rowScales[l][o]);
                output[o] = l < weights.Length - 1 && sum < 0 ? 0 : sum;
            }
        }

        DetectorModel.Softmax(activations[^1], probabilities);
    }
}
