namespace SpatialAudio.Drivers.Heads;

/// <summary>An AES69 SOFA file that cannot be used; the message names the file and the problem.</summary>
public sealed class SofaFileException : IOException
{
    /// <summary>Creates the error.</summary>
    /// <param name="filePath">The SOFA file.</param>
    /// <param name="problem">What is wrong with it (e.g. libmysofa's error text).</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public SofaFileException(string filePath, string problem, Exception? innerException)
        : base(filePath.Length == 0 ? problem : $"{filePath}: {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>Creates an error without details (for serializers; prefer the main constructor).</summary>
    public SofaFileException()
        : this(string.Empty, "invalid SOFA file", null)
    {
    }

    /// <summary>Creates an error with a message only (prefer the main constructor).</summary>
    /// <param name="message">The message.</param>
    public SofaFileException(string message)
        : this(string.Empty, message, null)
    {
    }

    /// <summary>Creates an error with a message and cause (prefer the main constructor).</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SofaFileException(string message, Exception innerException)
        : this(string.Empty, message, innerException)
    {
    }

    /// <summary>The SOFA file.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}
