namespace Mfr.Matching;

/// <summary>
/// Jonker-Volgenant augmenting row reduction (<see cref="JonkerVolgenantInitialization.ReduceRows"/>) on the candidate
/// lists of <see cref="CandidateAssignment"/>: a free row takes its best column, lowering that column's dual so its
/// second-best column ties, and the evicted row continues at once; on a tie it takes the second-best column and the
/// evicted row waits for the next pass. The two smallest reduced costs of a row are those of its list whenever the
/// second is at most the row's bound (every unlisted column costs at least the bound); otherwise the row's list is
/// selected again under the current duals first. Each step costs a list, not a row of the matrix.
/// </summary>
internal static class SparseRowReduction
{
    /// <summary>Reduces the free rows <c>FreeRows[0..freeCount)</c>; at most <paramref name="stepBudget"/> steps.</summary>
    /// <returns>The number of rows still free, listed in <c>FreeRows</c>.</returns>
    public static int Reduce(AssignmentProblem problem, CandidateAssignmentWorkspace workspace, int freeCount, long stepBudget, ref int steps, ref long reselections)
    {
        var columnDuals = workspace.ColumnDuals;
        var columnForRow = workspace.ColumnForRow;
        var rowForColumn = workspace.RowForColumn;
        var freeRows = workspace.FreeRows;
        long stepsLeft = stepBudget;

        for (int pass = 0; pass < 2 && freeCount > 0; pass++)
        {
            int next = 0;
            int previousCount = freeCount;
            freeCount = 0;
            while (next < previousCount)
            {
                if (stepsLeft-- <= 0)
                {
                    while (next < previousCount) freeRows[freeCount++] = freeRows[next++];
                    return freeCount;
                }
                int row = freeRows[next++];
                steps++;
                CandidateLists.Ensure(problem, workspace, row);
                var best = TwoSmallestListed(workspace, row);
                if (best.Second > workspace.Bounds[row])
                {
                    CandidateLists.Select(problem, workspace, row);
                    reselections++;
                    best = TwoSmallestListed(workspace, row);
                }
                JonkerVolgenantInitialization.Step(row, best, columnDuals, columnForRow, rowForColumn, freeRows, ref next, ref freeCount);
            }
        }
        return freeCount;
    }

    /// <summary>The two smallest (reduced cost, column) pairs of the row's list under the current duals, lexicographic.</summary>
    private static TwoSmallest TwoSmallestListed(CandidateAssignmentWorkspace workspace, int row)
    {
        var columns = workspace.CandidateColumns;
        var costs = workspace.CandidateCosts;
        var columnDuals = workspace.ColumnDuals;
        double first = double.PositiveInfinity, second = double.PositiveInfinity;
        int firstColumn = -1, secondColumn = -1;
        int end = row * workspace.Stride + workspace.Stride;
        for (int e = row * workspace.Stride; e < end; e++)
        {
            int column = columns[e];
            double value = costs[e] - columnDuals[column];
            if (value < first || (value == first && column < firstColumn))
            {
                second = first;
                secondColumn = firstColumn;
                first = value;
                firstColumn = column;
            }
            else if (value < second || (value == second && column < secondColumn))
            {
                second = value;
                secondColumn = column;
            }
        }
        return new TwoSmallest(first, firstColumn, second, secondColumn);
    }
}
