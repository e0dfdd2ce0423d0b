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
    public static int HorizontalMax(Vector512<int> value) => Reduce<int, IntMax>(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int HorizontalMin(Vector512<int> value) => Reduce<int, IntMin>(value);

    /// <summary>Through vmaxps, which returns its second operand when either is NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HorizontalMax(Vector512<float> value) => Reduce<float, FloatMax>(value);

    /// <summary>Uses vminps (second operand when either is NaN), like <see cref="HorizontalMax(Vector512{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HorizontalMin(Vector512<float> value) => Reduce<float, FloatMin>(value);

    /// <summary>
    /// The shuffle tree, one copy for all four: each step combines the vector with a permutation of itself (the value
    /// first, the permutation second, which fixes the float forms' NaN rule). The permutations move 32-bit elements
    /// whatever their type, so the tree works on the int bits and the float forms take the same vshufi32x4 / vpshufd.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Reduce<T, TCombine>(Vector512<T> value)
        where T : struct
        where TCombine : struct, ICombine<T>
    {
        var bits = value.AsInt32();
        bits = TCombine.Combine(bits, Avx512F.Shuffle4x128(bits, bits, 0b_01_00_11_10));
        bits = TCombine.Combine(bits, Avx512F.Shuffle4x128(bits, bits, 0b_10_11_00_01));
        bits = TCombine.Combine(bits, Avx512F.Shuffle(bits, 0b_01_00_11_10));
        bits = TCombine.Combine(bits, Avx512F.Shuffle(bits, 0b_10_11_00_01));
        return bits.As<int, T>().ToScalar();
    }

    private interface ICombine<T> where T : struct
    {
        /// <summary>The combined 32-bit elements, taken and given as int bits whatever <typeparamref name="T"/> is.</summary>
        static abstract Vector512<int> Combine(Vector512<int> value, Vector512<int> permuted);
    }

    private readonly struct IntMax : ICombine<int>
    {
        public static Vector512<int> Combine(Vector512<int> value, Vector512<int> permuted) => Vector512.Max(value, permuted);
    }

    private readonly struct IntMin : ICombine<int>
    {
        public static Vector512<int> Combine(Vector512<int> value, Vector512<int> permuted) => Vector512.Min(value, permuted);
    }

    private readonly struct FloatMax : ICombine<float>
    {
        public static Vector512<int> Combine(Vector512<int> value, Vector512<int> permuted) => Avx512F.Max(value.AsSingle(), permuted.AsSingle()).AsInt32();
    }

    private readonly struct FloatMin : ICombine<float>
    {
        public static Vector512<int> Combine(Vector512<int> value, Vector512<int> permuted) => Avx512F.Min(value.AsSingle(), permuted.AsSingle()).AsInt32();
    }
}
