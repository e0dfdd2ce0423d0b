namespace Mfr.IO;

/// <summary>
/// Scalar specification of <see cref="ElementConversion"/>: each element converted by the .NET
/// runtime's own conversion (round to nearest even where the value is not exact).
/// </summary>
internal static class ElementConversionReference
{
    /// <summary>binary16 bit patterns to float32 via <see cref="Half"/>.</summary>
    public static void HalfToSingle(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        for (int i = 0; i < source.Length; i++) destination[i] = (float)BitConverter.UInt16BitsToHalf(source[i]);
    }

    /// <summary>bfloat16 bit patterns to float32: the pattern becomes the upper 16 bits.</summary>
    public static void BFloat16ToSingle(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        for (int i = 0; i < source.Length; i++) destination[i] = BitConverter.UInt32BitsToSingle((uint)source[i] << 16);
    }

    /// <summary>float64 to float32, round to nearest.</summary>
    public static void DoubleToSingle(ReadOnlySpan<double> source, Span<float> destination)
    {
        for (int i = 0; i < source.Length; i++) destination[i] = (float)source[i];
    }

    /// <summary>int32 to float32, round to nearest.</summary>
    public static void Int32ToSingle(ReadOnlySpan<int> source, Span<float> destination)
    {
        for (int i = 0; i < source.Length; i++) destination[i] = source[i];
    }

    /// <summary>int64 to float32, round to nearest.</summary>
    public static void Int64ToSingle(ReadOnlySpan<long> source, Span<float> destination)
    {
        for (int i = 0; i < source.Length; i++) destination[i] = source[i];
    }

    /// <summary>Index of the first NaN or infinity, or -1.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i])) return i;
        }
        return -1;
    }
}
