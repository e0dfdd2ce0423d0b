namespace Mfr.Matching;

/// <summary>
/// One shortest augmenting path search with dual update: Dijkstra on reduced costs from a free row
/// to the nearest unassigned column, then the duals move so the path becomes tight and the
/// assignment flips along it. A port of scipy's rectangular_lsap.cpp (Crouse 2016, "On implementing
/// 2D rectangular assignment algorithms", algorithm 1) with dense SIMD row scans instead of the
/// list of remaining columns: settled columns are masked with +-inf, so each step is one
/// contiguous pass over a row and over the distances.
/// </summary>
/// <remarks>
/// Needs: every assigned row i has <c>cost[i, j] - u[i] - v[j] &gt;= 0</c> for all j, with equality on
/// its own column; when columns outnumber rows, unassigned columns share the largest dual value.
/// The free row's own dual may be anything (it only shifts the first layer of distances).
/// Both properties hold afterwards, so searches can follow each other; the assignment is optimal
/// once every row is assigned (Crouse 2016, section III).
/// </remarks>
internal static class ShortestAugmentingPath
{
    /// <summary>Assigns free row <paramref name="startRow"/>, re-routing rows along the shortest path.</summary>
    /// <returns>The number of rows scanned.</returns>
    public static int Augment(AssignmentProblem problem, LinearAssignmentWorkspace workspace, int startRow)
    {
        int columnCount = problem.ColumnCount;
        var rowDuals = workspace.RowDuals.AsSpan(0, problem.RowCount);
        var columnDuals = workspace.ColumnDuals.AsSpan(0, columnCount);
        var distances = workspace.Distances.AsSpan(0, columnCount);
        var maskedColumnDuals = workspace.MaskedColumnDuals.AsSpan(0, columnCount);
        var settledDistances = workspace.SettledDistances.AsSpan(0, columnCount);
        var pathRows = workspace.PathRows.AsSpan(0, columnCount);
        var columnForRow = workspace.ColumnForRow.AsSpan(0, problem.RowCount);
        var rowForColumn = workspace.RowForColumn.AsSpan(0, columnCount);
        var scannedRows = workspace.ScannedRows;
        var settledColumns = workspace.SettledColumns;

        distances.Fill(double.PositiveInfinity);
        columnDuals.CopyTo(maskedColumnDuals);
        int scannedCount = 0, settledCount = 0;
        double pathLength = 0;
        int row = startRow;
        int sink;
        while (true)
        {
            scannedRows[scannedCount++] = row;
            int column = AssignmentKernels.RelaxRowAndFindLowest(
                problem.Row(row), problem.Sign, maskedColumnDuals, pathLength - rowDuals[row], row, distances, pathRows, rowForColumn, out double lowest);
            if (!double.IsFinite(lowest))
                throw new InvalidOperationException($"No augmenting path from row {startRow}: the costs must be finite.");
            pathLength = lowest;
            settledDistances[column] = lowest;
            settledColumns[settledCount++] = column;
            maskedColumnDuals[column] = double.NegativeInfinity;
            distances[column] = double.PositiveInfinity;
            if (rowForColumn[column] < 0)
            {
                sink = column;
                break;
            }
            row = rowForColumn[column];
        }

        // Dual update (Crouse 2016, eq. 14): every scanned row and settled column moves by its slack
        // to the sink distance, which makes the tree edges tight and keeps all reduced costs >= 0.
        rowDuals[startRow] += pathLength;
        for (int s = 1; s < scannedCount; s++)
        {
            int scanned = scannedRows[s];
            rowDuals[scanned] += pathLength - settledDistances[columnForRow[scanned]];
        }
        for (int s = 0; s < settledCount; s++)
        {
            int column = settledColumns[s];
            columnDuals[column] -= pathLength - settledDistances[column];
        }

        int current = sink;
        while (true)
        {
            int pathRow = (int)pathRows[current];
            rowForColumn[current] = pathRow;
            (columnForRow[pathRow], current) = (current, columnForRow[pathRow]);
            if (pathRow == startRow) break;
        }
        return scannedCount;
    }
}
