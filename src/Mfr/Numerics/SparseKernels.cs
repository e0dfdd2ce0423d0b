using System.Runtime.Intrinsics;

namespace Mfr.Numerics;

/// <summary>
/// Fast sparse SAE kernels; same contracts as <see cref="SparseKernelsReference"/>. Legend: B =
/// rowCount (samples), k active latents per sample, d = dimension, h latents.
/// </summary>
/// <remarks>
/// Decode and GatherDots split the samples between threads and keep 8 vectors of each output row in
/// registers while walking the k decoder rows (<see cref="SparseRowKernels{TOps, TVector}"/>); when
/// the decoder does not fit in cache (h d &gt; 512 K floats) they sweep the dimensions in slabs of
/// 128 so a slab of every row stays in L2/L3. ScatterAddPair accumulates by latent through an inverted index
/// (<see cref="PackedBlockScatter{TOps, TVector}"/>, with Vector512 or Vector256; it adds in the order of
/// <see cref="SparseScatter"/>, the latent-major layout it replaced). All three are deterministic: each output element is summed by
/// one thread in a fixed order that does not depend on the thread count. Indices are checked against
/// the number of rows first (an out-of-range index throws instead of touching foreign memory).
/// </remarks>
public static class SparseKernels
{
    /// <summary>Samples per parallel part.</summary>
    private const int SamplesPerPart = 32;

    /// <summary>Decoder floats that stay in cache; larger decoders are swept in slabs of dimensions.</summary>
    private const long CachedDecoderFloats = 512 * 1024;

    /// <summary>See <see cref="SparseKernelsReference.Decode"/>.</summary>
    /// <param name="indices">Active latents, <c>[B, k]</c>, each in [0, h).</param>
    /// <param name="coefficients">Their values, <c>[B, k]</c>.</param>
    /// <param name="rows">Decoder directions, <c>[h, d]</c>.</param>
    /// <param name="rowCount">B.</param>
    /// <param name="k">Active latents per sample.</param>
    /// <param name="dimension">d.</param>
    /// <param name="output">Reconstruction, <c>[B, d]</c>, overwritten.</param>
    public static void Decode(ReadOnlySpan<int> indices, ReadOnlySpan<float> coefficients, ReadOnlySpan<float> rows, int rowCount, int k, int dimension, Span<float> output)
        => DecodeWith(indices, coefficients, rows, rowCount, k, dimension, output, KernelRegistry.Sparse.Selected, Parallelism.MaxThreads);

    /// <summary>See <see cref="SparseKernelsReference.GatherDots"/>.</summary>
    /// <param name="indices">Active latents, <c>[B, k]</c>.</param>
    /// <param name="vectors">Per-sample vectors (e.g. dL/dx^), <c>[B, d]</c>.</param>
    /// <param name="rows">Decoder directions, <c>[h, d]</c>.</param>
    /// <param name="rowCount">B.</param>
    /// <param name="k">Active latents per sample.</param>
    /// <param name="dimension">d.</param>
    /// <param name="result">Dot products, <c>[B, k]</c>, overwritten.</param>
    public static void GatherDots(ReadOnlySpan<int> indices, ReadOnlySpan<float> vectors, ReadOnlySpan<float> rows, int rowCount, int k, int dimension, Span<float> result)
        => GatherDotsWith(indices, vectors, rows, rowCount, k, dimension, result, KernelRegistry.Sparse.Selected, Parallelism.MaxThreads);

    /// <summary>
    /// The SAE forward's decode, loss and dL/dz in one call (see <see cref="SparseKernelsReference.DecodeLossAndDots"/>):
    /// fused per sample when the decoder fits in cache (<see cref="SparseDecodeLoss"/>).
    /// </summary>
    /// <param name="indices">Active latents, <c>[B, k]</c>, each in [0, h).</param>
    /// <param name="coefficients">Their values z, <c>[B, k]</c>.</param>
    /// <param name="rows">Decoder directions, <c>[h, d]</c>.</param>
    /// <param name="rowBias">b_dec, <c>[d]</c>, or empty for none.</param>
    /// <param name="targets">x, <c>[B, d]</c>.</param>
    /// <param name="rowCount">B.</param>
    /// <param name="k">Active latents per sample.</param>
    /// <param name="dimension">d.</param>
    /// <param name="output">x^, <c>[B, d]</c>, overwritten.</param>
    /// <param name="gradient">dL/dx^, <c>[B, d]</c>, overwritten.</param>
    /// <param name="dots">dL/dz, <c>[B, k]</c>, overwritten.</param>
    /// <returns>L = mean((x^ - x)^2).</returns>
    public static double DecodeLossAndDots(
        ReadOnlySpan<int> indices, ReadOnlySpan<float> coefficients, ReadOnlySpan<float> rows, ReadOnlySpan<float> rowBias, ReadOnlySpan<float> targets,
        int rowCount, int k, int dimension, Span<float> output, Span<float> gradient, Span<float> dots)
        => DecodeLossAndDotsWith(indices, coefficients, rows, rowBias, targets, rowCount, k, dimension, output, gradient, dots, KernelRegistry.Sparse.Selected, Parallelism.MaxThreads);

    /// <summary>True when <see cref="DecodeLossAndDots"/> fuses the dots into the decode (h d floats fit in cache), so computing dL/dz there costs little.</summary>
    /// <param name="latentCount">h.</param>
    /// <param name="dimension">d.</param>
    public static bool FusesDecodeLoss(int latentCount, int dimension) => (long)latentCount * dimension <= SparseDecodeLoss.CachedDecoderFloats;

    /// <summary><see cref="DecodeLossAndDots"/> with an explicit variant and thread count.</summary>
    internal static double DecodeLossAndDotsWith(
        ReadOnlySpan<int> indices, ReadOnlySpan<float> coefficients, ReadOnlySpan<float> rows, ReadOnlySpan<float> rowBias, ReadOnlySpan<float> targets,
        int rowCount, int k, int dimension, Span<float> output, Span<float> gradient, Span<float> dots, ISparseKernel kernel, int maxThreads)
    {
        int latentRows = CheckGatherShapes(indices, coefficients.Length, "coefficients", rows.Length, rowCount, k, dimension, (long)rowCount * dimension, output.Length, "output", dimension);
        long vectors = (long)rowCount * dimension;
        if (targets.Length < vectors || gradient.Length < vectors || dots.Length < (long)rowCount * k || (!rowBias.IsEmpty && rowBias.Length < dimension))
            throw new ArgumentException(
                $"Shapes do not fit B={rowCount}, k={k}, d={dimension}: targets {targets.Length} and gradient {gradient.Length} (need {vectors}), " +
                $"dots {dots.Length} (needs {(long)rowCount * k}), row bias {rowBias.Length} (needs 0 or {dimension}).");
        return kernel.DecodeLossAndDots(indices, coefficients, rows, rowBias, targets, rowCount, k, dimension, output, gradient, dots, latentRows, maxThreads);
    }

    /// <summary>
    /// Both weight-gradient scatters of the SAE backward in one pass:
    /// <c>gradientA[idx] += coefficientsA * vectorsA[b]</c> and <c>gradientB[idx] += coefficientsB * vectorsB[b]</c>
    /// (decoder path with z and dL/dx^, encoder path with dL/da and x). Accumulates.
    /// </summary>
    /// <param name="indices">Active latents, <c>[B, k]</c>, each in [0, h).</param>
    /// <param name="coefficientsA">Scales of the first scatter, <c>[B, k]</c>.</param>
    /// <param name="vectorsA">Per-sample vectors of the first scatter, <c>[B, d]</c>.</param>
    /// <param name="coefficientsB">Scales of the second scatter, <c>[B, k]</c>.</param>
    /// <param name="vectorsB">Per-sample vectors of the second scatter, <c>[B, d]</c>.</param>
    /// <param name="rowCount">B.</param>
    /// <param name="k">Active latents per sample.</param>
    /// <param name="dimension">d.</param>
    /// <param name="latentCount">h.</param>
    /// <param name="gradientA">First accumulated gradient, <c>[h, d]</c>.</param>
    /// <param name="gradientB">Second accumulated gradient, <c>[h, d]</c>.</param>
    /// <param name="coefficientSumsB">
    /// Empty, or <c>[h]</c>: also accumulates <c>coefficientSumsB[j] += coefficientsB[b, s]</c> over the entries with
    /// <c>indices[b, s] = j</c>, added one by one in sample order (the bias gradient dL/db, from the index the scatter builds anyway).
    /// </param>
    public static void ScatterAddPair(
        ReadOnlySpan<int> indices,
        ReadOnlySpan<float> coefficientsA, ReadOnlySpan<float> vectorsA,
        ReadOnlySpan<float> coefficientsB, ReadOnlySpan<float> vectorsB,
        int rowCount, int k, int dimension, int latentCount,
        Span<float> gradientA, Span<float> gradientB, Span<float> coefficientSumsB = default)
        => ScatterAddPairWith(indices, coefficientsA, vectorsA, coefficientsB, vectorsB, rowCount, k, dimension, latentCount, gradientA, gradientB, KernelRegistry.Sparse.Selected, Parallelism.MaxThreads, coefficientSumsB);

    /// <summary>
    /// <see cref="ScatterAddPair"/> that overwrites: <c>gradientA[j] = sum of coefficientsA * vectorsA[b]</c> over the entries
    /// of latent j (zero for a latent no entry uses), the same for B and <paramref name="coefficientSumsB"/>. Bitwise what
    /// <see cref="ScatterAddPair"/> gives on zeroed outputs, without a pass that zeroes them first (issue 16: at the EEG
    /// shape each gradient is 78 MB).
    /// </summary>
    /// <param name="indices">Active latents, <c>[B, k]</c>, each in [0, h).</param>
    /// <param name="coefficientsA">Scales of the first scatter, <c>[B, k]</c>.</param>
    /// <param name="vectorsA">Per-sample vectors of the first scatter, <c>[B, d]</c>.</param>
    /// <param name="coefficientsB">Scales of the second scatter, <c>[B, k]</c>.</param>
    /// <param name="vectorsB">Per-sample vectors of the second scatter, <c>[B, d]</c>.</param>
    /// <param name="rowCount">B.</param>
    /// <param name="k">Active latents per sample.</param>
    /// <param name="dimension">d.</param>
    /// <param name="latentCount">h.</param>
    /// <param name="gradientA">First gradient, <c>[h, d]</c>, overwritten.</param>
    /// <param name="gradientB">Second gradient, <c>[h, d]</c>, overwritten.</param>
    /// <param name="coefficientSumsB">Empty, or <c>[h]</c>, overwritten with the per-latent sums of coefficientsB in sample order.</param>
    public static void ScatterPair(
        ReadOnlySpan<int> indices,
        ReadOnlySpan<float> coefficientsA, ReadOnlySpan<float> vectorsA,
        ReadOnlySpan<float> coefficientsB, ReadOnlySpan<float> vectorsB,
        int rowCount, int k, int dimension, int latentCount,
        Span<float> gradientA, Span<float> gradientB, Span<float> coefficientSumsB = default)
        => ScatterAddPairWith(indices, coefficientsA, vectorsA, coefficientsB, vectorsB, rowCount, k, dimension, latentCount, gradientA, gradientB, KernelRegistry.Sparse.Selected, Parallelism.MaxThreads, coefficientSumsB, overwrite: true);

    /// <summary><see cref="Decode"/> with an explicit variant and thread count.</summary>
    internal static void DecodeWith(ReadOnlySpan<int> indices, ReadOnlySpan<float> coefficients, ReadOnlySpan<float> rows, int rowCount, int k, int dimension, Span<float> output, ISparseKernel kernel, int maxThreads)
    {
        int latentRows = CheckGatherShapes(indices, coefficients.Length, "coefficients", rows.Length, rowCount, k, dimension, (long)rowCount * dimension, output.Length, "output", dimension);
        kernel.Decode(indices, coefficients, rows, rowCount, k, dimension, output, latentRows, maxThreads);
    }

    /// <summary>
    /// <see cref="DecodeWith"/> visiting the samples in <paramref name="sampleOrder"/>, a permutation of [0, B) (its entries are range-checked), so
    /// that samples sharing decoder rows run back to back (the synthetic generator orders its samples by group); the
    /// output is bitwise that of <see cref="Decode"/>.
    /// </summary>
    internal static void DecodeInOrderWith(ReadOnlySpan<int> sampleOrder, ReadOnlySpan<int> indices, ReadOnlySpan<float> coefficients, ReadOnlySpan<float> rows, int rowCount, int k, int dimension, Span<float> output, ISparseKernel kernel, int maxThreads)
    {
        int latentRows = CheckGatherShapes(indices, coefficients.Length, "coefficients", rows.Length, rowCount, k, dimension, (long)rowCount * dimension, output.Length, "output", dimension);
        if (sampleOrder.Length < rowCount) throw new ArgumentException($"The sample order holds {sampleOrder.Length} samples, B={rowCount} needs {rowCount}.");
        CheckIndices(sampleOrder[..rowCount], rowCount, $"B={rowCount}");
        kernel.DecodeInOrder(sampleOrder, indices, coefficients, rows, rowCount, k, dimension, output, latentRows, maxThreads);
    }

    /// <summary><see cref="GatherDots"/> with an explicit variant and thread count.</summary>
    internal static void GatherDotsWith(ReadOnlySpan<int> indices, ReadOnlySpan<float> vectors, ReadOnlySpan<float> rows, int rowCount, int k, int dimension, Span<float> result, ISparseKernel kernel, int maxThreads)
    {
        int latentRows = CheckGatherShapes(indices, vectors.Length, "vectors", rows.Length, rowCount, k, dimension, (long)rowCount * k, result.Length, "result", k);
        kernel.GatherDots(indices, vectors, rows, rowCount, k, dimension, result, latentRows, maxThreads);
    }

    /// <summary><see cref="ScatterAddPair"/> (or with <paramref name="overwrite"/> <see cref="ScatterPair"/>) with an explicit variant and thread count.</summary>
    internal static void ScatterAddPairWith(
        ReadOnlySpan<int> indices,
        ReadOnlySpan<float> coefficientsA, ReadOnlySpan<float> vectorsA,
        ReadOnlySpan<float> coefficientsB, ReadOnlySpan<float> vectorsB,
        int rowCount, int k, int dimension, int latentCount,
        Span<float> gradientA, Span<float> gradientB, ISparseKernel kernel, int maxThreads, Span<float> coefficientSumsB = default, bool overwrite = false)
    {
        CheckScatterShapes(indices, coefficientsA.Length, vectorsA.Length, coefficientsB.Length, vectorsB.Length, rowCount, k, dimension, latentCount, gradientA.Length, gradientB.Length);
        if (!coefficientSumsB.IsEmpty && coefficientSumsB.Length < latentCount)
            throw new ArgumentException($"coefficientSumsB holds {coefficientSumsB.Length} floats, h={latentCount} needs {latentCount}.");
        kernel.ScatterAddPair(indices, coefficientsA, vectorsA, coefficientsB, vectorsB, rowCount, k, dimension, latentCount, gradientA, gradientB, coefficientSumsB, overwrite, maxThreads);
    }

    /// <summary>The fast decode (shapes checked): samples split between threads, 8 vectors of each output row in registers.</summary>
    /// <remarks>
    /// With <paramref name="sampleOrder"/> the samples run in that order and the columns in slabs of at most
    /// <see cref="OrderedSlabFloats"/> (a slab of the rows that consecutive samples share stays in L1); each output
    /// element is still summed in entry order by one FMA per entry, so the output is bitwise the same.
    /// </remarks>
    internal static unsafe void DecodeFast(ReadOnlySpan<int> indices, ReadOnlySpan<float> coefficients, ReadOnlySpan<float> rows, int rowCount, int k, int dimension, Span<float> output, int latentRows, bool avx512, int maxThreads, ReadOnlySpan<int> sampleOrder = default)
    {
        fixed (int* pi = indices, porder = sampleOrder)
        fixed (float* pc = coefficients, pr = rows, po = output)
        {
            var work = new SampleWork { Indices = pi, PerEntry = pc, Rows = pr, Output = po, RowCount = rowCount, K = k, Dimension = dimension, Avx512 = avx512, Order = sampleOrder.IsEmpty ? null : porder };
            RunSlabs(ref work, latentRows, maxThreads);
        }
    }

    /// <summary>Slab width of an ordered decode: 8 Vector512 (a 512-byte slice of each row).</summary>
    private const int OrderedSlabFloats = 128;

    /// <summary>The fast gather-dots (shapes checked).</summary>
    internal static unsafe void GatherDotsFast(ReadOnlySpan<int> indices, ReadOnlySpan<float> vectors, ReadOnlySpan<float> rows, int rowCount, int k, int dimension, Span<float> result, int latentRows, bool avx512, int maxThreads)
    {
        if (dimension == 0)
        {
            result[..(rowCount * k)].Clear();
            return;
        }
        fixed (int* pi = indices)
        fixed (float* pv = vectors, pr = rows, po = result)
        {
            var work = new SampleWork { Indices = pi, PerEntry = pv, Rows = pr, Output = po, RowCount = rowCount, K = k, Dimension = dimension, Avx512 = avx512, Dots = true };
            RunSlabs(ref work, latentRows, maxThreads);
        }
    }

    /// <summary>The fast paired scatter (shapes checked): <see cref="PackedBlockScatter{TOps, TVector}"/> with Vector512 or Vector256.</summary>
    internal static unsafe void ScatterAddPairFast(
        ReadOnlySpan<int> indices,
        ReadOnlySpan<float> coefficientsA, ReadOnlySpan<float> vectorsA,
        ReadOnlySpan<float> coefficientsB, ReadOnlySpan<float> vectorsB,
        int rowCount, int k, int dimension, int latentCount,
        Span<float> gradientA, Span<float> gradientB, Span<float> coefficientSumsB, bool overwrite, bool avx512, int maxThreads)
    {
        bool sums = !coefficientSumsB.IsEmpty;
        if (rowCount == 0 || k == 0 || dimension == 0)
        {
            if (overwrite) ClearScatterOutputs(dimension, latentCount, gradientA, gradientB, coefficientSumsB);
            if (sums) SparseKernelsReference.SumByLatent(indices, coefficientsB, rowCount, k, coefficientSumsB);
            return;
        }
        fixed (int* pi = indices)
        fixed (float* pca = coefficientsA, pva = vectorsA, pcb = coefficientsB, pvb = vectorsB, pga = gradientA, pgb = gradientB, psb = coefficientSumsB)
        {
            if (avx512)
                PackedBlockScatter<VectorOps512, Vector512<float>>.Run(pi, pca, pva, pcb, pvb, rowCount, k, dimension, latentCount, pga, pgb, sums ? psb : null, overwrite, maxThreads);
            else
                PackedBlockScatter<VectorOps256, Vector256<float>>.Run(pi, pca, pva, pcb, pvb, rowCount, k, dimension, latentCount, pga, pgb, sums ? psb : null, overwrite, maxThreads);
        }
    }

    /// <summary>Zeroes what <see cref="ScatterPair"/> overwrites: <c>[h, d]</c> of both gradients and <c>[h]</c> of the sums when given.</summary>
    internal static void ClearScatterOutputs(int dimension, int latentCount, Span<float> gradientA, Span<float> gradientB, Span<float> coefficientSumsB)
    {
        int size = latentCount * dimension;
        gradientA[..size].Clear();
        gradientB[..size].Clear();
        if (!coefficientSumsB.IsEmpty) coefficientSumsB[..latentCount].Clear();
    }

    /// <summary>Runs the per-sample kernel over dimension slabs: one slab when the decoder fits in cache.</summary>
    private static unsafe void RunSlabs(ref SampleWork work, int latentRows, int maxThreads)
    {
        if (work.RowCount == 0 || work.Dimension == 0) return;
        int dimension = work.Dimension;
        int slabWidth = work.Order != null ? Math.Min(dimension, OrderedSlabFloats)
            : (long)latentRows * dimension <= CachedDecoderFloats ? dimension : Math.Min(dimension, 128);
        int parts = (work.RowCount + SamplesPerPart - 1) / SamplesPerPart;
        int threads = (long)work.RowCount * work.K * dimension < (1 << 17) ? 1 : maxThreads;
        for (int start = 0; start < dimension; start += slabWidth)
        {
            work.SlabStart = start;
            work.SlabWidth = Math.Min(slabWidth, dimension - start);
            WorkerPool.Run(ref work, parts, threads);
        }
    }

    private static unsafe int CheckGatherShapes(ReadOnlySpan<int> indices, int perSampleLength, string perSampleName, int rowsLength, int rowCount, int k, int dimension, long outputNeeded, int outputLength, string outputName, int perEntryWidth)
    {
        if (rowCount < 0 || k < 0 || dimension < 0)
            throw new ArgumentException($"Sizes must be non-negative, got B={rowCount}, k={k}, d={dimension}.");
        long entries = (long)rowCount * k;
        long perSampleNeeded = perSampleName == "coefficients" ? entries : (long)rowCount * dimension;
        if (indices.Length < entries || perSampleLength < perSampleNeeded || outputLength < outputNeeded)
            throw new ArgumentException(
                $"Shapes do not fit: indices [B,k]=[{rowCount},{k}] needs {entries} (has {indices.Length}), " +
                $"{perSampleName} needs {perSampleNeeded} (has {perSampleLength}), {outputName} [{rowCount},{perEntryWidth}] needs {outputNeeded} (has {outputLength}).");
        int latentRows = dimension == 0 ? int.MaxValue : rowsLength / dimension;
        CheckIndices(indices[..(int)entries], latentRows, $"rows [h,d] with {rowsLength} floats and d={dimension}");
        return latentRows;
    }

    private static void CheckScatterShapes(ReadOnlySpan<int> indices, int coefficientsALength, int vectorsALength, int coefficientsBLength, int vectorsBLength, int rowCount, int k, int dimension, int latentCount, int gradientALength, int gradientBLength)
    {
        if (rowCount < 0 || k < 0 || dimension < 0 || latentCount < 0)
            throw new ArgumentException($"Sizes must be non-negative, got B={rowCount}, k={k}, d={dimension}, h={latentCount}.");
        long entries = (long)rowCount * k, vectors = (long)rowCount * dimension, gradient = (long)latentCount * dimension;
        if (indices.Length < entries || coefficientsALength < entries || coefficientsBLength < entries || vectorsALength < vectors || vectorsBLength < vectors || gradientALength < gradient || gradientBLength < gradient)
            throw new ArgumentException(
                $"Shapes do not fit B={rowCount}, k={k}, d={dimension}, h={latentCount}: indices {indices.Length} (needs {entries}), " +
                $"coefficients {coefficientsALength}/{coefficientsBLength} (need {entries}), vectors {vectorsALength}/{vectorsBLength} (need {vectors}), " +
                $"gradients {gradientALength}/{gradientBLength} (need {gradient}).");
        CheckIndices(indices[..(int)entries], latentCount, $"h={latentCount}");
    }

    /// <summary>Throws if an index is outside [0, limit): the fast kernels address memory with them unchecked.</summary>
    private static void CheckIndices(ReadOnlySpan<int> indices, int limit, string what)
    {
        // One unsigned comparison per index catches negatives too; vectorised by the span helper.
        var limitVector = Vector256.Create((uint)limit);
        var cast = System.Runtime.InteropServices.MemoryMarshal.Cast<int, uint>(indices);
        int i = 0;
        bool bad = false;
        for (; i <= cast.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
        {
            if (Vector256.GreaterThanOrEqualAny(Vector256.Create(cast.Slice(i, Vector256<uint>.Count)), limitVector))
            {
                bad = true;
                break;
            }
        }
        if (!bad && i >= cast.Length) return;
        for (i = 0; i < cast.Length; i++)
        {
            if (cast[i] >= (uint)limit) throw new ArgumentException($"indices[{i}] = {indices[i]} is outside [0, {limit}) ({what}).");
        }
    }

    private unsafe struct SampleWork : IParallelWork
    {
        public int* Indices, Order;
        public float* PerEntry, Rows, Output;
        public int RowCount, K, Dimension, SlabStart, SlabWidth;
        public bool Avx512, Dots;

        public readonly void Execute(int part)
        {
            int first = part * SamplesPerPart, end = Math.Min(RowCount, first + SamplesPerPart);
            for (int position = first; position < end; position++)
            {
                int sample = Order == null ? position : Order[position];
                int* indices = Indices + (long)sample * K;
                if (Dots)
                {
                    float* vector = PerEntry + (long)sample * Dimension;
                    float* result = Output + (long)sample * K;
                    bool add = SlabStart > 0;
                    if (Avx512) SparseRowKernels<VectorOps512, Vector512<float>>.GatherDotsSample(indices, vector, K, Rows, Dimension, SlabStart, SlabWidth, result, add);
                    else SparseRowKernels<VectorOps256, Vector256<float>>.GatherDotsSample(indices, vector, K, Rows, Dimension, SlabStart, SlabWidth, result, add);
                }
                else
                {
                    float* coefficients = PerEntry + (long)sample * K;
                    float* output = Output + (long)sample * Dimension;
                    if (Avx512) SparseRowKernels<VectorOps512, Vector512<float>>.DecodeSample(indices, coefficients, K, Rows, Dimension, SlabStart, SlabWidth, output);
                    else SparseRowKernels<VectorOps256, Vector256<float>>.DecodeSample(indices, coefficients, K, Rows, Dimension, SlabStart, SlabWidth, output);
                }
            }
        }
    }
}
