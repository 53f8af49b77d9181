namespace SpatialAudio.Filters.Wav;

/// <summary>A WAV file is malformed, truncated or uses a format this library does not read.</summary>
/// <remarks>
/// The message names the file, the byte offset and the problem. Derives from <see cref="IOException"/>
/// (<see cref="InvalidDataException"/> is sealed), so one <c>catch (IOException)</c> covers missing and bad files.
/// </remarks>
public sealed class WavFormatException : IOException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public WavFormatException()
        : this("Malformed WAV data.")
    {
    }

    /// <summary>Creates an exception with a message and no file or offset.</summary>
    /// <param name="message">What is wrong.</param>
    public WavFormatException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public WavFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
        FilePath = string.Empty;
        Offset = -1;
        Problem = message;
    }

    /// <summary>Creates an exception that names the file and the byte offset.</summary>
    /// <param name="filePath">Path or display name of the file.</param>
    /// <param name="offset">Byte offset (from the start of the file) where the problem is.</param>
    /// <param name="problem">What is wrong.</param>
    public WavFormatException(string filePath, long offset, string problem)
        : base($"{filePath}: at byte {offset}: {problem}")
    {
        FilePath = filePath;
        Offset = offset;
        Problem = problem;
    }

    /// <summary>Path or display name of the offending file; empty when unknown.</summary>
    public string FilePath { get; }

    /// <summary>Byte offset of the problem from the start of the file; -1 when unknown.</summary>
    public long Offset { get; }

    /// <summary>The problem alone, without file and offset.</summary>
    public string Problem { get; }
}
