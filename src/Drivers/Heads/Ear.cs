namespace SpatialAudio.Drivers.Heads;

/// <summary>One of the listener's two ears.</summary>
/// <remarks>In the AES69 head frame the left ear is on the +y side, the right ear on the -y side.</remarks>
public enum Ear
{
    /// <summary>The listener's left ear (+y side of the head frame; SOFA receiver 1).</summary>
    Left = 0,

    /// <summary>The listener's right ear (-y side of the head frame; SOFA receiver 2).</summary>
    Right = 1,
}
