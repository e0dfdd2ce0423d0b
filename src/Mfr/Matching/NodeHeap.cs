namespace Mfr.Matching;

/// <summary>
/// Binary min-heap of the nodes of <see cref="SparseAugmentingPath"/>'s search, keyed by distance, with decrease-key
/// (positions tracked per node): columns <c>0..n-1</c> and row nodes <c>n + i</c>. Order: distance, then columns before
/// row nodes (a column at the frontier needs no full row scan), then an unassigned column first (it ends the search,
/// scipy's tie rule), then the lower node, so a search is deterministic. Keys are kept beside the nodes in the heap so a
/// comparison reads one cache line. Its arrays belong to <see cref="CandidateAssignmentWorkspace"/>.
/// </summary>
internal ref struct NodeHeap
{
    private readonly HeapEntry[] heap;
    private readonly int[] positions;
    private readonly int[] rowForColumn;
    private readonly int columnCount;
    private int size;

    public NodeHeap(HeapEntry[] heap, int[] positions, int[] rowForColumn, int columnCount)
    {
        this.heap = heap;
        this.positions = positions;
        this.rowForColumn = rowForColumn;
        this.columnCount = columnCount;
        size = 0;
    }

    public readonly bool IsEmpty => size == 0;

    /// <summary>Adds <paramref name="node"/> with <paramref name="key"/>, or lowers its key to it.</summary>
    public void InsertOrDecrease(int node, double key)
    {
        int position = positions[node];
        if (position < 0) position = size++;
        SiftUp(position, new HeapEntry(key, node));
    }

    /// <summary>Removes and returns the first node in the heap's order (marks it out of the heap).</summary>
    public int RemoveMinimum()
    {
        int first = heap[0].Node;
        positions[first] = -1;
        size--;
        if (size > 0) SiftDown(0, heap[size]);
        return first;
    }

    private readonly bool Before(in HeapEntry a, in HeapEntry b)
    {
        if (a.Key != b.Key) return a.Key < b.Key;
        return TieBefore(a.Node, b.Node);
    }

    private readonly bool TieBefore(int a, int b)
    {
        bool rowNodeA = a >= columnCount, rowNodeB = b >= columnCount;
        if (rowNodeA || rowNodeB) return rowNodeA == rowNodeB ? a < b : rowNodeB;
        bool freeA = rowForColumn[a] < 0, freeB = rowForColumn[b] < 0;
        if (freeA != freeB) return freeA;
        return a < b;
    }

    private readonly void SiftUp(int position, HeapEntry entry)
    {
        while (position > 0)
        {
            int parent = (position - 1) >> 1;
            var parentEntry = heap[parent];
            if (!Before(entry, parentEntry)) break;
            heap[position] = parentEntry;
            positions[parentEntry.Node] = position;
            position = parent;
        }
        heap[position] = entry;
        positions[entry.Node] = position;
    }

    private readonly void SiftDown(int position, HeapEntry entry)
    {
        while (true)
        {
            int child = 2 * position + 1;
            if (child >= size) break;
            if (child + 1 < size && Before(heap[child + 1], heap[child])) child++;
            if (!Before(heap[child], entry)) break;
            heap[position] = heap[child];
            positions[heap[position].Node] = position;
            position = child;
        }
        heap[position] = entry;
        positions[entry.Node] = position;
    }
}

/// <summary>A node of <see cref="NodeHeap"/> and its distance.</summary>
internal readonly record struct HeapEntry(double Key, int Node);
