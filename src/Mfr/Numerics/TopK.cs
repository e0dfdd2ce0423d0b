namespace Mfr.Numerics;

/// <summary>
/// Fast per-row TopK selection, multithreaded over rows; same contract and output as
/// <see cref="TopKReference.Select"/> (ascending column indices, ties to the lower column).
/// </summary>
/// <remarks>
/// Each row is independent and computed by one thread, so the output is the same for any thread
/// count. Both fast paths select by an exact threshold on order-preserving int keys: the AVX-512
/// path (<see cref="TopKAvx512"/>) packs candidates with compress instructions, the portable
/// Vector256 path (<see cref="TopKPortable"/>) with permutations looked up from compare masks. The AVX-512 path first
/// tries a bracket for the k-th value learnt from the part's previous rows (<see cref="TopKThresholdGuess"/>,
/// <see cref="TopKAvx512Bracketed"/>: one pass instead of four when it holds, verified by counting).
/// Steady-state calls allocate nothing.
/// </remarks>
public static class TopK
{
    /// <summary>Rows per parallel part: small enough to balance two threads, large enough to amortise claiming.</summary>
    private const int RowsPerPart = 64;

    /// <summary>Selects the k largest entries of each row (see <see cref="TopKReference.Select"/>).</summary>
    /// <param name="preActivations">Input, <c>[rowCount, columnCount]</c>.</param>
    /// <param name="rowCount">Rows (samples).</param>
    /// <param name="columnCount">Columns (latents).</param>
    /// <param name="k">Entries kept per row, 0 &lt;= k &lt;= columnCount.</param>
    /// <param name="indices">Output columns, <c>[rowCount, k]</c>, ascending within a row.</param>
    /// <param name="values">Output values <c>preActivations[row, indices[row, s]]</c>, <c>[rowCount, k]</c>.</param>
    public static void Select(ReadOnlySpan<float> preActivations, int rowCount, int columnCount, int k, Span<int> indices, Span<float> values)
        => SelectWith(preActivations, rowCount, columnCount, k, indices, values, KernelRegistry.TopK.Selected, Parallelism.MaxThreads);

    /// <summary><see cref="Select"/> with an explicit variant and thread count (tests, benchmarks).</summary>
    internal static void SelectWith(ReadOnlySpan<float> preActivations, int rowCount, int columnCount, int k, Span<int> indices, Span<float> values, ITopKKernel kernel, int maxThreads)
    {
        CheckShapes(preActivations.Length, indices.Length, values.Length, rowCount, columnCount, k);
        kernel.Select(preActivations, rowCount, columnCount, k, indices, values, maxThreads);
    }

    /// <summary>The fast variants (shapes checked): rows split between threads, each row by <see cref="TopKAvx512"/> or <see cref="TopKPortable"/>.</summary>
    internal static unsafe void SelectFast(ReadOnlySpan<float> preActivations, int rowCount, int columnCount, int k, Span<int> indices, Span<float> values, bool avx512, int maxThreads)
    {
        if (rowCount == 0 || k == 0) return;
        fixed (float* input = preActivations, outputValues = values)
        fixed (int* outputIndices = indices)
        {
            var work = new SelectWork
            {
                Input = input, Indices = outputIndices, Values = outputValues,
                RowCount = rowCount, ColumnCount = columnCount, K = k, Avx512 = avx512,
            };
            int threads = (long)rowCount * columnCount < 32 * 1024 ? 1 : maxThreads;
            // One thread: one part, so the AVX-512 rows' threshold guess carries over the whole call (the fused encoder
            // calls this once per block of rows, on one thread).
            work.PartRows = threads == 1 ? rowCount : RowsPerPart;
            WorkerPool.Run(ref work, (rowCount + work.PartRows - 1) / work.PartRows, threads);
        }
    }

    internal static void CheckShapes(int inputLength, int indicesLength, int valuesLength, int rowCount, int columnCount, int k)
    {
        if (rowCount < 0 || columnCount < 0 || k < 0 || k > columnCount)
            throw new ArgumentException($"Need 0 <= k <= columnCount and non-negative sizes, got rowCount={rowCount}, columnCount={columnCount}, k={k}.");
        if (inputLength < (long)rowCount * columnCount || indicesLength < (long)rowCount * k || valuesLength < (long)rowCount * k)
            throw new ArgumentException(
                $"Shapes do not fit: input [{rowCount},{columnCount}] has {inputLength} floats, " +
                $"indices/values [{rowCount},{k}] have {indicesLength}/{valuesLength}.");
    }

    private unsafe struct SelectWork : IParallelWork
    {
        public float* Input, Values;
        public int* Indices;
        public int RowCount, ColumnCount, K, PartRows;
        public bool Avx512;

        public readonly void Execute(int part)
        {
            int first = part * PartRows, end = Math.Min(RowCount, first + PartRows);
            long scratchInts = Avx512 ? TopKAvx512.ScratchInts(ColumnCount, K) : TopKPortable.ScratchInts(ColumnCount);
            int* scratch = (int*)ScratchBuffers.Get(ScratchBuffers.PartLocal, scratchInts);
            // Learnt from this part's rows only, so each row's work (never its output) depends on its part alone.
            var guess = new TopKThresholdGuess();
            for (int row = first; row < end; row++)
            {
                float* input = Input + (long)row * ColumnCount;
                int* indices = Indices + (long)row * K;
                float* values = Values + (long)row * K;
                if (K == ColumnCount) CopyWholeRow(input, ColumnCount, indices, values);
                else if (Avx512) TopKAvx512.SelectRow(input, ColumnCount, K, scratch, indices, values, ref guess);
                else TopKPortable.SelectRow(input, ColumnCount, K, scratch, indices, values);
            }
        }

        private static void CopyWholeRow(float* input, int columnCount, int* indices, float* values)
        {
            for (int column = 0; column < columnCount; column++)
            {
                indices[column] = column;
                values[column] = input[column];
            }
        }
    }
}
