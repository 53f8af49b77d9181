namespace SpatialAudio.Spatial.RenderMatrices;

/// <summary>A render-matrix folder that cannot be read or written: names the file and the problem.</summary>
public sealed class RenderMatrixException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    public RenderMatrixException(string filePath, string problem, Exception? innerException = null)
        : base($"{filePath}: {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>Creates an exception without a file (serialization support).</summary>
    public RenderMatrixException()
        : this(string.Empty, "invalid render matrix")
    {
    }

    /// <summary>Creates an exception with a message only.</summary>
    public RenderMatrixException(string message)
        : this(string.Empty, message)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public RenderMatrixException(string message, Exception innerException)
        : this(string.Empty, message, innerException)
    {
    }

    /// <summary>The file (or folder) at fault.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
