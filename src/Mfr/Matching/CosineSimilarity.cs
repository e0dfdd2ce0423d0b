using System.Buffers;
using Mfr.Numerics;

namespace Mfr.Matching;

/// <summary>
/// Cosine similarities between the rows of two matrices, <c>C[i, j] = cos(A_i, B_j)</c> (SPEC 2,
/// MMCS), computed as one <c>Gemm.MultiplyTransposed</c> of the unit-normalised rows. A zero
/// row has no direction; it is left as zeros, so its cosines are 0 rather than NaN. Rounding can
/// put a cosine a few ulps outside [-1, 1]; values are not clamped.
/// </summary>
public static class CosineSimilarity
{
    /// <summary>Scales each row to unit Euclidean length (norm accumulated in double); zero rows stay zero.</summary>
    /// <param name="matrix">Rows to normalise, <c>[rowCount, dimension]</c>.</param>
    /// <param name="rowCount">Rows.</param>
    /// <param name="dimension">Row length.</param>
    /// <param name="destination">Normalised rows, <c>[rowCount, dimension]</c>; may be the same memory as <paramref name="matrix"/>.</param>
    public static void NormalizeRows(ReadOnlySpan<float> matrix, int rowCount, int dimension, Span<float> destination)
    {
        if (rowCount < 0 || dimension < 0)
            throw new ArgumentException($"Matrix sizes must be non-negative, got [{rowCount}, {dimension}].");
        long needed = (long)rowCount * dimension;
        if (matrix.Length != needed || destination.Length != needed)
            throw new ArgumentException($"Shape [{rowCount}, {dimension}] needs {needed} floats; the matrix has {matrix.Length} and the destination {destination.Length}.");
        for (int row = 0; row < rowCount; row++)
        {
            var source = matrix.Slice(row * dimension, dimension);
            var target = destination.Slice(row * dimension, dimension);
            double sumOfSquares = 0;
            foreach (float value in source) sumOfSquares += (double)value * value;
            float scale = sumOfSquares > 0 ? (float)(1 / Math.Sqrt(sumOfSquares)) : 0f;
            for (int k = 0; k < dimension; k++) target[k] = source[k] * scale;
        }
    }

    /// <summary>Cosine matrix between the rows of <paramref name="a"/> and of <paramref name="b"/>.</summary>
    /// <param name="a">First set, <c>[rowCountA, dimension]</c>.</param>
    /// <param name="b">Second set, <c>[rowCountB, dimension]</c>.</param>
    /// <param name="rowCountA">Rows of <paramref name="a"/>.</param>
    /// <param name="rowCountB">Rows of <paramref name="b"/>.</param>
    /// <param name="dimension">Shared row length.</param>
    /// <param name="cosines">Output, <c>[rowCountA, rowCountB]</c>.</param>
    public static void Compute(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int rowCountA, int rowCountB, int dimension, Span<float> cosines)
    {
        if (rowCountA < 0 || rowCountB < 0 || dimension < 0)
            throw new ArgumentException($"Matrix sizes must be non-negative, got a [{rowCountA}, {dimension}], b [{rowCountB}, {dimension}].");
        if (a.Length != (long)rowCountA * dimension || b.Length != (long)rowCountB * dimension || cosines.Length != (long)rowCountA * rowCountB)
            throw new ArgumentException(
                $"Shapes do not fit: a [{rowCountA}, {dimension}] has {a.Length} floats, b [{rowCountB}, {dimension}] has {b.Length}, " +
                $"cosines [{rowCountA}, {rowCountB}] has {cosines.Length}.");
        float[] unitA = ArrayPool<float>.Shared.Rent(a.Length);
        float[] unitB = ArrayPool<float>.Shared.Rent(b.Length);
        try
        {
            NormalizeRows(a, rowCountA, dimension, unitA.AsSpan(0, a.Length));
            NormalizeRows(b, rowCountB, dimension, unitB.AsSpan(0, b.Length));
            Gemm.MultiplyTransposed(unitA.AsSpan(0, a.Length), unitB.AsSpan(0, b.Length), rowCountA, rowCountB, dimension, cosines);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(unitA);
            ArrayPool<float>.Shared.Return(unitB);
        }
    }

    /// <summary>Cosine matrix between the rows of <paramref name="a"/> and of <paramref name="b"/> (allocates it).</summary>
    /// <param name="a">First set, <c>[rowCountA, dimension]</c>.</param>
    /// <param name="b">Second set, <c>[rowCountB, dimension]</c>.</param>
    /// <param name="rowCountA">Rows of <paramref name="a"/>.</param>
    /// <param name="rowCountB">Rows of <paramref name="b"/>.</param>
    /// <param name="dimension">Shared row length.</param>
    /// <returns>The cosines, <c>[rowCountA, rowCountB]</c>.</returns>
    public static float[] Compute(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int rowCountA, int rowCountB, int dimension)
    {
        var cosines = new float[(long)rowCountA * rowCountB];
        Compute(a, b, rowCountA, rowCountB, dimension, cosines);
        return cosines;
    }

    /// <summary>
    /// Largest entry of each row: for a cosine matrix, each row's best match in the other set without
    /// the one-to-one constraint (paper figure 3: a latent's max cosine to the other SAE or to the true features).
    /// </summary>
    /// <param name="cosines">Matrix, <c>[rowCount, columnCount]</c>, columnCount &gt;= 1 unless rowCount is 0.</param>
    /// <param name="rowCount">Rows.</param>
    /// <param name="columnCount">Columns.</param>
    /// <param name="maxima">Output, <c>[rowCount]</c>.</param>
    public static void MaxPerRow(ReadOnlySpan<float> cosines, int rowCount, int columnCount, Span<float> maxima)
    {
        if (rowCount < 0 || columnCount < 0 || (rowCount > 0 && columnCount == 0))
            throw new ArgumentException($"Need non-negative sizes and at least one column per row, got [{rowCount}, {columnCount}].");
        if (cosines.Length != (long)rowCount * columnCount || maxima.Length != rowCount)
            throw new ArgumentException($"Shapes do not fit: cosines [{rowCount}, {columnCount}] has {cosines.Length} floats, maxima [{rowCount}] has {maxima.Length}.");
        for (int row = 0; row < rowCount; row++)
        {
            var values = cosines.Slice(row * columnCount, columnCount);
            float best = values[0];
            foreach (float value in values) best = Math.Max(best, value);
            maxima[row] = best;
        }
    }
}
