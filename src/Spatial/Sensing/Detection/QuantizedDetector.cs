using System.Numerics;

namespace SpatialAudio.Spatial.Sensing.Detection;

/// <summary>
/// The int8 variant of a <see cref="DetectorModel"/>: weights quantized per output row (symmetric, scale = max|w|/127),
/// activations quantized per layer and frame (scale = max|a|/127), products accumulated in int32 and rescaled: what a
/// microcontroller or DSP without a float unit would run.
/// </summary>
/// <remarks>
/// <para>The dot products run on SIMD lanes (int8 widened to int16 products, summed in int32), over each row's span of
/// non-zero weights only: an ensemble's hidden layer is block-diagonal (<see cref="DetectorModel.Ensemble(IReadOnlyList{DetectorModel})"/>), so most of
/// its rows are zeros. Integer sums do not depend on their order, so every SIMD width and the scalar fallback give the
/// same bits.</para>
/// <para>Allocation-free <see cref="Predict"/>; one instance per thread.</para>
/// </remarks>
public sealed class QuantizedDetector
{
    // Rows are stored with a stride padded to this many weights (zeros), so every row span can be widened to whole vectors
    // of any width up to 512 bits without a scalar tail.
    private const int RowAlignment = 64;

    private readonly sbyte[][] weights;   // per layer: outs rows of stride[l] weights
    private readonly int[] strides;
    private readonly (int Start, int End)[][] spans;   // per layer and row: the non-zero weights, widened to whole vectors
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
        var layers = sizes.Length - 1;
        weights = new sbyte[layers][];
        strides = new int[layers];
        spans = new (int, int)[layers][];
        rowScales = new float[layers][];
        biases = [.. model.Biases.Select(b => (float[])b.Clone())];
        var lanes = Vector.IsHardwareAccelerated ? Vector<sbyte>.Count : 1;
        for (var l = 0; l < layers; l++)
        {
            int n = sizes[l], outs = sizes[l + 1];
            var stride = strides[l] = (n + RowAlignment - 1) / RowAlignment * RowAlignment;
            weights[l] = new sbyte[stride * outs];
            rowScales[l] = new float[outs];
            spans[l] = new (int, int)[outs];
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
                int first = n, last = -1;
                for (var i = 0; i < n; i++)
                {
                    var q = (sbyte)Math.Clamp((int)MathF.Round(row[i] / scale), -127, 127);
                    weights[l][(o * stride) + i] = q;
                    if (q != 0)
                    {
                        first = Math.Min(first, i);
                        last = i;
                    }
                }

                spans[l][o] = last < 0 ? (0, 0) : (first / lanes * lanes, Math.Min(stride, (last + lanes) / lanes * lanes));
            }
        }

        activations = [.. sizes.Select(n => new float[n])];
        quantized = new sbyte[strides.Max()];
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

            // Entries of the buffer past this layer's inputs may hold an earlier layer's values: they meet zero weights.
            var inScale = max / 127f;
            for (var i = 0; i < input.Length; i++)
            {
                quantized[i] = (sbyte)Math.Clamp((int)MathF.Round(input[i] / inScale), -127, 127);
            }

            var outs = sizes[l + 1];
            var stride = strides[l];
            var output = activations[l + 1];
            var w = weights[l];
            for (var o = 0; o < outs; o++)
            {
                var (start, end) = spans[l][o];
                var acc = Dot(quantized.AsSpan(start, end - start), w.AsSpan((o * stride) + start, end - start));
                var sum = biases[l][o] + (acc * inScale * rowScales[l][o]);
                output[o] = l < weights.Length - 1 && sum < 0 ? 0 : sum;
            }
        }

        DetectorModel.Softmax(activations[^1], probabilities);
    }

    // int8 x int8 summed in int32: |a b| <= 127^2 fits an int16 product before the widening to int32.
    private static int Dot(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        var i = 0;
        var sum = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var acc = Vector<int>.Zero;
            for (; i <= a.Length - Vector<sbyte>.Count; i += Vector<sbyte>.Count)
            {
                Vector.Widen(new Vector<sbyte>(a[i..]), out var a0, out var a1);
                Vector.Widen(new Vector<sbyte>(b[i..]), out var b0, out var b1);
                Vector.Widen(a0 * b0, out var p0, out var p1);
                Vector.Widen(a1 * b1, out var p2, out var p3);
                acc += (p0 + p1) + (p2 + p3);
            }

            sum = Vector.Sum(acc);
        }

        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
