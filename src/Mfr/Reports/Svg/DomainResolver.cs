namespace Mfr.Reports.Svg;

/// <summary>
/// Axis domains from the data: the extent of the drawable values (a point counts only when both its
/// coordinates are drawable), reference lines included, bars and histograms (with their zero bins) anchored at zero, fixed ends
/// applied, a zero-width extent widened (constant data, a single point), then rounded outwards to ticks
/// (log axes spanning less than two decades to the nearest 1, 2 or 5 x 10^e, wider ones to whole decades).
/// </summary>
internal static class DomainResolver
{
    /// <summary>The numeric x domain covering every chart's data (axis options of the first chart).</summary>
    public static Extent ResolveX(IReadOnlyList<Chart> charts, int tickCount)
    {
        AxisOptions axis = charts[0].XAxis;
        var data = new ExtentAccumulator(axis.Scale);
        foreach (Chart chart in charts)
        {
            var yFilter = new ExtentAccumulator(chart.YAxis.Scale);
            foreach (ChartSeries series in chart.Series)
            {
                switch (series)
                {
                    case LineSeries line: IncludePairs(line.X, line.Y, data, yFilter, includeX: true); break;
                    case ScatterSeries scatter: IncludePairs(scatter.X, scatter.Y, data, yFilter, includeX: true); break;
                    case HistogramSeries histogram: IncludeBins(histogram, data, yFilter, includeX: true); break;
                }
            }
            foreach (ReferenceLine line in chart.ReferenceLines.Where(line => line.IsVertical)) data.Include(line.Value);
        }
        return Finish(data, axis, tickCount, fromZero: false, headroom: 0);
    }

    /// <summary>The y domain covering every chart's data (axis options of the first chart).</summary>
    public static Extent ResolveY(IReadOnlyList<Chart> charts, int tickCount)
    {
        AxisOptions axis = charts[0].YAxis;
        var data = new ExtentAccumulator(axis.Scale);
        bool fromZero = false, headroom = false;
        foreach (Chart chart in charts)
        {
            var xFilter = new ExtentAccumulator(chart.XAxis.Scale);
            foreach (ChartSeries series in chart.Series)
            {
                switch (series)
                {
                    case LineSeries line: IncludePairs(line.X, line.Y, xFilter, data, includeX: false); break;
                    case ScatterSeries scatter: IncludePairs(scatter.X, scatter.Y, xFilter, data, includeX: false); break;
                    case HistogramSeries histogram: IncludeBins(histogram, xFilter, data, includeX: false); fromZero = true; break;
                    case BarSeries bars:
                        foreach (double value in bars.Values) data.Include(value);
                        fromZero = true;
                        headroom |= chart.ShowBarValues;
                        break;
                }
            }
            foreach (ReferenceLine line in chart.ReferenceLines.Where(line => !line.IsVertical)) data.Include(line.Value);
        }
        return Finish(data, axis, tickCount, fromZero, headroom ? 0.08 : 0);
    }

    /// <summary>Whether any series has at least one point, bin or bar that can be drawn on the chart's axes.</summary>
    public static bool HasDrawableData(Chart chart)
    {
        var x = new ExtentAccumulator(chart.XAxis.Scale);
        var y = new ExtentAccumulator(chart.YAxis.Scale);
        foreach (ChartSeries series in chart.Series)
        {
            switch (series)
            {
                case LineSeries line: IncludePairs(line.X, line.Y, x, y, includeX: false); break;
                case ScatterSeries scatter: IncludePairs(scatter.X, scatter.Y, x, y, includeX: false); break;
                case HistogramSeries histogram: IncludeBins(histogram, x, y, includeX: false); break;
                case BarSeries bars: foreach (double value in bars.Values) y.Include(value); break;
            }
        }
        return y.HasValue;
    }

    private static void IncludePairs(double[] xs, double[] ys, ExtentAccumulator x, ExtentAccumulator y, bool includeX)
    {
        for (int i = 0; i < xs.Length; i++)
        {
            if (!x.Accepts(xs[i]) || !y.Accepts(ys[i])) continue;
            if (includeX) x.Include(xs[i]);
            else y.Include(ys[i]);
        }
    }

    private static void IncludeBins(HistogramSeries histogram, ExtentAccumulator x, ExtentAccumulator y, bool includeX)
    {
        for (int i = 0; i < histogram.Counts.Length; i++)
        {
            double low = histogram.BinEdges[i], high = histogram.BinEdges[i + 1];
            if (!x.Accepts(low) || !x.Accepts(high) || !double.IsFinite(histogram.Counts[i])) continue;
            if (includeX)
            {
                x.Include(low);
                x.Include(high);
            }
            else y.Include(histogram.Counts[i]);
        }
        // The zero bin stands in its own column, whatever the x axis can show.
        if (!includeX && histogram.ZeroCount is double zero) y.Include(zero);
    }

    private static Extent Finish(ExtentAccumulator data, AxisOptions axis, int tickCount, bool fromZero, double headroom)
    {
        bool log = axis.Scale == ScaleKind.Log;
        double low = data.HasValue ? data.Min : log ? 1 : 0;
        double high = data.HasValue ? data.Max : log ? 10 : 1;
        if (fromZero && !log)
        {
            low = Math.Min(low, 0);
            high = Math.Max(high, 0);
        }
        if (headroom > 0) high = log ? high * Math.Pow(10, headroom * 3) : high + (high - low) * headroom;
        bool fixedMin = axis.Min.HasValue, fixedMax = axis.Max.HasValue;
        if (fixedMin) low = axis.Min!.Value;
        if (fixedMax) high = axis.Max!.Value;
        if (low >= high) (low, high) = Widen(low, high, fixedMin, fixedMax, log);
        if (fixedMin && fixedMax) return new Extent(low, high);
        var (niceLow, niceHigh) = !log ? TickGenerator.NiceLinearDomain(low, high, tickCount)
            // Within two decades the 1-2-5 ticks are labelled, so 1-2-5 ends are; wider axes label only decades and end on them.
            : high / low < 100 ? TickGenerator.NiceLogDomainOneTwoFive(low, high) : TickGenerator.NiceLogDomain(low, high);
        // Bars on a log axis have no zero to stand on: start half the smallest bar below it instead of a
        // whole decade down, so the smallest bar (often a count of 1) stays visible.
        if (log && fromZero) niceLow = low / 2;
        return new Extent(fixedMin ? low : niceLow, fixedMax ? high : niceHigh);
    }

    private static (double Low, double High) Widen(double low, double high, bool fixedMin, bool fixedMax, bool log)
    {
        if (fixedMin) return (low, log ? low * 10 : low + Spread(low));
        if (fixedMax) return (log ? high / 10 : high - Spread(high), high);
        double value = low;
        return log ? (value / Math.Sqrt(10), value * Math.Sqrt(10)) : (value - Spread(value), value + Spread(value));
    }

    // Half-width used to widen a zero-width extent: 10% of the value, or 1 around zero.
    private static double Spread(double value) => value == 0 ? 1 : Math.Abs(value) * 0.1;
}
