namespace Mfr.Metrics;

/// <summary>Pearson correlation, accumulated in double.</summary>
public static class Pearson
{
    /// <summary>r of <paramref name="x"/> and <paramref name="y"/> (same length); NaN when either is constant or empty.</summary>
    public static double Correlation(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"Series lengths differ: {x.Length} and {y.Length}.");
        if (x.Length == 0) return double.NaN;
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
        return varianceX == 0 || varianceY == 0 ? double.NaN : covariance / Math.Sqrt(varianceX * varianceY);
    }
}
