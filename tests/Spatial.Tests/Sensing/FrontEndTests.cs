using System.Numerics;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Rooms;
using SpatialAudio.Spatial.Sensing.Detection;
using SpatialAudio.Spatial.Sensing.FrontEnd;
using SpatialAudio.Spatial.Sensing.Pipeline;
using SpatialAudio.Spatial.Sensing.Simulation;
using Xunit;

namespace SpatialAudio.Spatial.Tests.Sensing;

public class FrontEndTests
{
    [Fact]
    public void Decimator_matches_naive_mix_filter_and_downsample()
    {
        const int fs = 96000, factor = 32;
        const double carrier = 40000;
        var decimator = new BasebandDecimator(fs, carrier, factor);
        var random = new Random(3);
        var x = Enumerable.Range(0, 20000).Select(n => (float)(Math.Cos(2 * Math.PI * 40150 * n / fs) + (0.3 * (random.NextDouble() - 0.5)))).ToArray();
        var re = new float[x.Length / factor + 2];
        var im = new float[re.Length];
        var count = decimator.Process(x, re, im);

        // Naive reference: mix every sample by e^{-j w n}, filter with the design's low-pass (1 kHz pass, 2 kHz stop at
        // 3 kHz output, 100 dB), keep n = k D + D - 1.
        var h = SpatialAudio.Filters.Design.WindowedSinc.LowPassForSpec(1000, 2000, 100, fs);
        for (var k = 10; k < count; k += 37)
        {
            var n = (k * factor) + factor - 1;
            Complex acc = 0;
            for (var i = 0; i < h.Length && n - i >= 0; i++)
            {
                acc += h[i] * x[n - i] * Complex.FromPolarCoordinates(2, -2 * Math.PI * carrier * (n - i) / fs);
            }

            Assert.True(Complex.Abs(acc - new Complex(re[k], im[k])) < 2e-4 * Math.Max(1, acc.Magnitude), $"output {k}: {acc} vs {re[k]} {im[k]}");
        }

        // Block boundaries do not matter: blocks shorter, equal to and longer than the factor and the filter give the same
        // outputs, to the bit, as one call.
        var chunked = new BasebandDecimator(fs, carrier, factor);
        int[] sizes = [1, 31, 32, 33, 700, 5, 2000];
        var (chunkRe, chunkIm) = (new List<float>(), new List<float>());
        var outRe = new float[2000 / factor + 2];
        var outIm = new float[outRe.Length];
        for (int at = 0, s = 0; at < x.Length; s++)
        {
            var n = Math.Min(sizes[s % sizes.Length], x.Length - at);
            var produced = chunked.Process(x.AsSpan(at, n), outRe, outIm);
            chunkRe.AddRange(outRe.Take(produced));
            chunkIm.AddRange(outIm.Take(produced));
            at += n;
        }

        Assert.Equal(re.Take(count), chunkRe);
        Assert.Equal(im.Take(count), chunkIm);
    }

    [Fact]
    public void Tone_150_Hz_above_the_carrier_lands_in_the_matching_approach_band()
    {
        // 150 Hz / 23.4 Hz per bin = bin 6.4: band 2 (bins 4-6) or 3 (7-10) on the approaching side, nothing receding.
        const int fs = 96000;
        var frontEnd = new DopplerFrontEnd(fs, 1, 40000, withReference: false);
        var x = Enumerable.Range(0, fs).Select(n => (float)(0.01 * Math.Cos(2 * Math.PI * 40150.0 * n / fs))).ToArray();
        var last = new float[DopplerFrontEnd.BandCount];
        for (var start = 0; start < x.Length; start += 4800)
        {
            if (frontEnd.Process(x.AsSpan(start, 4800), []) > 0)
            {
                frontEnd.BandsDb(frontEnd.FrameCount - 1)[..DopplerFrontEnd.BandCount].CopyTo(last);
            }
        }

        var loudest = Array.IndexOf(last, last.Max());
        Assert.True(loudest is 2 or 3, $"loudest band {loudest}: {string.Join(" ", last.Select(v => v.ToString("0")))}");
        Assert.True(last[loudest] - last[7 + loudest] > 40, "the mirror (receding) band is not 40 dB down");
    }

    [Fact]
    public void Simulated_walker_shows_the_Doppler_shift_two_v_over_c_times_f()
    {
        // A point walking straight at the device at 1 m/s: the echo is shifted by 2 v f / c (+233 Hz at 40 kHz).
        var device = new RoomPlacement(new Vector3D(0.5, 2, 1), 0);
        var scene = new Scene
        {
            DurationSeconds = 2.2,
            Room = new ShoeboxRoom(new Vector3D(8, 4, 3), AbsorptionSpectrum.Uniform(0.9)),
            Device = device,
            ProbeDriverMeters = new Vector3D(0, 0, 0),
            MicMeters = [new Vector3D(0.01, 0, 0)],
            Actors = [new Walker(new Vector3D(4.5, 2, 1), new Vector3D(-1, 0, 0), 1.0, 0.2, 1.9, device.PositionMeters)],
            MicNoiseDbfs = -140,
            Nonlinearity = (0, 0),
        };
        var simulator = new SceneSimulator(scene);
        var mic = new float[(int)simulator.TotalFrames];
        var block = new[] { new float[SceneSimulator.BlockSize] };
        var playback = new float[SceneSimulator.BlockSize];
        int n, at = 0;
        while ((n = simulator.Render(block, playback)) > 0)
        {
            block[0].AsSpan(0, n).CopyTo(mic.AsSpan(at));
            at += n;
        }

        // Demodulate 0.8..1.8 s (steady walking, torso dominant) and find the strongest Doppler line by a direct DFT.
        var decimator = new BasebandDecimator(96000, 40000, 32);
        var re = new float[mic.Length / 32 + 2];
        var im = new float[re.Length];
        var count = decimator.Process(mic, re, im);
        var from = (int)(0.8 * 3000);
        var to = Math.Min(count, (int)(1.8 * 3000));
        var best = 0.0;
        var bestPower = 0.0;
        for (var f = 100.0; f <= 400; f += 1)
        {
            Complex sum = 0;
            for (var k = from; k < to; k++)
            {
                sum += new Complex(re[k], im[k]) * Complex.FromPolarCoordinates(1, -2 * Math.PI * f * k / 3000);
            }

            if (sum.Magnitude > bestPower)
            {
                bestPower = sum.Magnitude;
                best = f;
            }
        }

        var c = SpatialAudio.Drivers.Acoustics.AirConditions.Standard.SpeedOfSoundMetersPerSecond;
        var expected = 2 * 1.0 * 40000 / c;   // the walker passes 1 m off the device line at most: cos ~ 1
        Assert.InRange(best, expected - 12, expected + 3);
    }

    [Fact]
    public void Distortion_canceller_removes_a_music_modulated_sideband_by_more_than_30_dB()
    {
        var canceller = new DistortionCanceller();
        var random = new Random(5);
        var re1 = new float[1];
        var im1 = new float[1];
        double before = 0, after = 0;
        float u1 = 0, u2 = 0;
        for (var n = 0; n < 30000; n++)
        {
            // Music-like regressor (low-passed noise), and a target = a complex FIR of u and u^2.
            var u = (float)((0.9 * u1) + (0.1 * (random.NextDouble() - 0.5)));
            var v = u * u * 4;
            var re = (0.3f * u) - (0.1f * u1) + (0.05f * v);
            var im = (-0.2f * u) + (0.07f * u2) - (0.02f * v);
            if (n > 20000)
            {
                before += (re * re) + (im * im);
            }

            re1[0] = re;
            im1[0] = im;
            canceller.Process(u, v, re1, im1);
            if (n > 20000)
            {
                after += (re1[0] * re1[0]) + (im1[0] * im1[0]);
            }

            u2 = u1;
            u1 = u;
        }

        Assert.True(10 * Math.Log10(before / after) > 30, $"cancellation {10 * Math.Log10(before / after):0.0} dB");
    }

    [Fact]
    public void While_the_probe_sleeps_the_canceller_keeps_the_distortion_paths_it_learnt()
    {
        // Music plays throughout; the probe (a still echo plus its music-modulated sidebands) is on for 5 s, off for 10 s,
        // then back with Resettle. With the canceller paused during the sleep, the bands right after the pipeline's settling
        // are where they were before the sleep; adapting through the sleep unlearns the paths (no probe, no distortion:
        // 21 dB up). The front end's own pause while Resettle's fast filter runs is needed too: adapting to the returning
        // echo's step leaves the paused case 17 dB up.
        static (double Before, double After) Levels(bool pauseWhileAsleep)
        {
            var frontEnd = new DopplerFrontEnd(96000, 1, 40000, withReference: true);
            var noise = new GaussianNoise(4);
            var random = new Random(6);
            var block = new float[960];
            var playback = new float[960];
            double music = 0, before = 0, after = 0;
            int beforeCount = 0, afterCount = 0;
            for (var b = 0; b < 1700; b++)
            {
                var t0 = b * 0.01;
                var on = t0 < 5 || t0 >= 15;
                if (b == 1500)
                {
                    frontEnd.Resettle();
                }

                frontEnd.LearnDistortion = on || !pauseWhileAsleep;
                for (var i = 0; i < block.Length; i++)
                {
                    var n = (b * block.Length) + i;
                    music += 0.02 * ((2 * (random.NextDouble() - 0.5)) - music);
                    playback[i] = (float)(3 * music);
                    var phase = 2 * Math.PI * 40000 * n / 96000;
                    var echo = on ? (0.01 * Math.Cos(phase)) + (1e-3 * playback[i] * Math.Cos(phase + 0.7)) : 0;
                    block[i] = (float)(echo + (1e-6 * noise.Next()));
                }

                var frames = frontEnd.Process(block, playback);
                for (var f = 0; f < frames; f++)
                {
                    var bands = frontEnd.BandsDb(f);
                    var power = 0.0;
                    for (var k = 0; k < DopplerFrontEnd.BandCount; k++)
                    {
                        power += Math.Pow(10, bands[k] / 10) / DopplerFrontEnd.BandCount;
                    }

                    if (t0 is >= 4 and < 5)
                    {
                        before += power;
                        beforeCount++;
                    }
                    else if (t0 is >= 15.6 and < 16.2)
                    {
                        after += power;
                        afterCount++;
                    }
                }
            }

            return (10 * Math.Log10(before / beforeCount), 10 * Math.Log10(after / afterCount));
        }

        var paused = Levels(pauseWhileAsleep: true);
        var adapting = Levels(pauseWhileAsleep: false);
        Assert.True(paused.After - paused.Before < 3, $"paused: {paused.Before:0.0} dB before the sleep, {paused.After:0.0} dB after");
        Assert.True(adapting.After - adapting.Before > 10, $"adapting: {adapting.Before:0.0} dB before, {adapting.After:0.0} dB after");
    }

    [Fact]
    public void A_fast_start_keeps_the_cancellers_from_learning_the_static_echos_first_step()
    {
        // Music and the probe (a still echo plus its music-modulated sidebands) from the first sample, as in a room whose
        // music plays when the device starts. The steady bands are compared with a front end that is given no playback
        // reference for its first second, so its cancellers start learning only once the static-echo filter has long
        // settled: what they reach when they never see the step. Learning from the start, the cancellers fit the filter's
        // decaying step with the music regressors and keep that fit where the music hardly excites them; with the fast
        // start (as after a low-power sleep) they meet only the music's distortion.
        static double SteadyDb(bool fastStart, double referenceFromSeconds) =>
            SteadyBandsDb(new DopplerFrontEnd(96000, 1, 40000, withReference: true, fastStart: fastStart), (_, direct) => direct, referenceFromSeconds);

        var clean = SteadyDb(fastStart: false, referenceFromSeconds: 1);
        var fast = SteadyDb(fastStart: true, referenceFromSeconds: 0);
        var slow = SteadyDb(fastStart: false, referenceFromSeconds: 0);
        Assert.True(Math.Abs(fast - clean) < 2, $"fast start: {fast - clean:0.0} dB over the clean start");
        Assert.True(slow - clean > 8, $"learning from the start: {slow - clean:0.0} dB over the clean start");   // measured 0.0 and 12.4 dB
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]   // the least-squares lattice: the same filter at a cost linear in the taps
    public void A_longer_music_canceller_removes_distortion_that_arrives_through_a_later_echo(bool lattice)
    {
        // The distortion reaches the microphone directly and again through an echo 20 ms later (a wall 3.4 m away and
        // back), 6 dB weaker. 24 taps (8 ms) cannot model the echo in the time domain and the spectral stage takes only
        // part of it; 96 taps (32 ms) model both. The reference is what 24 taps leave where the paths fit in them: the
        // same distortion without the echo.
        double SteadyDb(int taps, double echoGain)
        {
            var frontEnd = new DopplerFrontEnd(96000, 1, 40000, withReference: true, fastStart: true, cancellerTaps: taps, latticeCanceller: lattice);
            Assert.Equal(taps, frontEnd.CancellerTaps);
            Assert.Equal(lattice, frontEnd.LatticeCanceller);
            const int delay = 1920;   // 20 ms at 96 kHz
            var history = new double[delay];
            return SteadyBandsDb(frontEnd, (n, direct) =>
            {
                var echo = echoGain * history[n % delay];
                history[n % delay] = direct;
                return direct + echo;
            });
        }

        var fits = SteadyDb(DistortionCanceller.DefaultTaps, echoGain: 0);
        var shortFilter = SteadyDb(DistortionCanceller.DefaultTaps, echoGain: 0.5) - fits;
        var longFilter = SteadyDb(96, echoGain: 0.5) - fits;
        Assert.True(longFilter < 2, $"96 taps with the echo: {longFilter:0.0} dB over 24 taps without it (24 taps with it: {shortFilter:0.0} dB)");
        Assert.True(shortFilter > 6, $"24 taps with the echo: {shortFilter:0.0} dB over 24 taps without it");   // inverse QR: 1.1 and 10.0 dB
    }

    // 5 s of bass-heavy music and the probe from the first sample, as the microphone hears them: a still echo plus the
    // music distortion that reaches it (given the sample index and the directly coupled sidebands, returns what arrives),
    // and self-noise. Returns the mean band power over the last 2 s, dB; the reference is given from the time given.
    private static double SteadyBandsDb(DopplerFrontEnd frontEnd, Func<int, double, double> distortion, double referenceFromSeconds = 0)
    {
        var noise = new GaussianNoise(4);
        var random = new Random(6);
        var block = new float[960];
        var playback = new float[960];
        double music = 0, level = 0;
        var count = 0;
        for (var b = 0; b < 500; b++)
        {
            for (var i = 0; i < block.Length; i++)
            {
                var n = (b * block.Length) + i;
                music += 0.02 * ((2 * (random.NextDouble() - 0.5)) - music);
                playback[i] = (float)(3 * music);
                var phase = 2 * Math.PI * 40000 * n / 96000;
                block[i] = (float)((0.01 * Math.Cos(phase)) + distortion(n, 1e-3 * playback[i] * Math.Cos(phase + 0.7)) + (1e-6 * noise.Next()));
            }

            var frames = frontEnd.Process(block, b * 0.01 >= referenceFromSeconds ? playback : []);
            for (var f = 0; f < frames && b >= 300; f++)
            {
                var bands = frontEnd.BandsDb(f);
                for (var k = 0; k < DopplerFrontEnd.BandCount; k++)
                {
                    level += Math.Pow(10, bands[k] / 10) / DopplerFrontEnd.BandCount;
                }

                count++;
            }
        }

        return 10 * Math.Log10(level / count);
    }

    [Fact]
    public void A_model_says_how_its_front_end_starts_and_how_long_its_music_canceller_is_and_the_pipeline_builds_it_so()
    {
        var plain = DetectorModel.Random([MotionFeatures.Count, 4, 3], 3);
        var trained = plain.WithTraining(new System.Text.Json.Nodes.JsonObject { ["fast_start"] = true });
        var adopted = plain.WithTraining(new System.Text.Json.Nodes.JsonObject { ["fast_start"] = false }).WithFrontEnd(new System.Text.Json.Nodes.JsonObject { ["fast_start"] = true });
        Assert.Equal(DistortionCanceller.DefaultTaps, plain.CancellerTaps);
        Assert.Equal(96, plain.WithTraining(new System.Text.Json.Nodes.JsonObject { ["canceller_taps"] = 96 }).CancellerTaps);
        var longer = plain.WithTraining(new System.Text.Json.Nodes.JsonObject { ["canceller_taps"] = 96 }).WithFrontEnd(new System.Text.Json.Nodes.JsonObject { ["canceller_taps"] = 48 });
        Assert.Equal(48, longer.CancellerTaps);   // front_end wins over training
        Assert.Equal(48, new SensingPipeline(96000, 2, 40000, longer, withReference: true).FrontEnd.CancellerTaps);
        Assert.False(plain.FastStart);   // every model before the twenty-third session
        Assert.True(trained.FastStart);
        Assert.True(adopted.FastStart);  // front_end wins over training
        Assert.False(new SensingPipeline(96000, 2, 40000, plain, withReference: true).FrontEnd.FastStart);
        Assert.True(new SensingPipeline(96000, 2, 40000, adopted, withReference: true).FrontEnd.FastStart);
    }

    [Fact]
    public void A_model_says_whether_its_music_canceller_is_the_lattice_and_the_pipeline_builds_it_so()
    {
        var plain = DetectorModel.Random([MotionFeatures.Count, 4, 3], 3);
        var trained = plain.WithTraining(new System.Text.Json.Nodes.JsonObject { ["lattice_canceller"] = true });
        var overruled = trained.WithFrontEnd(new System.Text.Json.Nodes.JsonObject { ["lattice_canceller"] = false });
        Assert.False(plain.LatticeCanceller);   // every model before the twenty-fourth session
        Assert.True(trained.LatticeCanceller);
        Assert.False(overruled.LatticeCanceller);   // front_end wins over training
        Assert.False(new SensingPipeline(96000, 2, 40000, plain, withReference: true).FrontEnd.LatticeCanceller);
        Assert.True(new SensingPipeline(96000, 2, 40000, trained, withReference: true).FrontEnd.LatticeCanceller);
        Assert.False(new SensingPipeline(96000, 2, 40000, trained, withReference: false).FrontEnd.LatticeCanceller);   // no reference, no canceller
    }

    [Fact]
    public void A_model_carries_the_lattice_powers_floor_and_the_pipeline_builds_it_so()
    {
        var plain = DetectorModel.Random([MotionFeatures.Count, 4, 3], 3);
        var trained = plain.WithTraining(new System.Text.Json.Nodes.JsonObject { ["lattice_canceller"] = true, ["lattice_power_floor"] = 0.01 });
        var overruled = trained.WithFrontEnd(new System.Text.Json.Nodes.JsonObject { ["lattice_power_floor"] = 1e-3 });
        Assert.Equal(LatticeDistortionCanceller.DefaultPowerFloor, plain.LatticePowerFloor);   // every model before the twenty-seventh session
        Assert.Equal(0.01, trained.LatticePowerFloor);
        Assert.Equal(1e-3, overruled.LatticePowerFloor);   // front_end wins over training
        Assert.Equal(0.01, new SensingPipeline(96000, 2, 40000, trained, withReference: true).FrontEnd.LatticePowerFloor);
        Assert.Equal(1e-3, new SensingPipeline(96000, 2, 40000, overruled, withReference: true).FrontEnd.LatticePowerFloor);
        Assert.Equal(LatticeDistortionCanceller.DefaultPowerFloor,
            new SensingPipeline(96000, 2, 40000, plain.WithTraining(new System.Text.Json.Nodes.JsonObject { ["lattice_canceller"] = true }), withReference: true).FrontEnd.LatticePowerFloor);

        // A floor belongs to the lattice: the front end refuses one for the inverse-QR filter rather than ignore it.
        Assert.Throws<ArgumentException>(() => new DopplerFrontEnd(96000, 2, 40000, withReference: true, latticeCanceller: false, latticePowerFloor: 0.01));
    }

    [Fact]
    public void A_fast_start_front_end_starts_again_the_same_way_after_reset()
    {
        // Reset must give back the constructed state, fast settling included: the same frames as a new front end.
        static float[] Probe(int seed) => [.. Enumerable.Range(0, 96000).Select(n => (float)((0.05 * Math.Cos(2 * Math.PI * 40000.0 * n / 96000)) + (1e-5 * ((seed * 7919 + n) % 97 - 48))))];
        var music = Enumerable.Range(0, 96000).Select(n => (float)(0.3 * Math.Sin(2 * Math.PI * 55 * n / 96000))).ToArray();
        var used = new DopplerFrontEnd(96000, 1, 40000, withReference: true, fastStart: true);
        var fresh = new DopplerFrontEnd(96000, 1, 40000, withReference: true, fastStart: true);
        Assert.True(used.FastStart);
        Assert.False(new DopplerFrontEnd(96000, 1, 40000, withReference: true).FastStart);
        var first = Probe(1);
        var second = Probe(2);
        for (var start = 0; start < first.Length; start += 4800)
        {
            used.Process(first.AsSpan(start, 4800), music.AsSpan(start, 4800));
        }

        used.Reset();
        for (var start = 0; start < second.Length; start += 4800)
        {
            var a = used.Process(second.AsSpan(start, 4800), music.AsSpan(start, 4800));
            var b = fresh.Process(second.AsSpan(start, 4800), music.AsSpan(start, 4800));
            Assert.Equal(b, a);
            for (var f = 0; f < a; f++)
            {
                Assert.Equal(fresh.BandsDb(f).ToArray(), used.BandsDb(f).ToArray());
            }
        }
    }

    [Fact]
    public void After_resettle_the_slow_bands_are_at_their_steady_level_when_settling_ends()
    {
        // Probe off for 1 s (noise only), then a still echo far over the noise comes back. 0.6 s later (the pipeline's
        // settling) the slowest band must be where it will stay (measured 2.5 s later) with Resettle, and far above it
        // without (the 0.1 s static-echo filter has only taken 52 dB off the step by then).
        static float ExcessAfterSettling(bool resettle)
        {
            var frontEnd = new DopplerFrontEnd(96000, 1, 40000, withReference: false);
            var noise = new GaussianNoise(3);
            var block = new float[960];
            var level = new List<(double T, float Db)>();
            for (var b = 0; b < 400; b++)
            {
                var t0 = b * 0.01;
                var on = t0 >= 1.0;
                if (on && t0 < 1.005 && resettle)
                {
                    frontEnd.Resettle();
                }

                for (var i = 0; i < block.Length; i++)
                {
                    var n = (b * block.Length) + i;
                    block[i] = (float)((on ? 0.3 * Math.Cos(2 * Math.PI * 40000.0 * n / 96000) : 0) + (1e-5 * noise.Next()));
                }

                var frames = frontEnd.Process(block, []);
                for (var f = 0; f < frames; f++)
                {
                    level.Add((t0, frontEnd.BandsDb(f)[0]));
                }
            }

            var steady = level.Where(l => l.T is > 3.5 and < 3.9).Average(l => l.Db);
            return level.Where(l => l.T is > 1.6 and < 1.7).Max(l => l.Db) - (float)steady;
        }

        var with = ExcessAfterSettling(resettle: true);
        var without = ExcessAfterSettling(resettle: false);
        Assert.True(with < 3, $"with resettle: {with:0.0} dB over the steady level");
        Assert.True(without > 30, $"without: {without:0.0} dB over the steady level");
    }

    [Theory]
    [InlineData(960)]
    [InlineData(4097)]
    public void The_fan_cancellers_lock_is_flagged_in_one_frame_and_the_same_one_whatever_the_block_size(int block)
    {
        // A carrier with a fan's lines either side (blade pass 63.3 Hz): the comb starts once, about 1 s in.
        const int fs = 96000;
        const double carrier = 40000, bladePass = 63.3;
        var signal = new float[3 * fs];
        for (var n = 0; n < signal.Length; n++)
        {
            var t = (double)n / fs;
            var x = Math.Cos(2 * Math.PI * carrier * t);
            foreach (var (h, level) in new[] { (1, 0.01), (-1, 0.006), (2, 0.004), (-2, 0.005), (3, 0.002) })
            {
                x += level * Math.Cos((2 * Math.PI * (carrier + (h * bladePass)) * t) + h);
            }

            signal[n] = (float)(0.1 * x);
        }

        List<int> Flagged(int size)
        {
            var frontEnd = new DopplerFrontEnd(fs, 1, carrier, withReference: false, cancelFans: true);
            var frames = new List<int>();
            var frame = 0;
            for (var start = 0; start < signal.Length; start += size)
            {
                var produced = frontEnd.Process(signal.AsSpan(start, Math.Min(size, signal.Length - start)), []);
                for (var f = 0; f < produced; f++, frame++)
                {
                    if (frontEnd.FanLockedIn(f))
                    {
                        frames.Add(frame);
                    }
                }
            }

            Assert.True(frontEnd.FanPeriodSamples > 0);
            return frames;
        }

        var whole = Flagged(1024);
        var flagged = Flagged(block);
        Assert.Single(whole);
        Assert.Equal(whole, flagged);
        Assert.InRange(whole[0] * DopplerFrontEnd.Hop / 3000.0, 0.5, 2.0);   // found within the first seconds
    }

    [Fact]
    public void Pipeline_does_not_allocate_per_block_float_or_int8()
    {
        var random = new Random(4);
        var mics = Enumerable.Range(0, 2 * 960).Select(n => (float)((0.1 * Math.Cos(2 * Math.PI * 40000.0 * (n / 2) / 96000)) + (1e-4 * random.NextDouble()))).ToArray();
        var playback = Enumerable.Range(0, 960).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var events = new SensingEvent[16];
        // The last pass runs the front end that a model trained behind the distortion canceller's output guard and the fast
        // start asks for.
        var guarded = DetectorModel.Random([MotionFeatures.Count, 8, 3], 1).WithTraining(new System.Text.Json.Nodes.JsonObject { ["distortion_guard"] = true, ["fast_start"] = true });
        foreach (var (quantized, model) in new[] { (false, DetectorModel.Random([MotionFeatures.Count, 8, 3], 1)), (true, DetectorModel.Random([MotionFeatures.Count, 8, 3], 1)), (false, guarded) })
        {
            var pipeline = new SensingPipeline(96000, 2, 40000, model, withReference: true, useQuantized: quantized);
            Assert.Equal(model.DistortionGuard, pipeline.FrontEnd.GuardsDistortion);
            Assert.Equal(model.FastStart, pipeline.FrontEnd.FastStart);
            var allocated = SpatialAudio.Filters.Tests.Support.Allocations.OnCurrentThread(() =>
            {
                for (var i = 0; i < 100; i++)
                {
                    pipeline.Process(mics, playback, events);
                }
            });
            Assert.Equal(0, allocated);
        }
    }
}
