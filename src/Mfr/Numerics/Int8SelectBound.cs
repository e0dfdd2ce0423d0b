namespace Mfr.Numerics;

/// <summary>
/// The error bound of the int8-select encoder (<see cref="Int8SelectReference"/>): how far the fp32 encoder's
/// pre-activation <c>f_j = fl(x . w_j) + b_j</c> can lie from the quantised estimate
/// <c>q_j = s_x s_j (x_q . w_q,j) + b_j</c>. With <c>x = s_x x_q + e_x</c> and <c>w = s_j w_q + e_w</c> (so
/// <c>x^ = s_x x_q</c>, <c>w^ = s_j w_q</c>):
/// <code>
/// x . w - x^ . w^ = e_x . w + x^ . e_w,  |.| &lt;= ||e_x|| ||w|| + ||x^|| ||e_w||          (Cauchy-Schwarz)
/// |fl32(x . w) + b - (x . w + b)| &lt;= gamma_{d+1} (||x|| ||w|| + |b|)                  (any summation order, Higham 3.5)
/// rounding of q itself (int -> float, s_x s_j, one fma) &lt;= 4u (||x^|| ||w^|| + |b|)
/// </code>
/// with <c>||x^|| &lt;= ||x|| + ||e_x||</c>, <c>||w^|| &lt;= ||w|| + ||e_w||</c> and u = 2^-24. The encoder uses
/// <c>E_j = A ||w_j|| + B ||e_w,j|| + rho |b_j|</c> with rho = 2 gamma_{d+8} (which covers gamma_{d+1}, 4u and the
/// rounding of the norms' sums of squares), <c>A = ||e_x|| + rho (2 ||x|| + ||e_x||)</c>,
/// <c>B = (||x|| + ||e_x||)(1 + rho)</c>, every factor inflated by 2^-10 for the fp32 rounding of the bound's own
/// arithmetic (a few u each). Then <c>q_j - E_j &lt;= f_j &lt;= q_j + E_j</c>: the k largest lower bounds' smallest, L,
/// is at most the fp32 k-th largest f, so every latent fp32 selects has <c>q_j + E_j &gt;= L</c> and is a candidate.
/// </summary>
internal static class Int8SelectBound
{
    /// <summary>Levels of the signed 8-bit weights: w_q in [-127, 127] (symmetric, so -128 never occurs).</summary>
    public const int WeightLevels = 127;

    /// <summary>Inflation of every factor of the bound for its own fp32 arithmetic.</summary>
    public const float Inflation = 1 + 1f / 1024;

    /// <summary>rho = 2 gamma_{d+8}, gamma_n = n u / (1 - n u), u = 2^-24 (the unit roundoff of fp32).</summary>
    /// <param name="inputDim">d.</param>
    public static float Rho(int inputDim)
    {
        double nu = (inputDim + 8.0) * Math.Pow(2, -24);
        return (float)(2 * nu / (1 - nu));
    }

    /// <summary>The per-row factors A and B of <c>E_j = A ||w_j|| + B ||e_w,j|| + rho |b_j|</c>.</summary>
    /// <param name="norm">||x|| as computed.</param>
    /// <param name="errorNorm">||e_x|| as computed.</param>
    /// <param name="rho">See <see cref="Rho"/>.</param>
    public static (float A, float B) RowFactors(float norm, float errorNorm, float rho)
    {
        float a = (errorNorm + rho * (2 * norm + errorNorm)) * Inflation;
        float b = (norm + errorNorm) * (1 + rho) * Inflation;
        return (a, b);
    }

    /// <summary>A norm from its fp32 sum of squares, inflated to stay an upper bound (the sum's rounding is covered by rho).</summary>
    public static float Norm(float sumOfSquares, float rho) => MathF.Sqrt(sumOfSquares) * (1 + rho);

    /// <summary>The per-latent bias term rho |b_j|, inflated.</summary>
    public static float BiasTerm(float bias, float rho) => rho * MathF.Abs(bias) * Inflation;

    /// <summary>Scale and reciprocal of a row with largest magnitude <paramref name="maximum"/>: s = max / levels, and levels / max (0 for an all-zero row).</summary>
    public static (float Scale, float Reciprocal) Scale(float maximum, int levels)
        => maximum > 0 ? (maximum / levels, levels / maximum) : (0f, 0f);
}
