namespace Mfr.Matching;

/// <summary>
/// The exact linear sum assignment of <see cref="LinearAssignment"/>, searched mostly on candidate lists: when the solver
/// first scans a row, the row lists its <see cref="Candidates"/> smallest reduced costs <c>c[i, j] - v[j]</c> under the
/// column duals then (<see cref="CandidateLists"/>), and the next one, <c>bound[i]</c>, bounds every column left out from below.
/// The shortest augmenting path searches (<see cref="SparseAugmentingPath"/>) relax only the listed edges of a row until
/// the search frontier reaches the row's bound, and the whole row only then; the column duals only decrease during the
/// searches, so the bound stays valid and every search is an exact Dijkstra on the full matrix. The result is the
/// optimum of <see cref="LinearAssignment"/> (when it is unique, the same assignment; on ties, another optimum of the
/// same total), with duals feasible on every edge.
/// </summary>
/// <remarks>
/// Non-square problems and small ones go to the dense solver. Cost: a warm start's pass over the matrix (as the dense
/// solver's), a pass over each row the solver scans to select its list, reduction steps and search steps that cost a
/// list rather than a row, and a pass over a row each time the search frontier reaches its bound. At the GPT-2 shape
/// (h 3072) this replaces the dense solver's Dijkstra passes over whole rows, once most of a refresh (issue 16 item 3).
/// </remarks>
public static class CandidateAssignment
{
    /// <summary>Columns listed per row (the smallest reduced costs).</summary>
    public const int Candidates = 12;

    /// <summary>Below this size the dense solver is as fast and the lists would hold much of each row.</summary>
    public const int MinimumSize = 8 * Candidates;

    /// <summary>
    /// Augmenting row reduction budget per row. A reduction step costs a list here, not a row of the matrix as in the dense
    /// solver (whose budget is 4), so a larger budget pays: at the GPT-2 shape after 25 training steps, budgets of 4, 16, 64
    /// and 256 per row leave 2950, 327, 21 and 15 rows to the searches, and the time falls up to 64 and then stays flat
    /// (bench refresh-timings). The budget still bounds a run of tiny dual decrements (near-ties).
    /// </summary>
    private const int RowReductionStepsPerRow = 64;

    /// <summary>A warm start that frees more than this fraction of the rows restarts from zero duals.</summary>
    private const double ColdRestartFraction = 0.5;

    /// <summary>
    /// The warm start's check judges on its first rows too: when more than <see cref="ColdRestartFraction"/> of the first
    /// this many rows are freed, the solve restarts cold at once instead of reading half the matrix to learn what its
    /// beginning showed. At the GPT-2 shape with 25 steps between refreshes every pair restarts cold, and the check had
    /// cost a tenth of the solves (bench refresh-timings: warm against cold). The optimum does not depend on the start.
    /// </summary>
    private const int ColdRestartSample = 256;

    /// <summary>As <see cref="WarmStartRepair"/>: reduced costs this close to zero (relative) keep a previous pair.</summary>
    private const double TightTolerance = 1e-12;

    /// <summary>
    /// Matches rows to columns maximising the total similarity, into a reusable result; same contract and same optimum as
    /// <see cref="LinearAssignment.MaximizeSimilarity(ReadOnlySpan{float}, int, int, LinearAssignmentResult, LinearAssignmentWorkspace, bool)"/>.
    /// </summary>
    /// <param name="similarity">Row-major matrix, <c>[rowCount, columnCount]</c>, finite.</param>
    /// <param name="rowCount">Rows.</param>
    /// <param name="columnCount">Columns.</param>
    /// <param name="result">Overwritten with the solution; with <paramref name="warmStart"/>, also its starting point.</param>
    /// <param name="workspace">Scratch memory.</param>
    /// <param name="warmStart">Start from the solution in <paramref name="result"/> when it has the same shape and objective.</param>
    public static void MaximizeSimilarity(ReadOnlySpan<float> similarity, int rowCount, int columnCount, LinearAssignmentResult result, CandidateAssignmentWorkspace workspace, bool warmStart = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(workspace);
        if (rowCount != columnCount || rowCount < MinimumSize || similarity.Length != (long)rowCount * columnCount)
            LinearAssignment.MaximizeSimilarity(similarity, rowCount, columnCount, result, workspace.Dense, warmStart);
        else
            Solve(similarity, rowCount, -1.0, result, workspace, warmStart);
    }

    private static void Solve(ReadOnlySpan<float> matrix, int size, double sign, LinearAssignmentResult result, CandidateAssignmentWorkspace workspace, bool warmStart)
    {
        workspace.EnsureCapacity(size, Candidates);
        var problem = new AssignmentProblem(matrix, size, size, sign, transposed: false);
        var rowDuals = workspace.RowDuals.AsSpan(0, size);
        var columnDuals = workspace.ColumnDuals.AsSpan(0, size);
        var columnForRow = workspace.ColumnForRow.AsSpan(0, size);
        var rowForColumn = workspace.RowForColumn.AsSpan(0, size);
        var freeRows = workspace.FreeRows;
        // Search state starts clean even if an earlier solve on this workspace was interrupted by an exception.
        workspace.SettledBy.AsSpan(0, 2 * size).Clear();
        workspace.Distances.AsSpan(0, 2 * size).Fill(double.PositiveInfinity);
        workspace.HeapPositions.AsSpan(0, 2 * size).Fill(-1);
        workspace.HasList.AsSpan(0, size).Clear();

        // Warm start, as WarmStartRepair: the previous column duals stay, each row takes the largest feasible dual (its
        // smallest reduced cost over the whole row) and keeps its previous pair only if that pair is (within rounding) tight.
        bool warm = warmStart && result.CanWarmStart(size, size, AssignmentObjective.MaximizeSimilarity);
        int freeCount = 0, firstUnchecked = 0;
        bool restartCold = false;
        if (warm)
        {
            result.ColumnDuals.CopyTo(columnDuals);
            result.ColumnForRow.CopyTo(columnForRow);
            result.RowForColumn.CopyTo(rowForColumn);
            int checkedRows = 0;
            for (int row = 0; row < size && freeCount <= ColdRestartFraction * size; row++, checkedRows++)
            {
                if (checkedRows == ColdRestartSample && freeCount > ColdRestartFraction * ColdRestartSample)
                {
                    restartCold = true;
                    break;
                }
                problem.ThrowIfRowNotFinite(row);
                int column = columnForRow[row];
                double smallest = AssignmentKernels.Smallest(problem.Row(row), sign, columnDuals);
                double matched = column >= 0 ? problem.Cost(row, column) - columnDuals[column] : double.PositiveInfinity;
                rowDuals[row] = matched;
                if (!(matched - smallest <= TightTolerance * (1 + Math.Abs(matched)))) freeRows[freeCount++] = row;
            }
            firstUnchecked = checkedRows;
        }
        int freedByWarmStart = warm ? freeCount : 0;
        // Past a large change most rows are freed, and the reductions then do better from zero duals than from stale ones
        // (measured at the GPT-2 shape with 25 steps between refreshes, where 56-98% of rows are freed; bench refresh-timings).
        bool cold = !warm || restartCold || freeCount > ColdRestartFraction * size;
        if (cold)
        {
            // The warm pass stops as soon as it has freed too many rows. The rows it did not reach are checked when their
            // first list is selected (CandidateLists.Ensure), which every row of a cold solve has, instead of in a pass here.
            columnDuals.Clear();
            columnForRow.Fill(-1);
            rowForColumn.Fill(-1);
            rowDuals.Clear();
            for (int row = 0; row < size; row++) freeRows[row] = row;
            freeCount = size;
        }
        else
        {
            for (int f = 0; f < freeCount; f++)
            {
                int row = freeRows[f];
                if (columnForRow[row] >= 0) rowForColumn[columnForRow[row]] = -1;
                columnForRow[row] = -1;
                // A free row's own dual only shifts its search's first distances (ShortestAugmentingPath); keep it finite.
                rowDuals[row] = 0;
            }
        }

        int reductionSteps = 0;
        long scannedRows = 0, fullRowScans = 0;
        freeCount = SparseRowReduction.Reduce(problem, workspace, freeCount, RowReductionStepsPerRow * (long)size, ref reductionSteps, ref fullRowScans);
        // Assigned rows are tight: u[i] = c[i, column] - v[column], the row's smallest reduced cost.
        for (int row = 0; row < size; row++)
        {
            int column = columnForRow[row];
            if (column >= 0) rowDuals[row] = problem.Cost(row, column) - columnDuals[column];
        }
        for (int f = 0; f < freeCount; f++) SparseAugmentingPath.Augment(problem, workspace, freeRows[f], f + 1, ref scannedRows, ref fullRowScans);

        // Every row is read only after its check; a row no search reached (none in practice) is checked before the result stands.
        for (int row = firstUnchecked; row < size; row++)
            if (!workspace.HasList[row]) problem.ThrowIfRowNotFinite(row);
        result.Prepare(size, size, AssignmentObjective.MaximizeSimilarity);
        columnForRow.CopyTo(result.WritableColumnForRow);
        rowForColumn.CopyTo(result.WritableRowForColumn);
        rowDuals.CopyTo(result.WritableRowDuals);
        columnDuals.CopyTo(result.WritableColumnDuals);
        double total = 0;
        for (int row = 0; row < size; row++) total += matrix[row * size + columnForRow[row]];
        result.Complete(total, new LinearAssignmentStatistics(warm, freedByWarmStart, reductionSteps, freeCount, scannedRows) { FullRowScans = fullRowScans });
    }
}
