using System.Runtime.CompilerServices;
using SpatialAudio.Filters.Fft;

namespace SpatialAudio.Filters.Convolution;

/// <summary>Where the frequency-domain delay line lives and which slot holds the newest spectrum.</summary>
/// <remarks>Input i slot s starts at Base + i * InputStride + s * SlotStride: real parts (Bins of them), then
/// imaginary parts. Partition p of the current block reads slot (Head - p) mod SlotCount.</remarks>
internal readonly unsafe struct DelayLineView(float* basePointer, int inputStride, int slotStride, int bins, int slotCount, int head)
{
    public readonly float* Base = basePointer;
    public readonly int InputStride = inputStride;
    public readonly int SlotStride = slotStride;
    public readonly int Bins = bins;
    public readonly int SlotCount = slotCount;
    public readonly int Head = head;
}

/// <summary>
/// The partitioned convolver's hot loop: for one tile of <see cref="ConvolverFilters.TileBins"/> bins of one output,
/// Y = sum over present inputs i and partitions p of X_i[block - p] * H_{i,p}, in the packed layout (bin 0 carries
/// DC in the real slot and Nyquist in the imaginary slot, both real, multiplied separately).
/// </summary>
/// <remarks>
/// Each vector of bins keeps four accumulators (xr*hr, xi*hi, xr*hi, xi*hr) so no two multiply-adds in a row depend
/// on each other; two vectors of bins at a time make eight independent chains, which hides the FMA latency.
/// The filter spectra are read strictly sequentially; the delay-line tile stays in L1 across outputs.
/// </remarks>
internal static unsafe class ComplexMacKernels
{
    private const int T = ConvolverFilters.TileBins;

    /// <summary>The vector kernel, one body for every width; the JIT specializes it per ops struct.</summary>
    /// <typeparam name="TOps">Vector128Ops, Vector256Ops or Vector512Ops (the FFT's vector abstraction, reused here).</typeparam>
    /// <typeparam name="TV">The vector type of <typeparamref name="TOps"/>.</typeparam>
    public static void Tile<TOps, TV>(in DelayLineView fdl, int tileBin, float* h, int* inputs, int* partitions, int runCount, float* yRe, float* yIm)
        where TOps : struct, IFftVectorOps<TV>
        where TV : struct
    {
        var v = TOps.Count;
        var zero = TOps.Broadcast(0f);
        for (var u = 0; u < T; u += 2 * v)
        {
            var rA0 = zero;
            var rB0 = zero;
            var iA0 = zero;
            var iB0 = zero;
            var rA1 = zero;
            var rB1 = zero;
            var iA1 = zero;
            var iB1 = zero;
            var hp = h + u;
            for (var r = 0; r < runCount; r++)
            {
                var xBase = fdl.Base + (inputs[r] * fdl.InputStride) + tileBin + u;
                var slot = fdl.Head;
                for (var p = partitions[r]; p > 0; p--)
                {
                    ref var xr = ref *(xBase + (slot * fdl.SlotStride));
                    ref var xi = ref Unsafe.Add(ref xr, fdl.Bins);
                    ref var hr = ref *hp;
                    var xr0 = TOps.Load(ref xr, 0);
                    var xr1 = TOps.Load(ref xr, v);
                    var xi0 = TOps.Load(ref xi, 0);
                    var xi1 = TOps.Load(ref xi, v);
                    var hr0 = TOps.Load(ref hr, 0);
                    var hr1 = TOps.Load(ref hr, v);
                    var hi0 = TOps.Load(ref hr, T);
                    var hi1 = TOps.Load(ref hr, T + v);
                    rA0 = TOps.MultiplyAdd(xr0, hr0, rA0);
                    rB0 = TOps.MultiplyAdd(xi0, hi0, rB0);
                    iA0 = TOps.MultiplyAdd(xr0, hi0, iA0);
                    iB0 = TOps.MultiplyAdd(xi0, hr0, iB0);
                    rA1 = TOps.MultiplyAdd(xr1, hr1, rA1);
                    rB1 = TOps.MultiplyAdd(xi1, hi1, rB1);
                    iA1 = TOps.MultiplyAdd(xr1, hi1, iA1);
                    iB1 = TOps.MultiplyAdd(xi1, hr1, iB1);
                    hp += 2 * T;
                    slot = slot == 0 ? fdl.SlotCount - 1 : slot - 1;
                }
            }

            ref var outRe = ref *(yRe + tileBin + u);
            ref var outIm = ref *(yIm + tileBin + u);
            TOps.Store(TOps.Subtract(rA0, rB0), ref outRe, 0);
            TOps.Store(TOps.Subtract(rA1, rB1), ref outRe, v);
            TOps.Store(TOps.Add(iA0, iB0), ref outIm, 0);
            TOps.Store(TOps.Add(iA1, iB1), ref outIm, v);
        }

        if (tileBin == 0)
        {
            PackedDcAndNyquist(fdl, h, inputs, partitions, runCount, yRe, yIm);
        }
    }

    /// <summary>Bin 0 packs two real values, DC (real slot) and Nyquist (imaginary slot): no cross terms.</summary>
    private static void PackedDcAndNyquist(in DelayLineView fdl, float* h, int* inputs, int* partitions, int runCount, float* yRe, float* yIm)
    {
        var dc = 0f;
        var nyquist = 0f;
        var hp = h;
        for (var r = 0; r < runCount; r++)
        {
            var xBase = fdl.Base + (inputs[r] * fdl.InputStride);
            var slot = fdl.Head;
            for (var p = partitions[r]; p > 0; p--)
            {
                var xr = xBase + (slot * fdl.SlotStride);
                dc += xr[0] * hp[0];
                nyquist += xr[fdl.Bins] * hp[T];
                hp += 2 * T;
                slot = slot == 0 ? fdl.SlotCount - 1 : slot - 1;
            }
        }

        yRe[0] = dc;
        yIm[0] = nyquist;
    }

    public static void TileScalar(in DelayLineView fdl, int tileBin, float* h, int* inputs, int* partitions, int runCount, float* yRe, float* yIm)
    {
        var outRe = yRe + tileBin;
        var outIm = yIm + tileBin;
        new Span<float>(outRe, T).Clear();
        new Span<float>(outIm, T).Clear();
        var first = tileBin == 0 ? 1 : 0;
        var hp = h;
        for (var r = 0; r < runCount; r++)
        {
            var xBase = fdl.Base + (inputs[r] * fdl.InputStride) + tileBin;
            var slot = fdl.Head;
            for (var p = partitions[r]; p > 0; p--)
            {
                var xr = xBase + (slot * fdl.SlotStride);
                var xi = xr + fdl.Bins;
                var hr = hp;
                var hi = hp + T;
                if (first == 1)
                {
                    outRe[0] += xr[0] * hr[0];
                    outIm[0] += xi[0] * hi[0];
                }

                for (var k = first; k < T; k++)
                {
                    outRe[k] += (xr[k] * hr[k]) - (xi[k] * hi[k]);
                    outIm[k] += (xr[k] * hi[k]) + (xi[k] * hr[k]);
                }

                hp += 2 * T;
                slot = slot == 0 ? fdl.SlotCount - 1 : slot - 1;
            }
        }
    }
}
