namespace Mfr.Numerics;

/// <summary>
/// The sparse family (<see cref="KernelRegistry.Sparse"/>): the SAE's sparse decode, gather-dots and paired
/// weight-gradient scatter, shapes and indices already checked by <see cref="SparseKernels"/>.
/// </summary>
internal interface ISparseKernel : IKernelVariant
{
    /// <summary>See <see cref="SparseKernelsReference.Decode"/>; <paramref name="latentRows"/> is h (rows.Length / d).</summary>
    void Decode(ReadOnlySpan<int> indices, ReadOnlySpan<float> coefficients, ReadOnlySpan<float> rows, int rowCount, int k, int dimension, Span<float> output, int latentRows, int maxThreads);

    /// <summary>
    /// <see cref="Decode"/> visiting the samples in <paramref name="sampleOrder"/> (a permutation of [0, B)) and the
    /// columns in slabs, so samples that share rows run back to back while those rows are in L1; bitwise the same output.
    /// </summary>
    void DecodeInOrder(ReadOnlySpan<int> sampleOrder, ReadOnlySpan<int> indices, ReadOnlySpan<float> coefficients, ReadOnlySpan<float> rows, int rowCount, int k, int dimension, Span<float> output, int latentRows, int maxThreads);

    /// <summary>See <see cref="SparseKernelsReference.GatherDots"/>; <paramref name="latentRows"/> is h (rows.Length / d).</summary>
    void GatherDots(ReadOnlySpan<int> indices, ReadOnlySpan<float> vectors, ReadOnlySpan<float> rows, int rowCount, int k, int dimension, Span<float> result, int latentRows, int maxThreads);

    /// <summary>See <see cref="SparseKernelsReference.DecodeLossAndDots"/>; <paramref name="latentRows"/> is h (rows.Length / d).</summary>
    double DecodeLossAndDots(
        ReadOnlySpan<int> indices, ReadOnlySpan<float> coefficients, ReadOnlySpan<float> rows, ReadOnlySpan<float> rowBias, ReadOnlySpan<float> targets,
        int rowCount, int k, int dimension, Span<float> output, Span<float> gradient, Span<float> dots, int latentRows, int maxThreads);

    /// <summary>See <see cref="SparseKernels.ScatterAddPair"/>; with <paramref name="overwrite"/> <see cref="SparseKernels.ScatterPair"/>.</summary>
    void ScatterAddPair(
        ReadOnlySpan<int> indices,
        ReadOnlySpan<float> coefficientsA, ReadOnlySpan<float> vectorsA,
        ReadOnlySpan<float> coefficientsB, ReadOnlySpan<float> vectorsB,
        int rowCount, int k, int dimension, int latentCount,
        Span<float> gradientA, Span<float> gradientB, Span<float> coefficientSumsB, bool overwrite, int maxThreads);
}

/// <summary>The sparse reference: <see cref="SparseKernelsReference"/>, loops in sample order, single-threaded.</summary>
internal sealed class SparseReferenceKernel() : KernelVariant(KernelLevel.Reference, "loops in sample order"), ISparseKernel
{
    public void Decode(ReadOnlySpan<int> indices, ReadOnlySpan<float> coefficients, ReadOnlySpan<float> rows, int rowCount, int k, int dimension, Span<float> output, int latentRows, int maxThreads)
        => SparseKernelsReference.Decode(indices, coefficients, rows, rowCount, k, dimension, output);

    public void DecodeInOrder(ReadOnlySpan<int> sampleOrder, ReadOnlySpan<int> indices, ReadOnlySpan<float> coefficients, ReadOnlySpan<float> rows, int rowCount, int k, int dimension, Span<float> output, int latentRows, int maxThreads)
        => SparseKernelsReference.Decode(indices, coefficients, rows, rowCount, k, dimension, output);

    public void GatherDots(ReadOnlySpan<int> indices, ReadOnlySpan<float> vectors, ReadOnlySpan<float> rows, int rowCount, int k, int dimension, Span<float> result, int latentRows, int maxThreads)
        => SparseKernelsReference.GatherDots(indices, vectors, rows, rowCount, k, dimension, result);

    public double DecodeLossAndDots(
        ReadOnlySpan<int> indices, ReadOnlySpan<float> coefficients, ReadOnlySpan<float> rows, ReadOnlySpan<float> rowBias, ReadOnlySpan<float> targets,
        int rowCount, int k, int dimension, Span<float> output, Span<float> gradient, Span<float> dots, int latentRows, int maxThreads)
        => SparseKernelsReference.DecodeLossAndDots(indices, coefficients, rows, rowBias, targets, rowCount, k, dimension, output, gradient, dots);

    public void ScatterAddPair(
        ReadOnlySpan<int> indices,
        ReadOnlySpan<float> coefficientsA, ReadOnlySpan<float> vectorsA,
        ReadOnlySpan<float> coefficientsB, ReadOnlySpan<float> vectorsB,
        int rowCount, int k, int dimension, int latentCount,
        Span<float> gradientA, Span<float> gradientB, Span<float> coefficientSumsB, bool overwrite, int maxThreads)
    {
        if (overwrite) SparseKernels.ClearScatterOutputs(dimension, latentCount, gradientA, gradientB, coefficientSumsB);
        SparseKernelsReference.ScatterAdd(indices, coefficientsA, vectorsA, rowCount, k, dimension, latentCount, gradientA);
        SparseKernelsReference.ScatterAdd(indices, coefficientsB, vectorsB, rowCount, k, dimension, latentCount, gradientB);
        if (!coefficientSumsB.IsEmpty) SparseKernelsReference.SumByLatent(indices, coefficientsB, rowCount, k, coefficientSumsB);
    }
}

/// <summary>
/// The fast sparse kernels at one vector width: register-blocked per-sample decode and gather-dots
/// (<see cref="SparseRowKernels{TOps, TVector}"/>) and the inverted-index scatter (<see cref="PackedBlockScatter{TOps, TVector}"/>).
/// </summary>
/// <param name="level">Portable (Vector256) or Avx512 (Vector512).</param>
/// <param name="description">The vectors used.</param>
internal sealed class SparseVectorKernel(KernelLevel level, string description) : KernelVariant(level, description), ISparseKernel
{
    private bool Avx512 => Level == KernelLevel.Avx512;

    public void Decode(ReadOnlySpan<int> indices, ReadOnlySpan<float> coefficients, ReadOnlySpan<float> rows, int rowCount, int k, int dimension, Span<float> output, int latentRows, int maxThreads)
        => SparseKernels.DecodeFast(indices, coefficients, rows, rowCount, k, dimension, output, latentRows, Avx512, maxThreads);

    public void DecodeInOrder(ReadOnlySpan<int> sampleOrder, ReadOnlySpan<int> indices, ReadOnlySpan<float> coefficients, ReadOnlySpan<float> rows, int rowCount, int k, int dimension, Span<float> output, int latentRows, int maxThreads)
        => SparseKernels.DecodeFast(indices, coefficients, rows, rowCount, k, dimension, output, latentRows, Avx512, maxThreads, sampleOrder);

    public void GatherDots(ReadOnlySpan<int> indices, ReadOnlySpan<float> vectors, ReadOnlySpan<float> rows, int rowCount, int k, int dimension, Span<float> result, int latentRows, int maxThreads)
        => SparseKernels.GatherDotsFast(indices, vectors, rows, rowCount, k, dimension, result, latentRows, Avx512, maxThreads);

    public double DecodeLossAndDots(
        ReadOnlySpan<int> indices, ReadOnlySpan<float> coefficients, ReadOnlySpan<float> rows, ReadOnlySpan<float> rowBias, ReadOnlySpan<float> targets,
        int rowCount, int k, int dimension, Span<float> output, Span<float> gradient, Span<float> dots, int latentRows, int maxThreads)
        => SparseDecodeLoss.Run(indices, coefficients, rows, rowBias, targets, rowCount, k, dimension, output, gradient, dots, latentRows, Avx512, maxThreads);

    public void ScatterAddPair(
        ReadOnlySpan<int> indices,
        ReadOnlySpan<float> coefficientsA, ReadOnlySpan<float> vectorsA,
        ReadOnlySpan<float> coefficientsB, ReadOnlySpan<float> vectorsB,
        int rowCount, int k, int dimension, int latentCount,
        Span<float> gradientA, Span<float> gradientB, Span<float> coefficientSumsB, bool overwrite, int maxThreads)
        => SparseKernels.ScatterAddPairFast(indices, coefficientsA, vectorsA, coefficientsB, vectorsB, rowCount, k, dimension, latentCount, gradientA, gradientB, coefficientSumsB, overwrite, Avx512, maxThreads);
}
