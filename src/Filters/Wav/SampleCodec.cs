using System.Buffers.Binary;
using System.Runtime.InteropServices;
using SpatialAudio.Filters.Audio;

namespace SpatialAudio.Filters.Wav;

/// <summary>Little-endian sample bytes to and from float, one encoding at a time.</summary>
/// <remarks>
/// PCM to float divides by 2^(bits-1) (exact for 8, 16 and 24 bits). Float to PCM multiplies by 2^(bits-1),
/// optionally adds TPDF dither of +-1 LSB, rounds half to even and clips to the integer range; NaN becomes 0.
/// Both clipped values and NaNs are counted. Scaling by a power of two is exact in float, so the integer grid
/// round-trips bit-exactly.
/// </remarks>
internal static class SampleCodec
{
    public static void Decode(WavEncoding encoding, ReadOnlySpan<byte> source, Span<float> destination)
    {
        switch (encoding)
        {
            case WavEncoding.Pcm8:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (source[i] - 128) * (1f / 128f);
                }

                break;
            case WavEncoding.Pcm16:
                if (BitConverter.IsLittleEndian)
                {
                    var samples = MemoryMarshal.Cast<byte, short>(source)[..destination.Length];
                    for (var i = 0; i < samples.Length; i++)
                    {
                        destination[i] = samples[i] * (1f / 32768f);
                    }
                }
                else
                {
                    for (var i = 0; i < destination.Length; i++)
                    {
                        destination[i] = BinaryPrimitives.ReadInt16LittleEndian(source[(2 * i)..]) * (1f / 32768f);
                    }
                }

                break;
            case WavEncoding.Pcm24:
                source = source[..(3 * destination.Length)];
                for (int i = 0, j = 0; i < destination.Length; i++, j += 3)
                {
                    var value = source[j] | (source[j + 1] << 8) | ((sbyte)source[j + 2] << 16);
                    destination[i] = value * (1f / 8388608f);
                }

                break;
            case WavEncoding.Pcm32:
                if (BitConverter.IsLittleEndian)
                {
                    var samples = MemoryMarshal.Cast<byte, int>(source)[..destination.Length];
                    for (var i = 0; i < samples.Length; i++)
                    {
                        destination[i] = samples[i] * (1f / 2147483648f);
                    }
                }
                else
                {
                    for (var i = 0; i < destination.Length; i++)
                    {
                        destination[i] = BinaryPrimitives.ReadInt32LittleEndian(source[(4 * i)..]) * (1f / 2147483648f);
                    }
                }

                break;
            case WavEncoding.IeeeFloat32:
                if (BitConverter.IsLittleEndian)
                {
                    MemoryMarshal.Cast<byte, float>(source)[..destination.Length].CopyTo(destination);
                }
                else
                {
                    for (var i = 0; i < destination.Length; i++)
                    {
                        destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(4 * i)..]);
                    }
                }

                break;
            default:
                if (BitConverter.IsLittleEndian)
                {
                    var samples = MemoryMarshal.Cast<byte, double>(source)[..destination.Length];
                    for (var i = 0; i < samples.Length; i++)
                    {
                        destination[i] = (float)samples[i];
                    }
                }
                else
                {
                    for (var i = 0; i < destination.Length; i++)
                    {
                        destination[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(source[(8 * i)..]);
                    }
                }

                break;
        }
    }

    /// <summary>Encodes <paramref name="source"/>; returns how many samples were clipped or NaN.</summary>
    /// <param name="encoding">Target encoding.</param>
    /// <param name="source">Float samples.</param>
    /// <param name="destination">At least <c>source.Length * bytesPerSample</c> bytes.</param>
    /// <param name="dither">Random state for TPDF dither (advanced only when <paramref name="useDither"/>).</param>
    /// <param name="useDither">Add TPDF dither before rounding (PCM encodings only).</param>
    public static long Encode(WavEncoding encoding, ReadOnlySpan<float> source, Span<byte> destination, ref SampleRandom dither, bool useDither)
    {
        switch (encoding)
        {
            case WavEncoding.IeeeFloat32:
                if (BitConverter.IsLittleEndian)
                {
                    source.CopyTo(MemoryMarshal.Cast<byte, float>(destination));
                }
                else
                {
                    for (var i = 0; i < source.Length; i++)
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(destination[(4 * i)..], source[i]);
                    }
                }

                return 0;
            case WavEncoding.IeeeFloat64:
                for (var i = 0; i < source.Length; i++)
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(destination[(8 * i)..], source[i]);
                }

                return 0;
            default:
                return EncodePcm(encoding, source, destination, ref dither, useDither);
        }
    }

    private static long EncodePcm(WavEncoding encoding, ReadOnlySpan<float> source, Span<byte> destination, ref SampleRandom dither, bool useDither)
    {
        var bits = encoding.BitsPerSample();
        var scale = MathF.ScaleB(1f, bits - 1);

        // Compared in float: max is 2^(bits-1) - 1, which float cannot hold at 32 bits, so test against the
        // exclusive bound 2^(bits-1) instead and store the integer limit.
        var max = (1L << (bits - 1)) - 1;
        var min = -(1L << (bits - 1));
        var clipped = 0L;
        for (var i = 0; i < source.Length; i++)
        {
            var scaled = source[i] * scale;
            if (useDither)
            {
                scaled += dither.NextSingle() - dither.NextSingle();
            }

            var rounded = MathF.Round(scaled);
            long value;
            if (rounded >= scale)
            {
                value = max;
                clipped++;
            }
            else if (rounded < -scale)
            {
                value = min;
                clipped++;
            }
            else if (float.IsNaN(rounded))
            {
                value = 0;
                clipped++;
            }
            else
            {
                value = (long)rounded;
            }

            switch (bits)
            {
                case 8:
                    destination[i] = (byte)(value + 128);
                    break;
                case 16:
                    BinaryPrimitives.WriteInt16LittleEndian(destination[(2 * i)..], (short)value);
                    break;
                case 24:
                    destination[3 * i] = (byte)value;
                    destination[(3 * i) + 1] = (byte)(value >> 8);
                    destination[(3 * i) + 2] = (byte)(value >> 16);
                    break;
                default:
                    BinaryPrimitives.WriteInt32LittleEndian(destination[(4 * i)..], (int)value);
                    break;
            }
        }

        return clipped;
    }
}
