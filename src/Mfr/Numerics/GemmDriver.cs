using System.Numerics;

namespace Mfr.Numerics;

/// <summary>
/// The Goto/BLIS blocked GEMM around a register micro-kernel: <c>C[m,n] (+)= A[m,k] * op(B)</c>
/// with row-major A and C and B either <c>[n,k]</c> (transposed, the SAE encoder) or <c>[k,n]</c>.
/// </summary>
/// <remarks>
/// Loops: columns of C in blocks of NC and depth in blocks of kc (&lt;= <see cref="DepthBlock"/>),
/// sized so the packed B block (NC x kc, packed once per block and shared by all threads) stays in
/// L2. Parts = (block of row tiles) x (range of B slivers) run on <see cref="WorkerPool"/>; a part
/// walks its row tiles and, for each, every B sliver of its range, reading A unpacked (the 14 rows
/// x kc of A stay in L1 across slivers; packing A cost ~10% on the encoder shape) and packed B from
/// L2. Edge tiles go through a zero-padded copy. Every element of C is computed by one part with a
/// fixed summation order, so results do not depend on the thread count. With few rows and many
/// columns the threads split the columns instead (<see cref="UsesColumnPanels"/>): the same blocks,
/// each packed by the thread that uses it.
/// </remarks>
internal static unsafe class GemmDriver<TKernel>
    where TKernel : struct, IGemmMicroKernel
{
    /// <summary>Largest kc: the depth of one packed block.</summary>
    public const int DepthBlock = 256;

    /// <summary>Bytes of packed B per block: half of the 1 MB L2 of a Zen 5 core, the rest for A and C.</summary>
    public const int PackedBBudgetBytes = 512 * 1024;

    /// <summary>Row tiles per part when there are plenty of rows.</summary>
    private const int TilesPerPart = 8;

    /// <summary>Parts per thread below which parts shrink (down to one row tile) so the threads finish together.</summary>
    private const int BalancedPartsPerThread = 32;

    /// <summary>Below this many multiply-adds the call stays on one thread (waking a worker costs ~10 us).</summary>
    private const long ParallelThreshold = 1L << 20;

    /// <summary>
    /// <c>C (+)= A op(B)</c>, then, when <paramref name="rowVector"/> is not null, <c>C[r, :] += rowVector</c> (the
    /// encoder's bias, issue 16 item 1): when one part computes whole rows of C (one column block, one depth block, no
    /// column split) it adds the vector to its rows right after their last tile, while they are in L2, instead of a
    /// second pass over C; otherwise a row-parallel pass follows. Either way one float addition per element after the
    /// product, as a separate pass would. <paramref name="rowsDone"/> then runs on the finished rows (<see cref="GemmRowsDone"/>).
    /// </summary>
    public static void Multiply(float* a, float* b, bool bTransposed, int m, int n, int k, float* c, bool accumulate, int maxThreads, float* rowVector = null, GemmRowsDone rowsDone = default)
    {
        if (m == 0) return;
        if (n == 0 || k == 0)
        {
            if (!accumulate) new Span<float>(c, checked(m * n)).Clear();
            if (rowVector != null) AddRowVector(c, n, rowVector, 0, m);
            rowsDone.Run(0, m);
            return;
        }
        int nr = TKernel.ColumnTile;
        int depthBlocks = (k + DepthBlock - 1) / DepthBlock;
        int kc = (k + depthBlocks - 1) / depthBlocks;
        int nc = Math.Min(RoundUp(n, nr), Math.Max(nr, PackedBBudgetBytes / (kc * sizeof(float)) / nr * nr));
        int threads = (long)m * n * k < ParallelThreshold ? 1 : maxThreads;
        bool rowsInOnePart = false;
        if (UsesColumnPanels(m, n, threads))
        {
            MultiplyColumnPanels(a, b, bTransposed, m, n, k, c, accumulate, kc, nc, threads);
        }
        else
        {
            float* packedB = ScratchBuffers.Get(ScratchBuffers.GemmPackedB, (long)nc * kc);
            for (int column = 0; column < n; column += nc)
            {
                int columns = Math.Min(nc, n - column);
                for (int depth = 0; depth < k; depth += kc)
                {
                    int depthCount = Math.Min(kc, k - depth);
                    var pack = PackBWork.ForBlock(b, bTransposed, n, k, column, columns, depth, depthCount, packedB);
                    WorkerPool.Run(ref pack, (pack.Slivers + SharedPackSlivers - 1) / SharedPackSlivers, threads);
                    var compute = ComputeWork.ForBlock(a, k, packedB, c, n, m, column, columns, depth, depthCount, accumulate);
                    int parts = compute.Partition(threads);
                    rowsInOnePart = (rowVector != null || rowsDone.IsSet) && columns == n && depthCount == k && compute.WholeRows;
                    if (rowsInOnePart)
                    {
                        compute.RowVector = rowVector;
                        compute.RowsDone = rowsDone;
                    }
                    WorkerPool.Run(ref compute, parts, threads);
                }
            }
        }
        if ((rowVector != null || rowsDone.IsSet) && !rowsInOnePart)
        {
            var rows = new RowVectorWork { C = c, Columns = n, RowVector = rowVector, Rows = m, RowsDone = rowsDone };
            WorkerPool.Run(ref rows, (m + RowVectorWork.RowsPerPart - 1) / RowVectorWork.RowsPerPart, threads);
        }
    }

    /// <summary>
    /// True when the rows are too few to give every thread <see cref="BalancedPartsPerThread"/> row tiles but the columns
    /// give each thread at least two B slivers: then <see cref="MultiplyColumnPanels"/> splits the columns instead.
    /// </summary>
    /// <remarks>
    /// At the GPT-2 shape's encoder (m = 500, n = 3072, k = 768: 36 row tiles) the shared-block loop runs 18 column-by-depth
    /// blocks, each a packing pass and a product pass with a barrier after each, every thread reading the whole packed
    /// block of which the other threads packed most; by columns, a thread packs and reads only its own panel, and the
    /// threads meet once (issue 16 item 7).
    /// </remarks>
    internal static bool UsesColumnPanels(int m, int n, int threads)
    {
        if (threads <= 1) return false;
        int rowTiles = (m + TKernel.RowTile - 1) / TKernel.RowTile;
        return rowTiles < BalancedPartsPerThread * threads && n >= 2 * TKernel.ColumnTile * threads;
    }

    /// <summary>
    /// The product by column panels: a part owns a range of whole B slivers, packs each of its column-by-depth blocks
    /// into its thread's own buffer and runs every row tile over it. The slivers, depth blocks and micro-kernel calls are
    /// those of the shared-block loop, so every element of C gets the same additions in the same order: the same bits.
    /// </summary>
    private static void MultiplyColumnPanels(float* a, float* b, bool bTransposed, int m, int n, int k, float* c, bool accumulate, int kc, int nc, int threads)
    {
        int nr = TKernel.ColumnTile;
        int slivers = (n + nr - 1) / nr;
        // Three panels per thread, so a thread that starts late (a worker's wake-up) is balanced by claiming fewer.
        int panelSlivers = Math.Max(1, (slivers + 3 * threads - 1) / (3 * threads));
        var panels = new ColumnPanelWork
        {
            A = a, B = b, C = c, Transposed = bTransposed,
            M = m, N = n, K = k, DepthBlockSize = kc, ColumnBlock = nc, PanelColumns = panelSlivers * nr, Accumulate = accumulate,
        };
        WorkerPool.Run(ref panels, (slivers + panelSlivers - 1) / panelSlivers, threads);
    }

    private struct ColumnPanelWork : IParallelWork
    {
        public float* A, B, C;
        public bool Transposed, Accumulate;
        public int M, N, K, DepthBlockSize, ColumnBlock, PanelColumns;

        public readonly void Execute(int part)
        {
            int panelStart = part * PanelColumns, panelEnd = Math.Min(N, panelStart + PanelColumns);
            float* packedB = ScratchBuffers.Get(ScratchBuffers.GemmPackedB, (long)Math.Min(ColumnBlock, PanelColumns) * DepthBlockSize);
            for (int column = panelStart; column < panelEnd; column += ColumnBlock)
            {
                int columns = Math.Min(ColumnBlock, panelEnd - column);
                for (int depth = 0; depth < K; depth += DepthBlockSize)
                {
                    int depthCount = Math.Min(DepthBlockSize, K - depth);
                    PackBWork.ForBlock(B, Transposed, N, K, column, columns, depth, depthCount, packedB).PackAll();
                    var compute = ComputeWork.ForBlock(A, K, packedB, C, N, M, column, columns, depth, depthCount, Accumulate);
                    int rowParts = compute.Partition(1);
                    for (int rowPart = 0; rowPart < rowParts; rowPart++) compute.Execute(rowPart);
                }
            }
        }
    }

    /// <summary><c>c[r, :] += rowVector</c> for rows [first, end) of a row-major <c>[*, columns]</c> matrix, one float addition per element.</summary>
    private static void AddRowVector(float* c, int columns, float* rowVector, int first, int end)
    {
        for (int row = first; row < end; row++)
        {
            float* target = c + (nint)row * columns;
            int j = 0;
            for (; j <= columns - Vector<float>.Count; j += Vector<float>.Count)
                (Vector.Load(target + j) + Vector.Load(rowVector + j)).Store(target + j);
            for (; j < columns; j++) target[j] += rowVector[j];
        }
    }

    private struct RowVectorWork : IParallelWork
    {
        public const int RowsPerPart = 64;
        public float* C, RowVector;
        public int Columns, Rows;
        public GemmRowsDone RowsDone;

        public readonly void Execute(int part)
        {
            int first = part * RowsPerPart, end = Math.Min(Rows, (part + 1) * RowsPerPart);
            if (RowVector != null) AddRowVector(C, Columns, RowVector, first, end);
            RowsDone.Run(first, end);
        }
    }

    /// <summary>B slivers per packing part when the threads pack one shared block.</summary>
    private const int SharedPackSlivers = 4;

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private struct PackBWork : IParallelWork
    {
        public float* B;
        public bool Transposed;
        public nint RowStride;
        public int Columns, Depth;
        public float* Destination;

        /// <summary>Slivers in the block.</summary>
        public readonly int Slivers => (Columns + TKernel.ColumnTile - 1) / TKernel.ColumnTile;

        /// <summary>Packing of the block (columns [column, +columns), depth [depth, +depthCount)) of B, <c>[n, k]</c> when transposed, else <c>[k, n]</c>.</summary>
        public static PackBWork ForBlock(float* b, bool transposed, int n, int k, int column, int columns, int depth, int depthCount, float* destination) => new()
        {
            B = transposed ? b + (nint)column * k + depth : b + (nint)depth * n + column,
            Transposed = transposed,
            RowStride = transposed ? k : n,
            Columns = columns,
            Depth = depthCount,
            Destination = destination,
        };

        public readonly void Execute(int part)
        {
            int first = part * SharedPackSlivers * TKernel.ColumnTile;
            Pack(first, Math.Min(SharedPackSlivers * TKernel.ColumnTile, Columns - first));
        }

        /// <summary>Every sliver of the block, on the calling thread.</summary>
        public readonly void PackAll() => Pack(0, Columns);

        private readonly void Pack(int first, int count)
        {
            int nr = TKernel.ColumnTile;
            float* target = Destination + (nint)first * Depth;
            if (Transposed) TKernel.PackRowsTransposed(B + first * RowStride, RowStride, count, Depth, target);
            else GemmPacking.PackColumns(B + first, RowStride, count, Depth, nr, target);
        }
    }

    private struct ComputeWork : IParallelWork
    {
        public float* A, PackedB, C;
        public nint ARowStride, CRowStride;
        public int M, Columns, Depth;
        public bool Add;
        public float* RowVector;
        public GemmRowsDone RowsDone;
        private int tilesPerPart, columnSplit, slivers;

        /// <summary>The product of A's depth block with a packed block of B into C's columns [column, +columns).</summary>
        public static ComputeWork ForBlock(float* a, int k, float* packedB, float* c, int n, int m, int column, int columns, int depth, int depthCount, bool accumulate) => new()
        {
            A = a + depth,
            ARowStride = k,
            PackedB = packedB,
            C = c + column,
            CRowStride = n,
            M = m,
            Columns = columns,
            Depth = depthCount,
            Add = accumulate || depth > 0,
        };

        /// <summary>True when each part computes whole rows (every B sliver of its row tiles): set by <see cref="Partition"/>.</summary>
        public readonly bool WholeRows => columnSplit == 1;

        /// <summary>Chooses the part grid (several parts per thread so dynamic claiming balances them); returns the part count.</summary>
        /// <remarks>
        /// A part is at most <see cref="TilesPerPart"/> row tiles, and fewer when that leaves under
        /// <see cref="BalancedPartsPerThread"/> parts per thread: the last part claimed sets how long the other threads
        /// wait, and a part costs the same traffic whatever its size (it reads its rows of A once and every B sliver).
        /// With 8-tile parts at least 8 per thread, m = 1024 (74 tiles) had 19 parts of 4 tiles on 2 threads: one thread
        /// could end up to 6 tiles (8%) after the other, at every one of the encoder's column-by-depth blocks.
        /// </remarks>
        public int Partition(int threads)
        {
            int rowTiles = (M + TKernel.RowTile - 1) / TKernel.RowTile;
            slivers = (Columns + TKernel.ColumnTile - 1) / TKernel.ColumnTile;
            int wanted = threads == 1 ? 1 : 8 * threads;
            tilesPerPart = threads == 1 ? Math.Min(TilesPerPart, rowTiles) : Math.Clamp(rowTiles / (BalancedPartsPerThread * threads), 1, TilesPerPart);
            int rowParts = (rowTiles + tilesPerPart - 1) / tilesPerPart;
            // Few rows (m = 512, 1024 with 14-row tiles): also split the B slivers between parts.
            columnSplit = rowParts >= wanted ? 1 : Math.Min(slivers, (wanted + rowParts - 1) / rowParts);
            return rowParts * columnSplit;
        }

        public readonly void Execute(int part)
        {
            int mr = TKernel.RowTile;
            int rowPart = part / columnSplit, split = part % columnSplit;
            int firstRow = rowPart * tilesPerPart * mr;
            int endRow = Math.Min(M, firstRow + tilesPerPart * mr);
            int firstSliver = (int)((long)split * slivers / columnSplit);
            int endSliver = (int)((long)(split + 1) * slivers / columnSplit);
            for (int row = firstRow; row < endRow; row += mr)
            {
                int tileRows = Math.Min(mr, endRow - row);
                if (tileRows == mr)
                {
                    for (int sliver = firstSliver; sliver < endSliver; sliver++) FullRowsTile(row, sliver);
                }
                else
                {
                    EdgeRowsTiles(row, tileRows, firstSliver, endSliver);
                }
            }
            // The part's rows are complete and still in L2.
            if (RowVector != null) AddRowVector(C, (int)CRowStride, RowVector, firstRow, endRow);
            // A column split gives a part only some columns of its rows: then the rows are not done here.
            if (columnSplit == 1) RowsDone.Run(firstRow, endRow);
        }

        private readonly void FullRowsTile(int row, int sliver)
        {
            int nr = TKernel.ColumnTile;
            int column = sliver * nr;
            float* aRows = A + row * ARowStride;
            float* packedBSliver = PackedB + (nint)column * Depth;
            float* cTile = C + row * CRowStride + column;
            if (column + nr <= Columns)
            {
                TKernel.MultiplyStrided(aRows, ARowStride, packedBSliver, Depth, cTile, CRowStride, Add);
                return;
            }
            float* edgeTile = stackalloc float[TKernel.RowTile * nr];
            TKernel.MultiplyStrided(aRows, ARowStride, packedBSliver, Depth, edgeTile, nr, add: false);
            StoreEdge(edgeTile, nr, TKernel.RowTile, Columns - column, cTile, CRowStride, Add);
        }

        /// <summary>The last, partial row tile: pack its rows zero-padded so the kernel never reads past A.</summary>
        private readonly void EdgeRowsTiles(int row, int tileRows, int firstSliver, int endSliver)
        {
            int mr = TKernel.RowTile, nr = TKernel.ColumnTile;
            float* packedA = ScratchBuffers.Get(ScratchBuffers.GemmPackedA, (long)mr * Depth);
            GemmPacking.PackRowsTransposed(A + row * ARowStride, ARowStride, tileRows, Depth, mr, packedA);
            float* edgeTile = stackalloc float[mr * nr];
            for (int sliver = firstSliver; sliver < endSliver; sliver++)
            {
                int column = sliver * nr;
                TKernel.Multiply(packedA, PackedB + (nint)column * Depth, Depth, edgeTile, nr, add: false);
                StoreEdge(edgeTile, nr, tileRows, Math.Min(nr, Columns - column), C + row * CRowStride + column, CRowStride, Add);
            }
        }

        private static void StoreEdge(float* tile, int tileStride, int rows, int columns, float* c, nint rowStride, bool add)
        {
            for (int r = 0; r < rows; r++)
            {
                float* source = tile + r * tileStride;
                float* target = c + r * rowStride;
                for (int j = 0; j < columns; j++) target[j] = add ? target[j] + source[j] : source[j];
            }
        }
    }
}
