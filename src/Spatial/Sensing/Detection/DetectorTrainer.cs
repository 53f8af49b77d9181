namespace SpatialAudio.Spatial.Sensing.Detection;

/// <summary>Labelled frames: features, class and weight per frame (weight 0 = ambiguous, e.g. the first 0.1 s of a motion).</summary>
/// <param name="Features">Row-major, <see cref="MotionFeatures.Count"/> per frame.</param>
/// <param name="Labels">Class per frame.</param>
/// <param name="Weights">Training weight per frame.</param>
public sealed record FrameSet(float[] Features, MotionClass[] Labels, float[] Weights)
{
    /// <summary>Frames.</summary>
    public int Count => Labels.Length;

    /// <summary>Frames with a non-zero weight.</summary>
    public int ScoredCount => Weights.Count(w => w > 0);

    /// <summary>Several sets as one.</summary>
    public static FrameSet Concat(IEnumerable<FrameSet> sets)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var list = sets.ToList();
        return new FrameSet([.. list.SelectMany(s => s.Features)], [.. list.SelectMany(s => s.Labels)], [.. list.SelectMany(s => s.Weights)]);
    }
}

/// <summary>Training options.</summary>
public sealed record TrainingOptions
{
    /// <summary>Hidden layer widths.</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [24, 16];

    /// <summary>Extra weight of the no-motion class over the balanced one (more = fewer false alarms, later detections).</summary>
    public double EmptyRoomWeight { get; init; } = 1;

    /// <summary>Passes over the data.</summary>
    public int Epochs { get; init; } = 12;

    /// <summary>Adam step size.</summary>
    public double LearningRate { get; init; } = 2e-3;

    /// <summary>Frames per step.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Initialization and shuffling seed.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Positive-congruent training: with a previous model, frames it classified correctly get an extra distillation
    /// term pulling the new model's output toward the old one's (focal distillation, Yan et al., CVPR 2021), weighted by this.
    /// 0 = plain training.
    /// </summary>
    public double CongruenceWeight { get; init; }

    /// <summary>Distillation weight on every frame, relative to the extra weight on the frames the previous model got
    /// right (the paper's alpha over beta); 0 distils only the correct frames.</summary>
    public double CongruenceAlpha { get; init; }

    /// <summary>The previous model for <see cref="CongruenceWeight"/>.</summary>
    public DetectorModel? Previous { get; init; }

    /// <summary>Start from <see cref="Previous"/>'s weights when it has the same shape (fine-tuning) rather than from random
    /// ones: the new model then begins with the old one's decisions and only moves where the data asks, which keeps far
    /// more of them than distillation from a random start.</summary>
    public bool WarmStart { get; init; }
}

/// <summary>
/// Trains a <see cref="DetectorModel"/> with class-balanced cross-entropy and Adam (written here: no machine-learning
/// package is available in this registry, and the model is small enough that a plain loop trains it in seconds).
/// </summary>
public static class DetectorTrainer
{
    /// <summary>Trains a model.</summary>
    /// <param name="data">Training frames.</param>
    /// <param name="options">Options.</param>
    /// <param name="progress">Called with the fraction done.</param>
    public static DetectorModel Train(FrameSet data, TrainingOptions options, Action<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var sizes = new List<int> { MotionFeatures.Count };
        sizes.AddRange(options.Hidden);
        sizes.Add(3);
        var model = options.WarmStart && options.Previous is { } initial && initial.Sizes.SequenceEqual(sizes)
            ? initial.Clone()
            : DetectorModel.Random(sizes, options.Seed);
        var layers = model.Weights.Length;
        var w = model.Weights;
        var b = model.Biases;
        var mW = w.Select(a => new double[a.Length]).ToArray();
        var vW = w.Select(a => new double[a.Length]).ToArray();
        var mB = b.Select(a => new double[a.Length]).ToArray();
        var vB = b.Select(a => new double[a.Length]).ToArray();
        var gW = w.Select(a => new double[a.Length]).ToArray();
        var gB = b.Select(a => new double[a.Length]).ToArray();

        // Class balance: each class contributes as if it were a third of the data.
        var classWeight = new double[3];
        for (var c = 0; c < 3; c++)
        {
            var total = 0.0;
            for (var i = 0; i < data.Count; i++)
            {
                total += data.Labels[i] == (MotionClass)c ? data.Weights[i] : 0;
            }

            classWeight[c] = total > 0 ? data.Weights.Sum() / (3 * total) : 0;
            if (c == (int)MotionClass.None)
            {
                classWeight[c] *= options.EmptyRoomWeight;
            }
        }

        // Targets of the previous model and whether it was right, for positive-congruent training.
        float[]? oldProbs = null;
        bool[]? oldRight = null;
        if (options.Previous is { } previous && options.CongruenceWeight > 0)
        {
            oldProbs = new float[3 * data.Count];
            oldRight = new bool[data.Count];
            for (var i = 0; i < data.Count; i++)
            {
                previous.Predict(data.Features.AsSpan(i * MotionFeatures.Count, MotionFeatures.Count), oldProbs.AsSpan(3 * i, 3));
                oldRight[i] = DetectorModel.ArgMax(oldProbs.AsSpan(3 * i, 3)) == (int)data.Labels[i];
            }
        }

        var order = Enumerable.Range(0, data.Count).Where(i => data.Weights[i] > 0).ToArray();
        var random = new Random(options.Seed);
        var acts = sizes.Select(n => new double[n]).ToArray();
        var deltas = sizes.Select(n => new double[n]).ToArray();
        var probs = new double[3];
        long step = 0;
        const double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            random.Shuffle(order);
            var lr = options.LearningRate * (epoch < options.Epochs * 2 / 3 ? 1 : 0.3);
            for (var start = 0; start < order.Length; start += options.BatchSize)
            {
                var end = Math.Min(order.Length, start + options.BatchSize);
                foreach (var g in gW)
                {
                    Array.Clear(g);
                }

                foreach (var g in gB)
                {
                    Array.Clear(g);
                }

                for (var s = start; s < end; s++)
                {
                    var i = order[s];
                    for (var k = 0; k < sizes[0]; k++)
                    {
                        acts[0][k] = data.Features[(i * sizes[0]) + k];
                    }

                    Forward(w, b, acts, sizes);
                    DetectorModel.Softmax<double>(acts[layers], probs);
                    var label = (int)data.Labels[i];
                    var weight = data.Weights[i] * classWeight[label];
                    var top = deltas[layers];
                    for (var c = 0; c < 3; c++)
                    {
                        top[c] = weight * (probs[c] - (c == label ? 1 : 0));
                    }

                    if (oldRight is not null)
                    {
                        // Focal distillation: d/dz of KL(old || new) = p_new - p_old, on every frame with weight alpha and
                        // with 1 + alpha on the frames the old model got right.
                        var lambda = options.CongruenceWeight * weight * (options.CongruenceAlpha + (oldRight[i] ? 1 : 0));
                        for (var c = 0; c < 3; c++)
                        {
                            top[c] += lambda * (probs[c] - oldProbs![(3 * i) + c]);
                        }
                    }

                    Backward(w, acts, deltas, gW, gB, sizes);
                }

                step++;
                var scale = 1.0 / (end - start);
                var c1 = 1 - Math.Pow(beta1, step);
                var c2 = 1 - Math.Pow(beta2, step);
                for (var l = 0; l < layers; l++)
                {
                    Adam(w[l], gW[l], mW[l], vW[l], scale, lr, c1, c2, beta1, beta2, eps);
                    Adam(b[l], gB[l], mB[l], vB[l], scale, lr, c1, c2, beta1, beta2, eps);
                }
            }

            progress?.Invoke((epoch + 1.0) / options.Epochs);
        }

        return model;
    }

    /// <summary>Trains <paramref name="members"/> models with seeds <c>options.Seed</c>, <c>+1</c>, ... and combines them
    /// (<see cref="DetectorModel.Ensemble(IReadOnlyList{DetectorModel})"/>; one member is returned as it is). The members are independent, so they train
    /// in parallel, one per core: the result is the same as training them one after another.</summary>
    /// <param name="data">Training frames (only read).</param>
    /// <param name="options">Options; <see cref="TrainingOptions.Seed"/> is the first member's seed.</param>
    /// <param name="members">Models, 1 or more.</param>
    /// <param name="progress">Called with the fraction done (the members' mean), from one thread at a time.</param>
    public static DetectorModel TrainEnsemble(FrameSet data, TrainingOptions options, int members, Action<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        var trained = new DetectorModel[members];
        var done = new double[members];
        Parallel.For(0, members, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k =>
        {
            // A model's Predict uses scratch buffers of its own: each member gets its own copy of the previous model.
            var memberOptions = options with { Seed = options.Seed + k, Previous = options.Previous?.Clone() };
            trained[k] = Train(data, memberOptions, p =>
            {
                lock (done)
                {
                    done[k] = p;
                    progress?.Invoke(done.Sum() / members);
                }
            });
        });

        return members == 1 ? trained[0] : DetectorModel.Ensemble(trained);
    }

    /// <summary>Frame error rate (weighted frames only) of <paramref name="model"/> on <paramref name="data"/>.</summary>
    public static double ErrorRate(DetectorModel model, FrameSet data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var decisions = Decide(model.Predict, data);
        int wrong = 0, scored = 0;
        for (var i = 0; i < data.Count; i++)
        {
            if (data.Weights[i] > 0)
            {
                scored++;
                wrong += decisions[i] == data.Labels[i] ? 0 : 1;
            }
        }

        return scored == 0 ? 0 : (double)wrong / scored;
    }

    /// <summary>
    /// Hard negatives (bootstrapping, as in Sung and Poggio's face detector): the no-motion frames of <paramref name="pool"/>
    /// that <paramref name="model"/> gives a motion probability of at least <paramref name="motionProbability"/>, as a set
    /// to add to the training data with weight <paramref name="weight"/>.
    /// </summary>
    /// <remarks>A detector trained on a few hours of empty room gets its own rooms right (one trained on 5.3 h raised no
    /// event in them, and 6-24 in as many hours of new ones); its mistakes in rooms it has not seen are what the next
    /// round needs to learn from. Frames with weight 0 (the edges of a labelled motion) are skipped.</remarks>
    public static FrameSet HardNegatives(DetectorModel model, FrameSet pool, double motionProbability, float weight)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weight);
        var n = MotionFeatures.Count;
        var picked = new List<int>();
        Span<float> p = stackalloc float[3];
        for (var i = 0; i < pool.Count; i++)
        {
            if (pool.Labels[i] != MotionClass.None || pool.Weights[i] <= 0)
            {
                continue;
            }

            model.Predict(pool.Features.AsSpan(i * n, n), p);
            if (1 - p[(int)MotionClass.None] >= motionProbability)
            {
                picked.Add(i);
            }
        }

        var features = new float[picked.Count * n];
        for (var k = 0; k < picked.Count; k++)
        {
            pool.Features.AsSpan(picked[k] * n, n).CopyTo(features.AsSpan(k * n, n));
        }

        return new FrameSet(features, new MotionClass[picked.Count], [.. Enumerable.Repeat(weight, picked.Count)]);
    }

    /// <summary>Negative flip rate: the fraction of scored frames the old model got right and the new one gets wrong.</summary>
    public static double NegativeFlipRate(DetectorModel previous, DetectorModel next, FrameSet data)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(data);
        var before = Decide(previous.Predict, data);
        var after = Decide(next.Predict, data);
        int flips = 0, scored = 0;
        for (var i = 0; i < data.Count; i++)
        {
            if (data.Weights[i] > 0)
            {
                scored++;
                flips += before[i] == data.Labels[i] && after[i] != data.Labels[i] ? 1 : 0;
            }
        }

        return scored == 0 ? 0 : (double)flips / scored;
    }

    /// <summary>Per-frame decisions (arg max) of a predictor.</summary>
    public static MotionClass[] Decide(Predictor predict, FrameSet data)
    {
        ArgumentNullException.ThrowIfNull(predict);
        ArgumentNullException.ThrowIfNull(data);
        var result = new MotionClass[data.Count];
        Span<float> p = stackalloc float[3];
        for (var i = 0; i < data.Count; i++)
        {
            predict(data.Features.AsSpan(i * MotionFeatures.Count, MotionFeatures.Count), p);
            result[i] = (MotionClass)DetectorModel.ArgMax(p);
        }

        return result;
    }

    /// <summary>A prediction function (float or int8 model).</summary>
    public delegate void Predictor(ReadOnlySpan<float> features, Span<float> probabilities);

    private static void Forward(float[][] w, float[][] b, double[][] acts, List<int> sizes)
    {
        for (var l = 0; l < w.Length; l++)
        {
            int n = sizes[l], outs = sizes[l + 1];
            for (var o = 0; o < outs; o++)
            {
                double sum = b[l][o];
                var row = o * n;
                for (var i = 0; i < n; i++)
                {
                    sum += w[l][row + i] * acts[l][i];
                }

                acts[l + 1][o] = l < w.Length - 1 && sum < 0 ? 0 : sum;
            }
        }
    }

    private static void Backward(float[][] w, double[][] acts, double[][] deltas, double[][] gW, double[][] gB, List<int> sizes)
    {
        for (var l = w.Length - 1; l >= 0; l--)
        {
            int n = sizes[l], outs = sizes[l + 1];
            var below = deltas[l];
            Array.Clear(below);
            for (var o = 0; o < outs; o++)
            {
                var d = deltas[l + 1][o];
                if (d == 0)
                {
                    continue;
                }

                gB[l][o] += d;
                var row = o * n;
                for (var i = 0; i < n; i++)
                {
                    gW[l][row + i] += d * acts[l][i];
                    below[i] += d * w[l][row + i];
                }
            }

            if (l > 0)
            {
                for (var i = 0; i < n; i++)
                {
                    below[i] = acts[l][i] > 0 ? below[i] : 0;   // ReLU derivative
                }
            }
        }
    }

    private static void Adam(float[] param, double[] grad, double[] m, double[] v, double scale, double lr, double c1, double c2, double beta1, double beta2, double eps)
    {
        for (var i = 0; i < param.Length; i++)
        {
            var g = grad[i] * scale;
            m[i] = (beta1 * m[i]) + ((1 - beta1) * g);
            v[i] = (beta2 * v[i]) + ((1 - beta2) * g * g);
            param[i] -= (float)(lr * (m[i] / c1) / (Math.Sqrt(v[i] / c2) + eps));
        }
    }
}
