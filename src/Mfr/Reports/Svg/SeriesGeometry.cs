namespace Mfr.Reports.Svg;

/// <summary>
/// Pixel geometry of the series, shared by the painter and the legend placement: runs of drawable line
/// points, histogram bin boxes (and zero-bin boxes) and bar boxes. Undrawable values (NaN, infinities, non-positive on a log
/// axis, zero-height bins) are skipped here, in one place.
/// </summary>
internal static class SeriesGeometry
{
    /// <summary>Maximal runs of consecutive drawable points; an undrawable point ends a run (a gap in the line).</summary>
    public static List<List<(double X, double Y)>> LineRuns(LineSeries line, PanelLayout layout)
    {
        var runs = new List<List<(double X, double Y)>>();
        List<(double X, double Y)>? run = null;
        for (int i = 0; i < line.X.Length; i++)
        {
            if (!layout.X!.CanMap(line.X[i]) || !layout.Y.CanMap(line.Y[i]))
            {
                run = null;
                continue;
            }
            if (run is null)
            {
                run = [];
                runs.Add(run);
            }
            run.Add((layout.X.Map(line.X[i]), layout.Y.Map(line.Y[i])));
        }
        return runs;
    }

    /// <summary>Boxes of the drawable bins, in bin order.</summary>
    public static List<HistogramBin> HistogramBins(HistogramSeries histogram, PanelLayout layout)
    {
        var bins = new List<HistogramBin>();
        double baseline = Baseline(layout);
        for (int i = 0; i < histogram.Counts.Length; i++)
        {
            double low = histogram.BinEdges[i], high = histogram.BinEdges[i + 1], count = histogram.Counts[i];
            if (!layout.X!.CanMap(low) || !layout.X.CanMap(high) || !layout.Y.CanMap(count) || count == 0) continue;
            double left = layout.X.Map(low), right = layout.X.Map(high), top = layout.Y.Map(count);
            bins.Add(new HistogramBin(i, new Rect(left, Math.Min(top, baseline), Math.Max(right - left, 0.5), Math.Abs(baseline - top)), top, baseline));
        }
        return bins;
    }

    /// <summary>Box of the histogram's zero-bin bar inside the layout's zero column; null when there is nothing to draw.</summary>
    public static Rect? ZeroBin(HistogramSeries histogram, PanelLayout layout)
    {
        if (layout.ZeroBin is not { } column || histogram.ZeroCount is not double count || count == 0 || !layout.Y.CanMap(count)) return null;
        double baseline = Baseline(layout), top = layout.Y.Map(count);
        const double inset = 5;
        return new Rect(column.Left + inset, Math.Min(top, baseline), column.Width - 2 * inset, Math.Abs(baseline - top));
    }

    /// <summary>Boxes of all drawable bars of the chart; series j takes slot j of each category's band.</summary>
    public static List<BarGeometry> Bars(Chart chart, PanelLayout layout)
    {
        var bars = new List<BarGeometry>();
        if (layout.XBand is not { } band) return bars;
        var barSeries = chart.Series.OfType<BarSeries>().ToList();
        double slot = band.Bandwidth / Math.Max(1, barSeries.Count);
        double gap = Math.Min(2, slot * 0.1);
        double baseline = Baseline(layout);
        for (int s = 0; s < barSeries.Count; s++)
        {
            BarSeries series = barSeries[s];
            for (int i = 0; i < series.Values.Length; i++)
            {
                double value = series.Values[i];
                if (!layout.Y.CanMap(value)) continue;
                int category = IndexOf(band.Categories, series.Categories[i]);
                double left = band.BandStart(category) + s * slot + gap / 2, top = layout.Y.Map(value);
                bars.Add(new BarGeometry(series, category, value, new Rect(left, Math.Min(top, baseline), Math.Max(slot - gap, 1), Math.Abs(baseline - top))));
            }
        }
        return bars;
    }

    /// <summary>Pixel y bars and bins grow from: y = 0 on a linear axis (clamped into the plot), the plot bottom on a log axis.</summary>
    public static double Baseline(PanelLayout layout) => layout.Y is LogScale
        ? layout.Plot.Bottom
        : Math.Clamp(layout.Y.Map(0), layout.Plot.Top, layout.Plot.Bottom);

    private static int IndexOf(IReadOnlyList<string> categories, string category)
    {
        for (int i = 0; i < categories.Count; i++)
        {
            if (string.Equals(categories[i], category, StringComparison.Ordinal)) return i;
        }
        throw new InvalidOperationException($"Category '{category}' missing from the band scale.");
    }
}
