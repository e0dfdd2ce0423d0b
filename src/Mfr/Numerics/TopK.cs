namespace Mfr.Numerics;

/// <summary>
/// Fast per-row TopK selection, multithreaded over rows; same contract and output as
/// <see cref="TopKReference.Select"/> (ascending column indices, ties to the lower column).
/// </summary>
public static class TopK
{
    /// <summary>Selects the k largest entries of each row (see <see cref="TopKReference.Select"/>).</summary>
    public static void Select(ReadOnlySpan<float> preActivations, int rowCount, int columnCount, int k, Span<int> indices, Span<float> values)
    {
        CheckShapes(preActivations.Length, indices.Length, values.Length, rowCount, columnCount, k);
        // Placeholder fast path: the reference. Replaced by the SIMD threshold selection.
        TopKReference.Select(preActivations, rowCount, columnCount, k, indices, values);
    }

    internal static void CheckShapes(int inputLength, int indicesLength, int valuesLength, int rowCount, int columnCount, int k)
    {
        if (rowCount < 0 || columnCount < 0 || k < 0 || k > columnCount)
            throw new ArgumentException($"Need 0 <= k <= columnCount and non-negative sizes, got rowCount={rowCount}, columnCount={columnCount}, k={k}.");
        if (inputLength < (long)rowCount * columnCount || indicesLength < (long)rowCount * k || valuesLength < (long)rowCount * k)
            throw new ArgumentException(
                $"Shapes do not fit: input [{rowCount},{columnCount}] has {inputLength} floats, " +
                $"indices/values [{rowCount},{k}] have {indicesLength}/{valuesLength}.");
    }
}
