using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Mfr.Numerics;

/// <summary>
/// Orthogonal initialisation, equivalent to <c>torch.nn.init.orthogonal_(W, gain=1)</c> (SPEC 1:
/// the SAE's W is drawn this way at start and at every MFR re-initialisation): a Gaussian matrix
/// G [rows, cols] is replaced by the Q factor of its QR factorisation with sign(diag R) folded in,
/// taken of G when rows &gt;= cols (orthonormal columns) and of G^T when rows &lt; cols (orthonormal
/// rows). <see cref="OrthogonalReference"/> is the specification.
/// </summary>
/// <remarks>
/// Method: block classical Gram-Schmidt with adaptive reorthogonalisation. The vectors to
/// orthonormalise are made rows of a [count, length] matrix; each block of
/// <see cref="BlockSize"/> rows is projected against all finished rows (two <see cref="Gemm"/>
/// calls, which carry almost all of the 2 * count^2 * length flops), then orthonormalised within
/// the block by row-wise CGS2. A projection leaves rounding of relative size ~6e-8 times the
/// factor by which it shrank the rows; when a row shrank by more than
/// <see cref="AmplificationLimit"/> (most of it lay in the span of the earlier rows, as near the
/// end of a square matrix) the block is projected again, which is enough (Giraud, Langou,
/// Rozloznik 2005, "twice is enough"). Likewise the within-block step multiplies what is left along
/// the earlier rows by the block's condition number; an ill-conditioned block gets one more
/// projection and within-block pass. The shapes SAEs use (h and d differing by 15% or more, e.g.
/// [4096, 4750], [3072, 768]) mostly need a single projection: half the flops of plain BCGS2.
/// </remarks>
public static class Orthogonal
{
    /// <summary>Rows orthonormalised together; see remarks.</summary>
    internal const int BlockSize = 64;

    /// <summary>
    /// Shrink or amplification factor above which a block is projected again (see remarks): below it
    /// the loss of orthogonality stays within a few times float rounding.
    /// </summary>
    private const float AmplificationLimit = 2;

    /// <summary>Fills <paramref name="matrix"/> with a random matrix with orthonormal rows (rows &lt; cols) or columns (rows &gt;= cols).</summary>
    /// <param name="matrix">Output, <c>[rows, cols]</c> row-major.</param>
    /// <param name="rows">Rows (e.g. latents h).</param>
    /// <param name="cols">Columns (e.g. input width d).</param>
    /// <param name="rng">Random source; advanced by rows * cols Gaussian draws.</param>
    public static void Fill(Span<float> matrix, int rows, int cols, ref Rng rng)
    {
        CheckShape(matrix.Length, rows, cols);
        KernelRegistry.Orthogonal.Selected.Fill(matrix, rows, cols, ref rng);
    }

    /// <summary>The blocked Vector&lt;T&gt; variant of <see cref="Fill"/> (shape checked).</summary>
    internal static void FillFast(Span<float> matrix, int rows, int cols, ref Rng rng)
    {
        var target = matrix[..(rows * cols)];
        rng.FillGaussian(target);
        if (rows < cols)
        {
            OrthonormalizeRows(target, rows, cols);
            return;
        }
        float[] transposed = ArrayPool<float>.Shared.Rent(target.Length);
        try
        {
            var columns = transposed.AsSpan(0, target.Length);
            Transpose(target, rows, cols, columns);
            OrthonormalizeRows(columns, cols, rows);
            Transpose(columns, cols, rows, target);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(transposed);
        }
    }

    /// <summary>
    /// Gram-Schmidt on the rows of <paramref name="matrix"/> in order, in place (count &lt;= length):
    /// row i becomes the unit part of row i orthogonal to rows 0..i-1.
    /// </summary>
    /// <param name="matrix">Rows, <c>[count, length]</c>.</param>
    /// <param name="count">Rows to orthonormalise.</param>
    /// <param name="length">Row length, at least <paramref name="count"/>.</param>
    internal static void OrthonormalizeRows(Span<float> matrix, int count, int length)
    {
        int block = Math.Min(BlockSize, count);
        float[] coefficients = ArrayPool<float>.Shared.Rent(Math.Max(1, block * count));
        float[] transposedCoefficients = ArrayPool<float>.Shared.Rent(Math.Max(1, block * count));
        try
        {
            for (int start = 0; start < count; start += block)
            {
                int size = Math.Min(block, count - start);
                var rows = matrix.Slice(start * length, size * length);
                var finished = matrix[..(start * length)];
                var blockCoefficients = coefficients.AsSpan(0, size * start);
                var blockTransposed = transposedCoefficients.AsSpan(0, size * start);
                if (start > 0 && ProjectOut(finished, start, rows, size, length, blockCoefficients, blockTransposed) > AmplificationLimit)
                {
                    // The rows lost most of their length to the projection, so its rounding is large
                    // relative to what is left: project again (twice is enough).
                    ProjectOut(finished, start, rows, size, length, blockCoefficients, blockTransposed);
                }
                if (OrthonormalizeBlock(rows, size, length) > AmplificationLimit && start > 0)
                {
                    // The within-block step scaled the rows' rounding-level components along the
                    // earlier rows by up to this factor (an ill-conditioned block, as at the end of a
                    // square matrix): project once more and re-orthonormalise the now nearly
                    // orthonormal block, whose amplification is ~1.
                    ProjectOut(finished, start, rows, size, length, blockCoefficients, blockTransposed);
                    OrthonormalizeBlock(rows, size, length);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(coefficients);
            ArrayPool<float>.Shared.Return(transposedCoefficients);
        }
    }

    /// <summary><c>rows -= (rows Q^T) Q</c> for orthonormal rows Q [finishedCount, length].</summary>
    /// <returns>The largest ratio of a row's norm before to after the projection.</returns>
    private static float ProjectOut(ReadOnlySpan<float> finished, int finishedCount, Span<float> rows, int size, int length, Span<float> coefficients, Span<float> transposedCoefficients)
    {
        Span<float> normsBefore = stackalloc float[BlockSize];
        for (int r = 0; r < size; r++)
        {
            var row = rows.Slice(r * length, length);
            normsBefore[r] = Dot(row, row);
        }
        // S^T = Q rows^T [finishedCount, size]: this orientation streams Q once through any GEMM
        // that parallelises over output rows; the small transpose gives -S [size, finishedCount].
        Gemm.MultiplyTransposed(finished, rows, finishedCount, size, length, transposedCoefficients);
        for (int q = 0; q < finishedCount; q++)
            for (int r = 0; r < size; r++) coefficients[r * finishedCount + q] = -transposedCoefficients[q * size + r];
        Gemm.Multiply(coefficients, finished, size, length, finishedCount, rows, accumulate: true);
        float shrink = 1;
        for (int r = 0; r < size; r++)
        {
            var row = rows.Slice(r * length, length);
            float after = Dot(row, row);
            shrink = after > 0 ? Math.Max(shrink, MathF.Sqrt(normsBefore[r] / after)) : float.PositiveInfinity;
        }
        return shrink;
    }

    /// <summary>
    /// Row-wise CGS2 within a block already orthogonal to the earlier rows.
    /// </summary>
    /// <returns>The largest ratio of a row's norm before to after its within-block projections.</returns>
    private static float OrthonormalizeBlock(Span<float> rows, int size, int length)
    {
        Span<float> dots = stackalloc float[BlockSize];
        float amplification = 1;
        for (int r = 0; r < size; r++)
        {
            var row = rows.Slice(r * length, length);
            float normBefore = MathF.Sqrt(Dot(row, row));
            for (int pass = 0; pass < 2; pass++)
            {
                for (int previous = 0; previous < r; previous++) dots[previous] = Dot(rows.Slice(previous * length, length), row);
                for (int previous = 0; previous < r; previous++) Axpy(-dots[previous], rows.Slice(previous * length, length), row);
            }
            double sumOfSquares = 0;
            foreach (float value in row) sumOfSquares += (double)value * value;
            // A zero norm needs an exactly dependent Gaussian draw (probability 0); keep the row zero, not NaN.
            float scale = sumOfSquares > 0 ? (float)(1 / Math.Sqrt(sumOfSquares)) : 0f;
            Scale(row, scale);
            amplification = Math.Max(amplification, normBefore * scale);
        }
        return amplification;
    }

    private static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
        var sum = Vector<float>.Zero;
        for (int i = 0; i < vx.Length; i++) sum += vx[i] * vy[i];
        float result = Vector.Sum(sum);
        for (int i = vx.Length * Vector<float>.Count; i < x.Length; i++) result += x[i] * y[i];
        return result;
    }

    private static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
        var a = new Vector<float>(alpha);
        for (int i = 0; i < vx.Length; i++) vy[i] += a * vx[i];
        for (int i = vx.Length * Vector<float>.Count; i < x.Length; i++) y[i] += alpha * x[i];
    }

    private static void Scale(Span<float> x, float alpha)
    {
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var a = new Vector<float>(alpha);
        for (int i = 0; i < vx.Length; i++) vx[i] *= a;
        for (int i = vx.Length * Vector<float>.Count; i < x.Length; i++) x[i] *= alpha;
    }

    /// <summary>Blocked transpose of <c>[rows, cols]</c> into <c>[cols, rows]</c>.</summary>
    private static void Transpose(ReadOnlySpan<float> source, int rows, int cols, Span<float> destination)
    {
        const int Tile = 32;
        for (int rowStart = 0; rowStart < rows; rowStart += Tile)
        {
            int rowEnd = Math.Min(rows, rowStart + Tile);
            for (int colStart = 0; colStart < cols; colStart += Tile)
            {
                int colEnd = Math.Min(cols, colStart + Tile);
                for (int row = rowStart; row < rowEnd; row++)
                    for (int col = colStart; col < colEnd; col++)
                        destination[col * rows + row] = source[row * cols + col];
            }
        }
    }

    internal static void CheckShape(int length, int rows, int cols)
    {
        if (rows < 0 || cols < 0)
            throw new ArgumentException($"Matrix sizes must be non-negative, got [{rows}, {cols}].");
        if (length != (long)rows * cols)
            throw new ArgumentException($"The matrix has {length} floats but its shape [{rows}, {cols}] needs {(long)rows * cols}.");
    }
}
