namespace Mfr.Numerics;

/// <summary>
/// The weight-gradient scatter of <see cref="SparseKernels.ScatterAddPair"/>, by latent instead of
/// by sample so that no two threads ever write the same gradient row and no atomics are needed:
/// 1. build an inverted index (counting sort of the B k entries by latent; within a latent, entries
///    keep sample order): per-part counts, a serial prefix sum, a per-part fill, all in parallel;
/// 2. parts = (range of latents with about equal entry counts) x (slab of &lt;= 256 dimensions); a
///    part walks the samples in blocks (~16 entries per latent, ~512 KB of vectors: L2), prefetching
///    the next block into L2 as it goes (a latent visits its samples in an order the hardware
///    prefetchers cannot follow), and for every latent of its range with entries in the block sums
///    them into registers and adds that to the two gradient rows.
/// Every gradient element gets, block by block, the sum of its block's entries in sample order. The
/// blocks depend only on (B, k, h), never on the thread count, so the result is bitwise identical
/// for any MaxThreads (a resumed training run reproduces an uninterrupted one). Measured on the SAE
/// shape: the kernel runs at L2 bandwidth (~5.5 ns per 16 FMAs); streaming the vectors from memory
/// and the gradient sweep per block cost about as much again.
/// <para>
/// Both widths now run <see cref="PackedBlockScatter{TOps, TVector}"/>, which adds in the same order with a
/// block-major index and packed slabs (Zen 5, SAE shape, 2 threads: 5.0-5.2 ms against 5.5-6.0 ms here);
/// this class remains as the cross-check of that order.
/// </para>
/// </summary>
internal static unsafe class SparseScatter
{
    /// <summary>
    /// Vectors per dimension slab (256 floats with AVX-512): two 8-vector chunks per entry. Narrower
    /// slabs re-walk the entries once per slab and measured slower on the SAE shape.
    /// </summary>
    private const int SlabVectors = 16;

    public static void Run(
        int* indices, float* coefficientsA, float* vectorsA, float* coefficientsB, float* vectorsB,
        int rowCount, int k, int dimension, int latentCount, float* gradientA, float* gradientB, float* sumsB, bool avx512, int maxThreads)
    {
        long entries = (long)rowCount * k;
        int threads = entries * dimension < (1 << 18) ? 1 : maxThreads;
        int buildParts = threads == 1 ? 1 : Math.Min(rowCount, 4 * threads);
        // Parts are (latent range) x (dimension slab); each part streams its slab of every sample once
        // (the dominant memory traffic), so split latents only when there are fewer slabs than threads.
        int slabCount = (dimension + SlabVectors * (avx512 ? 16 : 8) - 1) / (SlabVectors * (avx512 ? 16 : 8));
        int latentRanges = Math.Min(latentCount, Math.Max(1, (threads + slabCount - 1) / slabCount));
        // Scratch layout (ints and floats share one buffer of 4-byte elements).
        long size = 3 * entries + (latentCount + 1) + (long)buildParts * latentCount + latentRanges + 1 + 64;
        float* scratch = ScratchBuffers.Get(ScratchBuffers.SparseIndex, size);
        var index = new IndexWork
        {
            Indices = indices, CoefficientsA = coefficientsA, CoefficientsB = coefficientsB,
            RowCount = rowCount, K = k, LatentCount = latentCount, Parts = buildParts,
            Entries = (ScatterEntry*)scratch,
            LatentStart = (int*)(scratch + 3 * entries),
        };
        index.Counts = index.LatentStart + latentCount + 1;
        int* rangeStart = index.Counts + (long)buildParts * latentCount;

        index.Filling = false;
        WorkerPool.Run(ref index, buildParts, threads);
        PrefixSums(index.Counts, buildParts, latentCount, index.LatentStart);
        index.Filling = true;
        WorkerPool.Run(ref index, buildParts, threads);
        SplitLatents(index.LatentStart, latentCount, latentRanges, rangeStart);

        int slabWidth = Math.Min(dimension, SlabVectors * (avx512 ? 16 : 8));
        int slabs = (dimension + slabWidth - 1) / slabWidth;
        var scatter = new ScatterWork
        {
            Entries = index.Entries, LatentStart = index.LatentStart,
            RangeStart = rangeStart, Slabs = slabs, SlabWidth = slabWidth, Dimension = dimension, RowCount = rowCount,
            BlockRows = BlockRowsFor(rowCount, k, latentCount),
            VectorsA = vectorsA, VectorsB = vectorsB, GradientA = gradientA, GradientB = gradientB, SumsB = sumsB, Avx512 = avx512,
        };
        WorkerPool.Run(ref scatter, latentRanges * slabs, threads);
    }

    /// <summary>
    /// Samples per block: enough that a latent has ~16 entries per block (the two gradient slices are
    /// read and written once per block and latent), at least 128; all samples when the batch is small.
    /// </summary>
    internal static int BlockRowsFor(int rowCount, int k, int latentCount)
    {
        long wanted = Math.Max(BlockMinimum, 16L * latentCount / Math.Max(1, k));
        return (int)Math.Min(rowCount, wanted);
    }

    /// <summary>Fewest samples per block.</summary>
    private const int BlockMinimum = 128;

    /// <summary>Turns per-part counts into per-part write cursors; latentStart[j] = first entry of latent j.</summary>
    private static void PrefixSums(int* counts, int parts, int latentCount, int* latentStart)
    {
        int running = 0;
        for (int latent = 0; latent < latentCount; latent++)
        {
            latentStart[latent] = running;
            for (int part = 0; part < parts; part++)
            {
                int* count = counts + (long)part * latentCount + latent;
                int here = *count;
                *count = running;
                running += here;
            }
        }
        latentStart[latentCount] = running;
    }

    /// <summary>Splits the latents into ranges with about equal numbers of entries (work).</summary>
    private static void SplitLatents(int* latentStart, int latentCount, int ranges, int* rangeStart)
    {
        long total = latentStart[latentCount];
        int latent = 0;
        rangeStart[0] = 0;
        for (int range = 1; range < ranges; range++)
        {
            long target = total * range / ranges;
            while (latent < latentCount && latentStart[latent] < target) latent++;
            rangeStart[range] = Math.Max(latent, rangeStart[range - 1]);
        }
        rangeStart[ranges] = latentCount;
    }

    private struct IndexWork : IParallelWork
    {
        public int* Indices, LatentStart, Counts;
        public float* CoefficientsA, CoefficientsB;
        public ScatterEntry* Entries;
        public int RowCount, K, LatentCount, Parts;
        public bool Filling;

        public readonly void Execute(int part)
        {
            int first = (int)((long)RowCount * part / Parts), end = (int)((long)RowCount * (part + 1) / Parts);
            int* cursor = Counts + (long)part * LatentCount;
            if (!Filling)
            {
                new Span<int>(cursor, LatentCount).Clear();
                for (long e = (long)first * K; e < (long)end * K; e++) cursor[Indices[e]]++;
                return;
            }
            for (int sample = first; sample < end; sample++)
            {
                for (long e = (long)sample * K; e < (long)(sample + 1) * K; e++)
                {
                    int position = cursor[Indices[e]]++;
                    Entries[position] = new ScatterEntry(sample, CoefficientsA[e], CoefficientsB[e]);
                }
            }
        }
    }

    private struct ScatterWork : IParallelWork
    {
        public int* LatentStart, RangeStart;
        public ScatterEntry* Entries;
        public float* VectorsA, VectorsB, GradientA, GradientB, SumsB;
        public int Slabs, SlabWidth, Dimension, RowCount, BlockRows;
        public bool Avx512;

        public readonly void Execute(int part)
        {
            int range = part / Slabs, slab = part % Slabs;
            int firstLatent = RangeStart[range], endLatent = RangeStart[range + 1];
            int start = slab * SlabWidth, width = Math.Min(SlabWidth, Dimension - start);
            int* cursor = (int*)ScratchBuffers.Get(ScratchBuffers.PartLocal, endLatent - firstLatent + 1);
            for (int latent = firstLatent; latent < endLatent; latent++) cursor[latent - firstLatent] = LatentStart[latent];
            for (int blockStart = 0; blockStart < RowCount; blockStart += BlockRows)
            {
                int blockEnd = Math.Min(RowCount, blockStart + BlockRows);
                var prefetch = new BlockPrefetcher(VectorsA, VectorsB, Dimension, start, width, blockEnd, Math.Min(RowCount, blockEnd + BlockRows), endLatent - firstLatent);
                for (int latent = firstLatent; latent < endLatent; latent++)
                {
                    prefetch.Step();
                    int first = cursor[latent - firstLatent], end = first, stop = LatentStart[latent + 1];
                    while (end < stop && Entries[end].Sample < blockEnd) end++;
                    if (end == first) continue;
                    cursor[latent - firstLatent] = end;
                    if (SumsB != null && slab == 0)
                    {
                        // Blocks come in sample order and entries within a block too: one addition at a time, as SumByLatent.
                        float sum = SumsB[latent];
                        for (int e = first; e < end; e++) sum += Entries[e].CoefficientB;
                        SumsB[latent] = sum;
                    }
                    nint row = (nint)latent * Dimension;
                    if (Avx512)
                        SparseRowKernels<VectorOps512, System.Runtime.Intrinsics.Vector512<float>>.ScatterLatent(
                            Entries, first, end, VectorsA, VectorsB, Dimension, start, width, GradientA + row, GradientB + row);
                    else
                        SparseRowKernels<VectorOps256, System.Runtime.Intrinsics.Vector256<float>>.ScatterLatent(
                            Entries, first, end, VectorsA, VectorsB, Dimension, start, width, GradientA + row, GradientB + row);
                }
            }
        }
    }

    /// <summary>Spreads L2 prefetches of the next sample block's slab over the latents of the current block.</summary>
    private struct BlockPrefetcher
    {
        private readonly float* vectorsA, vectorsB;
        private readonly nint dimension;
        private readonly int start, linesPerRow, endRow, linesPerStep;
        private int row, line;

        public BlockPrefetcher(float* vectorsA, float* vectorsB, nint dimension, int start, int width, int firstRow, int endRow, int steps)
        {
            this.vectorsA = vectorsA;
            this.vectorsB = vectorsB;
            this.dimension = dimension;
            this.start = start;
            this.endRow = endRow;
            linesPerRow = (width + 15) / 16;
            row = firstRow;
            line = 0;
            long lines = (long)(endRow - firstRow) * linesPerRow;
            linesPerStep = (int)Math.Min(int.MaxValue, (lines + steps - 1) / Math.Max(1, steps));
        }

        public void Step()
        {
            if (!System.Runtime.Intrinsics.X86.Sse.IsSupported) return;
            for (int i = 0; i < linesPerStep && row < endRow; i++)
            {
                nint offset = row * dimension + start + line * 16;
                System.Runtime.Intrinsics.X86.Sse.Prefetch1(vectorsA + offset);
                System.Runtime.Intrinsics.X86.Sse.Prefetch1(vectorsB + offset);
                if (++line == linesPerRow)
                {
                    line = 0;
                    row++;
                }
            }
        }
    }
}
