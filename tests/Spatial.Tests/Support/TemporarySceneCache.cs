using SpatialAudio.Drivers.Devices;
using SpatialAudio.Spatial.Sensing.Evaluation;

namespace SpatialAudio.Spatial.Tests.Support;

/// <summary>A scene cache in a fresh temporary folder (deleted on dispose), with the bundled studio5 sensing geometry.</summary>
public sealed class TemporarySceneCache : IDisposable
{
    /// <summary>The cache folder (created by the cache when it first stores a scene).</summary>
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"scene-cache-{Guid.NewGuid():N}");

    /// <summary>The studio5 device's probe driver and microphones.</summary>
    public SensingGeometry Geometry { get; } = StudioGeometry();

    /// <summary>The bundled studio5 device's sensing geometry.</summary>
    public static SensingGeometry StudioGeometry() =>
        SensingGeometry.FromDevice(DeviceFile.Load(Path.Combine(RepoPaths.Device("studio5"), "device.json")));

    /// <summary>Scene files stored so far.</summary>
    public int SceneFiles => Directory.Exists(Folder) ? Directory.GetFiles(Folder, "*.scene").Length : 0;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
