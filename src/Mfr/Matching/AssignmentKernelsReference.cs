namespace Mfr.Matching;

/// <summary>
/// Scalar specification of the inner loops of the assignment solver (STYLE.md 2); the SIMD
/// versions in <see cref="AssignmentKernels"/> must return bit-identical results. Legend: a cost
/// row <c>c</c> of length m is read as <c>sign * c[j]</c> (sign -1 turns a similarity into a cost,
/// exactly); <c>v</c> are column duals. Every reduced value is formed as
/// <c>(sign * c[j]) - v[j]</c>, one rounding, so the fast and the reference paths agree bitwise.
/// </summary>
internal static class AssignmentKernelsReference
{
    /// <summary>
    /// One Dijkstra relaxation from row <paramref name="row"/> (scipy rectangular_lsap.cpp,
    /// augmenting_path): <c>r[j] = offset + (sign*c[j] - maskedColumnDuals[j])</c>; where
    /// <c>r[j] &lt; distances[j]</c> it becomes the new distance and <c>pathRows[j] = row</c>.
    /// Columns already settled carry <c>-inf</c> in <paramref name="maskedColumnDuals"/> and
    /// <c>+inf</c> in <paramref name="distances"/>, so they are never touched.
    /// </summary>
    /// <returns>The smallest distance after the update (+inf when every column is settled).</returns>
    public static double RelaxRow(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> maskedColumnDuals, double offset, long row, Span<double> distances, Span<long> pathRows)
    {
        double lowest = double.PositiveInfinity;
        for (int j = 0; j < costRow.Length; j++)
        {
            double reduced = offset + (sign * costRow[j] - maskedColumnDuals[j]);
            if (reduced < distances[j])
            {
                distances[j] = reduced;
                pathRows[j] = row;
            }
            lowest = Math.Min(lowest, distances[j]);
        }
        return lowest;
    }

    /// <summary>
    /// <see cref="RelaxRow"/> then <see cref="FindLowest"/>: one step of the shortest path search.
    /// </summary>
    /// <returns>The column to settle next; <paramref name="lowest"/> is its distance.</returns>
    public static int RelaxRowAndFindLowest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> maskedColumnDuals, double offset, long row,
        Span<double> distances, Span<long> pathRows, ReadOnlySpan<int> rowForColumn, out double lowest)
    {
        lowest = RelaxRow(costRow, sign, maskedColumnDuals, offset, row, distances, pathRows);
        return FindLowest(distances[..costRow.Length], lowest, rowForColumn);
    }

    /// <summary>
    /// The column to settle next: the first column whose distance equals <paramref name="lowest"/>,
    /// except that an unassigned column wins a tie (scipy's rule: it ends the search at once).
    /// Returns -1 when no distance equals <paramref name="lowest"/>.
    /// </summary>
    public static int FindLowest(ReadOnlySpan<double> distances, double lowest, ReadOnlySpan<int> rowForColumn)
    {
        int first = -1;
        for (int j = 0; j < distances.Length; j++)
        {
            if (distances[j] != lowest) continue;
            if (rowForColumn[j] < 0) return j;
            if (first < 0) first = j;
        }
        return first;
    }

    /// <summary>Whether every value is finite (no NaN, no infinity).</summary>
    public static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float value in values)
            if (!float.IsFinite(value)) return false;
        return true;
    }

    /// <summary>Smallest <c>sign*c[j] - v[j]</c> over the row (+inf for an empty row).</summary>
    public static double Smallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals)
    {
        double lowest = double.PositiveInfinity;
        for (int j = 0; j < costRow.Length; j++) lowest = Math.Min(lowest, sign * costRow[j] - columnDuals[j]);
        return lowest;
    }

    /// <summary>
    /// The two smallest <c>(sign*c[j] - v[j], j)</c> pairs in lexicographic order (value, then
    /// lower column), as Jonker-Volgenant's augmenting row reduction needs. Missing entries are
    /// (+inf, -1).
    /// </summary>
    public static TwoSmallest TwoSmallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals)
    {
        double first = double.PositiveInfinity, second = double.PositiveInfinity;
        int firstColumn = -1, secondColumn = -1;
        for (int j = 0; j < costRow.Length; j++)
        {
            double value = sign * costRow[j] - columnDuals[j];
            if (value < first)
            {
                second = first;
                secondColumn = firstColumn;
                first = value;
                firstColumn = j;
            }
            else if (value < second)
            {
                second = value;
                secondColumn = j;
            }
        }
        return new TwoSmallest(first, firstColumn, second, secondColumn);
    }

    /// <summary>
    /// One row of a column-minimum sweep: where <c>sign*c[j] &lt; minima[j]</c> the minimum becomes
    /// it and <c>argminRows[j] = row</c> (strict, so sweeping rows upwards keeps the lowest row on ties).
    /// </summary>
    public static void UpdateColumnMinima(ReadOnlySpan<float> costRow, double sign, long row, Span<double> minima, Span<long> argminRows)
    {
        for (int j = 0; j < costRow.Length; j++)
        {
            double value = sign * costRow[j];
            if (value < minima[j])
            {
                minima[j] = value;
                argminRows[j] = row;
            }
        }
    }

    /// <summary>
    /// A row's candidate list: the <c>columns.Length - 1</c> smallest reduced values <c>sign*c[j] - v[j]</c> in
    /// ascending (value, column) order, followed by the next one, whose value bounds every column left out from
    /// below. Ties go to the lower column, so the list is a function of the row and the duals alone. Needs
    /// <c>0 &lt; columns.Length == values.Length &lt;= costRow.Length</c>.
    /// </summary>
    public static void SelectSmallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals, Span<int> columns, Span<double> values)
    {
        int kept = columns.Length;
        for (int j = 0; j < kept; j++) InsertSorted(columns, values, j, j, sign * costRow[j] - columnDuals[j]);
        for (int j = kept; j < costRow.Length; j++)
        {
            double value = sign * costRow[j] - columnDuals[j];
            if (value < values[kept - 1]) InsertSorted(columns, values, kept - 1, j, value);
        }
    }

    /// <summary>
    /// Inserts (value, column) into the sorted first <paramref name="filled"/> entries (dropping the last one when
    /// full); the column is larger than every listed one, so it goes after the equal values.
    /// </summary>
    internal static void InsertSorted(Span<int> columns, Span<double> values, int filled, int column, double value)
    {
        int position = filled;
        while (position > 0 && values[position - 1] > value)
        {
            if (position < columns.Length)
            {
                values[position] = values[position - 1];
                columns[position] = columns[position - 1];
            }
            position--;
        }
        values[position] = value;
        columns[position] = column;
    }

    /// <summary>
    /// The vector SelectSmallest variants' shared steps: the <paramref name="rank"/>-th smallest value (1-based) of
    /// <paramref name="values"/>, which it reorders (their threshold from the lane minima).
    /// </summary>
    internal static double KthSmallest(Span<double> values, int rank)
    {
        // Insertion sort of the first rank values, then each later value displaces the largest kept if smaller.
        for (int i = 1; i < values.Length; i++)
        {
            double value = values[i];
            int limit = Math.Min(i, rank);
            if (i >= rank && value >= values[rank - 1]) continue;
            int position = limit;
            if (position == rank) position--;
            while (position > 0 && values[position - 1] > value)
            {
                values[position] = values[position - 1];
                position--;
            }
            values[position] = value;
        }
        return values[rank - 1];
    }

    /// <summary>One column for a list being filled (columns arrive in ascending order): fills it, then keeps the smallest.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static void Offer(Span<int> columns, Span<double> values, ref int filled, int column, double value)
    {
        if (filled < columns.Length)
        {
            InsertSorted(columns, values, filled, column, value);
            filled++;
        }
        else if (value < values[filled - 1])
        {
            InsertSorted(columns, values, filled - 1, column, value);
        }
    }

    /// <summary>Offers columns <paramref name="from"/> to the row's end whose reduced value is at or below <paramref name="threshold"/> (a vector pass's scalar tail).</summary>
    internal static void OfferTail(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals, int from, double threshold,
        Span<int> columns, Span<double> values, ref int filled)
    {
        for (int next = from; next < costRow.Length; next++)
        {
            double value = sign * costRow[next] - columnDuals[next];
            if (value <= threshold) Offer(columns, values, ref filled, next, value);
        }
    }
}
