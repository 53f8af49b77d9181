using System.CommandLine;

namespace SpatialAudio.Cli;

/// <summary>The <c>spatial</c> command.</summary>
public static class Program
{
    /// <summary>Parses the command line and runs the chosen command.</summary>
    /// <returns>0 on success, non-zero on error.</returns>
    public static int Main(string[] args)
    {
        var root = new RootCommand("SpatialAudio: stereo in, one signal per loudspeaker driver out.");
        return root.Parse(args).Invoke();
    }
}
