namespace Mfr.Matching;

/// <summary>
/// The candidate list of one row of <see cref="CandidateAssignment"/>: its <see cref="CandidateAssignment.Candidates"/>
/// smallest reduced costs <c>c[i, j] - v[j]</c> under the current column duals (columns, costs and reduced costs, in
/// <see cref="CandidateAssignmentWorkspace"/>), and the next smallest as the row's bound: every column left out has a
/// reduced cost at least the bound, now and, since the solver only lowers column duals, until the solve ends. A row's
/// list is made when the solver first scans the row, so rows a warm start keeps tight and no search reaches cost nothing.
/// </summary>
internal static class CandidateLists
{
    /// <summary>
    /// Selects row <paramref name="row"/>'s list unless it has one in this solve (lists are made when a row is first
    /// scanned), checking first that the row is finite: a cold solve's first read of the row, so the check costs a pass
    /// over a row in L1 rather than one over the matrix in memory.
    /// </summary>
    public static void Ensure(AssignmentProblem problem, CandidateAssignmentWorkspace workspace, int row)
    {
        if (workspace.HasList[row]) return;
        problem.ThrowIfRowNotFinite(row);
        Select(problem, workspace, row);
    }

    /// <summary>(Re)selects row <paramref name="row"/>'s list and bound under the duals in the workspace.</summary>
    public static void Select(AssignmentProblem problem, CandidateAssignmentWorkspace workspace, int row)
    {
        int stride = workspace.Stride;
        var values = workspace.SelectionValues.AsSpan(0, stride + 1);
        var columns = workspace.SelectionColumns.AsSpan(0, stride + 1);
        AssignmentKernels.SelectSmallest(problem.Row(row), problem.Sign, workspace.ColumnDuals.AsSpan(0, problem.ColumnCount), columns, values);
        int offset = row * stride;
        for (int c = 0; c < stride; c++)
        {
            workspace.CandidateColumns[offset + c] = columns[c];
            workspace.CandidateCosts[offset + c] = (float)problem.Cost(row, columns[c]);
        }
        workspace.Bounds[row] = values[stride];
        workspace.HasList[row] = true;
    }
}
