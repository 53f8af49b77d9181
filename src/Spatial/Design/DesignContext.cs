using System.Numerics;
using SpatialAudio.Drivers.Heads;
using SpatialAudio.Drivers.Paths;
using SpatialAudio.Spatial.Design.Assembly;

namespace SpatialAudio.Spatial.Design;

/// <summary>
/// What every design stage shares: the device's acoustics, the grid, the options, the routing groups, and the
/// driver-to-listener responses normalized to the listener.
/// </summary>
/// <remarks>
/// <para><b>Normalization.</b> Every response to a listener (ear or head centre) is multiplied by r0 e^{+j w r0 / c},
/// r0 = distance from the device origin to that listener's head centre: the bulk delay and the 1/r spreading are
/// removed, so a filter of gain 1 toward a driver aimed at the listener gives about 0 dB, and poses at different
/// distances ask for the same filters. Stage results are therefore slightly non-causal; the FIR conversion adds one
/// common modelling delay.</para>
/// <para>Bins above the acoustics' or head model's valid range hold the value at the top of the range.</para>
/// </remarks>
public sealed class DesignContext
{
    /// <summary>Creates the context.</summary>
    public DesignContext(DeviceAcoustics acoustics, DesignOptions options)
    {
        ArgumentNullException.ThrowIfNull(acoustics);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Acoustics = acoustics;
        Options = options;
        Grid = new DesignGrid(acoustics.Device.SampleRateHz, options.GridFftLength);
        Groups = new DriverGroups(acoustics.Device);
        DriverCount = acoustics.Device.Drivers.Count;
        Bands = new DriverBands(Grid, acoustics.Device, options.BassCrossoverHz, options.TweeterCrossoverHz, ListenerMatrix(options.Listener), options.MaxEqBoostDb);
        Availability = Bands.AvailabilityArrays();
    }

    /// <summary>The device's acoustics (measured directivities).</summary>
    public DeviceAcoustics Acoustics { get; }

    /// <summary>The options.</summary>
    public DesignOptions Options { get; }

    /// <summary>The design grid (device rate, <see cref="DesignOptions.GridFftLength"/>).</summary>
    public DesignGrid Grid { get; }

    /// <summary>Routing groups and bands.</summary>
    public DriverGroups Groups { get; }

    /// <summary>Number of drivers.</summary>
    public int DriverCount { get; }

    /// <summary>The band each driver may play (crossovers, and the measured bass limit of a woofer-less device).</summary>
    public DriverBands Bands { get; }

    /// <summary>Per driver and bin, how freely a stage may use the driver (0..1): <see cref="DriverBands.Availability"/>.</summary>
    public double[][] Availability { get; }

    /// <summary>Speed of sound of the device's air, m/s.</summary>
    public double SpeedOfSound => Acoustics.Air.SpeedOfSoundMetersPerSecond;

    /// <summary>The grid frequencies clamped to what <paramref name="head"/> and the acoustics can evaluate.</summary>
    public double[] EvaluableFrequencies(IHeadModel? head = null)
    {
        var max = Math.Min(Acoustics.MaxFrequencyHz, head?.MaxFrequencyHz ?? double.PositiveInfinity) * 0.999;
        var f = Grid.FrequenciesHz.ToArray();
        for (var k = 0; k < f.Length; k++)
        {
            f[k] = Math.Min(f[k], max);
        }

        return f;
    }

    /// <summary>Normalized ear matrix H[ear, driver] for a pose (see remarks), rows Left, Right.</summary>
    public ResponseMatrix EarMatrix(ListenerPose pose, IHeadModel head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var transfer = Acoustics.EarMatrix(pose, head, EvaluableFrequencies(head));
        return Normalize(transfer, pose.PositionMeters.Length);
    }

    /// <summary>Normalized responses from each driver to the listener's head centre (no head), 1 x drivers.</summary>
    public ResponseMatrix ListenerMatrix(ListenerPose pose)
    {
        var transfer = Acoustics.PointMatrix([pose.PositionMeters], EvaluableFrequencies());
        return Normalize(transfer, pose.PositionMeters.Length);
    }

    /// <summary>Poses of the robust listening region, the design pose first, with their weights.</summary>
    public IReadOnlyList<(ListenerPose Pose, double Weight)> RegionPoses()
    {
        var center = Options.Listener;
        var list = new List<(ListenerPose, double)> { (center, 1.0) };
        var axis = (1.0 / center.PositionMeters.Length) * center.PositionMeters;
        var lateral = new Drivers.Geometry.Vector3D(-axis.Y, axis.X, 0);
        foreach (var offset in Options.RegionLateralOffsetsMeters)
        {
            list.Add((ListenerPose.FacingDevice(center.PositionMeters + (offset * lateral)), Options.RegionWeight));
        }

        foreach (var distance in Options.RegionDistancesMeters)
        {
            list.Add((ListenerPose.FacingDevice(distance * axis), Options.RegionWeight));
        }

        return list;
    }

    private ResponseMatrix Normalize(TransferMatrix transfer, double distanceMeters)
    {
        var result = new ResponseMatrix(Grid, transfer.Rows, transfer.Columns);
        var f = Grid.FrequenciesHz;
        var shift = new Complex[f.Length];
        for (var k = 0; k < f.Length; k++)
        {
            shift[k] = distanceMeters * Complex.FromPolarCoordinates(1.0, 2 * Math.PI * f[k] * distanceMeters / SpeedOfSound);
        }

        for (var r = 0; r < transfer.Rows; r++)
        {
            for (var c = 0; c < transfer.Columns; c++)
            {
                var source = transfer.Response(r, c);
                var destination = result.Response(r, c);
                for (var k = 0; k < f.Length; k++)
                {
                    destination[k] = source[k] * shift[k];
                }
            }
        }

        return result;
    }
}
