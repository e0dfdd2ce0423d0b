namespace Mfr.Matching;

/// <summary>
/// Moves an optimal dual solution away from the boundary so a warm start survives small changes.
/// The shortest path method leaves about one extra tight (zero reduced cost) edge per row - the
/// edges of its search trees - so after any perturbation, however small, a row's matched column
/// stops being its best column with probability about one half and the row must be re-solved.
/// Each matched pair (i, j) may shift its duals by d (u[i] += d, v[j] -= d) without changing the
/// dual objective; choosing <c>d = (R - C) / 2</c>, where R is row i's smallest reduced cost off the
/// matching and C column j's, balances the two margins. Applied to all pairs at once (Jacobi) it
/// keeps every reduced cost non-negative: an edge (i, l) with slack s loses at most R/2 &lt;= s/2 on
/// its row side and C/2 &lt;= s/2 on its column side. Each sweep is one pass over the matrix.
/// </summary>
internal static class DualBalancing
{
    /// <summary>Balances the duals of a complete optimal assignment in the workspace.</summary>
    /// <param name="problem">The oriented problem just solved.</param>
    /// <param name="workspace">Holds the assignment and duals; rows must all be assigned.</param>
    /// <param name="sweeps">Jacobi sweeps (each one pass over the matrix).</param>
    public static void Balance(AssignmentProblem problem, LinearAssignmentWorkspace workspace, int sweeps)
    {
        int rowCount = problem.RowCount, columnCount = problem.ColumnCount;
        var rowDuals = workspace.RowDuals.AsSpan(0, rowCount);
        var columnDuals = workspace.ColumnDuals.AsSpan(0, columnCount);
        var columnForRow = workspace.ColumnForRow.AsSpan(0, rowCount);
        var columnMinima = workspace.Distances.AsSpan(0, columnCount);
        var rowMinima = workspace.SettledDistances.AsSpan(0, columnCount);
        if (columnCount < 2) return;

        // With more columns than rows, assigned column duals must stay at or below the common dual
        // of the unassigned columns, which caps how far a pair may raise its column dual.
        double common = double.PositiveInfinity;
        if (rowCount < columnCount)
        {
            var rowForColumn = workspace.RowForColumn.AsSpan(0, columnCount);
            for (int column = 0; column < columnCount; column++)
                if (rowForColumn[column] < 0) { common = columnDuals[column]; break; }
        }

        for (int sweep = 0; sweep < sweeps; sweep++)
        {
            columnMinima.Fill(double.PositiveInfinity);
            for (int row = 0; row < rowCount; row++)
            {
                var costRow = problem.Row(row);
                int column = columnForRow[row];
                var best = AssignmentKernels.TwoSmallest(costRow, problem.Sign, columnDuals);
                double offMatching = best.FirstColumn != column ? best.First : best.Second;
                // Row minima are kept per matched column, so both margins of a pair share an index.
                rowMinima[column] = offMatching - rowDuals[row];
                double own = columnMinima[column];
                AssignmentKernels.UpdateReducedColumnMinima(costRow, problem.Sign, columnDuals, rowDuals[row], columnMinima);
                columnMinima[column] = own;
            }
            for (int row = 0; row < rowCount; row++)
            {
                int column = columnForRow[row];
                double shift = 0.5 * (Math.Max(0, rowMinima[column]) - Math.Max(0, columnMinima[column]));
                if (double.IsPositiveInfinity(columnMinima[column])) shift = 0.5 * Math.Max(0, rowMinima[column]);
                shift = Math.Max(shift, columnDuals[column] - common);
                rowDuals[row] += shift;
                columnDuals[column] -= shift;
            }
        }
    }
}
