using SpatialAudio.Drivers.Geometry;

namespace SpatialAudio.Drivers.Devices;

/// <summary>One microphone of a device's sensing array.</summary>
/// <param name="Id">Unique name within the device.</param>
/// <param name="PositionMeters">Position in the device frame.</param>
public sealed record MicrophoneDescription(string Id, Vector3D PositionMeters);
