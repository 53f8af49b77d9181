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

    [Fact]
    public void A_simulated_units_self_calibration_is_that_of_a_recording_of_its_sweep_in_its_room()
    {
        var (driver, mics) = (SensingTestGeometry.Driver, SensingTestGeometry.Mics);
        Scene[] scenes =
        [
            SceneLibrary.Create(SceneKind.Walk, 31, driver, mics),
            SceneLibrary.Create(SceneKind.Empty, 32, driver, mics),
            SessionScenes.Create(33, driver, mics, (10, 20), 0).Scene,
        ];
        foreach (var scene in scenes)
        {
            var calibrated = SceneCalibration.Apply(scene);
            Assert.Equal(scene with { CarrierHz = calibrated.CarrierHz, ProbeLevelDbfs = calibrated.ProbeLevelDbfs }, calibrated);

            // The reference: this test's own recording of the sweep through the scene's unit and room (nobody in it, no
            // music, other noise), analysed by the self-calibration.
            var reference = Calibrate(scene with { Actors = [.. scene.Actors.Where(a => a.Labels.Count == 0)], MusicLevelDbfs = null, Seed = scene.Seed + 1 });
            Assert.InRange(calibrated.ProbeLevelDbfs, reference.LevelDbfs - 1, reference.LevelDbfs + 1);
            // Noise estimates differ a little between recordings; the carrier must be (nearly) as good as the reference's.
            var at = Array.IndexOf(reference.FrequenciesHz, calibrated.CarrierHz);
            Assert.True(at >= 0, $"carrier {calibrated.CarrierHz} Hz is not a calibration carrier");
            Assert.True(reference.RequiredLevelDbfs[at] - reference.RequiredLevelDbfs.Min() < 1, $"seed {scene.Seed}: carrier {calibrated.CarrierHz} Hz needs {reference.RequiredLevelDbfs[at] - reference.RequiredLevelDbfs.Min():0.0} dB more than the best");
        }

        // A carrier given by the caller keeps the level calibration asks for on that carrier.
        var fixedCarrier = SceneCalibration.Apply(scenes[0], carrierHz: 40000);
        Assert.Equal(40000, fixedCarrier.CarrierHz);
        Assert.True(fixedCarrier.ProbeLevelDbfs >= SceneCalibration.Apply(scenes[0]).ProbeLevelDbfs - 0.5, "a carrier other than the best needs no less level");
    }

    [Fact]
    public void A_simulated_room_with_more_noise_gets_a_louder_probe_by_the_noise_difference()
    {
        var (driver, mics) = (SensingTestGeometry.Driver, SensingTestGeometry.Mics);
        var scene = SceneLibrary.Create(SceneKind.Empty, 34, driver, mics);
        var quiet = SceneCalibration.Apply(scene with { HvacNoiseDbfs = null });
        var noisy = SceneCalibration.Apply(scene with { HvacNoiseDbfs = -75 });

        // Both noises are white: the level rises by the ratio of the noise powers in the 0.5 s of silence. The HVAC noise
        // swells as 1 + 0.5 sin(2 pi f t + phase + m) on microphone m (one level per 1024-sample block; f and phase the scene's).
        var micNoise = Math.Pow(10, scene.MicNoiseDbfs / 10);
        double swell = 0;
        var blocks = (int)(SelfCalibration.SilenceSeconds * 96000 / 1024);
        for (var m = 0; m < mics.Length; m++)
        {
            for (var b = 0; b < blocks; b++)
            {
                var g = 1 + (0.5 * Math.Sin((2 * Math.PI * scene.HvacSwellHz * b * 1024 / 96000) + scene.HvacSwellPhase + m));
                swell += g * g / (blocks * mics.Length);
            }
        }

        var expected = 10 * Math.Log10((micNoise + (Math.Pow(10, -75 / 10.0) * swell)) / micNoise);
        Assert.InRange(noisy.ProbeLevelDbfs - quiet.ProbeLevelDbfs, expected - 1, expected + 1);
        Assert.True(expected > 10, $"the test's rooms differ by {expected:0.0} dB only");
    }

    [Fact]
    public void The_level_on_another_carrier_is_what_that_carrier_needs()
    {
        var result = Calibrate(Dip(31000, 35000, -15), -95);
        Assert.Equal(result.LevelDbfs, result.LevelAt(result.CarrierHz), 9);
        var at33 = Array.IndexOf(result.FrequenciesHz, 33000.0);
        Assert.Equal(Math.Clamp(result.RequiredLevelDbfs[at33], -60, -6), result.LevelAt(33000), 9);
        Assert.True(result.LevelAt(33000) > result.LevelDbfs + 10, "the dip needs no more level");
        Assert.Throws<ArgumentOutOfRangeException>(() => result.LevelAt(31000));
    }

    private static CalibrationResult Calibrate(double[]? driver, double micNoiseDbfs) => Calibrate(new Scene
    {
        Room = new ShoeboxRoom(new Vector3D(6, 4, 2.7), AbsorptionSpectrum.Uniform(0.3)),
        Device = new RoomPlacement(new Vector3D(0.4, 2, 0.9), 0),
        ProbeDriverMeters = new Vector3D(0, 0, 0.03),
        MicMeters = [new Vector3D(-0.03, 0.057, 0.1), new Vector3D(-0.03, -0.057, 0.1)],
        DriverResponse = driver,
        MicNoiseDbfs = micNoiseDbfs,
        Nonlinearity = (0, 0),
    });

    // Records the sweep through the scene's unit and room (emitted instead of its probe) and analyses it.
    private static CalibrationResult Calibrate(Scene room)
    {
        var sweep = SelfCalibration.Sweep(96000);
        var scene = room with
        {
            DurationSeconds = sweep.Length / 96000.0,
            Emission = sweep,
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
