using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mfr.Numerics;

/// <summary>
/// Packing for <see cref="GemmDriver{TKernel}"/>: copies a block of a row-major matrix into
/// contiguous, zero-padded slivers so the micro-kernel reads both operands sequentially
/// (Goto and van de Geijn, "Anatomy of high-performance matrix multiplication", 2008).
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs <paramref name="rowCount"/> rows x <paramref name="depth"/> columns of a matrix whose rows
    /// are <paramref name="rowStride"/> floats apart into slivers of <paramref name="tile"/> rows, each
    /// laid out <c>[depth, tile]</c> (column-major within the sliver); rows past the end are zero.
    /// Used for A (tile = MR) and for B stored as <c>[n, k]</c> (tile = NR).
    /// </summary>
    public static void PackRowsTransposed(float* source, nint rowStride, int rowCount, int depth, int tile, float* destination)
    {
        for (int first = 0; first < rowCount; first += tile)
        {
            int rows = Math.Min(tile, rowCount - first);
            float* sliver = destination + (nint)first * depth;
            for (int r = 0; r < rows; r++)
            {
                float* row = source + (first + r) * rowStride;
                float* target = sliver + r;
                for (int p = 0; p < depth; p++) target[p * tile] = row[p];
            }
            for (int r = rows; r < tile; r++)
            {
                for (int p = 0; p < depth; p++) sliver[p * tile + r] = 0;
            }
        }
    }

    /// <summary>
    /// Packs <paramref name="depth"/> rows x <paramref name="columnCount"/> columns of B stored
    /// <c>[k, n]</c> (rows <paramref name="rowStride"/> floats apart) into slivers of
    /// <paramref name="tile"/> columns, each laid out <c>[depth, tile]</c>; columns past the end are zero.
    /// </summary>
    public static void PackColumns(float* source, nint rowStride, int columnCount, int depth, int tile, float* destination)
    {
        for (int first = 0; first < columnCount; first += tile)
        {
            int columns = Math.Min(tile, columnCount - first);
            float* sliver = destination + (nint)first * depth;
            for (int p = 0; p < depth; p++)
            {
                var from = new ReadOnlySpan<float>(source + p * rowStride + first, columns);
                var to = new Span<float>(sliver + (nint)p * tile, tile);
                from.CopyTo(to);
                to[columns..].Clear();
            }
        }
    }

    /// <summary>
    /// Writes the transpose of the 16 x 16 block at <paramref name="source"/> (rows <paramref name="sourceStride"/>
    /// floats apart) to <paramref name="destination"/> (rows <paramref name="destinationStride"/> apart): destination
    /// row j is source column j. Four rounds of shuffles (32-bit, 64-bit, then 128-bit lanes twice), 64 in all.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static void Transpose16x16(float* source, nint sourceStride, float* destination, nint destinationStride)
    {
        // Round 1: t_2i, t_2i+1 interleave rows 2i and 2i+1 (per 128-bit lane: r[4L], r'[4L], r[4L+1], r'[4L+1] and the high pair).
        var r0 = Vector512.Load(source); var r1 = Vector512.Load(source + sourceStride);
        var r2 = Vector512.Load(source + 2 * sourceStride); var r3 = Vector512.Load(source + 3 * sourceStride);
        var r4 = Vector512.Load(source + 4 * sourceStride); var r5 = Vector512.Load(source + 5 * sourceStride);
        var r6 = Vector512.Load(source + 6 * sourceStride); var r7 = Vector512.Load(source + 7 * sourceStride);
        var r8 = Vector512.Load(source + 8 * sourceStride); var r9 = Vector512.Load(source + 9 * sourceStride);
        var r10 = Vector512.Load(source + 10 * sourceStride); var r11 = Vector512.Load(source + 11 * sourceStride);
        var r12 = Vector512.Load(source + 12 * sourceStride); var r13 = Vector512.Load(source + 13 * sourceStride);
        var r14 = Vector512.Load(source + 14 * sourceStride); var r15 = Vector512.Load(source + 15 * sourceStride);
        var t0 = Avx512F.UnpackLow(r0, r1).AsDouble(); var t1 = Avx512F.UnpackHigh(r0, r1).AsDouble();
        var t2 = Avx512F.UnpackLow(r2, r3).AsDouble(); var t3 = Avx512F.UnpackHigh(r2, r3).AsDouble();
        var t4 = Avx512F.UnpackLow(r4, r5).AsDouble(); var t5 = Avx512F.UnpackHigh(r4, r5).AsDouble();
        var t6 = Avx512F.UnpackLow(r6, r7).AsDouble(); var t7 = Avx512F.UnpackHigh(r6, r7).AsDouble();
        var t8 = Avx512F.UnpackLow(r8, r9).AsDouble(); var t9 = Avx512F.UnpackHigh(r8, r9).AsDouble();
        var t10 = Avx512F.UnpackLow(r10, r11).AsDouble(); var t11 = Avx512F.UnpackHigh(r10, r11).AsDouble();
        var t12 = Avx512F.UnpackLow(r12, r13).AsDouble(); var t13 = Avx512F.UnpackHigh(r12, r13).AsDouble();
        var t14 = Avx512F.UnpackLow(r14, r15).AsDouble(); var t15 = Avx512F.UnpackHigh(r14, r15).AsDouble();
        // Round 2: u_4q+c holds, in 128-bit lane L, column 4L + c of rows 4q .. 4q+3.
        var u0 = Avx512F.UnpackLow(t0, t2).AsSingle(); var u1 = Avx512F.UnpackHigh(t0, t2).AsSingle();
        var u2 = Avx512F.UnpackLow(t1, t3).AsSingle(); var u3 = Avx512F.UnpackHigh(t1, t3).AsSingle();
        var u4 = Avx512F.UnpackLow(t4, t6).AsSingle(); var u5 = Avx512F.UnpackHigh(t4, t6).AsSingle();
        var u6 = Avx512F.UnpackLow(t5, t7).AsSingle(); var u7 = Avx512F.UnpackHigh(t5, t7).AsSingle();
        var u8 = Avx512F.UnpackLow(t8, t10).AsSingle(); var u9 = Avx512F.UnpackHigh(t8, t10).AsSingle();
        var u10 = Avx512F.UnpackLow(t9, t11).AsSingle(); var u11 = Avx512F.UnpackHigh(t9, t11).AsSingle();
        var u12 = Avx512F.UnpackLow(t12, t14).AsSingle(); var u13 = Avx512F.UnpackHigh(t12, t14).AsSingle();
        var u14 = Avx512F.UnpackLow(t13, t15).AsSingle(); var u15 = Avx512F.UnpackHigh(t13, t15).AsSingle();
        // Round 3 (0x88: lanes 0, 2 of each; 0xDD: lanes 1, 3): v_c = columns c, c + 8 and v_c+4 = columns c + 4, c + 12, of rows 0-7 (v0-v7) or 8-15 (v8-v15).
        var v0 = Avx512F.Shuffle4x128(u0, u4, 0x88); var v1 = Avx512F.Shuffle4x128(u1, u5, 0x88);
        var v2 = Avx512F.Shuffle4x128(u2, u6, 0x88); var v3 = Avx512F.Shuffle4x128(u3, u7, 0x88);
        var v4 = Avx512F.Shuffle4x128(u0, u4, 0xDD); var v5 = Avx512F.Shuffle4x128(u1, u5, 0xDD);
        var v6 = Avx512F.Shuffle4x128(u2, u6, 0xDD); var v7 = Avx512F.Shuffle4x128(u3, u7, 0xDD);
        var v8 = Avx512F.Shuffle4x128(u8, u12, 0x88); var v9 = Avx512F.Shuffle4x128(u9, u13, 0x88);
        var v10 = Avx512F.Shuffle4x128(u10, u14, 0x88); var v11 = Avx512F.Shuffle4x128(u11, u15, 0x88);
        var v12 = Avx512F.Shuffle4x128(u8, u12, 0xDD); var v13 = Avx512F.Shuffle4x128(u9, u13, 0xDD);
        var v14 = Avx512F.Shuffle4x128(u10, u14, 0xDD); var v15 = Avx512F.Shuffle4x128(u11, u15, 0xDD);
        // Round 4: whole columns.
        Avx512F.Shuffle4x128(v0, v8, 0x88).Store(destination);
        Avx512F.Shuffle4x128(v1, v9, 0x88).Store(destination + destinationStride);
        Avx512F.Shuffle4x128(v2, v10, 0x88).Store(destination + 2 * destinationStride);
        Avx512F.Shuffle4x128(v3, v11, 0x88).Store(destination + 3 * destinationStride);
        Avx512F.Shuffle4x128(v4, v12, 0x88).Store(destination + 4 * destinationStride);
        Avx512F.Shuffle4x128(v5, v13, 0x88).Store(destination + 5 * destinationStride);
        Avx512F.Shuffle4x128(v6, v14, 0x88).Store(destination + 6 * destinationStride);
        Avx512F.Shuffle4x128(v7, v15, 0x88).Store(destination + 7 * destinationStride);
        Avx512F.Shuffle4x128(v0, v8, 0xDD).Store(destination + 8 * destinationStride);
        Avx512F.Shuffle4x128(v1, v9, 0xDD).Store(destination + 9 * destinationStride);
        Avx512F.Shuffle4x128(v2, v10, 0xDD).Store(destination + 10 * destinationStride);
        Avx512F.Shuffle4x128(v3, v11, 0xDD).Store(destination + 11 * destinationStride);
        Avx512F.Shuffle4x128(v4, v12, 0xDD).Store(destination + 12 * destinationStride);
        Avx512F.Shuffle4x128(v5, v13, 0xDD).Store(destination + 13 * destinationStride);
        Avx512F.Shuffle4x128(v6, v14, 0xDD).Store(destination + 14 * destinationStride);
        Avx512F.Shuffle4x128(v7, v15, 0xDD).Store(destination + 15 * destinationStride);
    }
}
