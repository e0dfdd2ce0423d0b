namespace Mfr.Matching;

/// <summary>
/// Scratch memory of <see cref="CandidateAssignment"/>: each row's candidate list and bound, the duals and assignment,
/// and the state of one <see cref="SparseAugmentingPath"/> search (nodes: n columns, then n row nodes), plus a dense
/// <see cref="LinearAssignmentWorkspace"/> for the problems the lists do not take. Buffers grow to the largest problem
/// seen and are then reused, so a training loop allocates nothing after its first solve. Not thread-safe: one workspace
/// per concurrent solve.
/// </summary>
public sealed class CandidateAssignmentWorkspace
{
    /// <summary>The dense solver's scratch memory (non-square and small problems).</summary>
    internal LinearAssignmentWorkspace Dense { get; } = new();

    /// <summary>Candidates per row.</summary>
    internal int Stride { get; private set; }

    /// <summary>Candidate columns of row i in <c>[i * Stride, (i + 1) * Stride)</c>, ascending reduced cost.</summary>
    internal int[] CandidateColumns { get; private set; } = [];

    /// <summary>Costs <c>sign * matrix[i, j]</c> beside <see cref="CandidateColumns"/>: floats, as the matrix (sign is +1 or -1), widened where they meet the duals.</summary>
    internal float[] CandidateCosts { get; private set; } = [];

    /// <summary>Whether each row has its list in the current solve.</summary>
    internal bool[] HasList { get; private set; } = [];

    /// <summary>Per row, the smallest reduced cost of the columns not listed, under the duals its list was selected with.</summary>
    internal double[] Bounds { get; private set; } = [];

    /// <summary>Row duals u.</summary>
    internal double[] RowDuals { get; private set; } = [];

    /// <summary>Column duals v.</summary>
    internal double[] ColumnDuals { get; private set; } = [];

    /// <summary>Assigned column of each row or -1.</summary>
    internal int[] ColumnForRow { get; private set; } = [];

    /// <summary>Assigned row of each column or -1.</summary>
    internal int[] RowForColumn { get; private set; } = [];

    /// <summary>Rows waiting for an augmenting path.</summary>
    internal int[] FreeRows { get; private set; } = [];

    /// <summary>Distance of each node (+inf when the current search has not reached it), <c>[2n]</c>.</summary>
    internal double[] Distances { get; private set; } = [];

    /// <summary>Predecessor row of each reached column.</summary>
    internal int[] PathRows { get; private set; } = [];

    /// <summary>Search number that settled each node, <c>[2n]</c> (earlier searches' marks are smaller).</summary>
    internal int[] SettledBy { get; private set; } = [];

    /// <summary>Nodes reached by the current search (to reset their distances), <c>[2n]</c>.</summary>
    internal int[] ReachedNodes { get; private set; } = [];

    /// <summary>Columns settled by the current search, in order.</summary>
    internal int[] SettledColumns { get; private set; } = [];

    /// <summary>Rows scanned by the current search, in order.</summary>
    internal int[] ScannedRows { get; private set; } = [];

    /// <summary>Per scanned row, its distance minus its dual (what its edges' reduced costs are added to).</summary>
    internal double[] RowBases { get; private set; } = [];

    /// <summary>Binary heap of reached nodes, <c>[2n]</c>.</summary>
    internal HeapEntry[] Heap { get; private set; } = [];

    /// <summary>Position of each node in <see cref="Heap"/>, or -1, <c>[2n]</c>.</summary>
    internal int[] HeapPositions { get; private set; } = [];

    /// <summary>Values scratch of one row's selection, <c>[Stride + 1]</c>.</summary>
    internal double[] SelectionValues { get; private set; } = [];

    /// <summary>Columns scratch of one row's selection, <c>[Stride + 1]</c>.</summary>
    internal int[] SelectionColumns { get; private set; } = [];

    /// <summary>Grows the buffers for an n x n problem with <paramref name="stride"/> candidates per row.</summary>
    internal void EnsureCapacity(int size, int stride)
    {
        if (Stride != stride || CandidateColumns.Length < (long)size * stride)
        {
            Stride = stride;
            CandidateColumns = new int[size * stride];
            CandidateCosts = new float[size * stride];
            SelectionValues = new double[stride + 1];
            SelectionColumns = new int[stride + 1];
        }
        if (RowDuals.Length < size)
        {
            Bounds = new double[size];
            HasList = new bool[size];
            RowDuals = new double[size];
            ColumnDuals = new double[size];
            ColumnForRow = new int[size];
            RowForColumn = new int[size];
            FreeRows = new int[size];
            Distances = new double[2 * size];
            Distances.AsSpan().Fill(double.PositiveInfinity);
            PathRows = new int[size];
            SettledBy = new int[2 * size];
            ReachedNodes = new int[2 * size];
            SettledColumns = new int[size];
            ScannedRows = new int[size];
            RowBases = new double[size];
            Heap = new HeapEntry[2 * size];
            HeapPositions = new int[2 * size];
            HeapPositions.AsSpan().Fill(-1);
        }
    }
}
