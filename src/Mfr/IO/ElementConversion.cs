using System.Numerics;
using System.Runtime.InteropServices;

namespace Mfr.IO;

/// <summary>
/// Converts raw little-endian tensor elements to float32, and finds non-finite values. The 16-bit
/// conversions are width-generic <see cref="Vector{T}"/> kernels with a scalar tail (STYLE.md 3);
/// <see cref="ElementConversionReference"/> holds the scalar specification they are tested against.
/// </summary>
internal static class ElementConversion
{
    /// <summary>Converts <c>destination.Length</c> elements of <paramref name="type"/> to float32.</summary>
    /// <param name="source">Raw bytes, <c>[destination.Length * SizeOf(type)]</c>; need not be aligned.</param>
    /// <param name="type">Element type of <paramref name="source"/>.</param>
    /// <param name="destination">Output, <c>[elementCount]</c>.</param>
    public static void ToSingle(ReadOnlySpan<byte> source, TensorDType type, Span<float> destination)
    {
        if (source.Length != (long)destination.Length * DTypes.SizeOf(type))
            throw new ArgumentException($"Source has {source.Length} bytes, expected {destination.Length} elements of {type}.", nameof(source));
        switch (type)
        {
            case TensorDType.F32:
                source.CopyTo(MemoryMarshal.AsBytes(destination));
                break;
            case TensorDType.F16:
                HalfToSingle(MemoryMarshal.Cast<byte, ushort>(source), destination);
                break;
            case TensorDType.BF16:
                BFloat16ToSingle(MemoryMarshal.Cast<byte, ushort>(source), destination);
                break;
            case TensorDType.F64:
                ElementConversionReference.DoubleToSingle(MemoryMarshal.Cast<byte, double>(source), destination);
                break;
            case TensorDType.I32:
                ElementConversionReference.Int32ToSingle(MemoryMarshal.Cast<byte, int>(source), destination);
                break;
            case TensorDType.I64:
                ElementConversionReference.Int64ToSingle(MemoryMarshal.Cast<byte, long>(source), destination);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown element type.");
        }
    }

    /// <summary>
    /// IEEE binary16 bit patterns to float32, exactly (every half is a float). Bit manipulation after
    /// F. Giesen's "half_to_float_fast" (public domain): shift exponent and mantissa into place and
    /// rebias the exponent; Inf/NaN get the exponent all ones; zeros and subnormals are renormalised
    /// by subtracting 2^-14 in float arithmetic, which is exact.
    /// </summary>
    /// <param name="source">Half bit patterns, <c>[n]</c>.</param>
    /// <param name="destination">Output, <c>[n]</c>.</param>
    public static void HalfToSingle(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        if (source.Length != destination.Length)
            throw new ArgumentException($"Source has {source.Length} elements, destination {destination.Length}.", nameof(destination));
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int step = Vector<ushort>.Count;
            Span<uint> output = MemoryMarshal.Cast<float, uint>(destination);
            for (; i <= source.Length - step; i += step)
            {
                var halves = new Vector<ushort>(source.Slice(i));
                Vector.Widen(halves, out Vector<uint> low, out Vector<uint> high);
                HalfBitsToSingleBits(low).CopyTo(output.Slice(i));
                HalfBitsToSingleBits(high).CopyTo(output.Slice(i + Vector<uint>.Count));
            }
        }
        ElementConversionReference.HalfToSingle(source.Slice(i), destination.Slice(i));
    }

    private static Vector<uint> HalfBitsToSingleBits(Vector<uint> half)
    {
        var shiftedExponentMask = new Vector<uint>(0x7C00u << 13);
        Vector<uint> bits = (half & new Vector<uint>(0x7FFF)) << 13;
        Vector<uint> exponent = bits & shiftedExponentMask;
        bits += new Vector<uint>((127 - 15) << 23);
        Vector<uint> isInfinityOrNaN = Vector.Equals(exponent, shiftedExponentMask);
        bits += isInfinityOrNaN & new Vector<uint>((128 - 16) << 23);
        Vector<uint> isZeroOrSubnormal = Vector.Equals(exponent, Vector<uint>.Zero);
        // For exponent 0 the value is mantissa * 2^-24: build 2^-14 * (1 + mantissa/1024) and subtract 2^-14.
        Vector<float> renormalised = Vector.AsVectorSingle(bits + new Vector<uint>(1u << 23)) - new Vector<float>(1.0f / 16384);
        bits = Vector.ConditionalSelect(isZeroOrSubnormal, Vector.AsVectorUInt32(renormalised), bits);
        return bits | ((half & new Vector<uint>(0x8000)) << 16);
    }

    /// <summary>bfloat16 bit patterns to float32, exactly: a bfloat16 is the upper half of a float32.</summary>
    /// <param name="source">bfloat16 bit patterns, <c>[n]</c>.</param>
    /// <param name="destination">Output, <c>[n]</c>.</param>
    public static void BFloat16ToSingle(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        if (source.Length != destination.Length)
            throw new ArgumentException($"Source has {source.Length} elements, destination {destination.Length}.", nameof(destination));
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int step = Vector<ushort>.Count;
            Span<uint> output = MemoryMarshal.Cast<float, uint>(destination);
            for (; i <= source.Length - step; i += step)
            {
                Vector.Widen(new Vector<ushort>(source.Slice(i)), out Vector<uint> low, out Vector<uint> high);
                (low << 16).CopyTo(output.Slice(i));
                (high << 16).CopyTo(output.Slice(i + Vector<uint>.Count));
            }
        }
        ElementConversionReference.BFloat16ToSingle(source.Slice(i), destination.Slice(i));
    }

    /// <summary>
    /// Index of the first NaN or infinity in <paramref name="values"/>, or -1 when all are finite.
    /// A float is non-finite exactly when its exponent bits are all ones.
    /// </summary>
    /// <param name="values">Values to check, <c>[n]</c>.</param>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ReadOnlySpan<uint> bits = MemoryMarshal.Cast<float, uint>(values);
            var exponentMask = new Vector<uint>(0x7F800000u);
            int step = Vector<uint>.Count;
            for (; i <= bits.Length - step; i += step)
            {
                var block = new Vector<uint>(bits.Slice(i));
                if (Vector.EqualsAny(block & exponentMask, exponentMask))
                {
                    int inBlock = ElementConversionReference.IndexOfNonFinite(values.Slice(i, step));
                    return i + inBlock;
                }
            }
        }
        int tail = ElementConversionReference.IndexOfNonFinite(values.Slice(i));
        return tail < 0 ? -1 : i + tail;
    }
}
