namespace Mfr.Matching;

/// <summary>
/// Binary min-heap of the nodes of <see cref="SparseAugmentingPath"/>'s search, keyed by distance, with decrease-key
/// (positions tracked per node): columns <c>0..n-1</c> and row nodes <c>n + i</c>. Order: distance, then columns before
/// row nodes (a column at the frontier needs no full row scan), then an unassigned column first (it ends the search,
/// scipy's tie rule), then the lower node, so a search is deterministic. Its arrays belong to
/// <see cref="CandidateAssignmentWorkspace"/>.
/// </summary>
internal ref struct NodeHeap
{
    private readonly int[] heap;
    private readonly int[] positions;
    private readonly double[] keys;
    private readonly int[] rowForColumn;
    private readonly int columnCount;
    private int size;

    public NodeHeap(int[] heap, int[] positions, double[] keys, int[] rowForColumn, int columnCount)
    {
        this.heap = heap;
        this.positions = positions;
        this.keys = keys;
        this.rowForColumn = rowForColumn;
        this.columnCount = columnCount;
        size = 0;
    }

    public readonly bool IsEmpty => size == 0;

    /// <summary>Adds <paramref name="node"/> or restores the order after its key decreased.</summary>
    public void InsertOrDecrease(int node)
    {
        int position = positions[node];
        if (position < 0)
        {
            position = size++;
            heap[position] = node;
            positions[node] = position;
        }
        SiftUp(position);
    }

    /// <summary>Removes and returns the first node in the heap's order (marks it out of the heap).</summary>
    public int RemoveMinimum()
    {
        int first = heap[0];
        positions[first] = -1;
        size--;
        if (size > 0)
        {
            int last = heap[size];
            heap[0] = last;
            positions[last] = 0;
            SiftDown(0);
        }
        return first;
    }

    private readonly bool Before(int a, int b)
    {
        double keyA = keys[a], keyB = keys[b];
        if (keyA != keyB) return keyA < keyB;
        bool rowNodeA = a >= columnCount, rowNodeB = b >= columnCount;
        if (rowNodeA || rowNodeB) return rowNodeA == rowNodeB ? a < b : rowNodeB;
        bool freeA = rowForColumn[a] < 0, freeB = rowForColumn[b] < 0;
        if (freeA != freeB) return freeA;
        return a < b;
    }

    private readonly void SiftUp(int position)
    {
        int column = heap[position];
        while (position > 0)
        {
            int parent = (position - 1) >> 1;
            int parentColumn = heap[parent];
            if (!Before(column, parentColumn)) break;
            heap[position] = parentColumn;
            positions[parentColumn] = position;
            position = parent;
        }
        heap[position] = column;
        positions[column] = position;
    }

    private readonly void SiftDown(int position)
    {
        int column = heap[position];
        while (true)
        {
            int child = 2 * position + 1;
            if (child >= size) break;
            if (child + 1 < size && Before(heap[child + 1], heap[child])) child++;
            if (!Before(heap[child], column)) break;
            heap[position] = heap[child];
            positions[heap[child]] = position;
            position = child;
        }
        heap[position] = column;
        positions[column] = position;
    }
}
