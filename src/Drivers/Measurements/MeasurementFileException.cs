namespace SpatialAudio.Drivers.Measurements;

/// <summary>A driver measurement set (sidecar JSON or one of its data files) is missing or invalid.</summary>
/// <remarks>The message always names the file and, where one applies, the JSON field.</remarks>
public sealed class MeasurementFileException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The sidecar or data file at fault.</param>
    /// <param name="field">The JSON field path (e.g. <c>files[2].angles[5].azimuth_deg</c>), or empty.</param>
    /// <param name="problem">What is wrong, in words.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public MeasurementFileException(string filePath, string field, string problem, Exception? innerException = null)
        : base(field.Length == 0 ? $"{filePath}: {problem}" : $"{filePath}: {field}: {problem}", innerException)
    {
        FilePath = filePath;
        Field = field;
        Problem = problem;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public MeasurementFileException()
        : this(string.Empty, string.Empty, "invalid measurement file")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public MeasurementFileException(string message)
        : this(string.Empty, string.Empty, message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public MeasurementFileException(string message, Exception innerException)
        : this(string.Empty, string.Empty, message, innerException)
    {
    }

    /// <summary>The file at fault.</summary>
    public string FilePath { get; }

    /// <summary>The JSON field at fault, or empty.</summary>
    public string Field { get; }

    /// <summary>The problem without the file and field.</summary>
    public string Problem { get; }
}
