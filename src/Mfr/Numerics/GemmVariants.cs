namespace Mfr.Numerics;

/// <summary>The GEMM family (<see cref="KernelRegistry.Gemm"/>): <c>c (+)= a b^T</c> or <c>c (+)= a b</c>, shapes already checked by <see cref="Gemm"/>.</summary>
internal interface IGemmKernel : IKernelVariant
{
    /// <summary>See <see cref="GemmReference.MultiplyTransposed"/> (<paramref name="bTransposed"/>) and <see cref="GemmReference.Multiply"/>.</summary>
    /// <param name="a">Left matrix, <c>[m, k]</c>.</param>
    /// <param name="b">Right matrix, <c>[n, k]</c> when <paramref name="bTransposed"/>, else <c>[k, n]</c>.</param>
    /// <param name="bTransposed">Whether b is stored transposed.</param>
    /// <param name="m">Rows of a and c.</param>
    /// <param name="n">Columns of c.</param>
    /// <param name="k">Shared inner dimension.</param>
    /// <param name="c">Output, <c>[m, n]</c>.</param>
    /// <param name="accumulate">Add to c instead of overwriting it.</param>
    /// <param name="maxThreads">Thread limit.</param>
    void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, bool bTransposed, int m, int n, int k, Span<float> c, bool accumulate, int maxThreads);

    /// <summary>See <see cref="Gemm.MultiplyTransposedAddRowVector"/> (shapes checked).</summary>
    void MultiplyTransposedAddRowVector(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> rowVector, int m, int n, int k, Span<float> c, int maxThreads, GemmRowsDone rowsDone = default);
}

/// <summary>The GEMM reference: <see cref="GemmReference"/>, single-threaded, accumulating in double.</summary>
internal sealed class GemmReferenceKernel() : KernelVariant(KernelLevel.Reference, "triple loop summing in double"), IGemmKernel
{
    public void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, bool bTransposed, int m, int n, int k, Span<float> c, bool accumulate, int maxThreads)
    {
        if (bTransposed) GemmReference.MultiplyTransposed(a, b, m, n, k, c, accumulate);
        else GemmReference.Multiply(a, b, m, n, k, c, accumulate);
    }

    public void MultiplyTransposedAddRowVector(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> rowVector, int m, int n, int k, Span<float> c, int maxThreads, GemmRowsDone rowsDone = default)
    {
        GemmReference.MultiplyTransposed(a, b, m, n, k, c, accumulate: false);
        for (int row = 0; row < m; row++)
            for (int column = 0; column < n; column++) c[row * n + column] += rowVector[column];
        rowsDone.Run(0, m);
    }
}

/// <summary>The packed, cache-blocked <see cref="GemmDriver{TKernel}"/> around one micro-kernel.</summary>
/// <typeparam name="TMicroKernel">The register tile: <see cref="GemmMicroKernelPortable"/> or <see cref="GemmMicroKernelAvx512"/>.</typeparam>
/// <param name="level">The micro-kernel's level.</param>
/// <param name="description">Its tile and vectors.</param>
internal sealed class GemmPackedKernel<TMicroKernel>(KernelLevel level, string description) : KernelVariant(level, description), IGemmKernel
    where TMicroKernel : struct, IGemmMicroKernel
{
    public unsafe void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, bool bTransposed, int m, int n, int k, Span<float> c, bool accumulate, int maxThreads)
    {
        fixed (float* pa = a, pb = b, pc = c) GemmDriver<TMicroKernel>.Multiply(pa, pb, bTransposed, m, n, k, pc, accumulate, maxThreads);
    }

    public unsafe void MultiplyTransposedAddRowVector(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> rowVector, int m, int n, int k, Span<float> c, int maxThreads, GemmRowsDone rowsDone = default)
    {
        fixed (float* pa = a, pb = b, pc = c, pr = rowVector) GemmDriver<TMicroKernel>.Multiply(pa, pb, bTransposed: true, m, n, k, pc, accumulate: false, maxThreads, pr, rowsDone);
    }
}
