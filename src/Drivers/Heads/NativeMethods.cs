using System.Runtime.InteropServices;

namespace SpatialAudio.Drivers.Heads;

/// <summary>The few libmysofa (AES69 SOFA reader) entry points we use, against the 1.x ABI (Debian libmysofa1).</summary>
/// <remarks>
/// Layouts follow libmysofa 1.3's <c>mysofa.h</c> on LP64: <c>MYSOFA_ARRAY</c> is { float*, unsigned, 4 bytes padding,
/// attribute* } = 24 bytes; <c>MYSOFA_HRTF</c> is six unsigned dimensions, nine arrays, then two pointers. We only read
/// the struct (and let libmysofa resample it), and copy everything out before <c>mysofa_free</c>, so no native memory
/// outlives a load.
/// </remarks>
internal static unsafe partial class NativeMethods
{
    internal const string LibraryName = "libmysofa.so.1";

    internal const int MysofaOk = 0;

    [StructLayout(LayoutKind.Sequential)]
    internal struct MysofaArray
    {
        internal float* Values;
        internal uint Elements;
        internal nint Attributes;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct MysofaHrtf
    {
        internal uint I;
        internal uint C;
        internal uint R;
        internal uint E;
        internal uint N;
        internal uint M;
        internal MysofaArray ListenerPosition;
        internal MysofaArray ReceiverPosition;
        internal MysofaArray SourcePosition;
        internal MysofaArray EmitterPosition;
        internal MysofaArray ListenerUp;
        internal MysofaArray ListenerView;
        internal MysofaArray DataIR;
        internal MysofaArray DataSamplingRate;
        internal MysofaArray DataDelay;
        internal nint Attributes;
        internal nint Variables;
    }

    [LibraryImport(LibraryName, EntryPoint = "mysofa_load", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial MysofaHrtf* Load(string fileName, out int error);

    [LibraryImport(LibraryName, EntryPoint = "mysofa_check")]
    internal static partial int Check(MysofaHrtf* hrtf);

    [LibraryImport(LibraryName, EntryPoint = "mysofa_tocartesian")]
    internal static partial void ToCartesian(MysofaHrtf* hrtf);

    [LibraryImport(LibraryName, EntryPoint = "mysofa_resample")]
    internal static partial int Resample(MysofaHrtf* hrtf, float sampleRateHz);

    [LibraryImport(LibraryName, EntryPoint = "mysofa_getAttribute", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint GetAttribute(nint attributes, string name);

    [LibraryImport(LibraryName, EntryPoint = "mysofa_free")]
    internal static partial void Free(MysofaHrtf* hrtf);

    /// <summary>Text for libmysofa's error codes (mysofa.h, 1.3).</summary>
    internal static string ErrorText(int code) => code switch
    {
        -1 => "libmysofa internal error (MYSOFA_INTERNAL_ERROR)",
        10000 => "not a valid SOFA/HDF5 file (MYSOFA_INVALID_FORMAT)",
        10001 => "unsupported SOFA format (MYSOFA_UNSUPPORTED_FORMAT)",
        10002 => "out of memory (MYSOFA_NO_MEMORY)",
        10003 => "read error (MYSOFA_READ_ERROR)",
        10004 => "missing or invalid attributes: not a SimpleFreeFieldHRIR set of FIR data (MYSOFA_INVALID_ATTRIBUTES)",
        10005 => "invalid dimensions: needs 2 receivers, 1 emitter, C = 3 (MYSOFA_INVALID_DIMENSIONS)",
        10006 => "invalid dimension list (MYSOFA_INVALID_DIMENSION_LIST)",
        10007 => "invalid coordinate type (MYSOFA_INVALID_COORDINATE_TYPE)",
        10008 => "only emitters with dimensions E,C,I are supported (MYSOFA_ONLY_EMITTER_WITH_ECI_SUPPORTED)",
        10009 => "only delays with dimensions I,R or M,R are supported (MYSOFA_ONLY_DELAYS_WITH_IR_OR_MR_SUPPORTED)",
        10010 => "only a single sampling rate is supported (MYSOFA_ONLY_THE_SAME_SAMPLING_RATE_SUPPORTED)",
        10011 => "only receivers with dimensions R,C,I are supported (MYSOFA_RECEIVERS_WITH_RCI_SUPPORTED)",
        10012 => "only Cartesian receiver positions are supported (MYSOFA_RECEIVERS_WITH_CARTESIAN_SUPPORTED)",
        10013 => "invalid receiver positions (MYSOFA_INVALID_RECEIVER_POSITIONS)",
        10014 => "only source positions with dimensions M,C are supported (MYSOFA_ONLY_SOURCES_WITH_MC_SUPPORTED)",
        _ => $"libmysofa error {code}",
    };
}
