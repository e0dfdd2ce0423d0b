namespace Mfr.Metrics;

/// <summary>
/// Pearson correlation coefficient, used for the paper's feature-consistency analysis (SPEC 3,
/// figure 3: correlation between a latent's max cosine to the other SAE and to the true features).
/// </summary>
public static class Pearson
{
    /// <summary>
    /// <c>r = sum((x - mean x)(y - mean y)) / sqrt(sum((x - mean x)^2) * sum((y - mean y)^2))</c>,
    /// two passes (means first) with double accumulation, clipped to [-1, 1] as numpy.corrcoef does.
    /// </summary>
    /// <param name="x">First sample, <c>[count]</c>.</param>
    /// <param name="y">Second sample, <c>[count]</c>.</param>
    /// <returns>
    /// The coefficient; NaN when it is undefined: fewer than two values, either sample constant (zero
    /// variance), or a NaN in the input.
    /// </returns>
    public static double Correlation(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length)
            throw new ArgumentException($"Samples must have equal length, got x [{x.Length}] and y [{y.Length}].");
        if (x.Length < 2) return double.NaN;
        double meanX = 0, meanY = 0;
        for (int i = 0; i < x.Length; i++)
        {
            meanX += x[i];
            meanY += y[i];
        }
        meanX /= x.Length;
        meanY /= y.Length;
        double covariance = 0, varianceX = 0, varianceY = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double dx = x[i] - meanX, dy = y[i] - meanY;
            covariance += dx * dy;
            varianceX += dx * dx;
            varianceY += dy * dy;
        }
        if (varianceX == 0 || varianceY == 0) return double.NaN;
        return Math.Clamp(covariance / Math.Sqrt(varianceX * varianceY), -1.0, 1.0);
    }
}
