namespace Mfr.Reports;

/// <summary>
/// Bin edges and counts for the report's histograms (paper figure 5): equal-width bins for cosines,
/// decade-aligned log bins for firing frequencies. A value v falls in bin i when
/// <c>edges[i] &lt;= v &lt; edges[i + 1]</c>; the last bin also takes v equal to the last edge (a latent that
/// fires on every sample, a cosine of exactly 1). Values outside the edges, and NaN, are not counted.
/// </summary>
internal static class HistogramBins
{
    /// <summary><paramref name="binCount"/> equal bins from <paramref name="lower"/> to <paramref name="upper"/>, <c>[binCount + 1]</c> edges.</summary>
    public static double[] Linear(double lower, double upper, int binCount)
    {
        if (binCount < 1 || !(lower < upper) || !double.IsFinite(lower) || !double.IsFinite(upper))
            throw new ArgumentException($"Need at least one bin over a finite range lower < upper; got {binCount} bins over [{lower}, {upper}].");
        var edges = new double[binCount + 1];
        // Each edge from its index (not by repeated addition), so 0.025 * 40 is exactly the upper end.
        for (int i = 0; i <= binCount; i++) edges[i] = i == binCount ? upper : lower + (upper - lower) * i / binCount;
        return edges;
    }

    /// <summary>
    /// Log bins from 10^<paramref name="firstExponent"/> to 10^<paramref name="lastExponent"/>, <paramref name="binsPerDecade"/>
    /// per decade, so every decade is an edge (and a labelled tick of a log axis).
    /// </summary>
    public static double[] Logarithmic(int firstExponent, int lastExponent, int binsPerDecade)
    {
        if (binsPerDecade < 1 || lastExponent <= firstExponent)
            throw new ArgumentException($"Need at least one bin per decade and lastExponent > firstExponent; got {binsPerDecade} over 10^{firstExponent}..10^{lastExponent}.");
        int count = (lastExponent - firstExponent) * binsPerDecade;
        var edges = new double[count + 1];
        for (int i = 0; i <= count; i++)
        {
            int decade = firstExponent + i / binsPerDecade, step = i % binsPerDecade;
            edges[i] = step == 0 ? Svg.TickGenerator.PowerOfTen(decade) : Math.Pow(10, decade + (double)step / binsPerDecade);
        }
        return edges;
    }

    /// <summary>How many of <paramref name="values"/> fall in each bin of <paramref name="edges"/>, <c>[edges.Length - 1]</c>.</summary>
    public static double[] Count(IEnumerable<double> values, IReadOnlyList<double> edges)
    {
        if (edges.Count < 2) throw new ArgumentException($"Need at least two edges, got {edges.Count}.");
        var counts = new double[edges.Count - 1];
        var sorted = edges.ToArray();
        foreach (double value in values)
        {
            if (!(value >= sorted[0] && value <= sorted[^1])) continue;
            int index = Array.BinarySearch(sorted, value);
            // An exact edge starts its bin; otherwise BinarySearch gives the complement of the next larger edge.
            int bin = index >= 0 ? index : ~index - 1;
            counts[Math.Min(bin, counts.Length - 1)]++;
        }
        return counts;
    }
}
