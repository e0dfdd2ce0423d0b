namespace Mfr.Matching;

/// <summary>
/// An optimal assignment with its dual potentials, in the orientation of the input matrix
/// <c>[RowCount, ColumnCount]</c>. The object is reusable: pass it back to
/// <see cref="LinearAssignment.MaximizeSimilarity(ReadOnlySpan{float}, int, int, LinearAssignmentResult, LinearAssignmentWorkspace, bool)"/>
/// with <c>warmStart: true</c> and the next solve starts from this solution and its duals (MFR
/// re-solves every step while the weights move a little), overwriting it in place without allocating
/// once its buffers are large enough.
/// </summary>
/// <remarks>
/// Duals are those of the minimisation of <c>cost = -similarity</c> (or of the cost itself for
/// <see cref="AssignmentObjective.MinimizeCost"/>): <c>RowDuals[i] + ColumnDuals[j] &lt;= cost[i, j]</c>
/// for every pair, with equality on matched pairs (up to rounding ~1e-12 relative).
/// </remarks>
public sealed class LinearAssignmentResult
{
    private int[] columnForRow = [];
    private int[] rowForColumn = [];
    private double[] rowDuals = [];
    private double[] columnDuals = [];

    /// <summary>Rows of the solved matrix.</summary>
    public int RowCount { get; private set; }

    /// <summary>Columns of the solved matrix.</summary>
    public int ColumnCount { get; private set; }

    /// <summary>Matched pairs: <c>min(RowCount, ColumnCount)</c>.</summary>
    public int MatchedCount => Math.Min(RowCount, ColumnCount);

    /// <summary>Whether the object holds a solution (false until the first solve).</summary>
    public bool HasSolution { get; private set; }

    /// <summary>The objective the solution optimises.</summary>
    public AssignmentObjective Objective { get; private set; }

    /// <summary>Sum of the matched entries of the input matrix (accumulated in double).</summary>
    public double Total { get; private set; }

    /// <summary>What the last solve did.</summary>
    public LinearAssignmentStatistics Statistics { get; private set; }

    /// <summary>Column matched to each row, or -1 for rows left unmatched (only when rows &gt; columns), <c>[RowCount]</c>.</summary>
    public ReadOnlySpan<int> ColumnForRow => columnForRow.AsSpan(0, RowCount);

    /// <summary>Row matched to each column, or -1 (only when columns &gt; rows), <c>[ColumnCount]</c>.</summary>
    public ReadOnlySpan<int> RowForColumn => rowForColumn.AsSpan(0, ColumnCount);

    /// <summary>Row dual potentials, <c>[RowCount]</c> (see remarks).</summary>
    public ReadOnlySpan<double> RowDuals => rowDuals.AsSpan(0, RowCount);

    /// <summary>Column dual potentials, <c>[ColumnCount]</c> (see remarks).</summary>
    public ReadOnlySpan<double> ColumnDuals => columnDuals.AsSpan(0, ColumnCount);

    /// <summary>Copies this solution into <paramref name="destination"/> (e.g. to keep a snapshot while warm-starting from it).</summary>
    /// <param name="destination">Overwritten; its buffers grow if needed.</param>
    public void CopyTo(LinearAssignmentResult destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        destination.Prepare(RowCount, ColumnCount, Objective);
        ColumnForRow.CopyTo(destination.WritableColumnForRow);
        RowForColumn.CopyTo(destination.WritableRowForColumn);
        RowDuals.CopyTo(destination.WritableRowDuals);
        ColumnDuals.CopyTo(destination.WritableColumnDuals);
        if (HasSolution) destination.Complete(Total, Statistics);
    }

    /// <summary>Whether a solve of this shape and objective can start from this solution.</summary>
    internal bool CanWarmStart(int rowCount, int columnCount, AssignmentObjective objective)
        => HasSolution && RowCount == rowCount && ColumnCount == columnCount && Objective == objective;

    /// <summary>Resizes for a new solution; buffers only grow.</summary>
    internal void Prepare(int rowCount, int columnCount, AssignmentObjective objective)
    {
        if (columnForRow.Length < rowCount)
        {
            columnForRow = new int[rowCount];
            rowDuals = new double[rowCount];
        }
        if (rowForColumn.Length < columnCount)
        {
            rowForColumn = new int[columnCount];
            columnDuals = new double[columnCount];
        }
        RowCount = rowCount;
        ColumnCount = columnCount;
        Objective = objective;
        HasSolution = false;
    }

    /// <summary>Writable views for the solver, <c>[RowCount]</c> and <c>[ColumnCount]</c>.</summary>
    internal Span<int> WritableColumnForRow => columnForRow.AsSpan(0, RowCount);

    internal Span<int> WritableRowForColumn => rowForColumn.AsSpan(0, ColumnCount);

    internal Span<double> WritableRowDuals => rowDuals.AsSpan(0, RowCount);

    internal Span<double> WritableColumnDuals => columnDuals.AsSpan(0, ColumnCount);

    /// <summary>Marks the solution complete.</summary>
    internal void Complete(double total, LinearAssignmentStatistics statistics)
    {
        Total = total;
        Statistics = statistics;
        HasSolution = true;
    }
}
