using SpatialAudio.Drivers.Rooms;

namespace SpatialAudio.Drivers.Paths;

/// <summary>A device standing in a shoebox room, and what the image-source model includes.</summary>
/// <remarks>Listener poses, microphones and driver positions stay in the device frame; <see cref="DevicePlacement"/>
/// carries them into the room. Air (speed of sound, absorption) comes from <see cref="Options"/>.</remarks>
/// <param name="Room">The room.</param>
/// <param name="DevicePlacement">Where the device frame's origin is in the room and its yaw.</param>
/// <param name="Options">Reflection order and delay limits, air. The defaults keep order 10.</param>
public sealed record RoomSetup(ShoeboxRoom Room, RoomPlacement DevicePlacement, ImageSourceOptions Options);
