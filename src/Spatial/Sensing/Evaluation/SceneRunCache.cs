using System.Security.Cryptography;
using System.Text;
using SpatialAudio.Spatial.Sensing.Simulation;

namespace SpatialAudio.Spatial.Sensing.Evaluation;

/// <summary>
/// Keeps simulated scenes (front-end frames and labels) on disk, keyed by the plan, the geometry and
/// <see cref="SimulationVersion"/>, so training and evaluation re-simulate only what changed. Files are written to a
/// temporary name and renamed; an unreadable file is simulated again.
/// </summary>
public static class SceneRunCache
{
    /// <summary>Bump when the simulator or the front end changes what a scene produces.</summary>
    public const int SimulationVersion = 11;   // 5..7 were used by experiment branches (docs/sensing-notebook.md); 9: the spectral distortion canceller; 10: the fan canceller's locks stored; 11: the HVAC swell drawn per scene

    /// <summary>The cached runs of <paramref name="plan"/>, simulating and storing the missing ones.</summary>
    /// <param name="folder">Cache folder (created when missing); null disables the cache.</param>
    /// <param name="plan">Scenes.</param>
    /// <param name="geometry">Device geometry.</param>
    /// <param name="variant">How every scene is simulated (null: <see cref="SceneVariant.Default"/>).</param>
    /// <param name="progress">Fraction done.</param>
    public static IReadOnlyList<SceneRun> GetOrSimulate(string? folder, IReadOnlyList<(SceneKind Kind, int Seed)> plan, SensingGeometry geometry,
        SceneVariant? variant = null, Action<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(geometry);
        variant ??= SceneVariant.Default;
        if (folder is null)
        {
            return SensingEvaluation.SimulateAll(plan, geometry, variant, progress);
        }

        Directory.CreateDirectory(folder);
        var geometryKey = string.Join(";", geometry.MicMeters.Append(geometry.ProbeDriverMeters).Select(v => $"{v.X:R},{v.Y:R},{v.Z:R}"));
        var paths = plan.Select(p => Path.Combine(folder, Key(p.Kind, p.Seed, geometryKey, variant) + ".scene")).ToArray();
        var result = new SceneRun?[plan.Count];
        var missing = new List<int>();
        for (var i = 0; i < plan.Count; i++)
        {
            result[i] = TryRead(paths[i]);
            if (result[i] is null)
            {
                missing.Add(i);
            }
        }

        // Each scene is stored as soon as it is done, so an interrupted run keeps what it simulated.
        SensingEvaluation.SimulateAll([.. missing.Select(i => plan[i])], geometry, variant, progress, (k, run) =>
        {
            result[missing[k]] = run;
            Write(paths[missing[k]], run);
        });

        progress?.Invoke(1);
        return [.. result.Select(r => r!)];
    }

    /// <summary>The cached runs of <paramref name="plan"/> where each scene plays the music <paramref name="musicOf"/> gives
    /// for its seed (<paramref name="variant"/>'s own <see cref="SceneVariant.Music"/> is not used). Each scene is stored
    /// and found under the key of its own music, so a mixed set reuses the scenes cached for either music.</summary>
    /// <param name="folder">Cache folder (created when missing); null disables the cache.</param>
    /// <param name="plan">Scenes, in the order of the result.</param>
    /// <param name="geometry">The device's probe driver and microphones.</param>
    /// <param name="variant">How every scene is drawn and processed, but for its music.</param>
    /// <param name="musicOf">A scene's music, from its seed (e.g. <see cref="SensingEvaluation.MixedSongs"/>).</param>
    /// <param name="progress">Fraction done, 0..1.</param>
    public static IReadOnlyList<SceneRun> GetOrSimulate(string? folder, IReadOnlyList<(SceneKind Kind, int Seed)> plan, SensingGeometry geometry,
        SceneVariant variant, Func<int, MusicSource> musicOf, Action<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(musicOf);
        var result = new SceneRun[plan.Count];
        var done = 0;
        foreach (var group in Enumerable.Range(0, plan.Count).GroupBy(i => musicOf(plan[i].Seed)).ToList())
        {
            int[] indices = [.. group];
            var start = done;
            var runs = GetOrSimulate(folder, [.. indices.Select(i => plan[i])], geometry, variant with { Music = group.Key },
                progress is null ? null : p => progress((start + (p * indices.Length)) / plan.Count));
            for (var k = 0; k < indices.Length; k++)
            {
                result[indices[k]] = runs[k];
            }

            done += indices.Length;
        }

        progress?.Invoke(1);
        return result;
    }

    private static string Key(SceneKind kind, int seed, string geometry, SceneVariant variant)
    {
        var text = $"{SimulationVersion}|{kind}|{seed}|{geometry}" + variant.KeySuffix(kind);
        return $"{kind}-{seed}-{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12]}";
    }

    private static void Write(string path, SceneRun run)
    {
        var temp = path + $".{Environment.ProcessId}.tmp";
        using (var writer = new BinaryWriter(File.Create(temp)))
        {
            writer.Write(SimulationVersion);
            writer.Write((int)run.Kind);
            writer.Write(run.Seed);
            writer.Write(run.DurationSeconds);
            writer.Write(run.WithMusic);
            writer.Write(run.MicCount);
            writer.Write(run.Labels.Count);
            foreach (var l in run.Labels)
            {
                writer.Write(l.StartSeconds);
                writer.Write(l.EndSeconds);
                writer.Write((int)l.Kind);
                writer.Write(l.DistanceMeters);
            }

            writer.Write(run.Times.Length);
            foreach (var t in run.Times)
            {
                writer.Write(t);
            }

            foreach (var idle in run.Idle)
            {
                writer.Write(idle);
            }

            writer.Write(run.Bands.Length);
            foreach (var b in run.Bands)
            {
                writer.Write(b);
            }

            foreach (var locked in run.FanLocks)
            {
                writer.Write(locked);
            }
        }

        File.Move(temp, path, overwrite: true);
    }

    private static SceneRun? TryRead(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            if (reader.ReadInt32() != SimulationVersion)
            {
                return null;
            }

            var kind = (SceneKind)reader.ReadInt32();
            var seed = reader.ReadInt32();
            var duration = reader.ReadDouble();
            var music = reader.ReadBoolean();
            var mics = reader.ReadInt32();
            var labels = new MotionLabel[reader.ReadInt32()];
            for (var i = 0; i < labels.Length; i++)
            {
                labels[i] = new MotionLabel(reader.ReadDouble(), reader.ReadDouble(), (MotionKind)reader.ReadInt32(), reader.ReadDouble());
            }

            var times = new double[reader.ReadInt32()];
            for (var i = 0; i < times.Length; i++)
            {
                times[i] = reader.ReadDouble();
            }

            var idle = new bool[times.Length];
            for (var i = 0; i < idle.Length; i++)
            {
                idle[i] = reader.ReadBoolean();
            }

            var bands = new float[reader.ReadInt32()];
            for (var i = 0; i < bands.Length; i++)
            {
                bands[i] = reader.ReadSingle();
            }

            var locks = new bool[times.Length];
            for (var i = 0; i < locks.Length; i++)
            {
                locks[i] = reader.ReadBoolean();
            }

            return new SceneRun(kind, seed, duration, music, labels, mics, times, idle, bands, locks);
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException or UnauthorizedAccessException or OutOfMemoryException)
        {
            return null;
        }
    }
}
