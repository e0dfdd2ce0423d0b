using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mfr.Numerics;

/// <summary>
/// AVX-VNNI micro-kernel (vpdpbusd on 256-bit vectors, Intel since Alder Lake / Sapphire Rapids, AMD since Zen 5):
/// 6 rows x 16 latents in 12 ymm accumulators, 32 exact multiply-adds per instruction (twice an fp32 zmm FMA's
/// 16). The VEX encoding reaches only ymm0-15, so 12 accumulators + 2 weight vectors + 1 broadcast fill them.
/// .NET 10 exposes no 512-bit vpdpbusd (no Avx512Vnni class; <c>Avx10v1</c> is not reported by this hardware).
/// </summary>
internal readonly unsafe struct Int8MicroKernelAvxVnni : IInt8MicroKernel
{
    public static int RowTile => 6;

    public static int LatentTile => 16;

    public static int InputLevels => 127;

    public static string? UnsupportedReason => AvxVnni.IsSupported ? null : "this CPU (or the runtime) offers no AVX-VNNI";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(byte* inputs, nint inputStride, int* weights, nint sliverStride, int groups, int* products, nint productStride, bool add)
    {
        Vector256<int> c0_0 = default, c0_1 = default, c1_0 = default, c1_1 = default, c2_0 = default, c2_1 = default, c3_0 = default, c3_1 = default, c4_0 = default, c4_1 = default, c5_0 = default, c5_1 = default;
        for (int g = 0; g < groups; g++)
        {
            var w0 = Vector256.Load(weights + g * 16 + 0).AsSByte();
            var w1 = Vector256.Load(weights + g * 16 + 8).AsSByte();
            var x0 = Vector256.Create(*(int*)(inputs + 0 * inputStride + 4 * g)).AsByte();
            c0_0 = AvxVnni.MultiplyWideningAndAdd(c0_0, x0, w0);
            c0_1 = AvxVnni.MultiplyWideningAndAdd(c0_1, x0, w1);
            var x1 = Vector256.Create(*(int*)(inputs + 1 * inputStride + 4 * g)).AsByte();
            c1_0 = AvxVnni.MultiplyWideningAndAdd(c1_0, x1, w0);
            c1_1 = AvxVnni.MultiplyWideningAndAdd(c1_1, x1, w1);
            var x2 = Vector256.Create(*(int*)(inputs + 2 * inputStride + 4 * g)).AsByte();
            c2_0 = AvxVnni.MultiplyWideningAndAdd(c2_0, x2, w0);
            c2_1 = AvxVnni.MultiplyWideningAndAdd(c2_1, x2, w1);
            var x3 = Vector256.Create(*(int*)(inputs + 3 * inputStride + 4 * g)).AsByte();
            c3_0 = AvxVnni.MultiplyWideningAndAdd(c3_0, x3, w0);
            c3_1 = AvxVnni.MultiplyWideningAndAdd(c3_1, x3, w1);
            var x4 = Vector256.Create(*(int*)(inputs + 4 * inputStride + 4 * g)).AsByte();
            c4_0 = AvxVnni.MultiplyWideningAndAdd(c4_0, x4, w0);
            c4_1 = AvxVnni.MultiplyWideningAndAdd(c4_1, x4, w1);
            var x5 = Vector256.Create(*(int*)(inputs + 5 * inputStride + 4 * g)).AsByte();
            c5_0 = AvxVnni.MultiplyWideningAndAdd(c5_0, x5, w0);
            c5_1 = AvxVnni.MultiplyWideningAndAdd(c5_1, x5, w1);
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
            Vector256.Store(Vector256.Load(products + 4 * productStride + 0) + c4_0, products + 4 * productStride + 0);
            Vector256.Store(Vector256.Load(products + 4 * productStride + 8) + c4_1, products + 4 * productStride + 8);
            Vector256.Store(Vector256.Load(products + 5 * productStride + 0) + c5_0, products + 5 * productStride + 0);
            Vector256.Store(Vector256.Load(products + 5 * productStride + 8) + c5_1, products + 5 * productStride + 8);
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
            Vector256.Store(c4_0, products + 4 * productStride + 0);
            Vector256.Store(c4_1, products + 4 * productStride + 8);
            Vector256.Store(c5_0, products + 5 * productStride + 0);
            Vector256.Store(c5_1, products + 5 * productStride + 8);
        }
    }
}
