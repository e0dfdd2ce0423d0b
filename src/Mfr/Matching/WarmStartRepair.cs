namespace Mfr.Matching;

/// <summary>
/// Turns the previous solution (assignment + column duals) into a valid start for the changed
/// matrix: the standard re-initialisation of the shortest augmenting path method. The column duals
/// are kept; each row takes the largest feasible dual <c>u[i] = min_j (cost[i, j] - v[j])</c>; a row
/// keeps its previous column only if that column still attains the minimum (its pair is tight),
/// otherwise it is freed for the augmenting phases. Measured at h = 3072: between SAEs that agree
/// (a permuted noisy copy) 0-3 rows are freed per step, so the warm solve is one pass over the
/// matrix; between unrelated random sets about a quarter of the rows are freed whatever the size of
/// the change, because the reductions leave most rows with an exact tie between their two best
/// columns, which any perturbation breaks one way or the other.
/// </summary>
internal static class WarmStartRepair
{
    /// <summary>
    /// Reduced costs within this many units (relative to the entry) count as zero: the duals carry
    /// rounding from earlier solves (~1e-16 relative per update), and a row freed by rounding alone
    /// costs a search for nothing. The optimality gap this allows is below 1e-11 per row.
    /// </summary>
    private const double TightTolerance = 1e-12;

    /// <summary>Keeps the tight pairs, frees the other rows and restores the duals' invariants.</summary>
    /// <param name="problem">The new oriented problem (same shape as the previous one).</param>
    /// <param name="workspace">Holds the previous assignment and column duals on entry.</param>
    /// <returns>The number of free rows, listed in <see cref="LinearAssignmentWorkspace.FreeRows"/>.</returns>
    public static int Repair(AssignmentProblem problem, LinearAssignmentWorkspace workspace)
    {
        var rowDuals = workspace.RowDuals.AsSpan(0, problem.RowCount);
        var columnDuals = workspace.ColumnDuals.AsSpan(0, problem.ColumnCount);
        var columnForRow = workspace.ColumnForRow.AsSpan(0, problem.RowCount);
        var rowForColumn = workspace.RowForColumn.AsSpan(0, problem.ColumnCount);
        var freeRows = workspace.FreeRows;

        int freeCount = 0;
        for (int row = 0; row < problem.RowCount; row++)
        {
            problem.ThrowIfRowNotFinite(row);
            int column = columnForRow[row];
            if (column < 0)
            {
                freeRows[freeCount++] = row;
                continue;
            }
            double matched = problem.Cost(row, column) - columnDuals[column];
            double smallest = AssignmentKernels.Smallest(problem.Row(row), problem.Sign, columnDuals);
            rowDuals[row] = matched;
            if (matched - smallest > TightTolerance * (1 + Math.Abs(matched))) freeRows[freeCount++] = row;
        }
        for (int f = 0; f < freeCount; f++)
        {
            int row = freeRows[f];
            if (columnForRow[row] >= 0) rowForColumn[columnForRow[row]] = -1;
            columnForRow[row] = -1;
            rowDuals[row] = 0;
        }
        if (problem.RowCount < problem.ColumnCount) freeCount = EqualizeUnassignedColumnDuals(problem, workspace, freeCount);
        return freeCount;
    }

    /// <summary>
    /// With more columns than rows, optimality needs every unassigned column to carry the same dual,
    /// at least as large as any assigned column's (they stand for one shared dummy row). Columns the
    /// repair freed have smaller duals; raising one to the common value can make some assigned row
    /// infeasible in that column, so that row is freed too and its column queued, until no row is.
    /// Lowering a dual never breaks feasibility, so columns above the common value simply drop to it.
    /// </summary>
    private static int EqualizeUnassignedColumnDuals(AssignmentProblem problem, LinearAssignmentWorkspace workspace, int freeCount)
    {
        var rowDuals = workspace.RowDuals.AsSpan(0, problem.RowCount);
        var columnDuals = workspace.ColumnDuals.AsSpan(0, problem.ColumnCount);
        var columnForRow = workspace.ColumnForRow.AsSpan(0, problem.RowCount);
        var rowForColumn = workspace.RowForColumn.AsSpan(0, problem.ColumnCount);
        var freeRows = workspace.FreeRows;
        var queue = workspace.SettledColumns;

        double common = double.NegativeInfinity;
        for (int column = 0; column < problem.ColumnCount; column++)
            if (rowForColumn[column] >= 0) common = Math.Max(common, columnDuals[column]);
        if (double.IsNegativeInfinity(common)) common = 0;

        int queueEnd = 0;
        for (int column = 0; column < problem.ColumnCount; column++)
        {
            if (rowForColumn[column] >= 0) continue;
            if (columnDuals[column] < common) queue[queueEnd++] = column;
            else columnDuals[column] = common;
        }

        int queueStart = 0;
        while (queueStart < queueEnd)
        {
            int roundEnd = queueEnd;
            for (int q = queueStart; q < roundEnd; q++) columnDuals[queue[q]] = common;
            for (int row = 0; row < problem.RowCount; row++)
            {
                if (columnForRow[row] < 0) continue;
                double tolerance = TightTolerance * (1 + Math.Abs(rowDuals[row]));
                for (int q = queueStart; q < roundEnd; q++)
                {
                    if (problem.Cost(row, queue[q]) - common - rowDuals[row] >= -tolerance) continue;
                    int column = columnForRow[row];
                    columnForRow[row] = -1;
                    rowForColumn[column] = -1;
                    rowDuals[row] = 0;
                    freeRows[freeCount++] = row;
                    if (columnDuals[column] < common) queue[queueEnd++] = column;
                    else columnDuals[column] = common;
                    break;
                }
            }
            queueStart = roundEnd;
        }
        return freeCount;
    }
}
