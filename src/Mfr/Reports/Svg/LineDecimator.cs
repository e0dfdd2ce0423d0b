namespace Mfr.Reports.Svg;

/// <summary>
/// Shrinks long lines without changing how they look (M4 aggregation, Jugel et al. 2014, "M4: A
/// Visualization-Oriented Time Series Data Aggregation"): when a run has more than two points per pixel
/// column and x never decreases, keep per column only the first, lowest, highest and last point.
/// </summary>
internal static class LineDecimator
{
    public static List<(double X, double Y)> Decimate(List<(double X, double Y)> run, double plotWidth)
    {
        if (run.Count <= 2 * plotWidth || !IsNonDecreasingInX(run)) return run;
        var kept = new List<(double X, double Y)>();
        int start = 0;
        while (start < run.Count)
        {
            double column = Math.Floor(run[start].X);
            int end = start;
            int lowest = start, highest = start;
            while (end + 1 < run.Count && Math.Floor(run[end + 1].X) == column)
            {
                end++;
                if (run[end].Y < run[lowest].Y) lowest = end;
                if (run[end].Y > run[highest].Y) highest = end;
            }
            foreach (int index in new SortedSet<int> { start, lowest, highest, end }) kept.Add(run[index]);
            start = end + 1;
        }
        return kept;
    }

    private static bool IsNonDecreasingInX(List<(double X, double Y)> run)
    {
        for (int i = 1; i < run.Count; i++)
        {
            if (run[i].X < run[i - 1].X) return false;
        }
        return true;
    }
}
