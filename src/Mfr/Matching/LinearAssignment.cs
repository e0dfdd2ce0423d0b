namespace Mfr.Matching;

/// <summary>
/// Exact linear sum assignment on dense rectangular matrices: the one-to-one matching of
/// <c>min(rows, columns)</c> pairs with the largest total similarity (or smallest total cost), as
/// scipy.optimize.linear_sum_assignment. MMCS and the MFR penalty (SPEC 2) match decoder rows of
/// two SAEs this way on their cosine matrix.
/// </summary>
/// <remarks>
/// Algorithm: Jonker-Volgenant column reduction and augmenting row reduction, then shortest
/// augmenting paths with dual potentials (Crouse 2016, scipy's rectangular_lsap.cpp); O(n^3) worst
/// case, far less on dense cosine matrices. Inputs are float; duals and distances are double, so
/// the optimum is exact for the float values, and ties are broken deterministically. NaN or
/// infinite entries are rejected with an ArgumentException as the first pass reads each row (the
/// result is then left without a solution). A matrix with more rows than columns is solved
/// transposed. A warm start keeps the previous column duals, gives each row its largest feasible
/// dual, keeps the previous pairs that are still tight and re-solves only the other rows; it
/// returns the same optimum as a cold solve.
/// </remarks>
public static class LinearAssignment
{
    /// <summary>Matches rows to columns maximising the total similarity (allocates its result).</summary>
    /// <param name="similarity">Row-major matrix, <c>[rowCount, columnCount]</c>, finite.</param>
    /// <param name="rowCount">Rows.</param>
    /// <param name="columnCount">Columns.</param>
    /// <returns>The optimal assignment and its duals.</returns>
    public static LinearAssignmentResult MaximizeSimilarity(ReadOnlySpan<float> similarity, int rowCount, int columnCount)
    {
        var result = new LinearAssignmentResult();
        MaximizeSimilarity(similarity, rowCount, columnCount, result, new LinearAssignmentWorkspace());
        return result;
    }

    /// <summary>
    /// Matches rows to columns maximising the total similarity, into a reusable result; allocates
    /// nothing once <paramref name="result"/> and <paramref name="workspace"/> have served a problem
    /// this large.
    /// </summary>
    /// <param name="similarity">Row-major matrix, <c>[rowCount, columnCount]</c>, finite.</param>
    /// <param name="rowCount">Rows.</param>
    /// <param name="columnCount">Columns.</param>
    /// <param name="result">Overwritten with the solution; with <paramref name="warmStart"/>, also its starting point.</param>
    /// <param name="workspace">Scratch memory.</param>
    /// <param name="warmStart">
    /// Start from the solution in <paramref name="result"/> when it has the same shape and objective
    /// (otherwise solve cold). The answer is the same optimum either way.
    /// </param>
    public static void MaximizeSimilarity(ReadOnlySpan<float> similarity, int rowCount, int columnCount, LinearAssignmentResult result, LinearAssignmentWorkspace workspace, bool warmStart = false)
        => Solve(similarity, rowCount, columnCount, AssignmentObjective.MaximizeSimilarity, result, workspace, warmStart);

    /// <summary>Matches rows to columns minimising the total cost (allocates its result).</summary>
    /// <param name="cost">Row-major matrix, <c>[rowCount, columnCount]</c>, finite.</param>
    /// <param name="rowCount">Rows.</param>
    /// <param name="columnCount">Columns.</param>
    /// <returns>The optimal assignment and its duals.</returns>
    public static LinearAssignmentResult MinimizeCost(ReadOnlySpan<float> cost, int rowCount, int columnCount)
    {
        var result = new LinearAssignmentResult();
        MinimizeCost(cost, rowCount, columnCount, result, new LinearAssignmentWorkspace());
        return result;
    }

    /// <summary>Matches rows to columns minimising the total cost, into a reusable result.</summary>
    /// <param name="cost">Row-major matrix, <c>[rowCount, columnCount]</c>, finite.</param>
    /// <param name="rowCount">Rows.</param>
    /// <param name="columnCount">Columns.</param>
    /// <param name="result">Overwritten with the solution; with <paramref name="warmStart"/>, also its starting point.</param>
    /// <param name="workspace">Scratch memory.</param>
    /// <param name="warmStart">Start from the solution in <paramref name="result"/> when it has the same shape and objective.</param>
    public static void MinimizeCost(ReadOnlySpan<float> cost, int rowCount, int columnCount, LinearAssignmentResult result, LinearAssignmentWorkspace workspace, bool warmStart = false)
        => Solve(cost, rowCount, columnCount, AssignmentObjective.MinimizeCost, result, workspace, warmStart);

    private static void Solve(ReadOnlySpan<float> matrix, int rowCount, int columnCount, AssignmentObjective objective, LinearAssignmentResult result, LinearAssignmentWorkspace workspace, bool warmStart)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(workspace);
        if (rowCount < 0 || columnCount < 0)
            throw new ArgumentException($"Matrix sizes must be non-negative, got [{rowCount}, {columnCount}].");
        if (matrix.Length != (long)rowCount * columnCount)
            throw new ArgumentException($"The matrix has {matrix.Length} values but its shape [{rowCount}, {columnCount}] needs {(long)rowCount * columnCount}.");

        bool transposed = rowCount > columnCount;
        int orientedRows = Math.Min(rowCount, columnCount);
        int orientedColumns = Math.Max(rowCount, columnCount);
        workspace.EnsureCapacity(orientedRows, orientedColumns);
        ReadOnlySpan<float> oriented = matrix;
        if (transposed)
        {
            var buffer = workspace.EnsureTransposed(matrix.Length).AsSpan(0, matrix.Length);
            Transpose(matrix, rowCount, columnCount, buffer);
            oriented = buffer;
        }
        double sign = objective == AssignmentObjective.MaximizeSimilarity ? -1.0 : 1.0;
        var problem = new AssignmentProblem(oriented, orientedRows, orientedColumns, sign, transposed);

        bool warm = warmStart && result.CanWarmStart(rowCount, columnCount, objective);
        if (warm) LoadStart(result, workspace, transposed);
        result.Prepare(rowCount, columnCount, objective);
        LinearAssignmentStatistics statistics;
        if (orientedRows == 0)
        {
            workspace.RowForColumn.AsSpan(0, orientedColumns).Fill(-1);
            workspace.ColumnDuals.AsSpan(0, orientedColumns).Clear();
            statistics = new LinearAssignmentStatistics(warm, 0, 0, 0, 0);
        }
        else
        {
            statistics = warm ? AssignmentSolver.SolveWarm(problem, workspace) : AssignmentSolver.SolveCold(problem, workspace);
        }
        StoreSolution(workspace, transposed, result);

        double total = 0;
        var columnForRow = result.ColumnForRow;
        for (int row = 0; row < rowCount; row++)
            if (columnForRow[row] >= 0) total += matrix[row * columnCount + columnForRow[row]];
        result.Complete(total, statistics);
    }

    /// <summary>Copies the previous solution into the workspace in the solver's orientation.</summary>
    private static void LoadStart(LinearAssignmentResult result, LinearAssignmentWorkspace workspace, bool transposed)
    {
        if (!transposed)
        {
            result.ColumnDuals.CopyTo(workspace.ColumnDuals);
            result.ColumnForRow.CopyTo(workspace.ColumnForRow);
            result.RowForColumn.CopyTo(workspace.RowForColumn);
        }
        else
        {
            result.RowDuals.CopyTo(workspace.ColumnDuals);
            result.RowForColumn.CopyTo(workspace.ColumnForRow);
            result.ColumnForRow.CopyTo(workspace.RowForColumn);
        }
    }

    /// <summary>Copies the solver's solution back in the input's orientation.</summary>
    private static void StoreSolution(LinearAssignmentWorkspace workspace, bool transposed, LinearAssignmentResult result)
    {
        int rows = result.RowCount, columns = result.ColumnCount;
        if (!transposed)
        {
            workspace.ColumnForRow.AsSpan(0, rows).CopyTo(result.WritableColumnForRow);
            workspace.RowForColumn.AsSpan(0, columns).CopyTo(result.WritableRowForColumn);
            workspace.RowDuals.AsSpan(0, rows).CopyTo(result.WritableRowDuals);
            workspace.ColumnDuals.AsSpan(0, columns).CopyTo(result.WritableColumnDuals);
        }
        else
        {
            workspace.RowForColumn.AsSpan(0, rows).CopyTo(result.WritableColumnForRow);
            workspace.ColumnForRow.AsSpan(0, columns).CopyTo(result.WritableRowForColumn);
            workspace.ColumnDuals.AsSpan(0, rows).CopyTo(result.WritableRowDuals);
            workspace.RowDuals.AsSpan(0, columns).CopyTo(result.WritableColumnDuals);
        }
    }

    /// <summary>Blocked transpose of <c>[rows, columns]</c> into <c>[columns, rows]</c>.</summary>
    private static void Transpose(ReadOnlySpan<float> source, int rows, int columns, Span<float> destination)
    {
        const int Block = 32;
        for (int rowStart = 0; rowStart < rows; rowStart += Block)
        {
            int rowEnd = Math.Min(rows, rowStart + Block);
            for (int columnStart = 0; columnStart < columns; columnStart += Block)
            {
                int columnEnd = Math.Min(columns, columnStart + Block);
                for (int row = rowStart; row < rowEnd; row++)
                    for (int column = columnStart; column < columnEnd; column++)
                        destination[column * rows + row] = source[row * columns + column];
            }
        }
    }
}
