namespace Mfr.Numerics;

/// <summary>
/// Orthogonal initialisation like torch.nn.init.orthogonal_ (gain 1): a Gaussian matrix made
/// orthonormal by QR with the sign of diag(R) folded into Q. Rows are orthonormal when
/// rows &lt;= cols, columns otherwise. (Interim modified Gram-Schmidt; a blocked QR replaces it.)
/// </summary>
public static class Orthogonal
{
    /// <summary>Fills <paramref name="matrix"/> <c>[rows, cols]</c> with an orthogonal matrix drawn from <paramref name="rng"/>.</summary>
    public static void Fill(Span<float> matrix, int rows, int cols, ref Rng rng)
    {
        if (rows < 0 || cols < 0 || matrix.Length < (long)rows * cols)
            throw new ArgumentException($"Matrix [{rows},{cols}] needs {(long)rows * cols} floats, got {matrix.Length}.");
        // Orthonormalise along the longer side: vectors = the shorter dimension's count.
        bool transpose = rows > cols;
        int vectorCount = transpose ? cols : rows, length = transpose ? rows : cols;
        var work = new double[(long)vectorCount * length];
        for (int i = 0; i < work.Length; i++) work[i] = rng.NextGaussian();
        for (int v = 0; v < vectorCount; v++)
        {
            var current = work.AsSpan(v * length, length);
            for (int pass = 0; pass < 2; pass++)
            {
                for (int u = 0; u < v; u++)
                {
                    var previous = work.AsSpan(u * length, length);
                    double dot = 0;
                    for (int t = 0; t < length; t++) dot += previous[t] * current[t];
                    for (int t = 0; t < length; t++) current[t] -= dot * previous[t];
                }
            }
            double norm = 0;
            for (int t = 0; t < length; t++) norm += current[t] * current[t];
            double scale = 1.0 / Math.Sqrt(norm);
            for (int t = 0; t < length; t++) current[t] *= scale;
        }
        for (int v = 0; v < vectorCount; v++)
        {
            for (int t = 0; t < length; t++)
            {
                float value = (float)work[(long)v * length + t];
                if (transpose) matrix[t * cols + v] = value;
                else matrix[v * cols + t] = value;
            }
        }
    }
}
