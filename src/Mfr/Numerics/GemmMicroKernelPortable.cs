using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mfr.Numerics;

/// <summary>
/// Portable GEMM micro-kernel: a 6 x 16 tile of C in 12 Vector256 accumulators (the classic AVX2
/// shape: 12 accumulators + 2 B vectors + 1 broadcast fit the 16 ymm registers of AVX2 machines).
/// Used when AVX-512 is not accelerated, or when forced with <c>MFR_KERNELS=portable</c>.
/// </summary>
internal readonly unsafe struct GemmMicroKernelPortable : IGemmMicroKernel
{
    public static int RowTile => 6;

    public static int ColumnTile => 16;

    public static bool IsAccelerated => Vector256.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(float* packedA, float* packedB, int kc, float* c, nint rowStride, bool add)
    {
        Vector256<float> c0_0 = default, c0_1 = default, c1_0 = default, c1_1 = default, c2_0 = default, c2_1 = default, c3_0 = default, c3_1 = default, c4_0 = default, c4_1 = default, c5_0 = default, c5_1 = default;
        float* a = packedA;
        float* b = packedB;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b + 0);
            var b1 = Vector256.Load(b + 8);
            var x0 = Vector256.Create(a[0]);
            c0_0 = Vector256.MultiplyAddEstimate(x0, b0, c0_0);
            c0_1 = Vector256.MultiplyAddEstimate(x0, b1, c0_1);
            var x1 = Vector256.Create(a[1]);
            c1_0 = Vector256.MultiplyAddEstimate(x1, b0, c1_0);
            c1_1 = Vector256.MultiplyAddEstimate(x1, b1, c1_1);
            var x2 = Vector256.Create(a[2]);
            c2_0 = Vector256.MultiplyAddEstimate(x2, b0, c2_0);
            c2_1 = Vector256.MultiplyAddEstimate(x2, b1, c2_1);
            var x3 = Vector256.Create(a[3]);
            c3_0 = Vector256.MultiplyAddEstimate(x3, b0, c3_0);
            c3_1 = Vector256.MultiplyAddEstimate(x3, b1, c3_1);
            var x4 = Vector256.Create(a[4]);
            c4_0 = Vector256.MultiplyAddEstimate(x4, b0, c4_0);
            c4_1 = Vector256.MultiplyAddEstimate(x4, b1, c4_1);
            var x5 = Vector256.Create(a[5]);
            c5_0 = Vector256.MultiplyAddEstimate(x5, b0, c5_0);
            c5_1 = Vector256.MultiplyAddEstimate(x5, b1, c5_1);
            a += 6;
            b += 16;
        }
        if (add)
        {
            Vector256.Store(Vector256.Load(c + 0) + c0_0, c + 0);
            Vector256.Store(Vector256.Load(c + 8) + c0_1, c + 8);
            Vector256.Store(Vector256.Load(c + 1 * rowStride + 0) + c1_0, c + 1 * rowStride + 0);
            Vector256.Store(Vector256.Load(c + 1 * rowStride + 8) + c1_1, c + 1 * rowStride + 8);
            Vector256.Store(Vector256.Load(c + 2 * rowStride + 0) + c2_0, c + 2 * rowStride + 0);
            Vector256.Store(Vector256.Load(c + 2 * rowStride + 8) + c2_1, c + 2 * rowStride + 8);
            Vector256.Store(Vector256.Load(c + 3 * rowStride + 0) + c3_0, c + 3 * rowStride + 0);
            Vector256.Store(Vector256.Load(c + 3 * rowStride + 8) + c3_1, c + 3 * rowStride + 8);
            Vector256.Store(Vector256.Load(c + 4 * rowStride + 0) + c4_0, c + 4 * rowStride + 0);
            Vector256.Store(Vector256.Load(c + 4 * rowStride + 8) + c4_1, c + 4 * rowStride + 8);
            Vector256.Store(Vector256.Load(c + 5 * rowStride + 0) + c5_0, c + 5 * rowStride + 0);
            Vector256.Store(Vector256.Load(c + 5 * rowStride + 8) + c5_1, c + 5 * rowStride + 8);
        }
        else
        {
            Vector256.Store(c0_0, c + 0);
            Vector256.Store(c0_1, c + 8);
            Vector256.Store(c1_0, c + 1 * rowStride + 0);
            Vector256.Store(c1_1, c + 1 * rowStride + 8);
            Vector256.Store(c2_0, c + 2 * rowStride + 0);
            Vector256.Store(c2_1, c + 2 * rowStride + 8);
            Vector256.Store(c3_0, c + 3 * rowStride + 0);
            Vector256.Store(c3_1, c + 3 * rowStride + 8);
            Vector256.Store(c4_0, c + 4 * rowStride + 0);
            Vector256.Store(c4_1, c + 4 * rowStride + 8);
            Vector256.Store(c5_0, c + 5 * rowStride + 0);
            Vector256.Store(c5_1, c + 5 * rowStride + 8);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyStrided(float* a, nint aRowStride, float* packedB, int kc, float* c, nint rowStride, bool add)
    {
        Vector256<float> c0_0 = default, c0_1 = default, c1_0 = default, c1_1 = default, c2_0 = default, c2_1 = default, c3_0 = default, c3_1 = default, c4_0 = default, c4_1 = default, c5_0 = default, c5_1 = default;
        nint aRowStride2 = aRowStride * 2;
        float* a0 = a, a3 = a + 3 * aRowStride;
        float* b = packedB;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b + 0);
            var b1 = Vector256.Load(b + 8);
            var x0 = Vector256.Create(*a0);
            c0_0 = Vector256.MultiplyAddEstimate(x0, b0, c0_0);
            c0_1 = Vector256.MultiplyAddEstimate(x0, b1, c0_1);
            var x1 = Vector256.Create(a0[aRowStride]);
            c1_0 = Vector256.MultiplyAddEstimate(x1, b0, c1_0);
            c1_1 = Vector256.MultiplyAddEstimate(x1, b1, c1_1);
            var x2 = Vector256.Create(a0[aRowStride2]);
            c2_0 = Vector256.MultiplyAddEstimate(x2, b0, c2_0);
            c2_1 = Vector256.MultiplyAddEstimate(x2, b1, c2_1);
            var x3 = Vector256.Create(*a3);
            c3_0 = Vector256.MultiplyAddEstimate(x3, b0, c3_0);
            c3_1 = Vector256.MultiplyAddEstimate(x3, b1, c3_1);
            var x4 = Vector256.Create(a3[aRowStride]);
            c4_0 = Vector256.MultiplyAddEstimate(x4, b0, c4_0);
            c4_1 = Vector256.MultiplyAddEstimate(x4, b1, c4_1);
            var x5 = Vector256.Create(a3[aRowStride2]);
            c5_0 = Vector256.MultiplyAddEstimate(x5, b0, c5_0);
            c5_1 = Vector256.MultiplyAddEstimate(x5, b1, c5_1);
            a0++;
            a3++;
            b += 16;
        }
        if (add)
        {
            Vector256.Store(Vector256.Load(c + 0) + c0_0, c + 0);
            Vector256.Store(Vector256.Load(c + 8) + c0_1, c + 8);
            Vector256.Store(Vector256.Load(c + 1 * rowStride + 0) + c1_0, c + 1 * rowStride + 0);
            Vector256.Store(Vector256.Load(c + 1 * rowStride + 8) + c1_1, c + 1 * rowStride + 8);
            Vector256.Store(Vector256.Load(c + 2 * rowStride + 0) + c2_0, c + 2 * rowStride + 0);
            Vector256.Store(Vector256.Load(c + 2 * rowStride + 8) + c2_1, c + 2 * rowStride + 8);
            Vector256.Store(Vector256.Load(c + 3 * rowStride + 0) + c3_0, c + 3 * rowStride + 0);
            Vector256.Store(Vector256.Load(c + 3 * rowStride + 8) + c3_1, c + 3 * rowStride + 8);
            Vector256.Store(Vector256.Load(c + 4 * rowStride + 0) + c4_0, c + 4 * rowStride + 0);
            Vector256.Store(Vector256.Load(c + 4 * rowStride + 8) + c4_1, c + 4 * rowStride + 8);
            Vector256.Store(Vector256.Load(c + 5 * rowStride + 0) + c5_0, c + 5 * rowStride + 0);
            Vector256.Store(Vector256.Load(c + 5 * rowStride + 8) + c5_1, c + 5 * rowStride + 8);
        }
        else
        {
            Vector256.Store(c0_0, c + 0);
            Vector256.Store(c0_1, c + 8);
            Vector256.Store(c1_0, c + 1 * rowStride + 0);
            Vector256.Store(c1_1, c + 1 * rowStride + 8);
            Vector256.Store(c2_0, c + 2 * rowStride + 0);
            Vector256.Store(c2_1, c + 2 * rowStride + 8);
            Vector256.Store(c3_0, c + 3 * rowStride + 0);
            Vector256.Store(c3_1, c + 3 * rowStride + 8);
            Vector256.Store(c4_0, c + 4 * rowStride + 0);
            Vector256.Store(c4_1, c + 4 * rowStride + 8);
            Vector256.Store(c5_0, c + 5 * rowStride + 0);
            Vector256.Store(c5_1, c + 5 * rowStride + 8);
        }
    }

    public static void PackRowsTransposed(float* source, nint rowStride, int rowCount, int depth, float* destination) =>
        GemmPacking.PackRowsTransposed(source, rowStride, rowCount, depth, ColumnTile, destination);
}
