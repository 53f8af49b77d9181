using System.Runtime.Intrinsics;

namespace SpatialAudio.Filters.Convolution;

/// <summary>
/// Direct-form FIR kernels: y[n] = sum over j of r[j] x[n + j], where r is the time-reversed impulse response and
/// x holds length-1 history samples followed by the new block. Vectorized across output samples: every tap is
/// broadcast once per group of outputs and multiplied into unaligned loads of the input, so no horizontal sums.
/// </summary>
internal static unsafe class FirKernels
{
    public static void Run512(float* x, float* taps, int tapCount, float* y, int count)
    {
        const int V = 16;
        var n = 0;
        for (; n + (4 * V) <= count; n += 4 * V)
        {
            var a0 = Vector512<float>.Zero;
            var a1 = Vector512<float>.Zero;
            var a2 = Vector512<float>.Zero;
            var a3 = Vector512<float>.Zero;
            var p = x + n;
            for (var j = 0; j < tapCount; j++, p++)
            {
                var c = Vector512.Create(taps[j]);
                a0 = Vector512.MultiplyAddEstimate(c, Vector512.Load(p), a0);
                a1 = Vector512.MultiplyAddEstimate(c, Vector512.Load(p + V), a1);
                a2 = Vector512.MultiplyAddEstimate(c, Vector512.Load(p + (2 * V)), a2);
                a3 = Vector512.MultiplyAddEstimate(c, Vector512.Load(p + (3 * V)), a3);
            }

            a0.Store(y + n);
            a1.Store(y + n + V);
            a2.Store(y + n + (2 * V));
            a3.Store(y + n + (3 * V));
        }

        for (; n + V <= count; n += V)
        {
            var a = Vector512<float>.Zero;
            var p = x + n;
            for (var j = 0; j < tapCount; j++, p++)
            {
                a = Vector512.MultiplyAddEstimate(Vector512.Create(taps[j]), Vector512.Load(p), a);
            }

            a.Store(y + n);
        }

        RunScalar(x, taps, tapCount, y, count, n);
    }

    public static void Run256(float* x, float* taps, int tapCount, float* y, int count)
    {
        const int V = 8;
        var n = 0;
        for (; n + (4 * V) <= count; n += 4 * V)
        {
            var a0 = Vector256<float>.Zero;
            var a1 = Vector256<float>.Zero;
            var a2 = Vector256<float>.Zero;
            var a3 = Vector256<float>.Zero;
            var p = x + n;
            for (var j = 0; j < tapCount; j++, p++)
            {
                var c = Vector256.Create(taps[j]);
                a0 = Vector256.MultiplyAddEstimate(c, Vector256.Load(p), a0);
                a1 = Vector256.MultiplyAddEstimate(c, Vector256.Load(p + V), a1);
                a2 = Vector256.MultiplyAddEstimate(c, Vector256.Load(p + (2 * V)), a2);
                a3 = Vector256.MultiplyAddEstimate(c, Vector256.Load(p + (3 * V)), a3);
            }

            a0.Store(y + n);
            a1.Store(y + n + V);
            a2.Store(y + n + (2 * V));
            a3.Store(y + n + (3 * V));
        }

        for (; n + V <= count; n += V)
        {
            var a = Vector256<float>.Zero;
            var p = x + n;
            for (var j = 0; j < tapCount; j++, p++)
            {
                a = Vector256.MultiplyAddEstimate(Vector256.Create(taps[j]), Vector256.Load(p), a);
            }

            a.Store(y + n);
        }

        RunScalar(x, taps, tapCount, y, count, n);
    }

    public static void Run128(float* x, float* taps, int tapCount, float* y, int count)
    {
        const int V = 4;
        var n = 0;
        for (; n + (4 * V) <= count; n += 4 * V)
        {
            var a0 = Vector128<float>.Zero;
            var a1 = Vector128<float>.Zero;
            var a2 = Vector128<float>.Zero;
            var a3 = Vector128<float>.Zero;
            var p = x + n;
            for (var j = 0; j < tapCount; j++, p++)
            {
                var c = Vector128.Create(taps[j]);
                a0 = Vector128.MultiplyAddEstimate(c, Vector128.Load(p), a0);
                a1 = Vector128.MultiplyAddEstimate(c, Vector128.Load(p + V), a1);
                a2 = Vector128.MultiplyAddEstimate(c, Vector128.Load(p + (2 * V)), a2);
                a3 = Vector128.MultiplyAddEstimate(c, Vector128.Load(p + (3 * V)), a3);
            }

            a0.Store(y + n);
            a1.Store(y + n + V);
            a2.Store(y + n + (2 * V));
            a3.Store(y + n + (3 * V));
        }

        for (; n + V <= count; n += V)
        {
            var a = Vector128<float>.Zero;
            var p = x + n;
            for (var j = 0; j < tapCount; j++, p++)
            {
                a = Vector128.MultiplyAddEstimate(Vector128.Create(taps[j]), Vector128.Load(p), a);
            }

            a.Store(y + n);
        }

        RunScalar(x, taps, tapCount, y, count, n);
    }

    public static void RunScalar(float* x, float* taps, int tapCount, float* y, int count, int start)
    {
        for (var n = start; n < count; n++)
        {
            var sum = 0f;
            var p = x + n;
            for (var j = 0; j < tapCount; j++)
            {
                sum += taps[j] * p[j];
            }

            y[n] = sum;
        }
    }
}
