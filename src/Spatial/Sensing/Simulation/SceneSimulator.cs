using SpatialAudio.Drivers.Acoustics;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Rooms;
using SpatialAudio.Filters.Convolution;
using SpatialAudio.Filters.Design;
using SpatialAudio.Spatial.Sensing.Probe;
using SpatialAudio.Spatial.Stimuli;

namespace SpatialAudio.Spatial.Sensing.Simulation;

/// <summary>
/// Renders what a device's microphones record, block by block, at the scene's rate (96 kHz): the probe and the music
/// through a nonlinear probe driver; the static room (image sources, with air absorption) as a fixed impulse response
/// per microphone; every moving point scatterer as its own path whose length changes sample by sample, rendered with a
/// fractional-delay reader so the Doppler shift is exact; airflow noise and microphone self-noise; per-unit gains.
/// </summary>
/// <remarks>
/// <para>Scatterer paths are direct (driver to point to microphone), with 1/(d1 d2) spreading and air absorption at the
/// carrier over d1 + d2; their wall reflections are not modelled (they arrive later and weaker, and would add Doppler
/// copies at other angles). Delays and gains are evaluated every 32 samples (0.33 ms) and interpolated linearly in between.</para>
/// <para>The playback reference (<see cref="Render"/>'s <c>playback</c>) is the music the host sends to the renderer,
/// exactly what a real device knows, without the loudspeaker's distortion.</para>
/// </remarks>
public sealed class SceneSimulator
{
    /// <summary>Frames rendered per call at most.</summary>
    public const int BlockSize = 1024;

    private const int ControlStep = 32;
    private const int RingSize = 16384;
    private const int Guard = 32;
    private const int StaticIrLength = 8192;

    private readonly Scene scene;
    private readonly int micCount;
    private readonly ProbeGenerator probe;
    private readonly float[]? music;
    private readonly SyntheticSong? song;
    private readonly long musicFrames, musicStart;
    private readonly int musicOffset;
    private readonly float musicGain;
    private readonly PartitionedConvolver staticPaths;
    private readonly float[] ring = new float[RingSize + (2 * Guard)];
    private readonly float[] drive = new float[BlockSize];
    private readonly float[] staticOut;
    private readonly DirectFormFir? driverFilter;
    private readonly float[] micGains;
    private readonly Vector3D driverRoom;
    private readonly Vector3D[] micsRoom;
    private readonly Vector3D[][] positions;
    private readonly double[][] amplitudes;
    private readonly double[][] delayNow, gainNow;   // per [actor point][mic], at the current control instant
    private readonly double[][] delayPrevious, gainPrevious;
    private readonly double speedOfSound, absorptionDbPerMeter;
    private readonly float micNoise, hvacNoise;
    private GaussianNoise noise;
    private long position;

    /// <summary>Prepares the scene (image-source responses, music).</summary>
    public SceneSimulator(Scene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        if (scene.SampleRateHz < 2 * (ProbeGenerator.MinCarrierHz + 2000))
        {
            throw new ArgumentOutOfRangeException(nameof(scene), scene.SampleRateHz, "sensing scenes need at least 68 kHz (a carrier of 32 kHz or more)");
        }

        this.scene = scene;
        micCount = scene.MicMeters.Count;
        var fs = scene.SampleRateHz;
        probe = new ProbeGenerator(fs, scene.CarrierHz, scene.ProbeLevelDbfs, rampMs: 20) { Enabled = true };
        var air = AirConditions.Standard;
        speedOfSound = air.SpeedOfSoundMetersPerSecond;
        absorptionDbPerMeter = air.AbsorptionDbPerMeter(scene.CarrierHz);
        driverRoom = scene.Device.ToRoom(scene.ProbeDriverMeters);
        micsRoom = [.. scene.MicMeters.Select(scene.Device.ToRoom)];

        var irs = new float[1, micCount][];
        for (var m = 0; m < micCount; m++)
        {
            var model = new ImageSourceModel(scene.Room, driverRoom, micsRoom[m], new ImageSourceOptions { MaxOrder = 6, MaxDelaySeconds = (StaticIrLength - 128.0) / fs });
            irs[0, m] = [.. model.ImpulseResponse(fs, StaticIrLength).Select(v => (float)v)];
        }

        staticPaths = new PartitionedConvolver(1, micCount, BlockSize, StaticIrLength, new ConvolverFilters(BlockSize, irs));
        staticOut = new float[micCount * BlockSize];
        driverFilter = scene.DriverResponse is null ? null : new DirectFormFir([.. scene.DriverResponse], 1);
        micGains = [.. Enumerable.Range(0, micCount).Select(m => (float)(scene.MicCouplingGain * Math.Pow(10, (m < scene.MicGainsDb.Count ? scene.MicGainsDb[m] : 0) / 20)))];

        if (scene.MusicLevelDbfs is { } musicDb)
        {
            musicFrames = (long)Math.Ceiling(scene.DurationSeconds * fs);
            musicStart = (long)Math.Clamp(scene.MusicStartSeconds * fs, 0, musicFrames);
            double peak;
            if (scene.Music == MusicSource.Varied)
            {
                // The scene's own song, from its start when the music starts; its level set by the first section, where
                // every part plays.
                song = new SyntheticSong(scene.MusicSeed, fs);
                peak = song.PeakOfFirstSection();
            }
            else
            {
                // The excerpt is read from the shared clip as it plays (a long scene would otherwise hold all of it).
                music = MusicClip(fs);
                musicOffset = (int)((uint)(scene.MusicSeed * 2654435761u) % (uint)music.Length);
                peak = 0;
                for (long i = 0; i < Math.Min(musicFrames, music.Length); i++)
                {
                    peak = Math.Max(peak, Math.Abs(music[(musicOffset + i) % music.Length]));
                }
            }

            musicGain = (float)(Math.Pow(10, musicDb / 20) / Math.Max(1e-9, peak));
        }

        positions = [.. scene.Actors.Select(a => new Vector3D[a.PointCount])];
        amplitudes = [.. scene.Actors.Select(a => new double[a.PointCount])];
        var paths = scene.Actors.Sum(a => a.PointCount);
        delayNow = [.. Enumerable.Range(0, paths).Select(_ => new double[micCount])];
        gainNow = [.. Enumerable.Range(0, paths).Select(_ => new double[micCount])];
        delayPrevious = [.. Enumerable.Range(0, paths).Select(_ => new double[micCount])];
        gainPrevious = [.. Enumerable.Range(0, paths).Select(_ => new double[micCount])];
        micNoise = (float)Math.Pow(10, scene.MicNoiseDbfs / 20);
        hvacNoise = scene.HvacNoiseDbfs is { } h ? (float)Math.Pow(10, h / 20) : 0f;
        noise = new GaussianNoise(scene.Seed);
        UpdatePaths(0);
    }

    /// <summary>The scene.</summary>
    public Scene Scene => scene;

    /// <summary>Microphone channels.</summary>
    public int MicCount => micCount;

    /// <summary>Frames in the whole scene.</summary>
    public long TotalFrames => (long)Math.Round(scene.DurationSeconds * scene.SampleRateHz);

    /// <summary>Frames rendered so far.</summary>
    public long Position => position;

    /// <summary>Samples of the recording that hit full scale so far.</summary>
    public long ClippedSamples { get; private set; }

    /// <summary>Probe emission on or off (with the generator's ramps), e.g. under a low-power schedule.</summary>
    public bool ProbeEnabled
    {
        get => probe.Enabled;
        set => probe.Enabled = value;
    }

    /// <summary>Renders the rest of the scene into whole recordings (design-time: allocates).</summary>
    /// <param name="progress">Receives the fraction done after each block; may be null.</param>
    /// <returns>One array per microphone and the playback reference, from the current position to the end.</returns>
    public (float[][] Mics, float[] Playback) RenderAll(Action<double>? progress = null)
    {
        var total = (int)(TotalFrames - position);
        var mics = Enumerable.Range(0, micCount).Select(_ => new float[total]).ToArray();
        var playback = new float[total];
        var block = Enumerable.Range(0, micCount).Select(_ => new float[BlockSize]).ToArray();
        var blockPlayback = new float[BlockSize];
        int n, at = 0;
        while ((n = Render(block, blockPlayback)) > 0)
        {
            for (var m = 0; m < micCount; m++)
            {
                block[m].AsSpan(0, n).CopyTo(mics[m].AsSpan(at));
            }

            blockPlayback.AsSpan(0, n).CopyTo(playback.AsSpan(at));
            at += n;
            progress?.Invoke((double)at / Math.Max(total, 1));
        }

        return (mics, playback);
    }

    /// <summary>Renders the next <see cref="BlockSize"/> frames (fewer at the end of the scene).</summary>
    /// <param name="mics">Planar microphone output: <see cref="MicCount"/> arrays of at least <see cref="BlockSize"/>.</param>
    /// <param name="playback">Receives the playback reference (the music the host sent), at least <see cref="BlockSize"/> values.</param>
    /// <returns>Frames rendered (0 at the end).</returns>
    public int Render(float[][] mics, Span<float> playback)
    {
        ArgumentNullException.ThrowIfNull(mics);
        var n = (int)Math.Min(BlockSize, TotalFrames - position);
        if (n <= 0)
        {
            return 0;
        }

        // The convolver runs in whole blocks; only the scene's last block is short (its tail is silence).
        var block = drive.AsSpan();
        block.Clear();
        if (scene.Emission is { } emission)
        {
            for (var i = 0; i < n; i++)
            {
                block[i] = position + i < emission.Count ? emission[(int)(position + i)] : 0f;
            }
        }
        else
        {
            probe.WriteTo(block[..n]);
        }

        var musicBlock = playback[..n];
        musicBlock.Clear();
        if (music is not null)
        {
            for (var i = 0; i < n; i++)
            {
                var at = position + i;
                musicBlock[i] = at < musicStart || at >= musicFrames ? 0f : music[(musicOffset + at) % music.Length] * musicGain;
            }
        }
        else if (song is not null)
        {
            var from = (int)Math.Clamp(musicStart - position, 0, n);
            song.Render(musicBlock[from..]);
            for (var i = from; i < n; i++)
            {
                musicBlock[i] *= musicGain;
            }
        }

        var (a2, a3) = scene.Nonlinearity;
        for (var i = 0; i < n; i++)
        {
            double x = block[i] + musicBlock[i];
            block[i] = (float)(x + (a2 * x * x) + (a3 * x * x * x));
        }

        driverFilter?.Process(0, block[..n], block[..n]);
        for (var i = 0; i < n; i++)
        {
            WriteRing(position + i, block[i]);
        }

        staticPaths.Process(block, staticOut);
        for (var m = 0; m < micCount; m++)
        {
            staticOut.AsSpan(m * BlockSize, n).CopyTo(mics[m]);
        }

        RenderMovingPaths(mics, n);

        var fs = scene.SampleRateHz;
        for (var m = 0; m < micCount; m++)
        {
            var output = mics[m].AsSpan(0, n);
            var gain = micGains[m];
            var t = position / (double)fs;   // the airflow swells slowly (0.08..0.2 Hz): one level per block is enough
            var hvac = hvacNoise * (float)(1 + (0.5 * Math.Sin((2 * Math.PI * scene.HvacSwellHz * t) + scene.HvacSwellPhase + m)));
            for (var i = 0; i < n; i++)
            {
                var v = (gain * output[i]) + (micNoise * noise.Next());
                if (hvac != 0)
                {
                    v += hvac * noise.Next();
                }

                if (Math.Abs(v) >= 1f)
                {
                    v = Math.Sign(v);
                    ClippedSamples++;
                }

                output[i] = v;
            }
        }

        position += n;
        return n;
    }

    // Synthesizing music at 96 kHz costs about 0.1 s per second of it: scenes take excerpts of one cached 60 s clip
    // (mono sum of the demo clip) at a seed-chosen offset, looping when a scene is longer.
    private static float[] MusicClip(int sampleRateHz)
    {
        var source = musicCache;
        if (source is null || source.Rate != sampleRateHz)
        {
            // Band-limited to 20 kHz as the renderer's music path is (the synthetic shaker is white up to Nyquist).
            var clip = DemoClip.Synthesize(sampleRateHz, 60, 7);
            var sum = new float[clip.FrameCount];
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] = 0.5f * (clip.Left[i] + clip.Right[i]);
            }

            var lowPass = new DirectFormFir(WindowedSinc.LowPassForSpec(20000, 24000, 100, sampleRateHz), 1);
            var mono = new float[sum.Length];
            lowPass.Process(0, sum, mono);

            source = new MusicCache(sampleRateHz, mono);
            musicCache = source;
        }

        return source.Samples;
    }

    private static MusicCache? musicCache;

    private sealed record MusicCache(int Rate, float[] Samples);

    // Each sample lives at Guard + (i mod RingSize); the first and last Guard samples are mirrored past the ends so any
    // 32-tap window is contiguous.
    private void WriteRing(long index, float value)
    {
        var j = (int)(index & (RingSize - 1));
        ring[Guard + j] = value;
        if (j < Guard)
        {
            ring[Guard + RingSize + j] = value;
        }
        else if (j >= RingSize - Guard)
        {
            ring[j - RingSize + Guard] = value;
        }
    }

    private void RenderMovingPaths(float[][] mics, int n)
    {
        if (delayNow.Length == 0)
        {
            return;
        }

        var fs = scene.SampleRateHz;
        var interpolator = SincInterpolator.Shared;
        for (var start = 0; start < n; start += ControlStep)
        {
            var count = Math.Min(ControlStep, n - start);
            var d0 = SnapshotDelays(out var g0);
            UpdatePaths((position + start + count) / (double)fs);
            for (var p = 0; p < delayNow.Length; p++)
            {
                for (var m = 0; m < micCount; m++)
                {
                    var dStart = d0[p][m];
                    var dStep = (delayNow[p][m] - dStart) / count;
                    var gStart = g0[p][m];
                    var gStep = (gainNow[p][m] - gStart) / count;
                    var output = mics[m];
                    for (var i = 0; i < count; i++)
                    {
                        var at = position + start + i - (dStart + (dStep * i));
                        var j = (long)at;
                        var within = (j & (RingSize - 1)) + Guard + (at - j);
                        output[start + i] += (float)(gStart + (gStep * i)) * interpolator.Read(ring, within);
                    }
                }
            }

        }
    }

    private double[][] SnapshotDelays(out double[][] gains)
    {
        for (var p = 0; p < delayNow.Length; p++)
        {
            delayNow[p].CopyTo(delayPrevious[p], 0);
            gainNow[p].CopyTo(gainPrevious[p], 0);
        }

        gains = gainPrevious;
        return delayPrevious;
    }

    private void UpdatePaths(double seconds)
    {
        var fs = scene.SampleRateHz;
        var p = 0;
        for (var a = 0; a < scene.Actors.Count; a++)
        {
            scene.Actors[a].Evaluate(seconds, positions[a], amplitudes[a]);
            for (var k = 0; k < positions[a].Length; k++, p++)
            {
                var d1 = Math.Max(0.05, Vector3D.Distance(driverRoom, positions[a][k]));
                for (var m = 0; m < micCount; m++)
                {
                    var d2 = Math.Max(0.05, Vector3D.Distance(positions[a][k], micsRoom[m]));
                    delayNow[p][m] = (d1 + d2) / speedOfSound * fs;
                    gainNow[p][m] = amplitudes[a][k] / (d1 * d2) * Math.Pow(10, -absorptionDbPerMeter * (d1 + d2) / 20);
                }
            }
        }
    }
}
