using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mfr.Numerics;

/// <summary>
/// AVX2 micro-kernel (vpmaddubsw + vpmaddwd + vpaddd on 256-bit vectors), for machines with neither AVX-VNNI nor
/// AVX-512: 4 rows x 16 latents in 8 ymm accumulators. Inputs are 7-bit (levels 63) as for <see cref="Int8MicroKernelAvx512Bw"/>.
/// </summary>
internal readonly unsafe struct Int8MicroKernelAvx2 : IInt8MicroKernel
{
    public static int RowTile => 4;

    public static int LatentTile => 16;

    public static int InputLevels => 63;

    public static string? UnsupportedReason => KernelVariant.MissingSupport(KernelLevel.Avx2);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(byte* inputs, nint inputStride, int* weights, nint sliverStride, int groups, int* products, nint productStride, bool add)
    {
        Vector256<int> c0_0 = default, c0_1 = default, c1_0 = default, c1_1 = default, c2_0 = default, c2_1 = default, c3_0 = default, c3_1 = default;
        var ones = Vector256.Create((short)1);
        for (int g = 0; g < groups; g++)
        {
            var w0 = Vector256.Load(weights + g * 16 + 0).AsSByte();
            var w1 = Vector256.Load(weights + g * 16 + 8).AsSByte();
            var x0 = Vector256.Create(*(int*)(inputs + 0 * inputStride + 4 * g)).AsByte();
            c0_0 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(x0, w0), ones);
            c0_1 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(x0, w1), ones);
            var x1 = Vector256.Create(*(int*)(inputs + 1 * inputStride + 4 * g)).AsByte();
            c1_0 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(x1, w0), ones);
            c1_1 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(x1, w1), ones);
            var x2 = Vector256.Create(*(int*)(inputs + 2 * inputStride + 4 * g)).AsByte();
            c2_0 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(x2, w0), ones);
            c2_1 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(x2, w1), ones);
            var x3 = Vector256.Create(*(int*)(inputs + 3 * inputStride + 4 * g)).AsByte();
            c3_0 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(x3, w0), ones);
            c3_1 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(x3, w1), ones);
        }
        if (add)
        {
            Vector256.Store(Vector256.Load(products + 0 * productStride + 0) + c0_0, products + 0 * productStride + 0);
            Vector256.Store(Vector256.Load(products + 0 * productStride + 8) + c0_1, products + 0 * productStride + 8);
            Vector256.Store(Vector256.Load(products + 1 * productStride + 0) + c1_0, products + 1 * productStride + 0);
            Vector256.Store(Vector256.Load(products + 1 * productStride + 8) + c1_1, products + 1 * productStride + 8);
            Vector256.Store(Vector256.Load(products + 2 * productStride + 0) + c2_0, products + 2 * productStride + 0);
            Vector256.Store(Vector256.Load(products + 2 * productStride + 8) + c2_1, products + 2 * productStride + 8);
            Vector256.Store(Vector256.Load(products + 3 * productStride + 0) + c3_0, products + 3 * productStride + 0);
            Vector256.Store(Vector256.Load(products + 3 * productStride + 8) + c3_1, products + 3 * productStride + 8);
        }
        else
        {
            Vector256.Store(c0_0, products + 0 * productStride + 0);
            Vector256.Store(c0_1, products + 0 * productStride + 8);
            Vector256.Store(c1_0, products + 1 * productStride + 0);
            Vector256.Store(c1_1, products + 1 * productStride + 8);
            Vector256.Store(c2_0, products + 2 * productStride + 0);
            Vector256.Store(c2_1, products + 2 * productStride + 8);
            Vector256.Store(c3_0, products + 3 * productStride + 0);
            Vector256.Store(c3_1, products + 3 * productStride + 8);
        }
    }
}
