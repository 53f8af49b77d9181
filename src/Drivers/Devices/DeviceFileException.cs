namespace SpatialAudio.Drivers.Devices;

/// <summary>A <c>device.json</c> that cannot be used; the message names the file and the field.</summary>
public sealed class DeviceFileException : IOException
{
    /// <summary>Creates the error.</summary>
    /// <param name="filePath">The device file.</param>
    /// <param name="field">JSON path of the offending field, e.g. <c>drivers[2].position_m</c>; empty for the whole file.</param>
    /// <param name="problem">What is wrong with it.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public DeviceFileException(string filePath, string field, string problem, Exception? innerException = null)
        : base(Format(filePath, field, problem), innerException)
    {
        FilePath = filePath;
        Field = field;
        Problem = problem;
    }

    /// <summary>Creates an error without details (for serializers; prefer the main constructor).</summary>
    public DeviceFileException()
        : this(string.Empty, string.Empty, "invalid device file")
    {
    }

    /// <summary>Creates an error with a message only (prefer the main constructor).</summary>
    /// <param name="message">The message.</param>
    public DeviceFileException(string message)
        : this(string.Empty, string.Empty, message)
    {
    }

    /// <summary>Creates an error with a message and cause (prefer the main constructor).</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public DeviceFileException(string message, Exception innerException)
        : this(string.Empty, string.Empty, message, innerException)
    {
    }

    /// <summary>The device file.</summary>
    public string FilePath { get; }

    /// <summary>JSON path of the offending field; empty for the whole file.</summary>
    public string Field { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    private static string Format(string filePath, string field, string problem) =>
        field.Length == 0 ? $"{filePath}: {problem}" : $"{filePath}: {field}: {problem}";
}
