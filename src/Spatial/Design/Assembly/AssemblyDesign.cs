namespace SpatialAudio.Spatial.Design.Assembly;

/// <summary>The per-driver facts of assembly toward the design listener: bands, EQ and alignment.</summary>
/// <param name="Bands">Crossovers and availability.</param>
/// <param name="Eq">The EQ rule used.</param>
/// <param name="TowardListener">Normalized responses driver -> listener head centre, 1 x drivers.</param>
/// <param name="EqGains">EQ magnitude per driver and bin (linear).</param>
/// <param name="ArrivalSeconds">Measured arrival per driver relative to the normalization reference, seconds.</param>
/// <param name="AlignmentDelaySeconds">Delay per driver that aligns it to the slowest arrival, seconds (>= 0).</param>
public sealed record AssemblyDesign(
    DriverBands Bands,
    DriverEq Eq,
    ResponseMatrix TowardListener,
    double[][] EqGains,
    double[] ArrivalSeconds,
    double[] AlignmentDelaySeconds);
