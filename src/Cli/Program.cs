namespace SpatialAudio.Cli;

/// <summary>The <c>spatial</c> command's process entry point.</summary>
public static class Program
{
    /// <summary>Runs the command line against the process console.</summary>
    /// <returns>0 on success, non-zero on error (see <see cref="ExitCodes"/>).</returns>
    public static int Main(string[] args) => SpatialCli.Run(args, Console.Out, Console.Error);
}
