namespace Mfr.Numerics;

/// <summary>
/// Fast fp32 matrix products, row-major, multithreaded over <see cref="Parallelism.MaxThreads"/>.
/// <see cref="GemmReference"/> is the specification. The SAE encoder is
/// <c>MultiplyTransposed(x [B,d], W [h,d]) -> a [B,h]</c>; cosine matrices between SAEs are
/// <c>MultiplyTransposed(Da [h,d], Db [h,d])</c>.
/// </summary>
/// <remarks>
/// Both products run the packed, cache-blocked <see cref="GemmDriver{TKernel}"/> with a 14 x 32
/// AVX-512 micro-kernel, or a 6 x 16 Vector256 one (the variant <see cref="KernelRegistry.Gemm"/> selects). Summation over
/// k is in fp32 in a fixed order (blocks of 256), so results are identical for any thread count but
/// differ from the double-accumulating reference by rounding (~1e-6 relative per sqrt(k)).
/// Spans need no particular alignment. Steady-state calls allocate nothing.
/// </remarks>
public static class Gemm
{
    /// <summary><c>c[m,n] (+)= a[m,k] * b[n,k]^T</c> (see <see cref="GemmReference.MultiplyTransposed"/>).</summary>
    /// <param name="a">Left matrix, <c>[m, k]</c>.</param>
    /// <param name="b">Right matrix, stored transposed, <c>[n, k]</c>.</param>
    /// <param name="m">Rows of <paramref name="a"/> and <paramref name="c"/>.</param>
    /// <param name="n">Rows of <paramref name="b"/>, columns of <paramref name="c"/>.</param>
    /// <param name="k">Shared inner dimension.</param>
    /// <param name="c">Output, <c>[m, n]</c>.</param>
    /// <param name="accumulate">Add to <paramref name="c"/> instead of overwriting it.</param>
    public static void MultiplyTransposed(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int m, int n, int k, Span<float> c, bool accumulate = false)
    {
        MultiplyTransposedWith(a, b, m, n, k, c, accumulate, KernelRegistry.Gemm.Selected, Parallelism.MaxThreads);
    }

    /// <summary><c>c[m,n] (+)= a[m,k] * b[k,n]</c> (see <see cref="GemmReference.Multiply"/>).</summary>
    /// <param name="a">Left matrix, <c>[m, k]</c>.</param>
    /// <param name="b">Right matrix, <c>[k, n]</c>.</param>
    /// <param name="m">Rows of <paramref name="a"/> and <paramref name="c"/>.</param>
    /// <param name="n">Columns of <paramref name="b"/> and <paramref name="c"/>.</param>
    /// <param name="k">Shared inner dimension.</param>
    /// <param name="c">Output, <c>[m, n]</c>.</param>
    /// <param name="accumulate">Add to <paramref name="c"/> instead of overwriting it.</param>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int m, int n, int k, Span<float> c, bool accumulate = false)
    {
        MultiplyWith(a, b, m, n, k, c, accumulate, KernelRegistry.Gemm.Selected, Parallelism.MaxThreads);
    }

    /// <summary><see cref="MultiplyTransposed"/> with an explicit variant and thread count (tests, benchmarks).</summary>
    /// <summary>
    /// <c>C = A B^T + 1 rowVector^T</c>: the SAE encoder's <c>a = W x + b</c> for a batch, the bias added to each row
    /// of the product as it is finished (while in cache) instead of in a second pass over C (issue 16 item 1).
    /// </summary>
    /// <param name="a">A, <c>[m, k]</c> (the batch x).</param>
    /// <param name="b">B, <c>[n, k]</c> (W).</param>
    /// <param name="rowVector">Added to every row of the product, <c>[n]</c> (b).</param>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="n">Rows of B, columns of C.</param>
    /// <param name="k">Shared depth.</param>
    /// <param name="c">C, <c>[m, n]</c>, overwritten.</param>
    public static void MultiplyTransposedAddRowVector(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> rowVector, int m, int n, int k, Span<float> c)
        => MultiplyTransposedAddRowVectorWith(a, b, rowVector, m, n, k, c, KernelRegistry.Gemm.Selected, Parallelism.MaxThreads);

    /// <summary><see cref="MultiplyTransposedAddRowVector"/> with an explicit variant and thread count, and a callback on finished rows.</summary>
    internal static void MultiplyTransposedAddRowVectorWith(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> rowVector, int m, int n, int k, Span<float> c, IGemmKernel kernel, int maxThreads, GemmRowsDone rowsDone = default)
    {
        CheckShapes(a.Length, b.Length, c.Length, m, n, k, "b[n,k]");
        if (rowVector.Length < n) throw new ArgumentException($"Shapes do not fit: the row vector has {rowVector.Length} floats, c[m,n]=[{m},{n}] needs {n}.");
        kernel.MultiplyTransposedAddRowVector(a, b, rowVector, m, n, k, c, maxThreads, rowsDone);
    }

    internal static void MultiplyTransposedWith(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int m, int n, int k, Span<float> c, bool accumulate, IGemmKernel kernel, int maxThreads)
    {
        CheckShapes(a.Length, b.Length, c.Length, m, n, k, "b[n,k]");
        kernel.Multiply(a, b, bTransposed: true, m, n, k, c, accumulate, maxThreads);
    }

    /// <summary><see cref="Multiply"/> with an explicit variant and thread count (tests, benchmarks).</summary>
    internal static void MultiplyWith(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int m, int n, int k, Span<float> c, bool accumulate, IGemmKernel kernel, int maxThreads)
    {
        CheckShapes(a.Length, b.Length, c.Length, m, n, k, "b[k,n]");
        kernel.Multiply(a, b, bTransposed: false, m, n, k, c, accumulate, maxThreads);
    }

    internal static void CheckShapes(int aLength, int bLength, int cLength, int m, int n, int k, string bShape)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"Matrix sizes must be non-negative, got m={m}, n={n}, k={k}.");
        if (aLength < (long)m * k || bLength < (long)n * k || cLength < (long)m * n)
            throw new ArgumentException(
                $"Shapes do not fit: a[m,k]=[{m},{k}] needs {(long)m * k} floats (has {aLength}), " +
                $"{bShape} needs {(long)n * k} (has {bLength}), c[m,n]=[{m},{n}] needs {(long)m * n} (has {cLength}).");
    }
}
