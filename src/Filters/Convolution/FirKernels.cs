using SpatialAudio.Filters.Fft;

namespace SpatialAudio.Filters.Convolution;

/// <summary>
/// Direct-form FIR kernels: y[n] = sum over j of r[j] x[n + j], where r is the time-reversed impulse response and
/// x holds length-1 history samples followed by the new block. Vectorized across output samples: every tap is
/// broadcast once per group of outputs and multiplied into unaligned loads of the input, so no horizontal sums.
/// </summary>
internal static unsafe class FirKernels
{
    /// <summary>The vector kernel, one body for every width; the JIT specializes it per ops struct.</summary>
    /// <typeparam name="TOps">Vector128Ops, Vector256Ops or Vector512Ops (the FFT's vector abstraction, reused here).</typeparam>
    /// <typeparam name="TV">The vector type of <typeparamref name="TOps"/>.</typeparam>
    public static void Run<TOps, TV>(float* x, float* taps, int tapCount, float* y, int count)
        where TOps : struct, IFftVectorOps<TV>
        where TV : struct
    {
        var v = TOps.Count;
        var zero = TOps.Broadcast(0f);
        var n = 0;
        for (; n + (4 * v) <= count; n += 4 * v)
        {
            var a0 = zero;
            var a1 = zero;
            var a2 = zero;
            var a3 = zero;
            var p = x + n;
            for (var j = 0; j < tapCount; j++, p++)
            {
                var c = TOps.Broadcast(taps[j]);
                ref var at = ref *p;
                a0 = TOps.MultiplyAdd(c, TOps.Load(ref at, 0), a0);
                a1 = TOps.MultiplyAdd(c, TOps.Load(ref at, v), a1);
                a2 = TOps.MultiplyAdd(c, TOps.Load(ref at, 2 * v), a2);
                a3 = TOps.MultiplyAdd(c, TOps.Load(ref at, 3 * v), a3);
            }

            ref var output = ref *(y + n);
            TOps.Store(a0, ref output, 0);
            TOps.Store(a1, ref output, v);
            TOps.Store(a2, ref output, 2 * v);
            TOps.Store(a3, ref output, 3 * v);
        }

        for (; n + v <= count; n += v)
        {
            var a = zero;
            var p = x + n;
            for (var j = 0; j < tapCount; j++, p++)
            {
                a = TOps.MultiplyAdd(TOps.Broadcast(taps[j]), TOps.Load(ref *p, 0), a);
            }

            TOps.Store(a, ref *(y + n), 0);
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
