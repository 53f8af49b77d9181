using System.Numerics;
using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Directivity;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Heads;
using SpatialAudio.Drivers.Rooms;

namespace SpatialAudio.Drivers.Paths;

/// <summary>
/// Driver-to-point and driver-to-ear transfer functions in a shoebox room, through the image-source model.
/// </summary>
/// <remarks>
/// <para>Each image i contributes D(d_i, f) · g_i(f) · e^{-i2πf τ_i} (· HRTF_ear(image in head frame, f) for an ear):
/// g_i is <see cref="ImageSourceModel.GainAt"/> (1/r_i, the walls' reflection factors, air absorption), τ_i = r_i/c, and
/// d_i is the image's <see cref="ImageSource.DepartureDirection"/>, the direction in which the ray leaves the real driver.
/// That is neither the direction from the driver toward the image nor the reversed arrival direction: each reflection
/// mirrors the ray about its wall, so a floor reflection toward a listener in front leaves the driver forward and
/// downward although its image lies straight below the driver. For an ear the image-source model runs from the driver
/// to the head center and the head model gets the
/// image's position in the head frame (its arrival direction and distance), consistent with the free-field
/// normalization of <see cref="IHeadModel"/>.</para>
/// <para>With every wall fully absorbing only the direct image survives and the result equals
/// <see cref="AcousticPaths"/>, except that air absorption follows the image-source model's third-octave node blend
/// (within about 6 % of its dB value between nodes, exact at the nodes).</para>
/// <para>Cost: images × frequencies × (one directivity and, for ears, one head-model evaluation). Images whose gain is
/// zero over the whole grid (paths touching a fully absorbing wall) are skipped. Keep the order modest (the default 10
/// gives 1771 images) when a head model with a series solution is used on dense grids.</para>
/// <para>Design-time code: allocates, validates, thread-safe.</para>
/// </remarks>
public static class RoomPaths
{
    /// <summary>Room transfer function from a driver to a device-frame point.</summary>
    /// <param name="setup">The room, the device's placement and the model options.</param>
    /// <param name="driver">The driver.</param>
    /// <param name="directivity">The driver's directivity.</param>
    /// <param name="pointMeters">The receiving point, device frame; it and the driver must lie inside the room.</param>
    /// <param name="frequenciesHz">Frequencies, Hz, each 0..<see cref="IDirectivity.MaxFrequencyHz"/>.</param>
    /// <param name="destination">One value per frequency: pressure re. the driver's on-axis pressure at 1 m.</param>
    public static void DriverToPoint(
        RoomSetup setup,
        DriverDescription driver,
        IDirectivity directivity,
        Vector3D pointMeters,
        ReadOnlySpan<double> frequenciesHz,
        Span<Complex> destination)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(directivity);
        AcousticPaths.CheckGrid(frequenciesHz, directivity.MaxFrequencyHz, destination);
        var model = new ImageSourceModel(setup.Room, setup.DevicePlacement.ToRoom(driver.PositionMeters), setup.DevicePlacement.ToRoom(pointMeters), setup.Options);
        Accumulate(setup, model, driver, directivity, null, default, Ear.Left, frequenciesHz.ToArray(), destination);
    }

    /// <summary>Room transfer function from a driver to one ear.</summary>
    /// <param name="setup">The room, the device's placement and the model options.</param>
    /// <param name="driver">The driver.</param>
    /// <param name="directivity">The driver's directivity.</param>
    /// <param name="pose">The listener's head, device frame; its center must lie inside the room.</param>
    /// <param name="head">The head model.</param>
    /// <param name="ear">Which ear.</param>
    /// <param name="frequenciesHz">Frequencies, Hz, each 0..<see cref="IDirectivity.MaxFrequencyHz"/>.</param>
    /// <param name="destination">One value per frequency: ear pressure re. the driver's on-axis pressure at 1 m.</param>
    public static void DriverToEar(
        RoomSetup setup,
        DriverDescription driver,
        IDirectivity directivity,
        ListenerPose pose,
        IHeadModel head,
        Ear ear,
        ReadOnlySpan<double> frequenciesHz,
        Span<Complex> destination)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(directivity);
        ArgumentNullException.ThrowIfNull(head);
        AcousticPaths.CheckGrid(frequenciesHz, directivity.MaxFrequencyHz, destination);
        var model = new ImageSourceModel(setup.Room, setup.DevicePlacement.ToRoom(driver.PositionMeters), setup.DevicePlacement.ToRoom(pose.PositionMeters), setup.Options);
        Accumulate(setup, model, driver, directivity, head, pose, ear, frequenciesHz.ToArray(), destination);
    }

    /// <summary>Band-limited room impulse response from a driver to a device-frame point (conventions of
    /// <see cref="AcousticPaths"/>: sample n is time (n - lead)/fs after emission).</summary>
    /// <param name="setup">The room, the device's placement and the model options.</param>
    /// <param name="driver">The driver.</param>
    /// <param name="directivity">The driver's directivity.</param>
    /// <param name="pointMeters">The receiving point, device frame.</param>
    /// <param name="sampleRateHz">Sample rate, 1 kHz .. 768 kHz.</param>
    /// <param name="lengthSamples">Samples returned, 64 .. 32768; later arrivals wrap around, so bound the model's
    /// delay (<see cref="ImageSourceOptions.MaxDelaySeconds"/>) to about (length - lead - 32)/fs.</param>
    /// <param name="leadSamples">Lead, samples.</param>
    /// <returns>The impulse response.</returns>
    public static double[] DriverToPointImpulseResponse(
        RoomSetup setup,
        DriverDescription driver,
        IDirectivity directivity,
        Vector3D pointMeters,
        double sampleRateHz,
        int lengthSamples,
        double leadSamples = AcousticPaths.DefaultLeadSamples)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(directivity);
        ImpulseSynthesis.Validate(sampleRateHz, lengthSamples, leadSamples);
        var model = new ImageSourceModel(setup.Room, setup.DevicePlacement.ToRoom(driver.PositionMeters), setup.DevicePlacement.ToRoom(pointMeters), setup.Options);
        return ImpulseSynthesis.Render(
            (f, h) => Accumulate(setup, model, driver, directivity, null, default, Ear.Left, f, h),
            directivity.MaxFrequencyHz,
            sampleRateHz,
            lengthSamples,
            leadSamples);
    }

    /// <summary>Band-limited room impulse response from a driver to one ear (conventions of <see cref="AcousticPaths"/>).</summary>
    /// <param name="setup">The room, the device's placement and the model options.</param>
    /// <param name="driver">The driver.</param>
    /// <param name="directivity">The driver's directivity.</param>
    /// <param name="pose">The listener's head, device frame.</param>
    /// <param name="head">The head model.</param>
    /// <param name="ear">Which ear.</param>
    /// <param name="sampleRateHz">Sample rate, 1 kHz .. 768 kHz.</param>
    /// <param name="lengthSamples">Samples returned, 64 .. 32768 (see <see cref="DriverToPointImpulseResponse"/>).</param>
    /// <param name="leadSamples">Lead, samples.</param>
    /// <returns>The impulse response.</returns>
    public static double[] DriverToEarImpulseResponse(
        RoomSetup setup,
        DriverDescription driver,
        IDirectivity directivity,
        ListenerPose pose,
        IHeadModel head,
        Ear ear,
        double sampleRateHz,
        int lengthSamples,
        double leadSamples = AcousticPaths.DefaultLeadSamples)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(directivity);
        ArgumentNullException.ThrowIfNull(head);
        ImpulseSynthesis.Validate(sampleRateHz, lengthSamples, leadSamples);
        var model = new ImageSourceModel(setup.Room, setup.DevicePlacement.ToRoom(driver.PositionMeters), setup.DevicePlacement.ToRoom(pose.PositionMeters), setup.Options);
        return ImpulseSynthesis.Render(
            (f, h) => Accumulate(setup, model, driver, directivity, head, pose, ear, f, h),
            Math.Min(directivity.MaxFrequencyHz, head.MaxFrequencyHz),
            sampleRateHz,
            lengthSamples,
            leadSamples);
    }

    private static void Accumulate(
        RoomSetup setup,
        ImageSourceModel model,
        DriverDescription driver,
        IDirectivity directivity,
        IHeadModel? head,
        ListenerPose pose,
        Ear ear,
        double[] frequenciesHz,
        Span<Complex> destination)
    {
        var n = frequenciesHz.Length;
        var total = destination[..n];
        total.Clear();
        var gains = new double[n];
        var directional = new Complex[n];
        var hrtf = head is null ? null : new Complex[n];
        var orientation = DriverFrames.OrientationOf(driver);
        foreach (var image in model.Images)
        {
            var audible = false;
            for (var k = 0; k < n; k++)
            {
                gains[k] = model.GainAt(image, frequenciesHz[k]);
                audible |= gains[k] != 0.0;
            }

            if (!audible)
            {
                continue;
            }

            var departure = orientation.ToLocal(setup.DevicePlacement.ToLocalDirection(image.DepartureDirection));
            var (azimuth, elevation) = Orientation.Angles(departure);
            directivity.Response(azimuth, elevation, frequenciesHz, directional);
            if (head is not null)
            {
                var imageInHead = pose.ToHeadFrame(setup.DevicePlacement.ToLocal(image.PositionMeters));
                head.Response(ear, imageInHead, frequenciesHz, hrtf);
            }

            for (var k = 0; k < n; k++)
            {
                var term = directional[k] * Complex.FromPolarCoordinates(gains[k], -2.0 * Math.PI * frequenciesHz[k] * image.DelaySeconds);
                total[k] += hrtf is null ? term : term * hrtf[k];
            }
        }
    }
}
