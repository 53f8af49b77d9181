namespace SpatialAudio.Drivers.Geometry;

/// <summary>A point or direction in meters, in double precision (design-time geometry).</summary>
/// <remarks>Device frame as in AES69: x forward (toward the listener), y to the device's own left, z up.</remarks>
/// <param name="X">Forward component, meters.</param>
/// <param name="Y">Left component, meters.</param>
/// <param name="Z">Up component, meters.</param>
public readonly record struct Vector3D(double X, double Y, double Z)
{
    /// <summary>The origin.</summary>
    public static Vector3D Zero => default;

    /// <summary>Euclidean length.</summary>
    public double Length => Math.Sqrt((X * X) + (Y * Y) + (Z * Z));

    /// <summary>True when every component is finite.</summary>
    public bool IsFinite => double.IsFinite(X) && double.IsFinite(Y) && double.IsFinite(Z);

    /// <summary>Component-wise sum.</summary>
    public static Vector3D operator +(Vector3D a, Vector3D b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

    /// <summary>Component-wise difference.</summary>
    public static Vector3D operator -(Vector3D a, Vector3D b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    /// <summary>Scaling.</summary>
    public static Vector3D operator *(double s, Vector3D v) => new(s * v.X, s * v.Y, s * v.Z);

    /// <summary>Dot product.</summary>
    public static double Dot(Vector3D a, Vector3D b) => (a.X * b.X) + (a.Y * b.Y) + (a.Z * b.Z);

    /// <summary>Distance between two points.</summary>
    public static double Distance(Vector3D a, Vector3D b) => (a - b).Length;

    /// <summary>Unit vector for an AES69 direction: azimuth counter-clockwise from +x seen from above, elevation up.</summary>
    /// <param name="azimuthDeg">Azimuth in degrees (+90 = +y, the device's left).</param>
    /// <param name="elevationDeg">Elevation in degrees (+90 = up).</param>
    public static Vector3D FromSpherical(double azimuthDeg, double elevationDeg)
    {
        var az = azimuthDeg * Math.PI / 180.0;
        var el = elevationDeg * Math.PI / 180.0;
        return new Vector3D(Math.Cos(el) * Math.Cos(az), Math.Cos(el) * Math.Sin(az), Math.Sin(el));
    }

    /// <summary>This vector scaled to unit length (undefined for the zero vector).</summary>
    public Vector3D Normalized()
    {
        var length = Length;
        return new Vector3D(X / length, Y / length, Z / length);
    }

    /// <inheritdoc />
    public override string ToString() => $"[{X:0.####}, {Y:0.####}, {Z:0.####}] m";
}
