namespace Mfr.Matching;

/// <summary>
/// Scratch memory of <see cref="LinearAssignment"/>: duals, Dijkstra distances and paths, free-row
/// lists and, for problems with more rows than columns, the transposed matrix. Buffers grow to the
/// largest problem seen and are then reused, so a training loop that solves every step allocates
/// nothing after its first solve. Not thread-safe: one workspace per concurrent solve.
/// </summary>
public sealed class LinearAssignmentWorkspace
{
    /// <summary>Row duals u of the oriented problem, <c>[rowCount]</c>.</summary>
    internal double[] RowDuals { get; private set; } = [];

    /// <summary>Column duals v of the oriented problem, <c>[columnCount]</c>.</summary>
    internal double[] ColumnDuals { get; private set; } = [];

    /// <summary>Dijkstra distances (and column minima during column reduction), <c>[columnCount]</c>.</summary>
    internal double[] Distances { get; private set; } = [];

    /// <summary>Column duals with settled columns set to -inf, <c>[columnCount]</c>.</summary>
    internal double[] MaskedColumnDuals { get; private set; } = [];

    /// <summary>Final distance of each settled column, <c>[columnCount]</c>.</summary>
    internal double[] SettledDistances { get; private set; } = [];

    /// <summary>Predecessor row of each column on the shortest path tree (also argmin rows), <c>[columnCount]</c>.</summary>
    internal long[] PathRows { get; private set; } = [];

    /// <summary>Assigned column of each row or -1, <c>[rowCount]</c>.</summary>
    internal int[] ColumnForRow { get; private set; } = [];

    /// <summary>Assigned row of each column or -1, <c>[columnCount]</c>.</summary>
    internal int[] RowForColumn { get; private set; } = [];

    /// <summary>Free rows, <c>[rowCount]</c>.</summary>
    internal int[] FreeRows { get; private set; } = [];

    /// <summary>Rows scanned by the current search (also per-row match counts), <c>[rowCount]</c>.</summary>
    internal int[] ScannedRows { get; private set; } = [];

    /// <summary>Columns settled by the current search (also the warm-start column queue), <c>[columnCount]</c>.</summary>
    internal int[] SettledColumns { get; private set; } = [];

    /// <summary>The input transposed when it has more rows than columns, <c>[columns, rows]</c> of the input.</summary>
    internal float[] Transposed { get; private set; } = [];

    /// <summary>Grows the buffers for an oriented problem of <paramref name="rowCount"/> x <paramref name="columnCount"/>.</summary>
    internal void EnsureCapacity(int rowCount, int columnCount)
    {
        if (RowDuals.Length < rowCount)
        {
            RowDuals = new double[rowCount];
            ColumnForRow = new int[rowCount];
            FreeRows = new int[rowCount];
            ScannedRows = new int[rowCount];
        }
        if (ColumnDuals.Length < columnCount)
        {
            ColumnDuals = new double[columnCount];
            Distances = new double[columnCount];
            MaskedColumnDuals = new double[columnCount];
            SettledDistances = new double[columnCount];
            PathRows = new long[columnCount];
            RowForColumn = new int[columnCount];
            SettledColumns = new int[columnCount];
        }
    }

    /// <summary>Grows the transposition buffer to <paramref name="length"/> floats.</summary>
    internal float[] EnsureTransposed(int length)
    {
        if (Transposed.Length < length) Transposed = new float[length];
        return Transposed;
    }
}
