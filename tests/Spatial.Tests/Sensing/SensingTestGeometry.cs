using SpatialAudio.Drivers.Geometry;

namespace SpatialAudio.Spatial.Tests.Sensing;

/// <summary>The small device the simulator tests place in their rooms: the probe driver and two microphones, m.</summary>
internal static class SensingTestGeometry
{
    public static readonly Vector3D Driver = new(0, 0, 0.03);

    public static readonly Vector3D[] Mics = [new(-0.03, 0.057, 0.1), new(-0.03, -0.057, 0.1)];
}
