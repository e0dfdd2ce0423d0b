namespace Mfr.Numerics;

/// <summary>
/// The weight-gradient scatter of <see cref="SparseKernels.ScatterAddPair"/>, by latent instead of
/// by sample so that no two threads ever write the same gradient row and no atomics are needed:
/// 1. build an inverted index (counting sort of the B k entries by latent; within a latent, entries
///    keep sample order): per-part counts, a serial prefix sum, a per-part fill, all in parallel;
/// 2. parts = (range of latents with about equal entry counts) x (slab of &lt;= 256 dimensions); a
///    part walks the samples in blocks whose vectors fit in L2 (~512 KB) and, for every latent of its
///    range with entries in the block, accumulates both gradient rows in registers.
/// Every gradient element is <c>g = fma(c_e, v_e, g)</c> over its entries in sample order, so the
/// result is bitwise identical for any thread count, part grid or block size (a resumed training
/// run reproduces an uninterrupted one).
/// </summary>
internal static unsafe class SparseScatter
{
    /// <summary>Floats of the sample block (both vector arrays) that should stay in L2.</summary>
    private const int BlockFloats = 128 * 1024;

    /// <summary>Widest dimension slab (keeps a block of >= 256 samples within <see cref="BlockFloats"/>).</summary>
    private const int MaxSlabWidth = 256;

    public static void Run(
        int* indices, float* coefficientsA, float* vectorsA, float* coefficientsB, float* vectorsB,
        int rowCount, int k, int dimension, int latentCount, float* gradientA, float* gradientB, bool avx512, int maxThreads)
    {
        long entries = (long)rowCount * k;
        int threads = entries * dimension < (1 << 18) ? 1 : maxThreads;
        int buildParts = threads == 1 ? 1 : Math.Min(rowCount, 4 * threads);
        int latentRanges = threads == 1 ? 1 : Math.Min(latentCount, 2 * threads);
        // Scratch layout (ints and floats share one buffer of 4-byte elements).
        long size = 3 * entries + (latentCount + 1) + (long)buildParts * latentCount + latentRanges + 1 + 64;
        float* scratch = ScratchBuffers.Get(ScratchBuffers.SparseIndex, size);
        var index = new IndexWork
        {
            Indices = indices, CoefficientsA = coefficientsA, CoefficientsB = coefficientsB,
            RowCount = rowCount, K = k, LatentCount = latentCount, Parts = buildParts,
            Samples = (int*)scratch, SortedA = scratch + entries, SortedB = scratch + 2 * entries,
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

        int slabWidth = Math.Min(dimension, MaxSlabWidth);
        int slabs = (dimension + slabWidth - 1) / slabWidth;
        var scatter = new ScatterWork
        {
            Samples = index.Samples, SortedA = index.SortedA, SortedB = index.SortedB, LatentStart = index.LatentStart,
            RangeStart = rangeStart, Slabs = slabs, SlabWidth = slabWidth, Dimension = dimension, RowCount = rowCount,
            BlockRows = Math.Max(16, BlockFloats / (2 * slabWidth)),
            VectorsA = vectorsA, VectorsB = vectorsB, GradientA = gradientA, GradientB = gradientB, Avx512 = avx512,
        };
        WorkerPool.Run(ref scatter, latentRanges * slabs, threads);
    }

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
        public int* Indices, Samples, LatentStart, Counts;
        public float* CoefficientsA, CoefficientsB, SortedA, SortedB;
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
                    Samples[position] = sample;
                    SortedA[position] = CoefficientsA[e];
                    SortedB[position] = CoefficientsB[e];
                }
            }
        }
    }

    private struct ScatterWork : IParallelWork
    {
        public int* Samples, LatentStart, RangeStart;
        public float* SortedA, SortedB, VectorsA, VectorsB, GradientA, GradientB;
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
                for (int latent = firstLatent; latent < endLatent; latent++)
                {
                    int first = cursor[latent - firstLatent], end = first, stop = LatentStart[latent + 1];
                    while (end < stop && Samples[end] < blockEnd) end++;
                    if (end == first) continue;
                    cursor[latent - firstLatent] = end;
                    nint row = (nint)latent * Dimension;
                    if (Avx512)
                        SparseRowKernels<VectorOps512, System.Runtime.Intrinsics.Vector512<float>>.ScatterLatent(
                            Samples, SortedA, SortedB, first, end, VectorsA, VectorsB, Dimension, start, width, GradientA + row, GradientB + row);
                    else
                        SparseRowKernels<VectorOps256, System.Runtime.Intrinsics.Vector256<float>>.ScatterLatent(
                            Samples, SortedA, SortedB, first, end, VectorsA, VectorsB, Dimension, start, width, GradientA + row, GradientB + row);
                }
            }
        }
    }
}
