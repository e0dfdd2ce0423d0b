using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mfr.Numerics;

/// <summary>
/// AVX-512BW micro-kernel (vpmaddubsw + vpmaddwd + vpaddd on 512-bit vectors; every AVX-512 CPU, e.g. Zen 4 whose
/// 512-bit VNNI .NET 10 cannot reach): 8 rows x 32 latents in 16 zmm accumulators, 64 multiply-adds per 3
/// instructions. Inputs are 7-bit (levels 63, offset 64) so vpmaddubsw's saturating 16-bit pair sums stay exact.
/// </summary>
internal readonly unsafe struct Int8MicroKernelAvx512Bw : IInt8MicroKernel
{
    public static int RowTile => 8;

    public static int LatentTile => 32;

    public static int InputLevels => 63;

    public static string? UnsupportedReason => KernelVariant.MissingSupport(KernelLevel.Avx512) ?? (Avx512BW.IsSupported ? null : "this CPU offers no AVX-512BW");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(byte* inputs, nint inputStride, int* weights, nint sliverStride, int groups, int* products, nint productStride, bool add)
    {
        Vector512<int> c0_0 = default, c0_1 = default, c1_0 = default, c1_1 = default, c2_0 = default, c2_1 = default, c3_0 = default, c3_1 = default, c4_0 = default, c4_1 = default, c5_0 = default, c5_1 = default, c6_0 = default, c6_1 = default, c7_0 = default, c7_1 = default;
        var ones = Vector512.Create((short)1);
        for (int g = 0; g < groups; g++)
        {
            var w0 = Vector512.Load(weights + 0 * sliverStride + g * 16).AsSByte();
            var w1 = Vector512.Load(weights + 1 * sliverStride + g * 16).AsSByte();
            var x0 = Vector512.Create(*(int*)(inputs + 0 * inputStride + 4 * g)).AsByte();
            c0_0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(x0, w0), ones);
            c0_1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(x0, w1), ones);
            var x1 = Vector512.Create(*(int*)(inputs + 1 * inputStride + 4 * g)).AsByte();
            c1_0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(x1, w0), ones);
            c1_1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(x1, w1), ones);
            var x2 = Vector512.Create(*(int*)(inputs + 2 * inputStride + 4 * g)).AsByte();
            c2_0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(x2, w0), ones);
            c2_1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(x2, w1), ones);
            var x3 = Vector512.Create(*(int*)(inputs + 3 * inputStride + 4 * g)).AsByte();
            c3_0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(x3, w0), ones);
            c3_1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(x3, w1), ones);
            var x4 = Vector512.Create(*(int*)(inputs + 4 * inputStride + 4 * g)).AsByte();
            c4_0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(x4, w0), ones);
            c4_1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(x4, w1), ones);
            var x5 = Vector512.Create(*(int*)(inputs + 5 * inputStride + 4 * g)).AsByte();
            c5_0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(x5, w0), ones);
            c5_1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(x5, w1), ones);
            var x6 = Vector512.Create(*(int*)(inputs + 6 * inputStride + 4 * g)).AsByte();
            c6_0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(x6, w0), ones);
            c6_1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(x6, w1), ones);
            var x7 = Vector512.Create(*(int*)(inputs + 7 * inputStride + 4 * g)).AsByte();
            c7_0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(x7, w0), ones);
            c7_1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(x7, w1), ones);
        }
        if (add)
        {
            Vector512.Store(Vector512.Load(products + 0 * productStride + 0) + c0_0, products + 0 * productStride + 0);
            Vector512.Store(Vector512.Load(products + 0 * productStride + 16) + c0_1, products + 0 * productStride + 16);
            Vector512.Store(Vector512.Load(products + 1 * productStride + 0) + c1_0, products + 1 * productStride + 0);
            Vector512.Store(Vector512.Load(products + 1 * productStride + 16) + c1_1, products + 1 * productStride + 16);
            Vector512.Store(Vector512.Load(products + 2 * productStride + 0) + c2_0, products + 2 * productStride + 0);
            Vector512.Store(Vector512.Load(products + 2 * productStride + 16) + c2_1, products + 2 * productStride + 16);
            Vector512.Store(Vector512.Load(products + 3 * productStride + 0) + c3_0, products + 3 * productStride + 0);
            Vector512.Store(Vector512.Load(products + 3 * productStride + 16) + c3_1, products + 3 * productStride + 16);
            Vector512.Store(Vector512.Load(products + 4 * productStride + 0) + c4_0, products + 4 * productStride + 0);
            Vector512.Store(Vector512.Load(products + 4 * productStride + 16) + c4_1, products + 4 * productStride + 16);
            Vector512.Store(Vector512.Load(products + 5 * productStride + 0) + c5_0, products + 5 * productStride + 0);
            Vector512.Store(Vector512.Load(products + 5 * productStride + 16) + c5_1, products + 5 * productStride + 16);
            Vector512.Store(Vector512.Load(products + 6 * productStride + 0) + c6_0, products + 6 * productStride + 0);
            Vector512.Store(Vector512.Load(products + 6 * productStride + 16) + c6_1, products + 6 * productStride + 16);
            Vector512.Store(Vector512.Load(products + 7 * productStride + 0) + c7_0, products + 7 * productStride + 0);
            Vector512.Store(Vector512.Load(products + 7 * productStride + 16) + c7_1, products + 7 * productStride + 16);
        }
        else
        {
            Vector512.Store(c0_0, products + 0 * productStride + 0);
            Vector512.Store(c0_1, products + 0 * productStride + 16);
            Vector512.Store(c1_0, products + 1 * productStride + 0);
            Vector512.Store(c1_1, products + 1 * productStride + 16);
            Vector512.Store(c2_0, products + 2 * productStride + 0);
            Vector512.Store(c2_1, products + 2 * productStride + 16);
            Vector512.Store(c3_0, products + 3 * productStride + 0);
            Vector512.Store(c3_1, products + 3 * productStride + 16);
            Vector512.Store(c4_0, products + 4 * productStride + 0);
            Vector512.Store(c4_1, products + 4 * productStride + 16);
            Vector512.Store(c5_0, products + 5 * productStride + 0);
            Vector512.Store(c5_1, products + 5 * productStride + 16);
            Vector512.Store(c6_0, products + 6 * productStride + 0);
            Vector512.Store(c6_1, products + 6 * productStride + 16);
            Vector512.Store(c7_0, products + 7 * productStride + 0);
            Vector512.Store(c7_1, products + 7 * productStride + 16);
        }
    }
}
