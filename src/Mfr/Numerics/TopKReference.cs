namespace Mfr.Numerics;

/// <summary>
/// Scalar specification of per-row TopK selection (SPEC 1: <c>z = TopK_k(a)</c>), the reference
/// for <see cref="TopK"/>. For each row it keeps the k largest values, even negative ones (the
/// paper's code applies no ReLU); ties go to the lower column, so the selected set is unique.
/// -0 equals +0, and NaN ranks below every number (and ties with NaN), as in <see cref="float.CompareTo(float)"/>.
/// Output indices are in ascending column order: that order is deterministic and makes the
/// following sparse kernels walk the decoder forwards.
/// </summary>
public static class TopKReference
{
    /// <summary>Selects the k largest entries of each row.</summary>
    /// <param name="preActivations">Input, <c>[rowCount, columnCount]</c>.</param>
    /// <param name="rowCount">Rows (samples).</param>
    /// <param name="columnCount">Columns (latents).</param>
    /// <param name="k">Entries kept per row, 0 &lt;= k &lt;= columnCount.</param>
    /// <param name="indices">Output columns, <c>[rowCount, k]</c>, ascending within a row.</param>
    /// <param name="values">Output values <c>preActivations[row, indices[row, s]]</c>, <c>[rowCount, k]</c>.</param>
    public static void Select(ReadOnlySpan<float> preActivations, int rowCount, int columnCount, int k, Span<int> indices, Span<float> values)
    {
        TopK.CheckShapes(preActivations.Length, indices.Length, values.Length, rowCount, columnCount, k);
        var order = new int[columnCount];
        for (int row = 0; row < rowCount; row++)
        {
            var rowValues = preActivations.Slice(row * columnCount, columnCount).ToArray();
            for (int c = 0; c < columnCount; c++) order[c] = c;
            // Descending by value, ties by ascending column: a total order, so the first k are unique.
            // float.CompareTo ranks NaN below every number and calls -0 and +0 equal, and NaN equal
            // to NaN, so those tie too (a != test would leave NaN against NaN to the sort's whim).
            Array.Sort(order, (x, y) =>
            {
                int byValue = rowValues[y].CompareTo(rowValues[x]);
                return byValue != 0 ? byValue : x.CompareTo(y);
            });
            var chosen = order.AsSpan(0, k).ToArray();
            Array.Sort(chosen);
            for (int s = 0; s < k; s++)
            {
                indices[row * k + s] = chosen[s];
                values[row * k + s] = rowValues[chosen[s]];
            }
        }
    }
}
