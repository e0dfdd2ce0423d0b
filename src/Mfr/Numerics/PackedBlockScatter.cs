namespace Mfr.Numerics;

/// <summary>
/// The weight-gradient scatter of <see cref="SparseKernels.ScatterAddPair"/>, for Vector256 (AVX2) and
/// Vector512 (AVX-512: 64-float slabs; on Zen 5 at the SAE shape, 2 threads, 5.0-5.2 ms against 5.5-6.0 ms
/// for the latent-major <see cref="SparseScatter"/>, measured with `Mfr.Bench timings`). Same blocks and the same order of additions per gradient
/// element, so the results are bitwise equal to it; what changes is the memory layout, tuned on a Zen 3
/// (512 KB 8-way L2, 16 vector registers):
/// 1. The inverted index is sorted by (sample block, latent, sample) instead of (latent, sample): one
///    counting sort per block, in parallel, and a part finds a latent's entries of a block in a table
///    instead of scanning for the block's end once per slab.
/// 2. Slabs are 32 floats wide (4 + 4 accumulators, no spills), and a part copies its slab of each
///    block's vectors into a contiguous buffer (64 KB for 256 samples: stays in L2) before the latents
///    use it. With d = 256 a vector row is 1 KB, so the rows' 32-float slices all fall into 1/8 of the
///    L2 sets; read in place (the latent-major order) the same loop measured 20-25% slower.
/// Measured on the SAE shape (B 10,000, k 32, d 256, h 512), load average 5-7, minimum thread CPU time:
/// 1 thread 14-19 ms, 2 threads 9-14 ms, against 22-26 and 14-16 ms for the latent-major scatter.
/// </summary>
internal static unsafe class PackedBlockScatter<TOps, TVector>
    where TOps : struct, IVectorOps<TVector>
    where TVector : struct
{
    /// <summary>Floats per dimension slab: one 4-vector chunk for each of the two gradients (32 with Vector256, 64 with Vector512).</summary>
    private static int SlabFloats => 4 * TOps.Count;

    /// <summary>
    /// See <see cref="SparseKernels.ScatterAddPair"/>; <paramref name="sumsB"/> may be null. With <paramref name="overwrite"/>
    /// the outputs are set instead of accumulated (<see cref="SparseKernels.ScatterPair"/>): a latent's first block stores
    /// its sums and the rows no entry reaches are zeroed, so no pass clears the gradients first.
    /// </summary>
    public static void Run(
        int* indices, float* coefficientsA, float* vectorsA, float* coefficientsB, float* vectorsB,
        int rowCount, int k, int dimension, int latentCount, float* gradientA, float* gradientB, float* sumsB, bool overwrite, int maxThreads)
    {
        long entries = (long)rowCount * k;
        int threads = entries * dimension < (1 << 18) ? 1 : maxThreads;
        int blockRows = SparseScatter.BlockRowsFor(rowCount, k, latentCount);
        int blocks = (rowCount + blockRows - 1) / blockRows;
        int slabWidth = Math.Min(dimension, SlabFloats);
        int slabs = (dimension + slabWidth - 1) / slabWidth;
        // Parts are (latent range) x (slab); split latents only when there are fewer slabs than threads.
        int latentRanges = Math.Min(latentCount, Math.Max(1, (threads + slabs - 1) / slabs));
        // Scratch (4-byte elements): entries, the [blocks, h + 1] table of entry starts, per-latent totals, range starts.
        long tableSize = (long)blocks * (latentCount + 1);
        float* scratch = ScratchBuffers.Get(ScratchBuffers.SparseIndex, 3 * entries + tableSize + latentCount + 1 + latentRanges + 1);
        var index = new IndexWork
        {
            Indices = indices,
            CoefficientsA = coefficientsA,
            CoefficientsB = coefficientsB,
            RowCount = rowCount,
            K = k,
            LatentCount = latentCount,
            BlockRows = blockRows,
            Entries = (ScatterEntry*)scratch,
            BlockLatentStart = (int*)(scratch + 3 * entries),
        };
        WorkerPool.Run(ref index, blocks, threads);
        int* cumulative = index.BlockLatentStart + tableSize;
        int* rangeStart = cumulative + latentCount + 1;
        SplitLatents(index.BlockLatentStart, blocks, latentCount, latentRanges, cumulative, rangeStart);

        var scatter = new ScatterWork
        {
            Entries = index.Entries,
            BlockLatentStart = index.BlockLatentStart,
            RangeStart = rangeStart,
            Slabs = slabs,
            SlabWidth = slabWidth,
            Dimension = dimension,
            RowCount = rowCount,
            BlockRows = blockRows,
            Blocks = blocks,
            LatentCount = latentCount,
            VectorsA = vectorsA,
            VectorsB = vectorsB,
            GradientA = gradientA,
            GradientB = gradientB,
            SumsB = sumsB,
            Overwrite = overwrite,
        };
        WorkerPool.Run(ref scatter, latentRanges * slabs, threads);
        if (overwrite)
        {
            var clear = new ClearWork
            {
                BlockLatentStart = index.BlockLatentStart,
                Blocks = blocks,
                LatentCount = latentCount,
                Dimension = dimension,
                GradientA = gradientA,
                GradientB = gradientB,
                SumsB = sumsB,
            };
            WorkerPool.Run(ref clear, (latentCount + ClearWork.LatentsPerPart - 1) / ClearWork.LatentsPerPart, threads);
        }
    }

    /// <summary>
    /// Zeroes the rows (and sums) of the latents without entries in any block, which an overwriting scatter never visits:
    /// whole rows, in parallel (clearing each part's slab of them instead measured twice as slow at the EEG shape).
    /// </summary>
    private struct ClearWork : IParallelWork
    {
        public const int LatentsPerPart = 64;
        public int* BlockLatentStart;
        public float* GradientA, GradientB, SumsB;
        public int Blocks, LatentCount, Dimension;

        public readonly void Execute(int part)
        {
            int first = part * LatentsPerPart, end = Math.Min(LatentCount, first + LatentsPerPart);
            for (int latent = first; latent < end; latent++)
            {
                bool used = false;
                for (int block = 0; block < Blocks && !used; block++)
                {
                    int* start = BlockLatentStart + (long)block * (LatentCount + 1);
                    used = start[latent + 1] != start[latent];
                }
                if (used) continue;
                new Span<float>(GradientA + (nint)latent * Dimension, Dimension).Clear();
                new Span<float>(GradientB + (nint)latent * Dimension, Dimension).Clear();
                if (SumsB != null) SumsB[latent] = 0;
            }
        }
    }

    /// <summary>Splits the latents into ranges with about equal numbers of entries (work) over all blocks.</summary>
    private static void SplitLatents(int* blockLatentStart, int blocks, int latentCount, int ranges, int* cumulative, int* rangeStart)
    {
        rangeStart[0] = 0;
        rangeStart[ranges] = latentCount;
        if (ranges == 1) return;
        int running = 0;
        for (int latent = 0; latent < latentCount; latent++)
        {
            cumulative[latent] = running;
            for (int block = 0; block < blocks; block++)
            {
                int* start = blockLatentStart + (long)block * (latentCount + 1);
                running += start[latent + 1] - start[latent];
            }
        }
        int next = 0;
        for (int range = 1; range < ranges; range++)
        {
            long target = (long)running * range / ranges;
            while (next < latentCount && cumulative[next] < target) next++;
            rangeStart[range] = Math.Max(next, rangeStart[range - 1]);
        }
    }

    /// <summary>
    /// Counting sort of one block's entries by latent (sample order kept within a latent) into its own
    /// region of the entry array (a block of R samples owns entries [b R k, (b + 1) R k)), and row b of the
    /// table: <c>BlockLatentStart[b, j]</c> = first entry of latent j in block b, <c>[b, h]</c> = the block's end.
    /// </summary>
    private struct IndexWork : IParallelWork
    {
        public int* Indices, BlockLatentStart;
        public float* CoefficientsA, CoefficientsB;
        public ScatterEntry* Entries;
        public int RowCount, K, LatentCount, BlockRows;

        public readonly void Execute(int block)
        {
            // Fields in locals: the stores through Entries could alias this struct, so the JIT would
            // reload every field every entry (SAE shape, 1 thread: 2.4-2.9 -> 1.0-1.7 ms).
            int* indices = Indices;
            float* coefficientsA = CoefficientsA, coefficientsB = CoefficientsB;
            ScatterEntry* entries = Entries;
            int k = K, latentCount = LatentCount;
            int first = block * BlockRows, end = Math.Min(RowCount, first + BlockRows);
            int* start = BlockLatentStart + (long)block * (latentCount + 1);
            new Span<int>(start, latentCount + 1).Clear();
            long firstEntry = (long)first * k, endEntry = (long)end * k;
            for (long i = firstEntry; i < endEntry; i++) start[indices[i] + 1]++;
            int* cursor = (int*)ScratchBuffers.Get(ScratchBuffers.PartLocal, latentCount);
            int running = (int)firstEntry;
            start[0] = running;
            for (int latent = 0; latent < latentCount; latent++)
            {
                cursor[latent] = running;
                running += start[latent + 1];
                start[latent + 1] = running;
            }
            long e = firstEntry;
            for (int sample = first; sample < end; sample++)
            {
                for (long stop = e + k; e < stop; e++)
                {
                    int position = cursor[indices[e]]++;
                    entries[position] = new ScatterEntry(sample, coefficientsA[e], coefficientsB[e]);
                }
            }
        }
    }

    /// <summary>Copies one slab (4 vectors) with four vector loads and stores (inlined; a Span copy of 128 bytes is a call).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void CopySlab(float* source, float* destination)
    {
        int lanes = TOps.Count;
        TOps.Store(TOps.Load(source), destination);
        TOps.Store(TOps.Load(source + lanes), destination + lanes);
        TOps.Store(TOps.Load(source + 2 * lanes), destination + 2 * lanes);
        TOps.Store(TOps.Load(source + 3 * lanes), destination + 3 * lanes);
    }

    /// <summary>
    /// One part: a latent range and a slab of w columns. Block by block it copies the slab of the
    /// block's vectors into a packed <c>[rows, A w | B w]</c> buffer; a latent's entries in the block are
    /// summed in registers from zero and added to its two gradient slices (in place), or with
    /// <see cref="Overwrite"/> stored there at the latent's first block.
    /// </summary>
    private struct ScatterWork : IParallelWork
    {
        public int* BlockLatentStart, RangeStart;
        public ScatterEntry* Entries;
        public float* VectorsA, VectorsB, GradientA, GradientB, SumsB;
        public int Slabs, SlabWidth, Dimension, RowCount, BlockRows, Blocks, LatentCount;
        public bool Overwrite;

        public readonly void Execute(int part)
        {
            int range = part / Slabs, slab = part % Slabs;
            int firstLatent = RangeStart[range], endLatent = RangeStart[range + 1];
            int start = slab * SlabWidth, width = Math.Min(SlabWidth, Dimension - start);
            int stride = 2 * width;
            // Behind the packed vectors: one flag per latent of the range, set once the latent's slices hold a sum.
            long packedFloats = (long)BlockRows * stride;
            float* packedVectors = ScratchBuffers.Get(ScratchBuffers.PartLocal, packedFloats + (endLatent - firstLatent + 3) / 4);
            byte* written = (byte*)(packedVectors + packedFloats) - firstLatent;
            new Span<byte>(written + firstLatent, endLatent - firstLatent).Clear();
            for (int block = 0; block < Blocks; block++)
            {
                int blockStart = block * BlockRows, blockEnd = Math.Min(RowCount, blockStart + BlockRows);
                PackVectors(blockStart, blockEnd, start, width, packedVectors);
                int* latentStart = BlockLatentStart + (long)block * (LatentCount + 1);
                // Entries address sample rows from 0; the packed block starts at sample blockStart.
                float* blockVectors = packedVectors - (long)blockStart * stride;
                for (int latent = firstLatent; latent < endLatent; latent++)
                {
                    if (latent + PrefetchDistance < endLatent) PrefetchSlices(latent + PrefetchDistance, start, width);
                    int first = latentStart[latent], end = latentStart[latent + 1];
                    if (end == first) continue;
                    bool accumulate = !Overwrite || written[latent] != 0;
                    written[latent] = 1;
                    if (SumsB != null && slab == 0)
                    {
                        // Blocks and the entries within them come in sample order: one addition at a time, as SumByLatent.
                        float sum = accumulate ? SumsB[latent] : 0f;
                        for (int e = first; e < end; e++) sum += Entries[e].CoefficientB;
                        SumsB[latent] = sum;
                    }
                    float* gradientA = GradientA + (nint)latent * Dimension + start, gradientB = GradientB + (nint)latent * Dimension + start;
                    if (width == SlabFloats)
                        SparseRowKernels<TOps, TVector>.ScatterChunk4(Entries, first, end, blockVectors, blockVectors + width, stride, gradientA, gradientB, accumulate);
                    else
                        SparseRowKernels<TOps, TVector>.ScatterLatent(Entries, first, end, blockVectors, blockVectors + width, stride, 0, width, gradientA, gradientB, accumulate);
                }
            }
        }

        /// <summary>
        /// Latents ahead whose gradient slices are prefetched into L2: consecutive latents' slices are a row (4d bytes)
        /// apart, a stride the hardware prefetchers do not follow, and an overwriting store that misses waits in the store
        /// buffer (at the EEG shape the overwriting scatter measured 2x slower without; 12-24 latents ahead into L2 beat
        /// 4-8 ahead into L1).
        /// </summary>
        private const int PrefetchDistance = 16;

        /// <summary>Prefetches the slices [start, start + width) of latent <paramref name="latent"/>'s two gradient rows into L2.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private readonly void PrefetchSlices(int latent, int start, int width)
        {
            if (!System.Runtime.Intrinsics.X86.Sse.IsSupported) return;
            float* a = GradientA + (nint)latent * Dimension + start, b = GradientB + (nint)latent * Dimension + start;
            // One prefetch per 64-byte line, the last float's line included (rows need not start on a line).
            for (int offset = 0; offset < width; offset += 16)
            {
                System.Runtime.Intrinsics.X86.Sse.Prefetch1(a + offset);
                System.Runtime.Intrinsics.X86.Sse.Prefetch1(b + offset);
            }
            System.Runtime.Intrinsics.X86.Sse.Prefetch1(a + width - 1);
            System.Runtime.Intrinsics.X86.Sse.Prefetch1(b + width - 1);
        }

        /// <summary>Copies columns [start, start + width) of samples [blockStart, blockEnd) of both vector sets into <c>[rows, A width | B width]</c>.</summary>
        private readonly void PackVectors(int blockStart, int blockEnd, int start, int width, float* packed)
        {
            int stride = 2 * width;
            if (width == SlabFloats)
            {
                // Plain loads and stores of many rows in flight stream the strided source at memory
                // bandwidth (a Span copy per 128-byte row measured twice as slow).
                for (int sample = blockStart; sample < blockEnd; sample++)
                {
                    float* target = packed + (long)(sample - blockStart) * stride;
                    CopySlab(VectorsA + (nint)sample * Dimension + start, target);
                    CopySlab(VectorsB + (nint)sample * Dimension + start, target + SlabFloats);
                }
                return;
            }
            for (int sample = blockStart; sample < blockEnd; sample++)
            {
                float* target = packed + (long)(sample - blockStart) * stride;
                nint offset = (nint)sample * Dimension + start;
                new ReadOnlySpan<float>(VectorsA + offset, width).CopyTo(new Span<float>(target, width));
                new ReadOnlySpan<float>(VectorsB + offset, width).CopyTo(new Span<float>(target + width, width));
            }
        }
    }
}
