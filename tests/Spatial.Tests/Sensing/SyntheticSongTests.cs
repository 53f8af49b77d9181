using SpatialAudio.Spatial.Sensing.Evaluation;
using SpatialAudio.Spatial.Sensing.Simulation;
using SpatialAudio.Spatial.Tests.Support;
using Xunit;

namespace SpatialAudio.Spatial.Tests.Sensing;

/// <summary>The per-scene songs (<see cref="MusicSource.Varied"/>): music the detector was not trained on.</summary>
public sealed class SyntheticSongTests
{
    private const int Rate = 96000;

    private static float[] Render(SyntheticSong song, double seconds)
    {
        var samples = new float[(int)(seconds * Rate)];
        for (var at = 0; at < samples.Length; at += 4096)
        {
            song.Render(samples.AsSpan(at, Math.Min(4096, samples.Length - at)));   // in blocks, as the simulator does
        }

        return samples;
    }

    // Power per DFT bin of a Hann-windowed stretch, the DFT written out (naive, O(N^2), and obviously right).
    private static double[] PowerSpectrum(ReadOnlySpan<float> x)
    {
        var n = x.Length;
        var power = new double[(n / 2) + 1];
        for (var k = 0; k <= n / 2; k++)
        {
            double re = 0, im = 0;
            for (var i = 0; i < n; i++)
            {
                var w = 0.5 - (0.5 * Math.Cos(2 * Math.PI * i / n));
                var angle = -2 * Math.PI * k * i / n;
                re += w * x[i] * Math.Cos(angle);
                im += w * x[i] * Math.Sin(angle);
            }

            power[k] = (re * re) + (im * im);
        }

        return power;
    }

    private static double BandEnergy(ReadOnlySpan<float> x, double lowHz, double highHz)
    {
        var power = PowerSpectrum(x);
        var binHz = (double)Rate / x.Length;
        return power.Select((p, k) => (p, k)).Where(b => b.k * binHz >= lowHz && b.k * binHz <= highHz).Sum(b => b.p);
    }

    [Fact]
    public void A_seed_gives_the_same_song_and_seeds_give_different_tempos_and_keys()
    {
        var a = Render(new SyntheticSong(17, Rate), 0.5);
        var b = Render(new SyntheticSong(17, Rate), 0.5);
        Assert.Equal(a, b);

        var songs = Enumerable.Range(1, 40).Select(s => new SyntheticSong(s, Rate)).ToList();
        Assert.All(songs, s => Assert.InRange(s.Bpm, 80, 160));
        Assert.All(songs, s => Assert.InRange(s.RootHz, 30, 55));
        Assert.True(songs.Max(s => s.Bpm) - songs.Min(s => s.Bpm) > 50, "tempos spread over the range");
        Assert.True(songs.Max(s => s.RootHz) - songs.Min(s => s.RootHz) > 15, "keys spread over the range");
        Assert.True(songs.Select(s => Math.Round(s.Bpm, 3)).Distinct().Count() == songs.Count);
    }

    [Fact]
    public void Nothing_reaches_the_sensing_band_and_most_of_the_energy_is_bass()
    {
        // 85 ms around the ninth step of the second bar, where the kick and bass start again (their onsets click before
        // the band-limiting filter).
        var song = new SyntheticSong(5, Rate);
        var onset = (16 + 8) * 15 / song.Bpm;
        var samples = Render(song, onset + 0.1);
        var stretch = samples.AsSpan((int)(onset * Rate) - 4096, 8192);

        var total = BandEnergy(stretch, 0, Rate / 2.0);
        var sensing = BandEnergy(stretch, 25000, Rate / 2.0);
        var bass = BandEnergy(stretch, 0, 200);

        Assert.True(10 * Math.Log10(sensing / total) < -90, $"{10 * Math.Log10(sensing / total):0.0} dB above 25 kHz");
        Assert.True(bass / total > 0.5, $"{bass / total:P0} below 200 Hz");
    }

    [Fact]
    public void Sections_that_drop_the_bass_and_kick_have_far_less_low_end_than_the_first()
    {
        // A song and a later section without bass or kick (the first always has both).
        var (seed, section) = Enumerable.Range(1, 50).SelectMany(s => Enumerable.Range(1, 12).Select(k => (s, k)))
            .First(c => new SyntheticSong(c.s, Rate).Arrangement(c.k) == (false, false));
        var song = new SyntheticSong(seed, Rate);
        var samples = Render(song, (section + 1) * song.SectionSeconds);
        var first = samples.AsSpan((int)(0.5 * song.SectionSeconds * Rate), 8192);
        var dropped = samples.AsSpan((int)((section + 0.5) * song.SectionSeconds * Rate), 8192);

        var ratio = BandEnergy(dropped, 20, 150) / BandEnergy(first, 20, 150);

        Assert.True(10 * Math.Log10(ratio) < -20, $"{10 * Math.Log10(ratio):0.0} dB");
        var sections = Enumerable.Range(1, 400).Select(k => song.Arrangement(k)).ToList();
        Assert.InRange(sections.Count(a => !a.Bass) / 400.0, 0.15, 0.35);   // a quarter, drawn
        Assert.InRange(sections.Count(a => !a.Kick) / 400.0, 0.15, 0.35);
    }

    [Fact]
    public void A_scene_with_varied_songs_plays_its_own_song_at_its_level_from_its_start()
    {
        var geometry = TemporarySceneCache.StudioGeometry();
        Scene SceneWith(int musicSeed) => SceneLibrary.Create(SceneKind.Empty, 4300, geometry.ProbeDriverMeters, geometry.MicMeters, seconds: 6, music: true)
            with { Music = MusicSource.Varied, MusicSeed = musicSeed, MusicStartSeconds = 1, MusicLevelDbfs = -6 };

        var (_, playback) = new SceneSimulator(SceneWith(1)).RenderAll();
        var (_, other) = new SceneSimulator(SceneWith(2)).RenderAll();

        Assert.All(playback.AsSpan(0, Rate - 1).ToArray(), v => Assert.Equal(0f, v));   // silent until the start
        // The first 5 s of the song: within its first section (at most 24 s), where the level is set.
        var peak = playback.Max(Math.Abs);
        Assert.Equal(-6, 20 * Math.Log10(peak), 0.5);
        // Another music seed, another song (not the same clip at another offset: the tempos differ).
        Assert.NotEqual(new SyntheticSong(1, Rate).Bpm, new SyntheticSong(2, Rate).Bpm);
        Assert.True(playback.Zip(other).Sum(p => Math.Abs(p.First - p.Second)) > 0.1 * playback.Sum(Math.Abs));
    }

    [Fact]
    public void Varied_songs_are_cached_apart_from_the_demo_clip()
    {
        Assert.Equal("|probe -14 dBFS|music Varied", new SceneVariant(Music: MusicSource.Varied).KeySuffix(SceneKind.Walk));
        Assert.Equal("|probe -14 dBFS", new SceneVariant(Music: MusicSource.Demo).KeySuffix(SceneKind.Walk));
    }

    [Fact]
    public void A_mixed_set_stores_and_finds_each_scene_under_its_own_musics_key()
    {
        using var cache = new TemporarySceneCache();
        (SceneKind, int)[] plan = [(SceneKind.Empty, 4400), (SceneKind.Empty, 4401), (SceneKind.Empty, 4402)];
        var variant = new SceneVariant(Seconds: 3);
        MusicSource MusicOf(int seed) => seed == 4401 ? MusicSource.Demo : MusicSource.Varied;
        var fractions = new List<double>();
        var mixed = SceneRunCache.GetOrSimulate(cache.Folder, plan, cache.Geometry, variant, MusicOf, fractions.Add);

        Assert.Equal(plan.Select(p => p.Item2), mixed.Select(r => r.Seed));   // in the plan's order
        Assert.Equal(3, cache.SceneFiles);
        Assert.Equal(1, fractions[^1]);
        Assert.Equal(fractions.Order(), fractions);
        // Each scene was stored under its own music's key: asking for it with that music simulates nothing new.
        for (var i = 0; i < plan.Length; i++)
        {
            var alone = SceneRunCache.GetOrSimulate(cache.Folder, [plan[i]], cache.Geometry, variant with { Music = MusicOf(plan[i].Item2) })[0];
            Assert.Equal(alone.Bands, mixed[i].Bands);
        }

        Assert.Equal(3, cache.SceneFiles);
    }

    [Fact]
    public void Mixed_songs_give_every_kind_of_the_training_plan_about_half_of_each_music()
    {
        var plan = SensingEvaluation.Plan(SensingEvaluation.TrainingSeedBase, 240, 160);
        foreach (var kind in plan.GroupBy(p => p.Kind))
        {
            var demo = kind.Count(p => SensingEvaluation.MixedSongs(p.Seed) == MusicSource.Demo);
            Assert.InRange(demo, kind.Count() / 2, (kind.Count() + 1) / 2);
        }
    }
}
