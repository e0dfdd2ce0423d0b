using System.Numerics;
using System.Runtime.InteropServices;

namespace Mfr.Numerics;

/// <summary>
/// Fast fp32 matrix products, row-major, multithreaded over <see cref="Parallelism.MaxThreads"/>.
/// <see cref="GemmReference"/> is the specification. The SAE encoder is
/// <c>MultiplyTransposed(x [B,d], W [h,d]) -> a [B,h]</c>; cosine matrices between SAEs are
/// <c>MultiplyTransposed(Da [h,d], Db [h,d])</c>.
/// </summary>
public static class Gemm
{
    /// <summary><c>c[m,n] (+)= a[m,k] * b[n,k]^T</c> (see <see cref="GemmReference.MultiplyTransposed"/>).</summary>
    public static void MultiplyTransposed(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int m, int n, int k, Span<float> c, bool accumulate = false)
    {
        CheckShapes(a.Length, b.Length, c.Length, m, n, k, "b[n,k]");
        if (m == 0 || n == 0) return;
        unsafe
        {
            fixed (float* pa = a, pb = b, pc = c)
            {
                float* aPtr = pa, bPtr = pb, cPtr = pc;
                Parallel.For(0, m, Parallelism.Options, i =>
                {
                    var rowA = new ReadOnlySpan<float>(aPtr + (long)i * k, k);
                    for (int j = 0; j < n; j++)
                    {
                        float dot = Dot(rowA, new ReadOnlySpan<float>(bPtr + (long)j * k, k));
                        cPtr[(long)i * n + j] = accumulate ? cPtr[(long)i * n + j] + dot : dot;
                    }
                });
            }
        }
    }

    /// <summary><c>c[m,n] (+)= a[m,k] * b[k,n]</c> (see <see cref="GemmReference.Multiply"/>).</summary>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int m, int n, int k, Span<float> c, bool accumulate = false)
    {
        CheckShapes(a.Length, b.Length, c.Length, m, n, k, "b[k,n]");
        if (m == 0 || n == 0) return;
        unsafe
        {
            fixed (float* pa = a, pb = b, pc = c)
            {
                float* aPtr = pa, bPtr = pb, cPtr = pc;
                Parallel.For(0, m, Parallelism.Options, i =>
                {
                    var rowC = new Span<float>(cPtr + (long)i * n, n);
                    if (!accumulate) rowC.Clear();
                    for (int p = 0; p < k; p++)
                    {
                        float scale = aPtr[(long)i * k + p];
                        var rowB = new ReadOnlySpan<float>(bPtr + (long)p * n, n);
                        for (int j = 0; j < n; j++) rowC[j] += scale * rowB[j];
                    }
                });
            }
        }
    }

    private static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
        var acc = Vector<float>.Zero;
        for (int i = 0; i < vx.Length; i++) acc += vx[i] * vy[i];
        float sum = Vector.Sum(acc);
        for (int i = vx.Length * Vector<float>.Count; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
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
