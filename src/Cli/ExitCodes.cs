namespace SpatialAudio.Cli;

/// <summary>Process exit codes of the <c>spatial</c> command.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>Bad input: a file that is missing or malformed, a value out of range. The message says which.</summary>
    public const int InputError = 1;

    /// <summary>The command line itself did not parse.</summary>
    public const int UsageError = 2;

    /// <summary>A bug: an unexpected exception. The message asks for a report.</summary>
    public const int InternalError = 70;
}
