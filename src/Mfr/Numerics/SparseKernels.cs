namespace Mfr.Numerics;

/// <summary>
/// Fast sparse SAE kernels; same contracts as <see cref="SparseKernelsReference"/>.
/// </summary>
public static class SparseKernels
{
    /// <summary>See <see cref="SparseKernelsReference.Decode"/>.</summary>
    public static void Decode(ReadOnlySpan<int> indices, ReadOnlySpan<float> coefficients, ReadOnlySpan<float> rows, int rowCount, int k, int dimension, Span<float> output)
        => SparseKernelsReference.Decode(indices, coefficients, rows, rowCount, k, dimension, output);

    /// <summary>See <see cref="SparseKernelsReference.GatherDots"/>.</summary>
    public static void GatherDots(ReadOnlySpan<int> indices, ReadOnlySpan<float> vectors, ReadOnlySpan<float> rows, int rowCount, int k, int dimension, Span<float> result)
        => SparseKernelsReference.GatherDots(indices, vectors, rows, rowCount, k, dimension, result);

    /// <summary>
    /// Both weight-gradient scatters of the SAE backward in one pass:
    /// <c>gradientA[idx] += coefficientsA * vectorsA[b]</c> and <c>gradientB[idx] += coefficientsB * vectorsB[b]</c>
    /// (decoder path with z and dL/dx^, encoder path with dL/da and x). Accumulates.
    /// </summary>
    public static void ScatterAddPair(
        ReadOnlySpan<int> indices,
        ReadOnlySpan<float> coefficientsA, ReadOnlySpan<float> vectorsA,
        ReadOnlySpan<float> coefficientsB, ReadOnlySpan<float> vectorsB,
        int rowCount, int k, int dimension, int latentCount,
        Span<float> gradientA, Span<float> gradientB)
    {
        SparseKernelsReference.ScatterAdd(indices, coefficientsA, vectorsA, rowCount, k, dimension, latentCount, gradientA);
        SparseKernelsReference.ScatterAdd(indices, coefficientsB, vectorsB, rowCount, k, dimension, latentCount, gradientB);
    }
}
