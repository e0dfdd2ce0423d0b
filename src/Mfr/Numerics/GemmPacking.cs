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
}
