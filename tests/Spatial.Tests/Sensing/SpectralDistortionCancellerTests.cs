using SpatialAudio.Filters.Fft;
using SpatialAudio.Spatial.Sensing.FrontEnd;

namespace SpatialAudio.Spatial.Tests.Sensing;

/// <summary>The frame-domain distortion canceller on baseband signals whose distortion path is known.</summary>
public class SpectralDistortionCancellerTests
{
    private const int Frame = 128;
    private const int Hop = 64;
    private const int HighestBin = 40;

    [Fact]
    public void A_distortion_path_half_a_frame_long_loses_most_of_its_power_in_every_band_bin()
    {
        // 60 taps (20 ms at 3 kHz) of a decaying complex path from u and u^2: far beyond the time-domain stage's 24 taps.
        var run = Run(seconds: 6, toneBin: null, pathTaps: 60);
        var loss = 10 * Math.Log10(run.InputPower / run.OutputPower);
        Assert.True(loss > 10, $"{loss:0.0} dB taken off after the first second");
    }

    [Fact]
    public void A_Doppler_line_uncorrelated_with_the_music_keeps_its_power()
    {
        // The same distortion with and without a walker's line in bin 10 (234 Hz): the line's share of the output power in
        // that bin is the line's own power within 1 dB, so the stage learns the music's paths and not the motion.
        var with = Run(seconds: 6, toneBin: 10, pathTaps: 60);
        var without = Run(seconds: 6, toneBin: null, pathTaps: 60);
        var line = with.BinPower - without.BinPower;
        Assert.True(Math.Abs(10 * Math.Log10(line / with.TonePower)) < 1, $"line {10 * Math.Log10(line / with.TonePower):0.00} dB from its input power");
    }

    [Fact]
    public void It_never_raises_a_bin_and_leaves_unread_bins_and_music_free_frames_as_they_are()
    {
        var canceller = new SpectralDistortionCanceller(1, Frame, HighestBin, slots: 1);
        var window = Window();
        var random = new Random(3);
        var (u, v, re, im) = Signals(3000 * 4, random, pathTaps: 60, musicFrom: 3000);
        var fft = new ComplexFft(Frame);
        var fr = new float[Frame];
        var fi = new float[Frame];
        for (var start = 0; start + Frame <= u.Length; start += Hop)
        {
            for (var i = 0; i < Frame; i++)
            {
                fr[i] = re[start + i] * window[i];
                fi[i] = im[start + i] * window[i];
            }

            fft.Forward(fr, fi);
            var inRe = (float[])fr.Clone();
            var inIm = (float[])fi.Clone();
            canceller.Reference(u.AsSpan(start, Frame), v.AsSpan(start, Frame), window, 0, learn: true);
            canceller.Cancel(0, 0, fr, fi);
            var silent = start + Frame <= 3000;
            for (var k = 0; k < Frame; k++)
            {
                var read = (k >= 1 && k <= HighestBin) || k >= Frame - HighestBin;
                if (!read || silent)
                {
                    Assert.Equal(inRe[k], fr[k]);
                    Assert.Equal(inIm[k], fi[k]);
                }
                else
                {
                    Assert.True(Hypot(fr[k], fi[k]) <= Hypot(inRe[k], inIm[k]), $"frame at {start}, bin {k} raised");
                }
            }
        }
    }

    private static double Hypot(float a, float b) => Math.Sqrt(((double)a * a) + ((double)b * b));

    private static (double InputPower, double OutputPower, double BinPower, double TonePower) Run(double seconds, int? toneBin, int pathTaps)
    {
        const double rate = 3000;
        var n = (int)(seconds * rate);
        var random = new Random(7);
        var (u, v, re, im) = Signals(n, random, pathTaps, musicFrom: 0);
        var toneAmplitude = 3e-3;
        if (toneBin is { } bin)
        {
            for (var i = 0; i < n; i++)
            {
                var phase = 2 * Math.PI * bin * i / Frame;
                re[i] += (float)(toneAmplitude * Math.Cos(phase));
                im[i] += (float)(toneAmplitude * Math.Sin(phase));
            }
        }

        var canceller = new SpectralDistortionCanceller(1, Frame, HighestBin, slots: 1);
        var window = Window();
        var fft = new ComplexFft(Frame);
        var fr = new float[Frame];
        var fi = new float[Frame];
        double input = 0, output = 0, binPower = 0;
        var frames = 0;
        for (var start = 0; start + Frame <= n; start += Hop)
        {
            for (var i = 0; i < Frame; i++)
            {
                fr[i] = re[start + i] * window[i];
                fi[i] = im[start + i] * window[i];
            }

            fft.Forward(fr, fi);
            var measured = start >= rate;   // after the first second
            for (var k = 1; k <= HighestBin && measured; k++)
            {
                input += Power(fr, fi, k) + Power(fr, fi, Frame - k);
            }

            canceller.Reference(u.AsSpan(start, Frame), v.AsSpan(start, Frame), window, 0, learn: true);
            canceller.Cancel(0, 0, fr, fi);
            if (measured)
            {
                frames++;
                binPower += Power(fr, fi, toneBin ?? 10);
                for (var k = 1; k <= HighestBin; k++)
                {
                    output += Power(fr, fi, k) + Power(fr, fi, Frame - k);
                }
            }
        }

        // A bin-centred line of amplitude A lands in its bin at A times the window's sum.
        var gain = window.Sum(w => (double)w);
        return (input, output, binPower / frames, toneAmplitude * toneAmplitude * gain * gain);
    }

    private static double Power(float[] re, float[] im, int k) => ((double)re[k] * re[k]) + ((double)im[k] * im[k]);

    private static float[] Window()
    {
        var window = new float[Frame];
        var sum = 0.0;
        for (var i = 0; i < Frame; i++)
        {
            window[i] = (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * i / Frame)));
            sum += window[i] * window[i];
        }

        for (var i = 0; i < Frame; i++)
        {
            window[i] /= (float)Math.Sqrt(sum);
        }

        return window;
    }

    // u: low-passed noise (music's bass), v = u^2 (DC removed); the microphone's baseband = complex FIRs of both (a
    // decaying path of pathTaps taps) + a faint noise floor. Music (and so distortion) only from sample musicFrom on.
    private static (float[] U, float[] V, float[] Re, float[] Im) Signals(int n, Random random, int pathTaps, int musicFrom)
    {
        var u = new float[n];
        var v = new float[n];
        double state = 0;
        for (var i = musicFrom; i < n; i++)
        {
            state += 0.1 * ((random.NextDouble() - 0.5) - state);
            u[i] = (float)state;
            v[i] = (float)(4 * state * state);
        }

        var hu = new (double Re, double Im)[pathTaps];
        var hv = new (double Re, double Im)[pathTaps];
        for (var t = 0; t < pathTaps; t++)
        {
            var decay = 0.02 * Math.Exp(-3.0 * t / pathTaps);
            hu[t] = (decay * (random.NextDouble() - 0.5), decay * (random.NextDouble() - 0.5));
            hv[t] = (0.5 * decay * (random.NextDouble() - 0.5), 0.5 * decay * (random.NextDouble() - 0.5));
        }

        var re = new float[n];
        var im = new float[n];
        for (var i = 0; i < n; i++)
        {
            double r = 0, q = 0;
            for (var t = 0; t < pathTaps && t <= i; t++)
            {
                r += (hu[t].Re * u[i - t]) + (hv[t].Re * v[i - t]);
                q += (hu[t].Im * u[i - t]) + (hv[t].Im * v[i - t]);
            }

            re[i] = (float)(r + (1e-6 * (random.NextDouble() - 0.5)));
            im[i] = (float)(q + (1e-6 * (random.NextDouble() - 0.5)));
        }

        return (u, v, re, im);
    }
}
