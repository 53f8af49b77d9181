namespace SpatialAudio.Cli.Tests;

/// <summary>Runs the <c>spatial</c> command in-process with captured stdout and stderr.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = SpatialCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>A temporary folder deleted after the test.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("spatial-cli").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
