namespace SpatialAudio.Cli;

/// <summary>A user-facing error: printed as <c>error: message</c> on stderr with <see cref="ExitCodes.InputError"/>.</summary>
public sealed class CliException : Exception
{
    /// <summary>Creates the error with the message the user sees.</summary>
    /// <param name="message">What went wrong and, where useful, how to fix it.</param>
    public CliException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with the message the user sees and its cause.</summary>
    /// <param name="message">What went wrong and, where useful, how to fix it.</param>
    /// <param name="innerException">The underlying exception.</param>
    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an error with a generic message (for serializers and analyzers; prefer the other constructors).</summary>
    public CliException()
        : base("The command failed.")
    {
    }
}
