using System.CommandLine;
using SpatialAudio.Filters.Wav;

namespace SpatialAudio.Cli.Commands;

/// <summary>Argument parsing and file checks shared by the commands.</summary>
internal static class CommonOptions
{
    /// <summary>Encodings by their command-line names.</summary>
    public static readonly IReadOnlyDictionary<string, WavEncoding> Encodings = new Dictionary<string, WavEncoding>(StringComparer.OrdinalIgnoreCase)
    {
        ["pcm16"] = WavEncoding.Pcm16,
        ["pcm24"] = WavEncoding.Pcm24,
        ["pcm32"] = WavEncoding.Pcm32,
        ["float32"] = WavEncoding.IeeeFloat32,
        ["float64"] = WavEncoding.IeeeFloat64,
    };

    /// <summary>An <c>--encoding</c> option restricted to <see cref="Encodings"/>.</summary>
    public static Option<string?> EncodingOption(string description)
    {
        var option = new Option<string?>("--encoding") { Description = description + " One of: " + string.Join(", ", Encodings.Keys) + "." };
        option.AcceptOnlyFromAmong([.. Encodings.Keys]);
        return option;
    }

    /// <summary>Fails with a clear message when <paramref name="path"/> does not exist.</summary>
    public static void RequireFile(string path, string what)
    {
        if (Directory.Exists(path))
        {
            throw new CliException($"{what} '{path}' is a folder, not a file.");
        }

        if (!File.Exists(path))
        {
            throw new CliException($"{what} '{path}' does not exist.");
        }
    }

    /// <summary>Refuses to overwrite an input with an output.</summary>
    public static void RequireDistinct(string input, string output)
    {
        if (string.Equals(Path.GetFullPath(input), Path.GetFullPath(output), StringComparison.Ordinal))
        {
            throw new CliException($"Output '{output}' is the input file; choose another output path.");
        }
    }

    /// <summary>A file of this repository (bundled devices, the detector model), searched upward from the current
    /// folder and from the program's folder; null when not found.</summary>
    public static string? FindInRepository(string relative)
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
