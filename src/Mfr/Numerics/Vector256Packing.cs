using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mfr.Numerics;

/// <summary>
/// Lane packing and reductions for the Vector256 TopK (<see cref="TopKPortable"/>,
/// <see cref="TopKKthKey"/>): AVX2 has no compress instruction (vpcompressd), so the lanes chosen by
/// an 8-bit compare mask are moved to the front by a permutation (vpermd) looked up from the mask;
/// storing the whole vector at the running count then appends them.
/// </summary>
internal static unsafe class Vector256Packing
{
    private const int Lanes = 8;

    /// <summary>
    /// For each 8-bit lane mask, the indices of its set lanes, lowest first, one byte each (the
    /// vpermd order that packs those lanes to the front); bytes past the set lanes are 0. 2 KB,
    /// allocated once for the process and never freed.
    /// </summary>
    private static readonly ulong* PackOrders = BuildPackOrders();

    /// <summary>Mask of the lanes of a vector that hold data when <paramref name="remaining"/> elements are left (all 8 when at least 8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint LaneBits(int remaining) => (1u << Math.Clamp(remaining, 0, Lanes)) - 1;

    /// <summary>The permutation that moves the lanes set in <paramref name="take"/> to the front, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> PackOrder(uint take)
    {
        if (Avx2.IsSupported) return Avx2.ConvertToVector256Int32((byte*)(PackOrders + take));
        var bytes = Vector128.CreateScalar(PackOrders[take]).AsByte().ToVector256();
        return Vector256.WidenLower(Vector256.WidenLower(bytes)).AsInt32();
    }

    /// <summary><paramref name="value"/> permuted by <paramref name="order"/> (see <see cref="PackOrder"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Pack(Vector256<int> value, Vector256<int> order)
        => Avx2.IsSupported ? Avx2.PermuteVar8x32(value, order) : Vector256.Shuffle(value, order);

    public static ulong* BuildPackOrders()
    {
        var table = (ulong*)NativeMemory.AlignedAlloc(256 * sizeof(ulong), 64);
        for (uint mask = 0; mask < 256; mask++)
        {
            ulong order = 0;
            int slot = 0;
            for (int lane = 0; lane < Lanes; lane++)
            {
                if ((mask & (1u << lane)) != 0) order |= (ulong)lane << (8 * slot++);
            }
            table[mask] = order;
        }
        return table;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int HorizontalMax(Vector256<int> value)
    {
        var half = Vector128.Max(value.GetLower(), value.GetUpper());
        half = Vector128.Max(half, Vector128.Shuffle(half, Vector128.Create(2, 3, 0, 1)));
        half = Vector128.Max(half, Vector128.Shuffle(half, Vector128.Create(1, 0, 3, 2)));
        return half.ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int HorizontalMin(Vector256<int> value)
    {
        var half = Vector128.Min(value.GetLower(), value.GetUpper());
        half = Vector128.Min(half, Vector128.Shuffle(half, Vector128.Create(2, 3, 0, 1)));
        half = Vector128.Min(half, Vector128.Shuffle(half, Vector128.Create(1, 0, 3, 2)));
        return half.ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HorizontalMin(Vector256<float> value)
    {
        // No NaN here, so the native minimum is exact (up to the sign of zero, which keys ignore).
        var half = Vector128.MinNative(value.GetLower(), value.GetUpper());
        half = Vector128.MinNative(half, Vector128.Shuffle(half, Vector128.Create(2, 3, 0, 1)));
        half = Vector128.MinNative(half, Vector128.Shuffle(half, Vector128.Create(1, 0, 3, 2)));
        return half.ToScalar();
    }
}
