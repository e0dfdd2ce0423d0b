using System.Runtime.Intrinsics;
using Mfr.Numerics;

namespace Mfr.Sae;

/// <summary>
/// The optimiser's pass over W (issue 16, EEG step): AdamW on a block of rows, then those rows' norms and decoder
/// rows while the block is still in L2, instead of an AdamW pass over all of W followed by
/// <see cref="TopKSae.RefreshDecoder"/> reading W again from memory (78 MB at the EEG shape). The same kernels on
/// the same elements: AdamW is element-wise and the renormalisation per row, so W, D and the norms are bitwise
/// those of the two passes. Used when the selected variants are the fast ones (<see cref="Applies"/>); otherwise
/// (e.g. <c>MFR_KERNELS=reference</c>) the optimiser runs the two selected kernels one after the other.
/// </summary>
internal static unsafe class AdamRenormalization
{
    /// <summary>Bytes of W, gradient and moments per block: half of a 2 MB L2, so the block's W is still there to renormalise.</summary>
    private const int BlockBytes = 1 << 20;

    /// <summary>True when the selected AdamW and SAE-step variants are the ones this pass runs.</summary>
    public static bool Applies => KernelRegistry.Adam.Selected is AdamVectorKernel && KernelRegistry.SaeStep.Selected is SaeStepPortableKernels;

    /// <summary>One AdamW step of W (<see cref="Adam.Step"/>) and then D = W / ||W|| (<see cref="SaeStepKernels.NormalizeRows"/>).</summary>
    /// <param name="weights">W, <c>[h, d]</c>, updated.</param>
    /// <param name="gradients">dL/dW, <c>[h, d]</c>.</param>
    /// <param name="firstMoment">Adam m, <c>[h, d]</c>, updated.</param>
    /// <param name="secondMoment">Adam v, <c>[h, d]</c>, updated.</param>
    /// <param name="settings">Hyperparameters.</param>
    /// <param name="step">1-based step count.</param>
    /// <param name="latentCount">h.</param>
    /// <param name="dimension">d.</param>
    /// <param name="decoder">D, <c>[h, d]</c>, overwritten.</param>
    /// <param name="rowNorms">||W_j||, <c>[h]</c>, overwritten.</param>
    /// <param name="maxThreads">Thread limit.</param>
    public static void Step(
        Span<float> weights, ReadOnlySpan<float> gradients, Span<float> firstMoment, Span<float> secondMoment, AdamSettings settings, long step,
        int latentCount, int dimension, Span<float> decoder, Span<float> rowNorms, int maxThreads)
        => StepWith(weights, gradients, firstMoment, secondMoment, settings, step, latentCount, dimension, decoder, rowNorms,
            avx512: KernelRegistry.Adam.Selected.Level == KernelLevel.Avx512, maxThreads);

    /// <summary><see cref="Step"/> with the AdamW width chosen (tests).</summary>
    internal static void StepWith(
        Span<float> weights, ReadOnlySpan<float> gradients, Span<float> firstMoment, Span<float> secondMoment, AdamSettings settings, long step,
        int latentCount, int dimension, Span<float> decoder, Span<float> rowNorms, bool avx512, int maxThreads)
    {
        long size = (long)latentCount * dimension;
        Adam.CheckShapes(weights.Length, gradients.Length, firstMoment.Length, secondMoment.Length, step);
        if (weights.Length != size || decoder.Length < size || rowNorms.Length < latentCount)
            throw new ArgumentException($"W holds {weights.Length} floats, D {decoder.Length}, norms {rowNorms.Length}; [h, d] = [{latentCount}, {dimension}] needs {size}, {size}, {latentCount}.");
        // Rows per block: a multiple of 8 (the renormalisation sums 8 rows at a time), 4 buffers of BlockBytes / 4 in all.
        int rows = Math.Max(8, BlockBytes / 16 / Math.Max(1, dimension) / 8 * 8);
        fixed (float* p = weights, g = gradients, m = firstMoment, v = secondMoment, pd = decoder, pn = rowNorms)
        {
            var work = new BlockWork
            {
                Weights = p,
                Gradients = g,
                FirstMoment = m,
                SecondMoment = v,
                Decoder = pd,
                RowNorms = pn,
                LatentCount = latentCount,
                Dimension = dimension,
                RowsPerBlock = rows,
                Coefficients = Adam.Coefficients(settings, step),
                Avx512 = avx512,
            };
            int blocks = (latentCount + rows - 1) / rows;
            WorkerPool.Run(ref work, blocks, size < 2 * 64 * 1024 ? 1 : maxThreads);
        }
    }

    private struct BlockWork : IParallelWork
    {
        public float* Weights, Gradients, FirstMoment, SecondMoment, Decoder, RowNorms;
        public int LatentCount, Dimension, RowsPerBlock;
        public AdamCoefficients Coefficients;
        public bool Avx512;

        public readonly void Execute(int block)
        {
            int first = block * RowsPerBlock, end = Math.Min(LatentCount, first + RowsPerBlock);
            long offset = (long)first * Dimension;
            int count = (end - first) * Dimension;
            if (Avx512) AdamKernel<VectorOps512, Vector512<float>>.Step(Weights + offset, Gradients + offset, FirstMoment + offset, SecondMoment + offset, count, Coefficients);
            else AdamKernel<VectorOps256, Vector256<float>>.Step(Weights + offset, Gradients + offset, FirstMoment + offset, SecondMoment + offset, count, Coefficients);
            SaeStepKernels.NormalizeRowRange(Weights, first, end, Dimension, Decoder, RowNorms);
        }
    }
}
