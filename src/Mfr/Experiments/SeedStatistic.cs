namespace Mfr.Experiments;

/// <summary>Mean and sample standard deviation of one measure over seeds (one value per seed).</summary>
/// <param name="Mean">Mean over seeds (NaN when there are none).</param>
/// <param name="StandardDeviation">Sample standard deviation (n - 1); 0 for a single seed.</param>
/// <param name="Count">Seeds that contributed.</param>
public sealed record SeedStatistic(double Mean, double StandardDeviation, int Count)
{
    /// <summary>The statistic of <paramref name="values"/>.</summary>
    public static SeedStatistic Of(IEnumerable<double> values)
    {
        var array = values.ToArray();
        if (array.Length == 0) return new SeedStatistic(double.NaN, double.NaN, 0);
        double mean = array.Average();
        double spread = array.Length > 1 ? Math.Sqrt(array.Sum(v => (v - mean) * (v - mean)) / (array.Length - 1)) : 0;
        return new SeedStatistic(mean, spread, array.Length);
    }
}
