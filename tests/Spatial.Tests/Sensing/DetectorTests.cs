using SpatialAudio.Spatial.Sensing.Detection;
using SpatialAudio.Spatial.Sensing.Pipeline;
using Xunit;

namespace SpatialAudio.Spatial.Tests.Sensing;

public class DetectorTests
{
    [Fact]
    public void Trainer_learns_a_separable_three_class_problem()
    {
        // Class = which of three feature groups is raised: an MLP must reach near-zero error.
        var random = new Random(1);
        const int count = 3000;
        var features = new float[count * MotionFeatures.Count];
        var labels = new MotionClass[count];
        for (var i = 0; i < count; i++)
        {
            var c = i % 3;
            labels[i] = (MotionClass)c;
            for (var k = 0; k < MotionFeatures.Count; k++)
            {
                features[(i * MotionFeatures.Count) + k] = (float)((random.NextDouble() - 0.5) * 0.5) + (k / 14 == c ? 1f : 0f);
            }
        }

        var data = new FrameSet(features, labels, [.. Enumerable.Repeat(1f, count)]);
        var model = DetectorTrainer.Train(data, new TrainingOptions { Epochs = 5 });
        Assert.True(DetectorTrainer.ErrorRate(model, data) < 0.01);
    }

    [Fact]
    public void Positive_congruent_update_halves_the_negative_flip_rate_of_plain_retraining_without_raising_the_error()
    {
        // Overlapping classes (about 15 % Bayes error): two models trained on different samples disagree on many frames
        // near the boundaries. The update trains on a new sample; flips are counted on a third, fixed one.
        var old = DetectorTrainer.Train(Noisy(3000, 1), new TrainingOptions { Epochs = 6, Seed = 1, Hidden = [16] });
        var update = Noisy(3000, 2);
        var fixedSet = Noisy(6000, 3);
        var plain = DetectorTrainer.Train(update, new TrainingOptions { Epochs = 6, Seed = 2, Hidden = [16] });
        var congruent = DetectorTrainer.Train(update, new TrainingOptions
        {
            Epochs = 6, Seed = 2, Hidden = [16], Previous = old, CongruenceWeight = 2, CongruenceAlpha = 0.5, WarmStart = true,
        });
        var plainFlips = DetectorTrainer.NegativeFlipRate(old, plain, fixedSet);
        var congruentFlips = DetectorTrainer.NegativeFlipRate(old, congruent, fixedSet);
        Assert.True(plainFlips > 0.01, $"plain retraining flips {plainFlips:P2}: the problem is too easy to test anything");
        Assert.True(congruentFlips <= 0.5 * plainFlips, $"flip rate: plain {plainFlips:P2}, congruent {congruentFlips:P2}");
        Assert.True(DetectorTrainer.ErrorRate(congruent, fixedSet) <= DetectorTrainer.ErrorRate(plain, fixedSet) + 0.005,
            $"error: plain {DetectorTrainer.ErrorRate(plain, fixedSet):P2}, congruent {DetectorTrainer.ErrorRate(congruent, fixedSet):P2}");
    }

    [Fact]
    public void An_ensemble_trained_in_parallel_equals_its_members_trained_one_after_another()
    {
        // Positive-congruent, so every member also reads the previous model (whose Predict has scratch buffers of its own).
        var old = DetectorTrainer.Train(Noisy(1500, 1), new TrainingOptions { Epochs = 2, Seed = 1, Hidden = [8] });
        var data = Noisy(1500, 2);
        var options = new TrainingOptions { Epochs = 3, Seed = 5, Hidden = [8], Previous = old, CongruenceWeight = 2, CongruenceAlpha = 0.5 };
        var reported = new List<double>();

        var parallel = DetectorTrainer.TrainEnsemble(data, options, 3, reported.Add);
        var sequential = DetectorModel.Ensemble([.. Enumerable.Range(0, 3).Select(k => DetectorTrainer.Train(data, options with { Seed = 5 + k }))]);

        Assert.Equal(sequential.Sizes, parallel.Sizes);
        for (var l = 0; l < sequential.Weights.Length; l++)
        {
            Assert.Equal(sequential.Weights[l], parallel.Weights[l]);
            Assert.Equal(sequential.Biases[l], parallel.Biases[l]);
        }

        Assert.Equal(1.0, reported[^1], 12);
        Assert.True(reported.Zip(reported.Skip(1)).All(p => p.Second >= p.First), "progress never goes back");
    }

    [Fact]
    public void Hard_negatives_from_new_rooms_teach_the_detector_a_confuser_it_had_rarely_seen()
    {
        // Walking raises feature group 2. A "curtain" raises group 2 as well, plus a signature feature no walk has; in the
        // training data it is rare (6 frames in 3000), so the first model calls it walking. New rooms (the pool) hold it
        // at 2 % of their frames among ordinary still frames.
        var options = new TrainingOptions { Epochs = 20, Seed = 1, Hidden = [16] };
        var first = DetectorTrainer.Train(Confusers(3000, 6, 1), options);
        var pool = Confusers(4000, 80, 2, emptyOnly: true);
        var hard = DetectorTrainer.HardNegatives(first, pool, 0.5, 4f);

        // What is picked is the confuser (signature raised), labelled still, with the given weight.
        Assert.InRange(hard.Count, 60, 100);
        var withSignature = Enumerable.Range(0, hard.Count).Count(i => IsConfuser(hard, i));
        Assert.True(withSignature >= 0.9 * hard.Count, $"{withSignature} of {hard.Count} picked frames are the confuser");
        Assert.All(hard.Labels, l => Assert.Equal(MotionClass.None, l));
        Assert.All(hard.Weights, w => Assert.Equal(4f, w));

        // Retrained with them, the detector leaves new confusers alone and still sees walks.
        var second = DetectorTrainer.Train(FrameSet.Concat([Confusers(3000, 6, 1), hard]), options);
        var heldOut = Confusers(3000, 300, 3);
        Assert.True(MotionRate(first, heldOut, IsConfuser) > 0.5, $"first model: {MotionRate(first, heldOut, IsConfuser):P0} of confusers called motion, nothing to learn");
        Assert.True(MotionRate(second, heldOut, IsConfuser) < 0.1, $"after hard negatives: {MotionRate(second, heldOut, IsConfuser):P0} of confusers called motion");
        Assert.True(MotionRate(second, heldOut, IsWalk) > 0.95, $"walks detected: {MotionRate(second, heldOut, IsWalk):P0}");
    }

    [Fact]
    public void Hard_negatives_skip_motion_frames_and_unscored_ones()
    {
        var pool = Confusers(600, 0, 4);
        var everything = DetectorModel.Random([MotionFeatures.Count, 3], 0);
        var hard = DetectorTrainer.HardNegatives(everything, pool, 0, 1f);   // threshold 0: every eligible frame
        var eligible = Enumerable.Range(0, pool.Count).Count(i => pool.Labels[i] == MotionClass.None && pool.Weights[i] > 0);
        Assert.Equal(eligible, hard.Count);
        Assert.True(eligible < pool.Count);
    }

    private const int Signature = MotionFeatures.Count - 3;

    // Still frames raise group 0, walks group 2; a confuser is still but raises group 2 and the signature feature. Every
    // tenth still frame is unscored (weight 0), as the edges of a labelled motion are.
    private static FrameSet Confusers(int count, int confusers, int seed, bool emptyOnly = false)
    {
        var random = new Random(seed);
        var features = new float[count * MotionFeatures.Count];
        var labels = new MotionClass[count];
        var weights = new float[count];
        for (var i = 0; i < count; i++)
        {
            var confuser = i < confusers;
            var walk = !confuser && !emptyOnly && random.Next(2) == 0;
            labels[i] = walk ? MotionClass.Major : MotionClass.None;
            weights[i] = walk || confuser || i % 10 != 0 ? 1f : 0f;
            var group = walk || confuser ? 2 : 0;
            for (var k = 0; k < MotionFeatures.Count; k++)
            {
                features[(i * MotionFeatures.Count) + k] = (float)((random.NextDouble() - 0.5) * 0.5) + (k / 14 == group ? 1f : 0f);
            }

            features[(i * MotionFeatures.Count) + Signature] = confuser ? 1f : 0f;
        }

        return new FrameSet(features, labels, weights);
    }

    private static bool IsConfuser(FrameSet data, int i) => data.Features[(i * MotionFeatures.Count) + Signature] > 0.5f;

    private static bool IsWalk(FrameSet data, int i) => data.Labels[i] == MotionClass.Major;

    // The fraction of the chosen frames the model calls motion (arg max not None).
    private static double MotionRate(DetectorModel model, FrameSet data, Func<FrameSet, int, bool> chosen)
    {
        int n = 0, motion = 0;
        Span<float> p = stackalloc float[3];
        for (var i = 0; i < data.Count; i++)
        {
            if (!chosen(data, i))
            {
                continue;
            }

            model.Predict(data.Features.AsSpan(i * MotionFeatures.Count, MotionFeatures.Count), p);
            n++;
            motion += p[0] < 0.5f ? 1 : 0;
        }

        return (double)motion / n;
    }

    // Three classes, each raising its own group of features by 0.5 over uniform noise of width 1.6 (heavily overlapping).
    private static FrameSet Noisy(int count, int seed)
    {
        var random = new Random(seed);
        var features = new float[count * MotionFeatures.Count];
        var labels = new MotionClass[count];
        for (var i = 0; i < count; i++)
        {
            var c = random.Next(3);
            labels[i] = (MotionClass)c;
            for (var k = 0; k < MotionFeatures.Count; k++)
            {
                features[(i * MotionFeatures.Count) + k] = (float)((random.NextDouble() - 0.5) * 1.6) + (k / 14 == c && k % 14 < 2 ? 0.5f : 0f);
            }
        }

        return new FrameSet(features, labels, [.. Enumerable.Repeat(1f, count)]);
    }

    [Fact]
    public void Ensemble_is_the_softmax_of_the_members_mean_logits_and_survives_int8_and_json()
    {
        var members = new[] { DetectorModel.Random([MotionFeatures.Count, 8, 5, 3], 1), DetectorModel.Random([MotionFeatures.Count, 6, 4, 3], 2), DetectorModel.Random([MotionFeatures.Count, 8, 5, 3], 3) };
        var ensemble = DetectorModel.Ensemble(members);
        Assert.Equal([MotionFeatures.Count, 22, 14, 3], ensemble.Sizes);
        var path = Path.Combine(Path.GetTempPath(), $"ensemble-{Guid.NewGuid():N}.json");
        ensemble.Save(path);
        var loaded = DetectorModel.Load(path);
        File.Delete(path);
        var random = new Random(9);
        var x = new float[MotionFeatures.Count];
        var p = new float[3];
        var expected = new double[3];
        for (var trial = 0; trial < 50; trial++)
        {
            for (var k = 0; k < x.Length; k++)
            {
                x[k] = (float)(random.NextDouble() * 2 - 0.5);
            }

            // log p_i = logits_i - a constant per member, so softmax(mean log p_i) = softmax(mean logits_i).
            Array.Clear(expected);
            foreach (var m in members)
            {
                m.Predict(x, p);
                for (var c = 0; c < 3; c++)
                {
                    expected[c] += Math.Log(p[c]) / members.Length;
                }
            }

            var max = expected.Max();
            var sum = expected.Sum(v => Math.Exp(v - max));
            loaded.Predict(x, p);
            for (var c = 0; c < 3; c++)
            {
                Assert.Equal(Math.Exp(expected[c] - max) / sum, p[c], 4);
            }
        }

        Assert.Throws<ArgumentException>(() => DetectorModel.Ensemble([members[0], DetectorModel.Random([MotionFeatures.Count, 3], 4)]));
    }

    [Fact]
    public void Weighted_ensemble_averages_the_members_logits_by_weight()
    {
        var a = DetectorModel.Random([MotionFeatures.Count, 8, 5, 3], 11);
        var b = DetectorModel.Random([MotionFeatures.Count, 6, 4, 3], 12);
        var weighted = DetectorModel.Ensemble([a, b], [6, 3]);
        var random = new Random(4);
        var x = new float[MotionFeatures.Count];
        var p = new float[3];
        for (var trial = 0; trial < 50; trial++)
        {
            for (var k = 0; k < x.Length; k++)
            {
                x[k] = (float)(random.NextDouble() * 2 - 0.5);
            }

            // softmax((2 log p_a + log p_b) / 3): the per-member constants of log p cancel in the softmax.
            var expected = new double[3];
            a.Predict(x, p);
            for (var c = 0; c < 3; c++)
            {
                expected[c] = 2 * Math.Log(p[c]) / 3;
            }

            b.Predict(x, p);
            for (var c = 0; c < 3; c++)
            {
                expected[c] += Math.Log(p[c]) / 3;
            }

            var max = expected.Max();
            var sum = expected.Sum(v => Math.Exp(v - max));
            weighted.Predict(x, p);
            for (var c = 0; c < 3; c++)
            {
                Assert.Equal(Math.Exp(expected[c] - max) / sum, p[c], 4);
            }
        }

        Assert.Throws<ArgumentException>(() => DetectorModel.Ensemble([a, b], [1]));
        Assert.Throws<ArgumentException>(() => DetectorModel.Ensemble([a, b], [1, 0]));
        Assert.Throws<ArgumentException>(() => DetectorModel.Ensemble([a, b], [1, double.NaN]));
    }

    [Fact]
    public void Int8_detector_decides_like_the_float_model()
    {
        var model = DetectorModel.Random([MotionFeatures.Count, 24, 16, 3], 7);
        var quantized = new QuantizedDetector(model);
        var random = new Random(2);
        var x = new float[MotionFeatures.Count];
        Span<float> a = stackalloc float[3];
        Span<float> b = stackalloc float[3];
        var agree = 0;
        for (var i = 0; i < 2000; i++)
        {
            for (var k = 0; k < x.Length; k++)
            {
                x[k] = (float)((random.NextDouble() * 2) - 0.5);
            }

            model.Predict(x, a);
            quantized.Predict(x, b);
            agree += a.IndexOf(Max(a)) == b.IndexOf(Max(b)) ? 1 : 0;
            Assert.True(Math.Abs(a[0] - b[0]) < 0.05 && Math.Abs(a[2] - b[2]) < 0.05);
        }

        Assert.True(agree >= 1980, $"{agree}/2000");
    }

    [Fact]
    [Trait("Category", "Simd")]
    public void Int8_detector_gives_the_bits_of_a_naive_int8_forward_pass()
    {
        // An ensemble (block-diagonal hidden layer: rows with zero spans) and a layer wider than one vector; the scheme
        // written out plainly: weights per row and activations per layer scaled to +/-127, rounded, summed in integers.
        var model = DetectorModel.Ensemble([.. Enumerable.Range(1, 6).Select(seed => DetectorModel.Random([MotionFeatures.Count, 32, 16, 3], seed))]);
        var quantized = new QuantizedDetector(model);
        var random = new Random(5);
        var x = new float[MotionFeatures.Count];
        var fast = new float[3];
        var naive = new float[3];
        for (var trial = 0; trial < 300; trial++)
        {
            for (var k = 0; k < x.Length; k++)
            {
                x[k] = trial % 3 == 0 && k % 7 == 0 ? 0f : (float)((random.NextDouble() * 4) - 1);
            }

            quantized.Predict(x, fast);
            NaiveInt8(model, x, naive);
            Assert.Equal(naive, fast);
        }
    }

    private static void NaiveInt8(DetectorModel model, float[] features, float[] probabilities)
    {
        var input = (float[])features.Clone();
        for (var l = 0; l < model.Weights.Length; l++)
        {
            int n = model.Sizes[l], outs = model.Sizes[l + 1];
            var inScale = Math.Max(1e-12f, input.Max(Math.Abs)) / 127f;
            var q = input.Select(v => Math.Clamp((int)MathF.Round(v / inScale), -127, 127)).ToArray();
            var output = new float[outs];
            for (var o = 0; o < outs; o++)
            {
                var row = model.Weights[l].AsSpan(o * n, n).ToArray();
                var rowScale = Math.Max(1e-12f, row.Max(Math.Abs)) / 127f;
                var acc = 0;
                for (var i = 0; i < n; i++)
                {
                    acc += q[i] * Math.Clamp((int)MathF.Round(row[i] / rowScale), -127, 127);
                }

                var sum = model.Biases[l][o] + (acc * inScale * rowScale);
                output[o] = l < model.Weights.Length - 1 && sum < 0 ? 0 : sum;
            }

            input = output;
        }

        DetectorModel.Softmax<float>(input, probabilities);
    }

    [Fact]
    public void Model_round_trips_through_json_and_bad_files_name_themselves()
    {
        var model = DetectorModel.Random([MotionFeatures.Count, 8, 3], 3);
        var path = Path.Combine(Path.GetTempPath(), $"detector-{Guid.NewGuid():N}.json");
        try
        {
            model.Save(path);
            var loaded = DetectorModel.Load(path);
            var x = Enumerable.Range(0, MotionFeatures.Count).Select(i => (float)Math.Sin(i)).ToArray();
            var p = new float[3];
            var q = new float[3];
            model.Predict(x, p);
            loaded.Predict(x, q);
            Assert.Equal(p[2], q[2], 4);

            File.WriteAllText(path, "{\"format_version\": 1, \"sizes\": [5, 3], \"layers\": []}");
            var error = Assert.Throws<InvalidDataException>(() => DetectorModel.Load(path));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_lattice_powers_floor_out_of_range_or_without_the_lattice_is_refused_naming_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"detector-floor-{Guid.NewGuid():N}.json");
        try
        {
            var plain = DetectorModel.Random([MotionFeatures.Count, 4, 3], 7);
            var floored = plain.WithTraining(new() { ["lattice_canceller"] = true, ["lattice_power_floor"] = 0.01 });
            floored.Save(path);
            Assert.Equal(0.01, DetectorModel.Load(path).LatticePowerFloor);
            foreach (var bad in new[] { "0", "5", "-1e-3", "\"low\"" })
            {
                AssertRefused(path, floored, "\"lattice_power_floor\":0.01", $"\"lattice_power_floor\":{bad}", "training.lattice_power_floor");
            }

            plain.WithTraining(new() { ["lattice_canceller"] = false, ["lattice_power_floor"] = 0.01 }).Save(path);
            var without = Assert.Throws<InvalidDataException>(() => DetectorModel.Load(path));
            Assert.Contains(path, without.Message, StringComparison.Ordinal);
            Assert.Contains("lattice_canceller", without.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_model_carries_its_walking_threshold_and_a_bad_one_names_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"detector-{Guid.NewGuid():N}.json");
        try
        {
            var plain = DetectorModel.Random([MotionFeatures.Count, 4, 3], 7);
            Assert.Equal(new PresenceOptions(), plain.PresenceDefaults);   // no presence block: PresenceOptions' defaults

            new DetectorModel(plain.Sizes, plain.Weights, plain.Biases) { Presence = new() { ["walk_threshold"] = 0.9 } }.Save(path);
            var loaded = DetectorModel.Load(path);
            Assert.Equal(new PresenceOptions { MajorThreshold = 0.9f }, loaded.PresenceDefaults);   // only the walking threshold moves
            Assert.Equal(loaded.PresenceDefaults, loaded.Clone().PresenceDefaults);
            Assert.Equal(loaded.PresenceDefaults, loaded.WithFrontEnd(new() { ["fast_start"] = true }).PresenceDefaults);

            // The presence logic follows the model unless given its own options.
            Assert.Equal(0.9f, new FrameStage(2, loaded).Tracker.Options.MajorThreshold);
            Assert.Equal(0.97f, new FrameStage(2, loaded, new PresenceOptions { MajorThreshold = 0.97f }).Tracker.Options.MajorThreshold);

            var carrying = new DetectorModel(plain.Sizes, plain.Weights, plain.Biases) { Presence = new() { ["walk_threshold"] = 0.9 } };
            foreach (var bad in new[] { "1.5", "0", "\"high\"" })
            {
                AssertRefused(path, carrying, "\"walk_threshold\":0.9", $"\"walk_threshold\":{bad}", "walk_threshold");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_model_of_the_first_feature_layout_reads_the_first_features_and_other_widths_are_refused()
    {
        // A model trained before features were appended takes the first BaseCount; it must load and decide exactly as
        // on those features alone, whatever the appended ones hold.
        var old = DetectorModel.Random([MotionFeatures.BaseCount, 8, 3], 5);
        var path = Path.Combine(Path.GetTempPath(), $"detector-{Guid.NewGuid():N}.json");
        try
        {
            old.Save(path);
            var loaded = DetectorModel.Load(path);
            var x = Enumerable.Range(0, MotionFeatures.Count).Select(i => (float)Math.Cos(i)).ToArray();
            var p = new float[3];
            var q = new float[3];
            loaded.Predict(x, p);
            x[MotionFeatures.BaseCount] = 3;
            x[MotionFeatures.Count - 1] = -1;
            loaded.Predict(x, q);
            Assert.Equal(p, q);
            var quantized = new QuantizedDetector(loaded);
            quantized.Predict(x, q);
            Assert.Equal(DetectorModel.ArgMax(p), DetectorModel.ArgMax(q));

            foreach (var inputs in new[] { MotionFeatures.BaseCount - 1, MotionFeatures.Count + 1 })
            {
                DetectorModel.Random([inputs, 4, 3], 6).Save(path);
                var error = Assert.Throws<InvalidDataException>(() => DetectorModel.Load(path));
                Assert.Contains(path, error.Message, StringComparison.Ordinal);
                Assert.Contains($"takes {inputs} inputs", error.Message, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Tracker_raises_one_event_per_motion_and_lowers_the_minor_threshold_after_walking_in()
    {
        var tracker = new PresenceTracker(new PresenceOptions { PresenceTimeoutSeconds = 5 });
        var sink = new SensingEvent[8];
        var events = new List<SensingEvent>();
        void Feed(double from, double to, float minor, float major)
        {
            for (var t = from; t < to; t += 0.02)
            {
                var n = tracker.Process(t, [1 - minor - major, minor, major], sink);
                events.AddRange(sink.Take(n));
            }
        }

        Feed(0, 1, 0.9f, 0);          // the same small movement before anyone walked in: below the normal threshold
        Assert.Empty(events);
        Feed(1, 2, 0, 0.99f);         // walking: one major event and presence on
        Assert.Equal([SensingEventKind.Motion, SensingEventKind.PresenceOn], events.Select(e => e.Kind));
        Assert.True(events[0].Major);
        Assert.Equal(events[0].Confidence, events[1].Confidence);   // presence carries the motion's confidence
        Feed(2, 3, 0.02f, 0.01f);
        Feed(3, 3.5, 0.9f, 0);        // a small movement at 0.9 now counts (high sensitivity)
        Assert.Equal(3, events.Count);
        Assert.False(events[2].Major);
        Feed(3.5, 10, 0, 0);          // nothing for the timeout: presence off
        Assert.Equal(SensingEventKind.PresenceOff, events[^1].Kind);
    }

    [Fact]
    public void A_lone_walking_frame_raises_its_event_but_high_sensitivity_waits_for_the_walk_to_go_on()
    {
        var tracker = new PresenceTracker(new PresenceOptions { HighSensitivityConfirmFrames = 5, ConfirmSeconds = 1 });
        var sink = new SensingEvent[8];
        var events = new List<SensingEvent>();
        void Feed(double from, double to, float minor, float major)
        {
            for (var t = from; t < to - 1e-9; t += 0.02)
            {
                var n = tracker.Process(t, [1 - minor - major, minor, major], sink);
                events.AddRange(sink.Take(n));
            }
        }

        Feed(0, 0.02, 0, 0.995f);     // one frame taken for a walk (a curtain's swing)
        Feed(0.02, 2, 0, 0);
        Assert.Single(events, e => e.Kind == SensingEventKind.Motion && e.Major);
        Assert.False(tracker.HighSensitivity);
        Feed(2, 2.5, 0.95f, 0);       // the next swing, at a small-movement probability: not enough in normal mode
        Assert.Single(events, e => e.Kind == SensingEventKind.Motion);
        Feed(2.5, 3, 0, 0);
        Feed(3, 3.2, 0, 0.995f);      // a real walk: ten frames in a row
        Assert.True(tracker.HighSensitivity);
        Feed(3.2, 4, 0, 0);
        Feed(4, 4.5, 0.95f, 0);       // now a small movement counts
        Assert.Contains(events, e => e.Kind == SensingEventKind.Motion && !e.Major && e.Seconds >= 4);
    }

    [Fact]
    public void Low_power_mode_sleeps_after_presence_and_wakes_for_a_burst()
    {
        var tracker = new PresenceTracker(new PresenceOptions { LowPower = true, SleepSeconds = 3, BurstSeconds = 1, PresenceTimeoutSeconds = 100 });
        var sink = new SensingEvent[8];
        for (var t = 0.0; t < 0.5; t += 0.02)
        {
            tracker.Process(t, [0, 0, 1], sink);
        }

        Assert.True(tracker.Present);
        Assert.False(tracker.EmissionWanted);
        for (var t = 0.5; t < 3.4; t += 0.02)
        {
            tracker.Idle(t, sink);
        }

        Assert.True(tracker.EmissionWanted);   // the confirming burst
    }

    private static float Max(Span<float> p) => Math.Max(p[0], Math.Max(p[1], p[2]));

    // A good model saved, one value in its file replaced: loading must refuse it, naming the file and the key.
    private static void AssertRefused(string path, DetectorModel good, string from, string to, string key)
    {
        good.Save(path);
        var text = File.ReadAllText(path);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
        var error = Assert.Throws<InvalidDataException>(() => DetectorModel.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
