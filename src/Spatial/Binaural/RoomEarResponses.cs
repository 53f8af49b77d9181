using System.Numerics;
using SpatialAudio.Drivers.Heads;
using SpatialAudio.Drivers.Paths;
using SpatialAudio.Drivers.Rooms;
using SpatialAudio.Filters.Design;
using SpatialAudio.Spatial.Stimuli;

namespace SpatialAudio.Spatial.Binaural;

/// <summary>
/// Driver-to-ear impulse responses in a room, built the way auralization engines do it cheaply: the direct sound and
/// the early reflections (image sources up to second order, each through the head model from its own direction) plus
/// a statistical late tail (independent noise per ear and driver, decaying per octave band with the room's Sabine
/// reverberation time, at the diffuse-field level).
/// </summary>
/// <remarks>
/// <para>Tail level: in a diffuse field the reverberant pressure squared, relative to the on-axis pressure squared at
/// 1 m of a source, is 16 pi / R with R = S a / (1 - a) (room constant; directivity factor taken as 1). For a flat
/// reference (sample 0 = on-axis pressure at 1 m) an octave band holds its bandwidth's share of that energy, and the
/// tail keeps the part after the mixing time t_mix = direct delay + 2 mean free paths (4V/S each), faded in over 5 ms.</para>
/// <para>Per-image KEMAR rendering of every reflection would cost minutes per listener position; the late field is
/// diffuse, so its direction detail is not audible and noise with the right decay and level stands in for it.</para>
/// </remarks>
public static class RoomEarResponses
{
    /// <summary>Highest image-source order rendered through the head model.</summary>
    public const int EarlyOrder = 2;

    /// <summary>Builds [ear][driver][sample] responses (lead of <see cref="AcousticPaths.DefaultLeadSamples"/>).</summary>
    /// <param name="acoustics">The device.</param>
    /// <param name="room">The room.</param>
    /// <param name="placement">Where the device stands in it.</param>
    /// <param name="pose">The listener, device frame.</param>
    /// <param name="head">Head model.</param>
    /// <param name="sampleRateHz">Rate.</param>
    /// <param name="seed">Seed of the tail noise.</param>
    /// <exception cref="ArgumentException">The listener or a driver is outside the room.</exception>
    public static double[][][] Build(DeviceAcoustics acoustics, ShoeboxRoom room, RoomPlacement placement, ListenerPose pose, IHeadModel head, int sampleRateHz, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(acoustics);
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(head);
        if (!room.Contains(placement.ToRoom(pose.PositionMeters)))
        {
            throw new ArgumentException($"the listener ({pose.PositionMeters.X:0.##}, {pose.PositionMeters.Y:0.##}, {pose.PositionMeters.Z:0.##}) m in the device frame is outside the room", nameof(pose));
        }

        var drivers = acoustics.Device.Drivers;
        if (drivers.Any(d => !room.Contains(placement.ToRoom(d.PositionMeters))))
        {
            throw new ArgumentException("the device does not fit in the room where it was placed", nameof(placement));
        }

        var air = acoustics.Air;
        var lead = AcousticPaths.DefaultLeadSamples;
        const int earlyLength = 8192;
        var setup = new RoomSetup(room, placement, new ImageSourceOptions { MaxOrder = EarlyOrder, MaxDelaySeconds = (earlyLength - lead - 64) / sampleRateHz, Air = air });

        double[] bands = [125, 250, 500, 1000, 2000, 4000, 8000, 16000];
        var t60 = bands.Select(f => room.SabineReverberationTimeSeconds(f, air)).ToArray();
        var area = room.SurfaceAreaSquareMeters;
        var c = air.SpeedOfSoundMetersPerSecond;
        var direct = pose.PositionMeters.Length / c;
        var mixing = direct + (2 * 4 * room.VolumeCubicMeters / area / c);
        var total = (int)Math.Min(32768, BitOperations.RoundUpToPowerOf2((uint)(((mixing + t60.Max()) * sampleRateHz) + lead)));
        var result = new double[2][][];
        var random = new Random(seed);
        var filters = bands.Select(f => f * Math.Sqrt(2) < sampleRateHz / 2.0
            ? WindowedSinc.BandPass(f / Math.Sqrt(2), Math.Min(f * Math.Sqrt(2), (sampleRateHz / 2.0) - 1), sampleRateHz, 511, 8)
            : null).ToArray();
        for (var e = 0; e < 2; e++)
        {
            result[e] = new double[drivers.Count][];
            for (var d = 0; d < drivers.Count; d++)
            {
                var ir = new double[total];
                RoomPaths.DriverToEarImpulseResponse(setup, drivers[d], acoustics.Directivities[d], pose, head, (Ear)e, sampleRateHz, earlyLength, lead).CopyTo(ir, 0);
                AddTail(ir, bands, t60, filters, room, mixing, sampleRateHz, lead, random);
                result[e][d] = ir;
            }
        }

        return result;
    }

    private static void AddTail(double[] ir, double[] bands, double[] t60, double[]?[] filters, ShoeboxRoom room,
        double mixing, int fs, double lead, Random random)
    {
        var n = ir.Length;
        var noise = new double[n];
        for (var i = 0; i < n; i++)
        {
            noise[i] = Gaussian.Next(random);
        }

        var start = (int)((mixing * fs) + lead);
        var fade = (int)(0.005 * fs);
        for (var b = 0; b < bands.Length; b++)
        {
            if (filters[b] is not { } h)
            {
                continue;
            }

            var alpha = room.AbsorptionAreaSquareMeters(bands[b]) / room.SurfaceAreaSquareMeters;
            var roomConstant = room.SurfaceAreaSquareMeters * alpha / Math.Max(1e-6, 1 - alpha);
            var bandwidth = Math.Min(bands[b] * Math.Sqrt(2), fs / 2.0) - (bands[b] / Math.Sqrt(2));
            var target = 16 * Math.PI / roomConstant * (bandwidth / (fs / 2.0)) * Math.Exp(-13.82 * mixing / t60[b]);
            var band = new double[n];
            var energy = 0.0;
            var half = h.Length / 2;
            for (var i = start; i < n; i++)
            {
                var sum = 0.0;
                for (var k = 0; k < h.Length; k++)
                {
                    var j = i - k + half;
                    if (j >= 0 && j < n)
                    {
                        sum += h[k] * noise[j];
                    }
                }

                var t = (i - start) / (double)fs;
                var envelope = Math.Exp(-6.91 * t / t60[b]) * (i - start < fade ? 0.5 - (0.5 * Math.Cos(Math.PI * (i - start) / fade)) : 1);
                band[i] = sum * envelope;
                energy += band[i] * band[i];
            }

            var scale = energy > 0 ? Math.Sqrt(target / energy) : 0;
            for (var i = start; i < n; i++)
            {
                ir[i] += scale * band[i];
            }
        }

    }
}
