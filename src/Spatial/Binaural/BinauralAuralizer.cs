using SpatialAudio.Drivers.Heads;
using SpatialAudio.Drivers.Paths;
using SpatialAudio.Filters.Convolution;

namespace SpatialAudio.Spatial.Binaural;

/// <summary>
/// What a listener at a position would hear over headphones: every driver signal convolved with its
/// driver-to-ear impulse responses (measured directivity, free-field propagation, the head model's HRTF), summed per ear.
/// </summary>
/// <remarks>
/// The ear responses come from <see cref="DeviceAcoustics.EarImpulseResponses"/>: sample n is the time
/// (n - <see cref="LeadSamples"/>)/fs after emission, so the output is delayed by the propagation time plus the lead.
/// Block processing with <see cref="PartitionedConvolver"/> (N inputs, 2 outputs); <see cref="Process"/> takes exactly
/// <see cref="BlockSize"/> frames and never allocates.
/// </remarks>
public sealed class BinauralAuralizer
{
    /// <summary>Lead of the ear impulse responses, samples.</summary>
    public const int LeadSamples = (int)AcousticPaths.DefaultLeadSamples;

    private readonly PartitionedConvolver convolver;

    /// <summary>Creates the auralizer.</summary>
    /// <param name="acoustics">The device (its driver order is the input order).</param>
    /// <param name="pose">The listener.</param>
    /// <param name="head">The head model (e.g. the measured KEMAR set).</param>
    /// <param name="sampleRateHz">Rate of the driver signals.</param>
    /// <param name="blockSize">Frames per <see cref="Process"/> call.</param>
    public BinauralAuralizer(DeviceAcoustics acoustics, ListenerPose pose, IHeadModel head, int sampleRateHz, int blockSize = 1024)
    {
        ArgumentNullException.ThrowIfNull(acoustics);
        ArgumentNullException.ThrowIfNull(head);
        var distance = pose.PositionMeters.Length + 0.5;
        var needed = (int)(distance / acoustics.Air.SpeedOfSoundMetersPerSecond * sampleRateHz) + LeadSamples + 1024;
        var length = 1;
        while (length < needed)
        {
            length <<= 1;
        }

        var ears = acoustics.EarImpulseResponses(pose, head, sampleRateHz, length, LeadSamples);
        var firs = new double[]?[acoustics.Device.Drivers.Count, 2];
        for (var d = 0; d < acoustics.Device.Drivers.Count; d++)
        {
            firs[d, 0] = ears[0][d];
            firs[d, 1] = ears[1][d];
        }

        DriverCount = acoustics.Device.Drivers.Count;
        BlockSize = blockSize;
        ImpulseLength = length;
        convolver = new PartitionedConvolver(DriverCount, 2, blockSize, length, new ConvolverFilters(blockSize, firs));
    }

    /// <summary>Creates the auralizer from given driver-to-ear responses, e.g. <see cref="RoomEarResponses.Build"/>.</summary>
    /// <param name="earResponses">[ear][driver][sample], two ears.</param>
    /// <param name="blockSize">Frames per <see cref="Process"/> call.</param>
    public BinauralAuralizer(double[][][] earResponses, int blockSize = 1024)
    {
        ArgumentNullException.ThrowIfNull(earResponses);
        if (earResponses.Length != 2 || earResponses[0].Length != earResponses[1].Length)
        {
            throw new ArgumentException("expected [2][drivers][samples]", nameof(earResponses));
        }

        var drivers = earResponses[0].Length;
        var firs = new double[]?[drivers, 2];
        var length = 1;
        for (var d = 0; d < drivers; d++)
        {
            firs[d, 0] = earResponses[0][d];
            firs[d, 1] = earResponses[1][d];
            length = Math.Max(length, Math.Max(earResponses[0][d].Length, earResponses[1][d].Length));
        }

        DriverCount = drivers;
        BlockSize = blockSize;
        ImpulseLength = length;
        convolver = new PartitionedConvolver(drivers, 2, blockSize, length, new ConvolverFilters(blockSize, firs));
    }

    /// <summary>Number of driver inputs.</summary>
    public int DriverCount { get; }

    /// <summary>Frames per call.</summary>
    public int BlockSize { get; }

    /// <summary>Length of the ear impulse responses, samples (the tail to flush at the end).</summary>
    public int ImpulseLength { get; }

    /// <summary>Processes one block: planar drivers (N x block) in, planar ears (left, right) out.</summary>
    public void Process(ReadOnlySpan<float> driversPlanar, Span<float> earsPlanar) => convolver.Process(driversPlanar, earsPlanar);
}
