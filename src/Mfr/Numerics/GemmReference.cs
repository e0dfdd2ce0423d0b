namespace Mfr.Numerics;

/// <summary>
/// Plain scalar matrix products: the specification that <see cref="Gemm"/> is tested against
/// (STYLE.md 2). All matrices are row-major and dense. Accumulation is in double so the
/// reference is more accurate than any fast path it judges.
/// </summary>
public static class GemmReference
{
    /// <summary><c>c[m,n] (+)= a[m,k] * b[n,k]^T</c>.</summary>
    /// <param name="a">Left matrix, <c>[m, k]</c>.</param>
    /// <param name="b">Right matrix, stored transposed, <c>[n, k]</c>.</param>
    /// <param name="m">Rows of <paramref name="a"/> and <paramref name="c"/>.</param>
    /// <param name="n">Rows of <paramref name="b"/>, columns of <paramref name="c"/>.</param>
    /// <param name="k">Shared inner dimension.</param>
    /// <param name="c">Output, <c>[m, n]</c>.</param>
    /// <param name="accumulate">Add to <paramref name="c"/> instead of overwriting it.</param>
    public static void MultiplyTransposed(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int m, int n, int k, Span<float> c, bool accumulate = false)
    {
        Gemm.CheckShapes(a.Length, b.Length, c.Length, m, n, k, "b[n,k]");
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++) sum += (double)a[i * k + p] * b[j * k + p];
                c[i * n + j] = accumulate ? c[i * n + j] + (float)sum : (float)sum;
            }
        }
    }

    /// <summary><c>c[m,n] (+)= a[m,k] * b[k,n]</c>.</summary>
    /// <param name="a">Left matrix, <c>[m, k]</c>.</param>
    /// <param name="b">Right matrix, <c>[k, n]</c>.</param>
    /// <param name="m">Rows of <paramref name="a"/> and <paramref name="c"/>.</param>
    /// <param name="n">Columns of <paramref name="b"/> and <paramref name="c"/>.</param>
    /// <param name="k">Shared inner dimension.</param>
    /// <param name="c">Output, <c>[m, n]</c>.</param>
    /// <param name="accumulate">Add to <paramref name="c"/> instead of overwriting it.</param>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int m, int n, int k, Span<float> c, bool accumulate = false)
    {
        Gemm.CheckShapes(a.Length, b.Length, c.Length, m, n, k, "b[k,n]");
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++) sum += (double)a[i * k + p] * b[p * n + j];
                c[i * n + j] = accumulate ? c[i * n + j] + (float)sum : (float)sum;
            }
        }
    }
}
