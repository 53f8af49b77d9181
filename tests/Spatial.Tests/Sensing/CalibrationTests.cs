using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Drivers.Rooms;
using SpatialAudio.Filters.Design;
using SpatialAudio.Spatial.Sensing.Calibration;
using SpatialAudio.Spatial.Sensing.Simulation;
using Xunit;

namespace SpatialAudio.Spatial.Tests.Sensing;

public class CalibrationTests
{
    [Fact]
    public void A_unit_with_a_dip_gets_a_carrier_outside_it()
    {
        var flat = Calibrate(null, -95);
        // Air absorption grows with frequency (about 1 dB more over a 10 m echo path per 2 kHz here), so a flat unit is
        // best near the bottom of the band; the room's ripple decides within a kHz or so.
        Assert.True(flat.CarrierHz < 34000, $"flat unit: carrier {flat.CarrierHz}");

        var dipped = Calibrate(Dip(31000, 35000, -15), -95);
        Assert.True(dipped.CarrierHz > 35000, $"carrier {dipped.CarrierHz} inside the dip");
        var chosen = Array.IndexOf(dipped.FrequenciesHz, dipped.CarrierHz);
        Assert.True(flat.CouplingDb[chosen] - dipped.CouplingDb[chosen] < 4, "the chosen carrier still sits in the dip's skirt");
        var at32 = Array.IndexOf(dipped.FrequenciesHz, 32000.0);
        Assert.True(flat.CouplingDb[at32] - dipped.CouplingDb[at32] > 10, "the dip is not seen in the measured coupling");
    }

    [Fact]
    public void A_quieter_room_gets_a_lower_level_by_the_noise_difference()
    {
        var noisy = Calibrate(null, -80);
        var quiet = Calibrate(null, -95);
        Assert.InRange(noisy.LevelDbfs - quiet.LevelDbfs, 13, 17);
        Assert.Equal(5, quiet.RangeMeters);
    }

    private static CalibrationResult Calibrate(double[]? driver, double micNoiseDbfs)
    {
        var sweep = SelfCalibration.Sweep(96000);
        var scene = new Scene
        {
            DurationSeconds = sweep.Length / 96000.0,
            Room = new ShoeboxRoom(new Vector3D(6, 4, 2.7), AbsorptionSpectrum.Uniform(0.3)),
            Device = new RoomPlacement(new Vector3D(0.4, 2, 0.9), 0),
            ProbeDriverMeters = new Vector3D(0, 0, 0.03),
            MicMeters = [new Vector3D(-0.03, 0.057, 0.1), new Vector3D(-0.03, -0.057, 0.1)],
            Emission = sweep,
            DriverResponse = driver,
            MicNoiseDbfs = micNoiseDbfs,
            Nonlinearity = (0, 0),
        };
        var simulator = new SceneSimulator(scene);
        var mics = new[] { new float[sweep.Length], new float[sweep.Length] };
        var block = new[] { new float[SceneSimulator.BlockSize], new float[SceneSimulator.BlockSize] };
        var playback = new float[SceneSimulator.BlockSize];
        int n, at = 0;
        while ((n = simulator.Render(block, playback)) > 0)
        {
            block[0].AsSpan(0, n).CopyTo(mics[0].AsSpan(at));
            block[1].AsSpan(0, n).CopyTo(mics[1].AsSpan(at));
            at += n;
        }

        var distance = Vector3D.Distance(scene.ProbeDriverMeters, scene.MicMeters[0]);
        return SelfCalibration.Analyze(mics, sweep, 96000, new CalibrationOptions { DriverToMicMeters = distance });
    }

    private static double[] Dip(double fromHz, double toHz, double depthDb)
    {
        const int size = 4096;
        var magnitude = new double[(size / 2) + 1];
        for (var k = 0; k < magnitude.Length; k++)
        {
            var f = k * 96000.0 / size;
            magnitude[k] = f >= fromHz && f <= toHz ? Math.Pow(10, depthDb / 20) : 1;
        }

        return MinimumPhase.FromMagnitude(magnitude, 256);
    }
}
