using System.Runtime.Intrinsics;

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

    public static void Tile512(in DelayLineView fdl, int tileBin, float* h, int* inputs, int* partitions, int runCount, float* yRe, float* yIm)
    {
        const int V = 16;
        for (var u = 0; u < T; u += 2 * V)
        {
            var rA0 = Vector512<float>.Zero;
            var rB0 = Vector512<float>.Zero;
            var iA0 = Vector512<float>.Zero;
            var iB0 = Vector512<float>.Zero;
            var rA1 = Vector512<float>.Zero;
            var rB1 = Vector512<float>.Zero;
            var iA1 = Vector512<float>.Zero;
            var iB1 = Vector512<float>.Zero;
            var hp = h + u;
            for (var r = 0; r < runCount; r++)
            {
                var xBase = fdl.Base + (inputs[r] * fdl.InputStride) + tileBin + u;
                var slot = fdl.Head;
                for (var p = partitions[r]; p > 0; p--)
                {
                    var xr = xBase + (slot * fdl.SlotStride);
                    var xi = xr + fdl.Bins;
                    var xr0 = Vector512.Load(xr);
                    var xr1 = Vector512.Load(xr + V);
                    var xi0 = Vector512.Load(xi);
                    var xi1 = Vector512.Load(xi + V);
                    var hr0 = Vector512.Load(hp);
                    var hr1 = Vector512.Load(hp + V);
                    var hi0 = Vector512.Load(hp + T);
                    var hi1 = Vector512.Load(hp + T + V);
                    rA0 = Vector512.MultiplyAddEstimate(xr0, hr0, rA0);
                    rB0 = Vector512.MultiplyAddEstimate(xi0, hi0, rB0);
                    iA0 = Vector512.MultiplyAddEstimate(xr0, hi0, iA0);
                    iB0 = Vector512.MultiplyAddEstimate(xi0, hr0, iB0);
                    rA1 = Vector512.MultiplyAddEstimate(xr1, hr1, rA1);
                    rB1 = Vector512.MultiplyAddEstimate(xi1, hi1, rB1);
                    iA1 = Vector512.MultiplyAddEstimate(xr1, hi1, iA1);
                    iB1 = Vector512.MultiplyAddEstimate(xi1, hr1, iB1);
                    hp += 2 * T;
                    slot = slot == 0 ? fdl.SlotCount - 1 : slot - 1;
                }
            }

            var at = tileBin + u;
            (rA0 - rB0).Store(yRe + at);
            (rA1 - rB1).Store(yRe + at + V);
            (iA0 + iB0).Store(yIm + at);
            (iA1 + iB1).Store(yIm + at + V);
            if (at == 0)
            {
                yRe[0] = rA0.ToScalar();
                yIm[0] = rB0.ToScalar();
            }
        }
    }

    public static void Tile256(in DelayLineView fdl, int tileBin, float* h, int* inputs, int* partitions, int runCount, float* yRe, float* yIm)
    {
        const int V = 8;
        for (var u = 0; u < T; u += 2 * V)
        {
            var rA0 = Vector256<float>.Zero;
            var rB0 = Vector256<float>.Zero;
            var iA0 = Vector256<float>.Zero;
            var iB0 = Vector256<float>.Zero;
            var rA1 = Vector256<float>.Zero;
            var rB1 = Vector256<float>.Zero;
            var iA1 = Vector256<float>.Zero;
            var iB1 = Vector256<float>.Zero;
            var hp = h + u;
            for (var r = 0; r < runCount; r++)
            {
                var xBase = fdl.Base + (inputs[r] * fdl.InputStride) + tileBin + u;
                var slot = fdl.Head;
                for (var p = partitions[r]; p > 0; p--)
                {
                    var xr = xBase + (slot * fdl.SlotStride);
                    var xi = xr + fdl.Bins;
                    var xr0 = Vector256.Load(xr);
                    var xr1 = Vector256.Load(xr + V);
                    var xi0 = Vector256.Load(xi);
                    var xi1 = Vector256.Load(xi + V);
                    var hr0 = Vector256.Load(hp);
                    var hr1 = Vector256.Load(hp + V);
                    var hi0 = Vector256.Load(hp + T);
                    var hi1 = Vector256.Load(hp + T + V);
                    rA0 = Vector256.MultiplyAddEstimate(xr0, hr0, rA0);
                    rB0 = Vector256.MultiplyAddEstimate(xi0, hi0, rB0);
                    iA0 = Vector256.MultiplyAddEstimate(xr0, hi0, iA0);
                    iB0 = Vector256.MultiplyAddEstimate(xi0, hr0, iB0);
                    rA1 = Vector256.MultiplyAddEstimate(xr1, hr1, rA1);
                    rB1 = Vector256.MultiplyAddEstimate(xi1, hi1, rB1);
                    iA1 = Vector256.MultiplyAddEstimate(xr1, hi1, iA1);
                    iB1 = Vector256.MultiplyAddEstimate(xi1, hr1, iB1);
                    hp += 2 * T;
                    slot = slot == 0 ? fdl.SlotCount - 1 : slot - 1;
                }
            }

            var at = tileBin + u;
            (rA0 - rB0).Store(yRe + at);
            (rA1 - rB1).Store(yRe + at + V);
            (iA0 + iB0).Store(yIm + at);
            (iA1 + iB1).Store(yIm + at + V);
            if (at == 0)
            {
                yRe[0] = rA0.ToScalar();
                yIm[0] = rB0.ToScalar();
            }
        }
    }

    public static void Tile128(in DelayLineView fdl, int tileBin, float* h, int* inputs, int* partitions, int runCount, float* yRe, float* yIm)
    {
        const int V = 4;
        for (var u = 0; u < T; u += 2 * V)
        {
            var rA0 = Vector128<float>.Zero;
            var rB0 = Vector128<float>.Zero;
            var iA0 = Vector128<float>.Zero;
            var iB0 = Vector128<float>.Zero;
            var rA1 = Vector128<float>.Zero;
            var rB1 = Vector128<float>.Zero;
            var iA1 = Vector128<float>.Zero;
            var iB1 = Vector128<float>.Zero;
            var hp = h + u;
            for (var r = 0; r < runCount; r++)
            {
                var xBase = fdl.Base + (inputs[r] * fdl.InputStride) + tileBin + u;
                var slot = fdl.Head;
                for (var p = partitions[r]; p > 0; p--)
                {
                    var xr = xBase + (slot * fdl.SlotStride);
                    var xi = xr + fdl.Bins;
                    var xr0 = Vector128.Load(xr);
                    var xr1 = Vector128.Load(xr + V);
                    var xi0 = Vector128.Load(xi);
                    var xi1 = Vector128.Load(xi + V);
                    var hr0 = Vector128.Load(hp);
                    var hr1 = Vector128.Load(hp + V);
                    var hi0 = Vector128.Load(hp + T);
                    var hi1 = Vector128.Load(hp + T + V);
                    rA0 = Vector128.MultiplyAddEstimate(xr0, hr0, rA0);
                    rB0 = Vector128.MultiplyAddEstimate(xi0, hi0, rB0);
                    iA0 = Vector128.MultiplyAddEstimate(xr0, hi0, iA0);
                    iB0 = Vector128.MultiplyAddEstimate(xi0, hr0, iB0);
                    rA1 = Vector128.MultiplyAddEstimate(xr1, hr1, rA1);
                    rB1 = Vector128.MultiplyAddEstimate(xi1, hi1, rB1);
                    iA1 = Vector128.MultiplyAddEstimate(xr1, hi1, iA1);
                    iB1 = Vector128.MultiplyAddEstimate(xi1, hr1, iB1);
                    hp += 2 * T;
                    slot = slot == 0 ? fdl.SlotCount - 1 : slot - 1;
                }
            }

            var at = tileBin + u;
            (rA0 - rB0).Store(yRe + at);
            (rA1 - rB1).Store(yRe + at + V);
            (iA0 + iB0).Store(yIm + at);
            (iA1 + iB1).Store(yIm + at + V);
            if (at == 0)
            {
                yRe[0] = rA0.ToScalar();
                yIm[0] = rB0.ToScalar();
            }
        }
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
