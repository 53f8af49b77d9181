namespace SpatialAudio.Spatial.Tests.Support;

/// <summary>Locations inside the repository (bundled devices) for tests.</summary>
public static class RepoPaths
{
    /// <summary>The repository root (the folder holding SpatialAudio.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The bundled device folder <c>measurements/NAME</c>.</summary>
    public static string Device(string name) => Path.Combine(Root, "measurements", name);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SpatialAudio.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("SpatialAudio.sln not found above the test binaries.");
    }
}
