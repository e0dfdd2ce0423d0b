using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mfr.Numerics;

/// <summary>
/// Portable micro-kernel (Vector256 of shorts; correct on every machine, a fallback where neither AVX2 nor VNNI
/// exists): 4 rows x 16 latents. Bytes widen to shorts, products (at most 255 x 127 = 32385) fit a short, and each
/// int32 lane adds its two shorts with shifts, so a lane accumulates one half of a latent's 4-byte group (two lanes
/// per latent, added once at the store). Exact like the others.
/// </summary>
internal readonly unsafe struct Int8MicroKernelPortable : IInt8MicroKernel
{
    public static int RowTile => 4;

    public static int LatentTile => 16;

    public static int InputLevels => 127;

    public static string? UnsupportedReason => null;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(byte* inputs, nint inputStride, int* weights, nint sliverStride, int groups, int* products, nint productStride, bool add)
    {
        // acc[r, c]: row r, chunk c of 4 latents; lane 2i + h holds bytes 2h, 2h + 1 of latent 4c + i.
        var acc = stackalloc Vector256<int>[16];
        for (int i = 0; i < 16; i++) acc[i] = Vector256<int>.Zero;
        for (int g = 0; g < groups; g++)
        {
            var (w0, w1) = Vector256.Widen(Vector256.Load((sbyte*)(weights + g * 16)));
            var (w2, w3) = Vector256.Widen(Vector256.Load((sbyte*)(weights + g * 16 + 8)));
            for (int r = 0; r < 4; r++)
            {
                var x = Vector256.Widen(Vector256.Create(*(int*)(inputs + r * inputStride + 4 * g)).AsByte()).Lower.AsInt16();
                acc[4 * r] += PairSums(x * w0);
                acc[4 * r + 1] += PairSums(x * w1);
                acc[4 * r + 2] += PairSums(x * w2);
                acc[4 * r + 3] += PairSums(x * w3);
            }
        }
        for (int r = 0; r < 4; r++)
        {
            int* row = products + r * productStride;
            for (int c = 0; c < 4; c++)
            {
                var lanes = acc[4 * r + c];
                for (int i = 0; i < 4; i++)
                {
                    int sum = lanes.GetElement(2 * i) + lanes.GetElement(2 * i + 1);
                    row[4 * c + i] = add ? row[4 * c + i] + sum : sum;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> PairSums(Vector256<short> products)
    {
        var lanes = products.AsInt32();
        return Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(lanes, 16), 16) + Vector256.ShiftRightArithmetic(lanes, 16);
    }
}
