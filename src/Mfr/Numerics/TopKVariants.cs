namespace Mfr.Numerics;

/// <summary>The TopK family (<see cref="KernelRegistry.TopK"/>): per-row selection, shapes already checked by <see cref="TopK"/>.</summary>
internal interface ITopKKernel : IKernelVariant
{
    /// <summary>See <see cref="TopKReference.Select"/>.</summary>
    /// <param name="preActivations">Input, <c>[rowCount, columnCount]</c>.</param>
    /// <param name="rowCount">Rows.</param>
    /// <param name="columnCount">Columns.</param>
    /// <param name="k">Entries kept per row.</param>
    /// <param name="indices">Output columns, <c>[rowCount, k]</c>, ascending within a row.</param>
    /// <param name="values">Output values, <c>[rowCount, k]</c>.</param>
    /// <param name="maxThreads">Thread limit.</param>
    void Select(ReadOnlySpan<float> preActivations, int rowCount, int columnCount, int k, Span<int> indices, Span<float> values, int maxThreads);
}

/// <summary>The TopK reference: <see cref="TopKReference"/>, a sort of each row, single-threaded.</summary>
internal sealed class TopKReferenceKernel() : KernelVariant(KernelLevel.Reference, "sort of each row"), ITopKKernel
{
    public void Select(ReadOnlySpan<float> preActivations, int rowCount, int columnCount, int k, Span<int> indices, Span<float> values, int maxThreads)
        => TopKReference.Select(preActivations, rowCount, columnCount, k, indices, values);
}

/// <summary>The exact-threshold selections: <see cref="TopKPortable"/> (Vector256, permutations from compare masks) or <see cref="TopKAvx512"/> (compress instructions).</summary>
/// <param name="level">Portable or Avx512.</param>
/// <param name="description">The row kernel.</param>
internal sealed class TopKThresholdKernel(KernelLevel level, string description) : KernelVariant(level, description), ITopKKernel
{
    public void Select(ReadOnlySpan<float> preActivations, int rowCount, int columnCount, int k, Span<int> indices, Span<float> values, int maxThreads)
        => TopK.SelectFast(preActivations, rowCount, columnCount, k, indices, values, avx512: Level == KernelLevel.Avx512, maxThreads);
}
