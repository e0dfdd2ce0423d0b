using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mfr.Numerics;

/// <summary>
/// Horizontal minimum and maximum of a Vector512 for the AVX-512 TopK paths (<see cref="TopKAvx512"/>,
/// <see cref="TopKAvx512Bracketed"/>): 128-bit lanes swapped twice, then elements within a lane twice, so every
/// element ends up holding the extreme. The Vector256 twins are in <see cref="Vector256Packing"/>.
/// </summary>
internal static class Vector512Reductions
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int HorizontalMax(Vector512<int> value)
    {
        value = Vector512.Max(value, Avx512F.Shuffle4x128(value, value, 0b_01_00_11_10));
        value = Vector512.Max(value, Avx512F.Shuffle4x128(value, value, 0b_10_11_00_01));
        value = Vector512.Max(value, Avx512F.Shuffle(value, 0b_01_00_11_10));
        value = Vector512.Max(value, Avx512F.Shuffle(value, 0b_10_11_00_01));
        return value.ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int HorizontalMin(Vector512<int> value)
    {
        value = Vector512.Min(value, Avx512F.Shuffle4x128(value, value, 0b_01_00_11_10));
        value = Vector512.Min(value, Avx512F.Shuffle4x128(value, value, 0b_10_11_00_01));
        value = Vector512.Min(value, Avx512F.Shuffle(value, 0b_01_00_11_10));
        value = Vector512.Min(value, Avx512F.Shuffle(value, 0b_10_11_00_01));
        return value.ToScalar();
    }

    /// <summary>Through vmaxps, which returns its second operand when either is NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HorizontalMax(Vector512<float> value)
    {
        value = Avx512F.Max(value, Avx512F.Shuffle4x128(value, value, 0b_01_00_11_10));
        value = Avx512F.Max(value, Avx512F.Shuffle4x128(value, value, 0b_10_11_00_01));
        value = Avx512F.Max(value, Avx512F.Shuffle(value, value, 0b_01_00_11_10));
        value = Avx512F.Max(value, Avx512F.Shuffle(value, value, 0b_10_11_00_01));
        return value.ToScalar();
    }

    /// <summary>Uses vminps (second operand when either is NaN), like <see cref="HorizontalMax(Vector512{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HorizontalMin(Vector512<float> value)
    {
        value = Avx512F.Min(value, Avx512F.Shuffle4x128(value, value, 0b_01_00_11_10));
        value = Avx512F.Min(value, Avx512F.Shuffle4x128(value, value, 0b_10_11_00_01));
        value = Avx512F.Min(value, Avx512F.Shuffle(value, value, 0b_01_00_11_10));
        value = Avx512F.Min(value, Avx512F.Shuffle(value, value, 0b_10_11_00_01));
        return value.ToScalar();
    }
}
