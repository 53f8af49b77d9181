namespace SpatialAudio.Filters.Convolution;

/// <summary>
/// A zeroed float buffer on the pinned object heap whose first element sits on a 64-byte boundary, so 512-bit
/// loads never straddle cache lines and kernels can hold a raw pointer without pinning per call.
/// </summary>
internal sealed unsafe class AlignedFloats
{
    private const int AlignmentBytes = 64;

    // Kept as a field: the array must stay reachable for the pointer to stay valid (the POH never moves it).
    private readonly float[] storage;

    public AlignedFloats(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        storage = GC.AllocateArray<float>(length + (AlignmentBytes / sizeof(float)), pinned: true);
        fixed (float* start = storage)
        {
            var misalignment = (int)((nuint)start % AlignmentBytes);
            var offset = misalignment == 0 ? 0 : (AlignmentBytes - misalignment) / sizeof(float);
            Pointer = start + offset;
            Offset = offset;
        }

        Length = length;
    }

    public float* Pointer { get; }

    public int Length { get; }

    private int Offset { get; }

    public Span<float> Span => storage.AsSpan(Offset, Length);

    public Span<float> Slice(int start, int length) => storage.AsSpan(Offset + start, length);
}
