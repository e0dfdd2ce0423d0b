namespace Mfr.Matching;

/// <summary>
/// <see cref="ShortestAugmentingPath"/> on the candidate lists of <see cref="CandidateAssignment"/>: Dijkstra on reduced
/// costs <c>c[i, j] - u[i] - v[j]</c> with a binary heap, then the same dual update (Crouse 2016, eq. 14) and path flip.
/// A scanned row relaxes its listed edges at once and enters the heap a second time, as a row node keyed by the least
/// distance any unlisted column could get through it: its distance plus <c>bound[i] - u[i]</c>, where <c>bound[i]</c>
/// is the smallest reduced cost of its unlisted columns under the duals its list was selected with (column duals only
/// decrease, so it stays a lower bound). When that node leaves the heap before the path is found, the row selects its list
/// anew under the current duals, relaxes it and re-enters behind its new bound (or, if the bound did not move, relaxes the
/// whole row). Every column therefore leaves the heap at its exact shortest distance over the full matrix, so the duals
/// stay feasible on every edge, as in the dense search.
/// </summary>
internal static class SparseAugmentingPath
{
    /// <summary>Assigns free row <paramref name="startRow"/>, re-routing rows along the shortest path.</summary>
    /// <param name="problem">The square problem.</param>
    /// <param name="workspace">Lists, duals and assignment; the search scratch is left clean for the next search.</param>
    /// <param name="startRow">A free row.</param>
    /// <param name="search">A number larger than any earlier search's in this solve (marks settled nodes).</param>
    /// <param name="scannedRows">Incremented by the rows scanned.</param>
    /// <param name="fullRowScans">Incremented by the rows relaxed in full.</param>
    public static void Augment(AssignmentProblem problem, CandidateAssignmentWorkspace workspace, int startRow, int search, ref long scannedRows, ref long fullRowScans)
    {
        int size = problem.ColumnCount;
        var rowDuals = workspace.RowDuals;
        var columnDuals = workspace.ColumnDuals;
        var columnForRow = workspace.ColumnForRow;
        var rowForColumn = workspace.RowForColumn;
        var distances = workspace.Distances;
        var pathRows = workspace.PathRows;
        var settledBy = workspace.SettledBy;
        var reached = workspace.ReachedNodes;
        var settled = workspace.SettledColumns;
        var scanned = workspace.ScannedRows;
        var rowBases = workspace.RowBases;
        var columns = workspace.CandidateColumns;
        var costs = workspace.CandidateCosts;
        var bounds = workspace.Bounds;
        int stride = workspace.Stride;
        var heap = new NodeHeap(workspace.Heap, workspace.HeapPositions, rowForColumn, size);

        int reachedCount = 0, settledCount = 0, scannedCount = 0;
        int row = startRow;
        double rowBase = -rowDuals[startRow];
        double pathLength;
        int sink;
        while (true)
        {
            // Scan a row: its listed edges now, the rest behind its row node.
            scanned[scannedCount++] = row;
            rowBases[row] = rowBase;
            CandidateLists.Ensure(problem, workspace, row);
            int end = row * stride + stride;
            for (int e = row * stride; e < end; e++)
            {
                int column = columns[e];
                if (settledBy[column] == search) continue;
                double distance = rowBase + (costs[e] - columnDuals[column]);
                if (distance < distances[column])
                {
                    if (double.IsPositiveInfinity(distances[column])) reached[reachedCount++] = column;
                    distances[column] = distance;
                    pathRows[column] = row;
                    heap.InsertOrDecrease(column, distance);
                }
            }
            int rowNode = size + row;
            double rowKey = rowBase + bounds[row];
            if (rowKey < double.PositiveInfinity)
            {
                reached[reachedCount++] = rowNode;
                distances[rowNode] = rowKey;
                heap.InsertOrDecrease(rowNode, rowKey);
            }

            int next;
            while (true)
            {
                if (heap.IsEmpty) throw new InvalidOperationException($"No augmenting path from row {startRow}: the costs must be finite.");
                next = heap.RemoveMinimum();
                if (next < size) break;
                // A row node: its unlisted columns may now be the nearest. The row lists its smallest reduced costs under
                // the current duals instead (a valid bound for the rest of the solve, as duals only decrease), relaxes the
                // new ones and re-enters the heap behind them; if the bound did not move, it relaxes the whole row.
                int fullRow = next - size;
                double rowNodeKey = distances[next];
                double fullBase = rowBases[fullRow];
                fullRowScans++;
                var costRow = problem.Row(fullRow);
                CandidateLists.Select(problem, workspace, fullRow);
                double newKey = fullBase + bounds[fullRow];
                if (newKey > rowNodeKey)
                {
                    for (int e = fullRow * stride; e < fullRow * stride + stride; e++)
                    {
                        int column = columns[e];
                        if (settledBy[column] == search) continue;
                        double distance = fullBase + (costs[e] - columnDuals[column]);
                        if (distance < distances[column])
                        {
                            if (double.IsPositiveInfinity(distances[column])) reached[reachedCount++] = column;
                            distances[column] = distance;
                            pathRows[column] = fullRow;
                            heap.InsertOrDecrease(column, distance);
                        }
                    }
                    distances[next] = newKey;
                    heap.InsertOrDecrease(next, newKey);
                    continue;
                }
                settledBy[next] = search;
                for (int column = 0; column < size; column++)
                {
                    if (settledBy[column] == search) continue;
                    double distance = fullBase + (problem.Sign * costRow[column] - columnDuals[column]);
                    if (distance < distances[column])
                    {
                        if (double.IsPositiveInfinity(distances[column])) reached[reachedCount++] = column;
                        distances[column] = distance;
                        pathRows[column] = fullRow;
                        heap.InsertOrDecrease(column, distance);
                    }
                }
            }
            pathLength = distances[next];
            settledBy[next] = search;
            settled[settledCount++] = next;
            if (rowForColumn[next] < 0)
            {
                sink = next;
                break;
            }
            row = rowForColumn[next];
            rowBase = pathLength - rowDuals[row];
        }

        // Dual update (Crouse 2016, eq. 14), as ShortestAugmentingPath: tree edges become tight, all reduced costs stay >= 0.
        rowDuals[startRow] += pathLength;
        for (int s = 1; s < scannedCount; s++)
        {
            int r = scanned[s];
            rowDuals[r] += pathLength - distances[columnForRow[r]];
        }
        for (int s = 0; s < settledCount; s++)
        {
            int column = settled[s];
            columnDuals[column] -= pathLength - distances[column];
        }
        int current = sink;
        while (true)
        {
            int pathRow = pathRows[current];
            rowForColumn[current] = pathRow;
            (columnForRow[pathRow], current) = (current, columnForRow[pathRow]);
            if (pathRow == startRow) break;
        }
        var positions = workspace.HeapPositions;
        for (int r = 0; r < reachedCount; r++)
        {
            distances[reached[r]] = double.PositiveInfinity;
            positions[reached[r]] = -1;
        }
        scannedRows += scannedCount;
    }
}
