using System.Numerics;
using SpatialAudio.Drivers.Acoustics;
using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Directivity;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Heads;

namespace SpatialAudio.Drivers.Paths;

/// <summary>
/// A device with a directivity per driver in given air: the whole set of acoustic paths from its drivers to a
/// listener's ears, its microphones or any points, in free field or in a room, and its far-field pattern.
/// </summary>
/// <remarks>
/// <para>The ear matrix H[ear, driver](f) (row 0 = <see cref="Ear.Left"/>, row 1 = <see cref="Ear.Right"/>, columns in
/// device order) is what a crosstalk canceller inverts. Each entry follows <see cref="AcousticPaths"/> (free field) or
/// <see cref="RoomPaths"/> (room).</para>
/// <para>Design-time code: allocates, validates; an instance is immutable and thread-safe if its directivities are.</para>
/// </remarks>
public sealed class DeviceAcoustics
{
    private readonly IDirectivity[] directivities;

    /// <summary>Creates the path set.</summary>
    /// <param name="device">The device.</param>
    /// <param name="directivities">One directivity per driver, in device order.</param>
    /// <param name="air">The air; null for <see cref="AirConditions.Standard"/>.</param>
    /// <exception cref="ArgumentException">The number of directivities differs from the number of drivers, or one is null.</exception>
    public DeviceAcoustics(DeviceDescription device, IReadOnlyList<IDirectivity> directivities, AirConditions? air = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(directivities);
        if (directivities.Count != device.Drivers.Count)
        {
            throw new ArgumentException($"Give one directivity per driver ({device.Drivers.Count}), not {directivities.Count}.", nameof(directivities));
        }

        this.directivities = [.. directivities];
        if (Array.Exists(this.directivities, d => d is null))
        {
            throw new ArgumentException("A directivity is null.", nameof(directivities));
        }

        Device = device;
        Air = air ?? AirConditions.Standard;
        MaxFrequencyHz = this.directivities.Length == 0 ? double.PositiveInfinity : this.directivities.Min(d => d.MaxFrequencyHz);
        Pattern = new ArrayPattern(device.Drivers, this.directivities, Air.SpeedOfSoundMetersPerSecond);
    }

    /// <summary>A path set whose drivers are all ideal omnidirectional sources.</summary>
    /// <param name="device">The device.</param>
    /// <param name="air">The air; null for standard air.</param>
    /// <returns>The path set.</returns>
    public static DeviceAcoustics Omni(DeviceDescription device, AirConditions? air = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new DeviceAcoustics(device, Enumerable.Repeat<IDirectivity>(OmniDirectivity.Instance, device.Drivers.Count).ToArray(), air);
    }

    /// <summary>The device.</summary>
    public DeviceDescription Device { get; }

    /// <summary>The directivities, in device order.</summary>
    public IReadOnlyList<IDirectivity> Directivities => directivities;

    /// <summary>The air of the free-field paths and the pattern.</summary>
    public AirConditions Air { get; }

    /// <summary>The highest frequency every directivity is valid for, Hz.</summary>
    public double MaxFrequencyHz { get; }

    /// <summary>The far-field pattern of the drivers (speed of sound from <see cref="Air"/>).</summary>
    public ArrayPattern Pattern { get; }

    /// <summary>Free-field ear matrix H[ear, driver](f): rows Left, Right.</summary>
    /// <param name="pose">The listener's head, device frame.</param>
    /// <param name="head">The head model.</param>
    /// <param name="frequenciesHz">Frequencies, Hz, each 0..<see cref="MaxFrequencyHz"/>.</param>
    /// <returns>The 2 × drivers matrix.</returns>
    public TransferMatrix EarMatrix(ListenerPose pose, IHeadModel head, ReadOnlySpan<double> frequenciesHz)
    {
        ArgumentNullException.ThrowIfNull(head);
        var matrix = new TransferMatrix(2, directivities.Length, frequenciesHz.ToArray());
        for (var e = 0; e < 2; e++)
        {
            for (var d = 0; d < directivities.Length; d++)
            {
                AcousticPaths.DriverToEar(Device.Drivers[d], directivities[d], pose, head, (Ear)e, frequenciesHz, Air, matrix.Writable(e, d));
            }
        }

        return matrix;
    }

    /// <summary>Free-field matrix H[point, driver](f) to arbitrary device-frame points.</summary>
    /// <param name="pointsMeters">Receiving points, device frame.</param>
    /// <param name="frequenciesHz">Frequencies, Hz, each 0..<see cref="MaxFrequencyHz"/>.</param>
    /// <returns>The points × drivers matrix.</returns>
    public TransferMatrix PointMatrix(IReadOnlyList<Vector3D> pointsMeters, ReadOnlySpan<double> frequenciesHz)
    {
        ArgumentNullException.ThrowIfNull(pointsMeters);
        var matrix = new TransferMatrix(pointsMeters.Count, directivities.Length, frequenciesHz.ToArray());
        for (var p = 0; p < pointsMeters.Count; p++)
        {
            for (var d = 0; d < directivities.Length; d++)
            {
                AcousticPaths.DriverToPoint(Device.Drivers[d], directivities[d], pointsMeters[p], frequenciesHz, Air, matrix.Writable(p, d));
            }
        }

        return matrix;
    }

    /// <summary>Free-field matrix H[microphone, driver](f) to the device's own microphones (the sensing paths).</summary>
    /// <param name="frequenciesHz">Frequencies, Hz, each 0..<see cref="MaxFrequencyHz"/>.</param>
    /// <returns>The microphones × drivers matrix.</returns>
    /// <remarks>A microphone a few centimeters from a driver is in that driver's near field; the far-field directivity is
    /// an approximation there.</remarks>
    public TransferMatrix MicrophoneMatrix(ReadOnlySpan<double> frequenciesHz) =>
        PointMatrix(Device.Microphones.Select(m => m.PositionMeters).ToArray(), frequenciesHz);

    /// <summary>Ear matrix in a room, H[ear, driver](f) through the image-source model.</summary>
    /// <param name="setup">Room, device placement, model options (its air is used for these paths).</param>
    /// <param name="pose">The listener's head, device frame.</param>
    /// <param name="head">The head model.</param>
    /// <param name="frequenciesHz">Frequencies, Hz, each 0..<see cref="MaxFrequencyHz"/>.</param>
    /// <returns>The 2 × drivers matrix.</returns>
    public TransferMatrix RoomEarMatrix(RoomSetup setup, ListenerPose pose, IHeadModel head, ReadOnlySpan<double> frequenciesHz)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(head);
        var matrix = new TransferMatrix(2, directivities.Length, frequenciesHz.ToArray());
        for (var e = 0; e < 2; e++)
        {
            for (var d = 0; d < directivities.Length; d++)
            {
                RoomPaths.DriverToEar(setup, Device.Drivers[d], directivities[d], pose, head, (Ear)e, frequenciesHz, matrix.Writable(e, d));
            }
        }

        return matrix;
    }

    /// <summary>Room matrix H[point, driver](f) to device-frame points (microphones: pass their positions).</summary>
    /// <param name="setup">Room, device placement, model options.</param>
    /// <param name="pointsMeters">Receiving points, device frame, inside the room.</param>
    /// <param name="frequenciesHz">Frequencies, Hz, each 0..<see cref="MaxFrequencyHz"/>.</param>
    /// <returns>The points × drivers matrix.</returns>
    public TransferMatrix RoomPointMatrix(RoomSetup setup, IReadOnlyList<Vector3D> pointsMeters, ReadOnlySpan<double> frequenciesHz)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(pointsMeters);
        var matrix = new TransferMatrix(pointsMeters.Count, directivities.Length, frequenciesHz.ToArray());
        for (var p = 0; p < pointsMeters.Count; p++)
        {
            for (var d = 0; d < directivities.Length; d++)
            {
                RoomPaths.DriverToPoint(setup, Device.Drivers[d], directivities[d], pointsMeters[p], frequenciesHz, matrix.Writable(p, d));
            }
        }

        return matrix;
    }

    /// <summary>Free-field ear impulse responses, [ear][driver][sample] (conventions of <see cref="AcousticPaths"/>).</summary>
    /// <param name="pose">The listener's head, device frame.</param>
    /// <param name="head">The head model.</param>
    /// <param name="sampleRateHz">Sample rate, Hz.</param>
    /// <param name="lengthSamples">Samples per response, 64 .. 32768.</param>
    /// <param name="leadSamples">Lead: sample n is time (n - lead)/fs after emission.</param>
    /// <returns>Two arrays (Left, Right) of one impulse response per driver.</returns>
    public double[][][] EarImpulseResponses(ListenerPose pose, IHeadModel head, double sampleRateHz, int lengthSamples, double leadSamples = AcousticPaths.DefaultLeadSamples)
    {
        ArgumentNullException.ThrowIfNull(head);
        var result = new double[2][][];
        for (var e = 0; e < 2; e++)
        {
            result[e] = new double[directivities.Length][];
            for (var d = 0; d < directivities.Length; d++)
            {
                result[e][d] = AcousticPaths.DriverToEarImpulseResponse(Device.Drivers[d], directivities[d], pose, head, (Ear)e, Air, sampleRateHz, lengthSamples, leadSamples);
            }
        }

        return result;
    }
}
