namespace Mfr.Matching;

/// <summary>
/// The cheap first phases of Jonker and Volgenant (1987), "A shortest augmenting path algorithm for
/// dense and sparse linear assignment problems", as in their lap.cpp: column reduction with
/// reduction transfer (square problems only) and augmenting row reduction. They assign most rows
/// of a random dense problem in O(n^2) each, leaving few rows for the O(n^2)-per-row shortest
/// path phase. Invariant kept for <see cref="ShortestAugmentingPath"/>: every assigned row's column
/// minimises <c>cost[i, j] - v[j]</c> over j, and, when there are more columns than rows, every
/// unassigned column keeps the common dual value it started with (0), the largest of all duals.
/// </summary>
internal static class JonkerVolgenantInitialization
{
    /// <summary>
    /// Column reduction and reduction transfer for a square problem: <c>v[j] = min_i cost[i, j]</c>,
    /// each column's minimising row takes it if still free. Writes the assignment and duals into the
    /// workspace and the unassigned rows into <see cref="LinearAssignmentWorkspace.FreeRows"/>.
    /// </summary>
    /// <returns>The number of free rows.</returns>
    public static int ReduceColumns(AssignmentProblem problem, LinearAssignmentWorkspace workspace)
    {
        int size = problem.RowCount;
        var columnDuals = workspace.ColumnDuals.AsSpan(0, size);
        var argminRows = workspace.PathRows.AsSpan(0, size);
        var columnForRow = workspace.ColumnForRow.AsSpan(0, size);
        var rowForColumn = workspace.RowForColumn.AsSpan(0, size);
        var matchCounts = workspace.ScannedRows.AsSpan(0, size);
        var freeRows = workspace.FreeRows.AsSpan(0, size);

        columnDuals.Fill(double.PositiveInfinity);
        for (int row = 0; row < size; row++)
        {
            problem.ThrowIfRowNotFinite(row);
            AssignmentKernels.UpdateColumnMinima(problem.Row(row), problem.Sign, row, columnDuals, argminRows);
        }

        columnForRow.Fill(-1);
        rowForColumn.Fill(-1);
        matchCounts.Clear();
        // Reverse column order, as lap.cpp ("gives better results").
        for (int column = size - 1; column >= 0; column--)
        {
            int row = (int)argminRows[column];
            if (++matchCounts[row] == 1)
            {
                columnForRow[row] = column;
                rowForColumn[column] = row;
            }
            else if (columnDuals[column] < columnDuals[columnForRow[row]])
            {
                rowForColumn[columnForRow[row]] = -1;
                columnForRow[row] = column;
                rowForColumn[column] = row;
            }
        }

        int freeCount = 0;
        for (int row = 0; row < size; row++)
        {
            if (matchCounts[row] == 0)
            {
                freeRows[freeCount++] = row;
            }
            else if (matchCounts[row] == 1 && size > 1)
            {
                // Reduction transfer: lower the column's dual until the row's second-best column ties
                // with it, which leaves the row feasible and gives later rows room in that column.
                int column = columnForRow[row];
                var best = AssignmentKernels.TwoSmallest(problem.Row(row), problem.Sign, columnDuals);
                double otherMinimum = best.FirstColumn != column ? best.First : best.Second;
                double rowReduced = problem.Cost(row, column) - columnDuals[column];
                columnDuals[column] -= otherMinimum - rowReduced;
            }
        }
        return freeCount;
    }

    /// <summary>
    /// Augmenting row reduction (two passes, as lap.cpp) over the free rows: a free row takes its
    /// best column, lowering that column's dual so its second-best column ties, and the evicted
    /// row continues at once; on a tie it takes the second-best column and the evicted row waits for
    /// the next pass. At most <paramref name="stepBudget"/> steps (each a row scan): a run of tiny
    /// dual decrements can otherwise last long, and the shortest path phase finishes exactly anyway.
    /// </summary>
    /// <param name="problem">The oriented problem.</param>
    /// <param name="workspace">Assignment, duals and the free rows <c>FreeRows[0..freeCount)</c>.</param>
    /// <param name="freeCount">Free rows on entry.</param>
    /// <param name="stepBudget">Maximum row scans.</param>
    /// <param name="steps">Incremented by the steps taken.</param>
    /// <returns>The number of rows still free, listed in <c>FreeRows</c>.</returns>
    public static int ReduceRows(AssignmentProblem problem, LinearAssignmentWorkspace workspace, int freeCount, long stepBudget, ref int steps)
    {
        if (problem.ColumnCount < 2) return freeCount;
        var columnDuals = workspace.ColumnDuals.AsSpan(0, problem.ColumnCount);
        var columnForRow = workspace.ColumnForRow.AsSpan(0, problem.RowCount);
        var rowForColumn = workspace.RowForColumn.AsSpan(0, problem.ColumnCount);
        var freeRows = workspace.FreeRows.AsSpan(0, problem.RowCount);
        long stepsLeft = stepBudget;

        for (int pass = 0; pass < 2 && freeCount > 0; pass++)
        {
            int next = 0;
            int previousCount = freeCount;
            freeCount = 0;
            // freeCount <= next always holds, so rows kept for the next pass overwrite consumed slots.
            while (next < previousCount)
            {
                if (stepsLeft-- <= 0)
                {
                    while (next < previousCount) freeRows[freeCount++] = freeRows[next++];
                    return freeCount;
                }
                int row = freeRows[next++];
                steps++;
                var best = AssignmentKernels.TwoSmallest(problem.Row(row), problem.Sign, columnDuals);
                Step(row, best, columnDuals, columnForRow, rowForColumn, freeRows, ref next, ref freeCount);
            }
        }
        return freeCount;
    }

    /// <summary>
    /// One step of augmenting row reduction for free <paramref name="row"/> given its two smallest reduced costs: it takes
    /// its best column, lowering that column's dual to the second-best cost, and the evicted row continues at once
    /// (<c>freeRows[--next]</c>); on a tie it takes the second-best column and the evicted row waits for the next pass
    /// (<c>freeRows[freeCount++]</c>). Shared by the dense reduction and the candidate-list one (<see cref="SparseRowReduction"/>).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static void Step(int row, TwoSmallest best, Span<double> columnDuals, Span<int> columnForRow, Span<int> rowForColumn, Span<int> freeRows,
        ref int next, ref int freeCount)
    {
        int column = best.FirstColumn;
        int evicted = rowForColumn[column];
        bool strict = best.First < best.Second;
        if (strict)
        {
            columnDuals[column] -= best.Second - best.First;
        }
        else if (evicted >= 0)
        {
            column = best.SecondColumn;
            evicted = rowForColumn[column];
        }
        if (evicted >= 0) columnForRow[evicted] = -1;
        columnForRow[row] = column;
        rowForColumn[column] = row;
        if (evicted >= 0)
        {
            if (strict) freeRows[--next] = evicted;
            else freeRows[freeCount++] = evicted;
        }
    }
}
