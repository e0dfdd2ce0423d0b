using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mfr.Numerics;

/// <summary>
/// AVX-512 GEMM micro-kernel: a 14 x 32 tile of C in 28 zmm accumulators, two zmm loads of packed B
/// and 14 broadcasts of packed A per step of k (28 FMAs). 14 x 32 leaves 4 of the 32 zmm registers
/// for B and the broadcast; the 12 x 32, 6 x 64 and 8 x 48 shapes measured the same in L1
/// (~240 GFLOP/s on one Zen 5 core), and 32 columns keep a kc = 256 sliver of B at 32 KB, inside L1.
/// </summary>
internal readonly unsafe struct GemmMicroKernelAvx512 : IGemmMicroKernel
{
    public static int RowTile => 14;

    public static int ColumnTile => 32;

    public static bool IsAccelerated => KernelVariant.MissingSupport(KernelLevel.Avx512) is null;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(float* packedA, float* packedB, int kc, float* c, nint rowStride, bool add)
    {
        Vector512<float> c0_0 = default, c0_1 = default, c1_0 = default, c1_1 = default, c2_0 = default, c2_1 = default, c3_0 = default, c3_1 = default, c4_0 = default, c4_1 = default, c5_0 = default, c5_1 = default, c6_0 = default, c6_1 = default, c7_0 = default, c7_1 = default, c8_0 = default, c8_1 = default, c9_0 = default, c9_1 = default, c10_0 = default, c10_1 = default, c11_0 = default, c11_1 = default, c12_0 = default, c12_1 = default, c13_0 = default, c13_1 = default;
        float* a = packedA;
        float* b = packedB;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b + 0);
            var b1 = Vector512.Load(b + 16);
            var x0 = Vector512.Create(a[0]);
            c0_0 = Avx512F.FusedMultiplyAdd(x0, b0, c0_0);
            c0_1 = Avx512F.FusedMultiplyAdd(x0, b1, c0_1);
            var x1 = Vector512.Create(a[1]);
            c1_0 = Avx512F.FusedMultiplyAdd(x1, b0, c1_0);
            c1_1 = Avx512F.FusedMultiplyAdd(x1, b1, c1_1);
            var x2 = Vector512.Create(a[2]);
            c2_0 = Avx512F.FusedMultiplyAdd(x2, b0, c2_0);
            c2_1 = Avx512F.FusedMultiplyAdd(x2, b1, c2_1);
            var x3 = Vector512.Create(a[3]);
            c3_0 = Avx512F.FusedMultiplyAdd(x3, b0, c3_0);
            c3_1 = Avx512F.FusedMultiplyAdd(x3, b1, c3_1);
            var x4 = Vector512.Create(a[4]);
            c4_0 = Avx512F.FusedMultiplyAdd(x4, b0, c4_0);
            c4_1 = Avx512F.FusedMultiplyAdd(x4, b1, c4_1);
            var x5 = Vector512.Create(a[5]);
            c5_0 = Avx512F.FusedMultiplyAdd(x5, b0, c5_0);
            c5_1 = Avx512F.FusedMultiplyAdd(x5, b1, c5_1);
            var x6 = Vector512.Create(a[6]);
            c6_0 = Avx512F.FusedMultiplyAdd(x6, b0, c6_0);
            c6_1 = Avx512F.FusedMultiplyAdd(x6, b1, c6_1);
            var x7 = Vector512.Create(a[7]);
            c7_0 = Avx512F.FusedMultiplyAdd(x7, b0, c7_0);
            c7_1 = Avx512F.FusedMultiplyAdd(x7, b1, c7_1);
            var x8 = Vector512.Create(a[8]);
            c8_0 = Avx512F.FusedMultiplyAdd(x8, b0, c8_0);
            c8_1 = Avx512F.FusedMultiplyAdd(x8, b1, c8_1);
            var x9 = Vector512.Create(a[9]);
            c9_0 = Avx512F.FusedMultiplyAdd(x9, b0, c9_0);
            c9_1 = Avx512F.FusedMultiplyAdd(x9, b1, c9_1);
            var x10 = Vector512.Create(a[10]);
            c10_0 = Avx512F.FusedMultiplyAdd(x10, b0, c10_0);
            c10_1 = Avx512F.FusedMultiplyAdd(x10, b1, c10_1);
            var x11 = Vector512.Create(a[11]);
            c11_0 = Avx512F.FusedMultiplyAdd(x11, b0, c11_0);
            c11_1 = Avx512F.FusedMultiplyAdd(x11, b1, c11_1);
            var x12 = Vector512.Create(a[12]);
            c12_0 = Avx512F.FusedMultiplyAdd(x12, b0, c12_0);
            c12_1 = Avx512F.FusedMultiplyAdd(x12, b1, c12_1);
            var x13 = Vector512.Create(a[13]);
            c13_0 = Avx512F.FusedMultiplyAdd(x13, b0, c13_0);
            c13_1 = Avx512F.FusedMultiplyAdd(x13, b1, c13_1);
            a += 14;
            b += 32;
        }
        if (add)
        {
            Vector512.Store(Vector512.Load(c + 0) + c0_0, c + 0);
            Vector512.Store(Vector512.Load(c + 16) + c0_1, c + 16);
            Vector512.Store(Vector512.Load(c + 1 * rowStride + 0) + c1_0, c + 1 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 1 * rowStride + 16) + c1_1, c + 1 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 2 * rowStride + 0) + c2_0, c + 2 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 2 * rowStride + 16) + c2_1, c + 2 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 3 * rowStride + 0) + c3_0, c + 3 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 3 * rowStride + 16) + c3_1, c + 3 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 4 * rowStride + 0) + c4_0, c + 4 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 4 * rowStride + 16) + c4_1, c + 4 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 5 * rowStride + 0) + c5_0, c + 5 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 5 * rowStride + 16) + c5_1, c + 5 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 6 * rowStride + 0) + c6_0, c + 6 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 6 * rowStride + 16) + c6_1, c + 6 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 7 * rowStride + 0) + c7_0, c + 7 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 7 * rowStride + 16) + c7_1, c + 7 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 8 * rowStride + 0) + c8_0, c + 8 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 8 * rowStride + 16) + c8_1, c + 8 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 9 * rowStride + 0) + c9_0, c + 9 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 9 * rowStride + 16) + c9_1, c + 9 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 10 * rowStride + 0) + c10_0, c + 10 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 10 * rowStride + 16) + c10_1, c + 10 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 11 * rowStride + 0) + c11_0, c + 11 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 11 * rowStride + 16) + c11_1, c + 11 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 12 * rowStride + 0) + c12_0, c + 12 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 12 * rowStride + 16) + c12_1, c + 12 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 13 * rowStride + 0) + c13_0, c + 13 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 13 * rowStride + 16) + c13_1, c + 13 * rowStride + 16);
        }
        else
        {
            Vector512.Store(c0_0, c + 0);
            Vector512.Store(c0_1, c + 16);
            Vector512.Store(c1_0, c + 1 * rowStride + 0);
            Vector512.Store(c1_1, c + 1 * rowStride + 16);
            Vector512.Store(c2_0, c + 2 * rowStride + 0);
            Vector512.Store(c2_1, c + 2 * rowStride + 16);
            Vector512.Store(c3_0, c + 3 * rowStride + 0);
            Vector512.Store(c3_1, c + 3 * rowStride + 16);
            Vector512.Store(c4_0, c + 4 * rowStride + 0);
            Vector512.Store(c4_1, c + 4 * rowStride + 16);
            Vector512.Store(c5_0, c + 5 * rowStride + 0);
            Vector512.Store(c5_1, c + 5 * rowStride + 16);
            Vector512.Store(c6_0, c + 6 * rowStride + 0);
            Vector512.Store(c6_1, c + 6 * rowStride + 16);
            Vector512.Store(c7_0, c + 7 * rowStride + 0);
            Vector512.Store(c7_1, c + 7 * rowStride + 16);
            Vector512.Store(c8_0, c + 8 * rowStride + 0);
            Vector512.Store(c8_1, c + 8 * rowStride + 16);
            Vector512.Store(c9_0, c + 9 * rowStride + 0);
            Vector512.Store(c9_1, c + 9 * rowStride + 16);
            Vector512.Store(c10_0, c + 10 * rowStride + 0);
            Vector512.Store(c10_1, c + 10 * rowStride + 16);
            Vector512.Store(c11_0, c + 11 * rowStride + 0);
            Vector512.Store(c11_1, c + 11 * rowStride + 16);
            Vector512.Store(c12_0, c + 12 * rowStride + 0);
            Vector512.Store(c12_1, c + 12 * rowStride + 16);
            Vector512.Store(c13_0, c + 13 * rowStride + 0);
            Vector512.Store(c13_1, c + 13 * rowStride + 16);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyStrided(float* a, nint aRowStride, float* packedB, int kc, float* c, nint rowStride, bool add)
    {
        Vector512<float> c0_0 = default, c0_1 = default, c1_0 = default, c1_1 = default, c2_0 = default, c2_1 = default, c3_0 = default, c3_1 = default, c4_0 = default, c4_1 = default, c5_0 = default, c5_1 = default, c6_0 = default, c6_1 = default, c7_0 = default, c7_1 = default, c8_0 = default, c8_1 = default, c9_0 = default, c9_1 = default, c10_0 = default, c10_1 = default, c11_0 = default, c11_1 = default, c12_0 = default, c12_1 = default, c13_0 = default, c13_1 = default;
        nint aRowStride2 = aRowStride * 2;
        float* a0 = a, a3 = a + 3 * aRowStride, a6 = a + 6 * aRowStride, a9 = a + 9 * aRowStride, a12 = a + 12 * aRowStride;
        float* b = packedB;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b + 0);
            var b1 = Vector512.Load(b + 16);
            var x0 = Vector512.Create(*a0);
            c0_0 = Avx512F.FusedMultiplyAdd(x0, b0, c0_0);
            c0_1 = Avx512F.FusedMultiplyAdd(x0, b1, c0_1);
            var x1 = Vector512.Create(a0[aRowStride]);
            c1_0 = Avx512F.FusedMultiplyAdd(x1, b0, c1_0);
            c1_1 = Avx512F.FusedMultiplyAdd(x1, b1, c1_1);
            var x2 = Vector512.Create(a0[aRowStride2]);
            c2_0 = Avx512F.FusedMultiplyAdd(x2, b0, c2_0);
            c2_1 = Avx512F.FusedMultiplyAdd(x2, b1, c2_1);
            var x3 = Vector512.Create(*a3);
            c3_0 = Avx512F.FusedMultiplyAdd(x3, b0, c3_0);
            c3_1 = Avx512F.FusedMultiplyAdd(x3, b1, c3_1);
            var x4 = Vector512.Create(a3[aRowStride]);
            c4_0 = Avx512F.FusedMultiplyAdd(x4, b0, c4_0);
            c4_1 = Avx512F.FusedMultiplyAdd(x4, b1, c4_1);
            var x5 = Vector512.Create(a3[aRowStride2]);
            c5_0 = Avx512F.FusedMultiplyAdd(x5, b0, c5_0);
            c5_1 = Avx512F.FusedMultiplyAdd(x5, b1, c5_1);
            var x6 = Vector512.Create(*a6);
            c6_0 = Avx512F.FusedMultiplyAdd(x6, b0, c6_0);
            c6_1 = Avx512F.FusedMultiplyAdd(x6, b1, c6_1);
            var x7 = Vector512.Create(a6[aRowStride]);
            c7_0 = Avx512F.FusedMultiplyAdd(x7, b0, c7_0);
            c7_1 = Avx512F.FusedMultiplyAdd(x7, b1, c7_1);
            var x8 = Vector512.Create(a6[aRowStride2]);
            c8_0 = Avx512F.FusedMultiplyAdd(x8, b0, c8_0);
            c8_1 = Avx512F.FusedMultiplyAdd(x8, b1, c8_1);
            var x9 = Vector512.Create(*a9);
            c9_0 = Avx512F.FusedMultiplyAdd(x9, b0, c9_0);
            c9_1 = Avx512F.FusedMultiplyAdd(x9, b1, c9_1);
            var x10 = Vector512.Create(a9[aRowStride]);
            c10_0 = Avx512F.FusedMultiplyAdd(x10, b0, c10_0);
            c10_1 = Avx512F.FusedMultiplyAdd(x10, b1, c10_1);
            var x11 = Vector512.Create(a9[aRowStride2]);
            c11_0 = Avx512F.FusedMultiplyAdd(x11, b0, c11_0);
            c11_1 = Avx512F.FusedMultiplyAdd(x11, b1, c11_1);
            var x12 = Vector512.Create(*a12);
            c12_0 = Avx512F.FusedMultiplyAdd(x12, b0, c12_0);
            c12_1 = Avx512F.FusedMultiplyAdd(x12, b1, c12_1);
            var x13 = Vector512.Create(a12[aRowStride]);
            c13_0 = Avx512F.FusedMultiplyAdd(x13, b0, c13_0);
            c13_1 = Avx512F.FusedMultiplyAdd(x13, b1, c13_1);
            a0++;
            a3++;
            a6++;
            a9++;
            a12++;
            b += 32;
        }
        if (add)
        {
            Vector512.Store(Vector512.Load(c + 0) + c0_0, c + 0);
            Vector512.Store(Vector512.Load(c + 16) + c0_1, c + 16);
            Vector512.Store(Vector512.Load(c + 1 * rowStride + 0) + c1_0, c + 1 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 1 * rowStride + 16) + c1_1, c + 1 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 2 * rowStride + 0) + c2_0, c + 2 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 2 * rowStride + 16) + c2_1, c + 2 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 3 * rowStride + 0) + c3_0, c + 3 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 3 * rowStride + 16) + c3_1, c + 3 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 4 * rowStride + 0) + c4_0, c + 4 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 4 * rowStride + 16) + c4_1, c + 4 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 5 * rowStride + 0) + c5_0, c + 5 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 5 * rowStride + 16) + c5_1, c + 5 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 6 * rowStride + 0) + c6_0, c + 6 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 6 * rowStride + 16) + c6_1, c + 6 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 7 * rowStride + 0) + c7_0, c + 7 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 7 * rowStride + 16) + c7_1, c + 7 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 8 * rowStride + 0) + c8_0, c + 8 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 8 * rowStride + 16) + c8_1, c + 8 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 9 * rowStride + 0) + c9_0, c + 9 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 9 * rowStride + 16) + c9_1, c + 9 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 10 * rowStride + 0) + c10_0, c + 10 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 10 * rowStride + 16) + c10_1, c + 10 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 11 * rowStride + 0) + c11_0, c + 11 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 11 * rowStride + 16) + c11_1, c + 11 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 12 * rowStride + 0) + c12_0, c + 12 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 12 * rowStride + 16) + c12_1, c + 12 * rowStride + 16);
            Vector512.Store(Vector512.Load(c + 13 * rowStride + 0) + c13_0, c + 13 * rowStride + 0);
            Vector512.Store(Vector512.Load(c + 13 * rowStride + 16) + c13_1, c + 13 * rowStride + 16);
        }
        else
        {
            Vector512.Store(c0_0, c + 0);
            Vector512.Store(c0_1, c + 16);
            Vector512.Store(c1_0, c + 1 * rowStride + 0);
            Vector512.Store(c1_1, c + 1 * rowStride + 16);
            Vector512.Store(c2_0, c + 2 * rowStride + 0);
            Vector512.Store(c2_1, c + 2 * rowStride + 16);
            Vector512.Store(c3_0, c + 3 * rowStride + 0);
            Vector512.Store(c3_1, c + 3 * rowStride + 16);
            Vector512.Store(c4_0, c + 4 * rowStride + 0);
            Vector512.Store(c4_1, c + 4 * rowStride + 16);
            Vector512.Store(c5_0, c + 5 * rowStride + 0);
            Vector512.Store(c5_1, c + 5 * rowStride + 16);
            Vector512.Store(c6_0, c + 6 * rowStride + 0);
            Vector512.Store(c6_1, c + 6 * rowStride + 16);
            Vector512.Store(c7_0, c + 7 * rowStride + 0);
            Vector512.Store(c7_1, c + 7 * rowStride + 16);
            Vector512.Store(c8_0, c + 8 * rowStride + 0);
            Vector512.Store(c8_1, c + 8 * rowStride + 16);
            Vector512.Store(c9_0, c + 9 * rowStride + 0);
            Vector512.Store(c9_1, c + 9 * rowStride + 16);
            Vector512.Store(c10_0, c + 10 * rowStride + 0);
            Vector512.Store(c10_1, c + 10 * rowStride + 16);
            Vector512.Store(c11_0, c + 11 * rowStride + 0);
            Vector512.Store(c11_1, c + 11 * rowStride + 16);
            Vector512.Store(c12_0, c + 12 * rowStride + 0);
            Vector512.Store(c12_1, c + 12 * rowStride + 16);
            Vector512.Store(c13_0, c + 13 * rowStride + 0);
            Vector512.Store(c13_1, c + 13 * rowStride + 16);
        }
    }

    /// <summary>
    /// <see cref="GemmPacking.PackRowsTransposed"/> with tile 32, moving each full sliver's 16 x 16 blocks through an
    /// in-register transpose (<see cref="GemmPacking.Transpose16x16"/>) and its depth past a multiple of 16 element by
    /// element; a last, partial sliver goes through the scalar packing. The scalar packing stored one float per store
    /// with a 128-byte stride and took about a tenth of the encoder's time at the EEG shape (h 4096 x d 4750 packed
    /// every step), by perf.
    /// </summary>
    public static void PackRowsTransposed(float* source, nint rowStride, int rowCount, int depth, float* destination)
    {
        const int tile = 32;
        int fullDepth = depth / 16 * 16;
        int fullRows = rowCount / tile * tile;
        for (int first = 0; first < fullRows; first += tile)
        {
            float* sliver = destination + (nint)first * depth;
            for (int half = 0; half < tile; half += 16)
            {
                float* rowBlock = source + (first + half) * rowStride;
                for (int p = 0; p < fullDepth; p += 16) GemmPacking.Transpose16x16(rowBlock + p, rowStride, sliver + (nint)p * tile + half, tile);
                for (int r = 0; r < 16; r++)
                {
                    float* row = rowBlock + r * rowStride;
                    for (int p = fullDepth; p < depth; p++) sliver[p * tile + half + r] = row[p];
                }
            }
        }
        if (fullRows < rowCount)
            GemmPacking.PackRowsTransposed(source + fullRows * rowStride, rowStride, rowCount - fullRows, depth, tile, destination + (nint)fullRows * depth);
    }
}
