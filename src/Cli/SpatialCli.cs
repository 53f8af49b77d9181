using System.CommandLine;
using SpatialAudio.Cli.Commands;

namespace SpatialAudio.Cli;

/// <summary>Builds the <c>spatial</c> command tree and runs it with a fixed error contract.</summary>
/// <remarks>
/// Errors go to <c>stderr</c> as one <c>error: ...</c> line and a non-zero exit code (<see cref="ExitCodes"/>);
/// results go to <c>stdout</c>. Tests call <see cref="Run"/> with their own writers, so nothing here touches
/// <see cref="Console"/> directly.
/// </remarks>
public static class SpatialCli
{
    /// <summary>Parses <paramref name="args"/> and runs the chosen command.</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where errors and progress go.</param>
    /// <returns>The process exit code.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        var io = new CliIo(stdout, stderr);
        var root = new RootCommand("SpatialAudio: stereo in, one signal per loudspeaker driver out, in real time.");
        root.Subcommands.Add(DemoCommand.Create(io));
        root.Subcommands.Add(InfoCommand.Create(io));
        root.Subcommands.Add(ResampleCommand.Create(io));
        root.Subcommands.Add(InspectCommand.Create(io));
        root.Subcommands.Add(DesignCommand.Create(io));
        root.Subcommands.Add(RenderCommand.Create(io));
        root.Subcommands.Add(UpmixCommand.Create(io));
        root.Subcommands.Add(SenseCommand.Create(io));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine($"error: {error.Message}");
            }

            stderr.WriteLine("Run 'spatial --help' for usage.");
            return ExitCodes.UsageError;
        }

        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return parsed.Invoke(configuration);
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            stderr.WriteLine($"error: {ex.Message}");
            return ExitCodes.InputError;
        }
#pragma warning disable CA1031 // The last line of defence: report any bug as one message and an exit code.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"internal error (please report): {ex}");
            return ExitCodes.InternalError;
        }
    }

    private static bool IsUserError(Exception ex) => ex is CliException or IOException or InvalidDataException
        or UnauthorizedAccessException or ArgumentException or FormatException;
}
