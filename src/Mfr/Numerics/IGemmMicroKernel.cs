namespace Mfr.Numerics;

/// <summary>
/// A register-blocked GEMM micro-kernel (the innermost loop of the Goto/BLIS algorithm, see
/// <see cref="GemmDriver{TKernel}"/>): it multiplies a packed <c>[kc, RowTile]</c> sliver of A by a
/// packed <c>[kc, ColumnTile]</c> sliver of B and stores or adds the <c>RowTile x ColumnTile</c>
/// tile of C, keeping the whole tile in vector registers for the kc loop.
/// </summary>
internal unsafe interface IGemmMicroKernel
{
    /// <summary>Rows of C per tile (MR): broadcasts from packed A.</summary>
    static abstract int RowTile { get; }

    /// <summary>Columns of C per tile (NR): vector loads from packed B.</summary>
    static abstract int ColumnTile { get; }

    /// <summary>Whether the kernel runs at full speed on this machine.</summary>
    static abstract bool IsAccelerated { get; }

    /// <summary>
    /// <c>c[0..RowTile, 0..ColumnTile] (+)= sum_p packedA[p, :]^T packedB[p, :]</c>, with
    /// <paramref name="packedA"/> laid out <c>[kc, RowTile]</c> and <paramref name="packedB"/>
    /// <c>[kc, ColumnTile]</c> (zero padded), and C rows <paramref name="rowStride"/> floats apart.
    /// </summary>
    static abstract void Multiply(float* packedA, float* packedB, int kc, float* c, nint rowStride, bool add);

    /// <summary>
    /// As <see cref="Multiply"/>, but reads A unpacked: <c>RowTile</c> full rows of a row-major matrix
    /// <paramref name="aRowStride"/> floats apart (saves packing A, which cost ~10% on the SAE encoder shape).
    /// </summary>
    static abstract void MultiplyStrided(float* a, nint aRowStride, float* packedB, int kc, float* c, nint rowStride, bool add);

    /// <summary>
    /// Packs B stored <c>[n, k]</c> (the encoder's W) as <see cref="GemmPacking.PackRowsTransposed"/> does with tile
    /// <see cref="ColumnTile"/>: the same values in the same places, however the kernel moves them.
    /// </summary>
    static abstract void PackRowsTransposed(float* source, nint rowStride, int rowCount, int depth, float* destination);
}
