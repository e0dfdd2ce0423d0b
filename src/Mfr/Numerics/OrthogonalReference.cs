namespace Mfr.Numerics;

/// <summary>
/// Scalar specification of <see cref="Orthogonal.Fill"/> (STYLE.md 2): the same Gaussian draw,
/// orthonormalised by modified Gram-Schmidt applied twice, in double. Gram-Schmidt in order is
/// the QR factorisation with a positive diagonal of R, which is unique, so this defines the output
/// exactly; the fast path must agree to float rounding. O(min^2 * max) scalar work: small shapes only.
/// </summary>
public static class OrthogonalReference
{
    /// <summary>Same contract as <see cref="Orthogonal.Fill"/>.</summary>
    /// <param name="matrix">Output, <c>[rows, cols]</c>.</param>
    /// <param name="rows">Rows.</param>
    /// <param name="cols">Columns.</param>
    /// <param name="rng">Random source; advanced by rows * cols Gaussian draws.</param>
    public static void Fill(Span<float> matrix, int rows, int cols, ref Rng rng)
    {
        Orthogonal.CheckShape(matrix.Length, rows, cols);
        FillChecked(matrix, rows, cols, ref rng);
    }

    /// <summary><see cref="Fill"/> with the shape already checked (the registry's reference variant).</summary>
    internal static void FillChecked(Span<float> matrix, int rows, int cols, ref Rng rng)
    {
        rng.FillGaussian(matrix[..(rows * cols)]);
        // torch.nn.init.orthogonal_: QR of the matrix itself when rows >= cols (orthonormal columns),
        // of its transpose when rows < cols (orthonormal rows). Work on the vectors to orthonormalise.
        bool byRows = rows < cols;
        int count = byRows ? rows : cols, length = byRows ? cols : rows;
        var vectors = new double[count, length];
        for (int v = 0; v < count; v++)
            for (int e = 0; e < length; e++) vectors[v, e] = byRows ? matrix[v * cols + e] : matrix[e * cols + v];

        for (int v = 0; v < count; v++)
        {
            for (int pass = 0; pass < 2; pass++)
            {
                for (int previous = 0; previous < v; previous++)
                {
                    double dot = 0;
                    for (int e = 0; e < length; e++) dot += vectors[previous, e] * vectors[v, e];
                    for (int e = 0; e < length; e++) vectors[v, e] -= dot * vectors[previous, e];
                }
            }
            double norm = 0;
            for (int e = 0; e < length; e++) norm += vectors[v, e] * vectors[v, e];
            double scale = norm > 0 ? 1 / Math.Sqrt(norm) : 0;
            for (int e = 0; e < length; e++) vectors[v, e] *= scale;
        }

        for (int v = 0; v < count; v++)
            for (int e = 0; e < length; e++)
            {
                if (byRows) matrix[v * cols + e] = (float)vectors[v, e];
                else matrix[e * cols + v] = (float)vectors[v, e];
            }
    }
}
