namespace Mfr.Reports.Svg;

/// <summary>
/// Lays out one panel: header (title, subtitle) and footer (x tick labels, x title) bands first, then the
/// y scale (its tick labels set the left margin), then the x scale (after the zero-bin column when a
/// histogram has one), then the legend. Automatic legends
/// take the first data-free corner; when none is free the layout is redone with the legend on the right.
/// </summary>
internal static class PanelLayouter
{
    public static double HeaderHeight(Chart chart) =>
        (chart.Title is null ? 0 : Theme.TitleBand) + (chart.Subtitle is null ? 0 : Theme.SubtitleBand) + 8;

    public static double FooterHeight(Chart chart) =>
        (chart.XAxis.Title is null ? 0 : Theme.AxisTitleBand) + Theme.FontSize + Theme.TickLength + 8;

    /// <summary>Tick count aimed at on a y axis of <paramref name="plotHeight"/> pixels.</summary>
    public static int YTickCount(double plotHeight) => Math.Max(2, (int)Math.Round(plotHeight / Theme.YTickSpacing));

    /// <summary>Tick count aimed at on an x axis of <paramref name="plotWidth"/> pixels.</summary>
    public static int XTickCount(double plotWidth) => Math.Max(2, (int)Math.Round(plotWidth / Theme.XTickSpacing));

    public static PanelLayout Compute(Chart chart, Rect region, PanelConstraints constraints)
    {
        double top = region.Top + Theme.Padding + Math.Max(HeaderHeight(chart), constraints.MinHeaderHeight);
        double bottom = region.Bottom - Theme.Padding - Math.Max(FooterHeight(chart), constraints.MinFooterHeight);
        RequireRoom(bottom - top, "tall", region);

        int yCount = YTickCount(bottom - top);
        Extent yDomain = constraints.FixedYDomain ?? DomainResolver.ResolveY([chart], yCount);
        double inset = MarkerInset(chart);
        IScale y = CreateScale(chart.YAxis, yDomain, bottom - inset, top + inset);
        IReadOnlyList<AxisTick> yTicks = TickFitter.FitVertical(y, yCount);

        bool showYTitle = constraints.ShowYTitle && chart.YAxis.Title is not null;
        double labelWidth = yTicks.Where(t => t.IsLabelled).Select(t => TextMetrics.Width(t.Label, Theme.FontSize)).DefaultIfEmpty(0).Max();
        double left = region.Left + Theme.Padding + (showYTitle ? Theme.AxisTitleBand + 4 : 0) + labelWidth + Theme.TickLength + 4;
        left = Math.Max(left, region.Left + constraints.MinLeftMargin);

        LegendPosition position = constraints.LegendOverride ?? chart.Legend;
        List<ChartSeries> entries = position == LegendPosition.None ? [] : chart.Series.Where(s => s.Name.Length > 0).ToList();
        var (legendWidth, legendHeight) = LegendLayout.Measure(entries);
        if (entries.Count == 0) position = LegendPosition.None;
        double legendSpace = position == LegendPosition.Right ? legendWidth + 14 : 0;

        double rightPad = Theme.Padding + 10;
        XAxisLayout x = default;
        for (int attempt = 0; attempt < 2; attempt++)
        {
            double right = region.Right - rightPad - legendSpace;
            RequireRoom(right - left, "wide", region);
            x = ComputeX(chart, left, right, constraints.FixedXDomain, constraints.ZeroBinLabel ?? (chart.HasZeroBin ? chart.ZeroBinLabel : null));
            double needed = LastLabelHalfWidth(x, right) + 2;
            if (needed <= rightPad) break;
            rightPad = needed;
        }

        var plot = new Rect(left, top, x.Right - left, bottom - top);
        Rect? zeroBin = x.ZeroBinLabel is not null ? new Rect(left, top, x.ZeroBinWidth, bottom - top) : null;
        var layout = new PanelLayout(region, plot, x.Scale, x.Band, y, x.Ticks, yTicks, Legend: null, DomainResolver.HasDrawableData(chart), showYTitle, zeroBin, x.ZeroBinLabel);
        return PlaceLegend(chart, region, constraints, layout, position, entries, legendWidth, legendHeight);
    }

    private static PanelLayout PlaceLegend(Chart chart, Rect region, PanelConstraints constraints, PanelLayout layout,
        LegendPosition position, List<ChartSeries> entries, double width, double height)
    {
        Rect plot = layout.Plot;
        Rect Corner(LegendPosition corner) => corner switch
        {
            LegendPosition.TopLeft => new Rect(plot.Left + 8, plot.Top + 6, width, height),
            LegendPosition.BottomRight => new Rect(plot.Right - width - 8, plot.Bottom - height - 8, width, height),
            LegendPosition.BottomLeft => new Rect(plot.Left + 8, plot.Bottom - height - 8, width, height),
            _ => new Rect(plot.Right - width - 8, plot.Top + 6, width, height),
        };
        switch (position)
        {
            case LegendPosition.None:
                return layout;
            case LegendPosition.Right:
                return layout with { Legend = new LegendLayout(entries, new Rect(plot.Right + 14, plot.Top, width, height)) };
            case LegendPosition.Auto:
                LegendPosition[] corners = [LegendPosition.TopRight, LegendPosition.TopLeft, LegendPosition.BottomRight, LegendPosition.BottomLeft];
                var obstacles = new LegendObstacles(chart, layout);
                int[] hits = corners.Select(corner => obstacles.Count(Corner(corner).Inflate(6))).ToArray();
                int free = Array.IndexOf(hits, 0);
                bool fitsInside = width < plot.Width / 2 + 1 && height < plot.Height;
                if (fitsInside && free >= 0) return layout with { Legend = new LegendLayout(entries, Corner(corners[free])) };
                // No free corner: move the legend out of the plot, unless that would squeeze the plot too much.
                if (plot.Width - width - 14 >= 200) return Compute(chart, region, constraints with { LegendOverride = LegendPosition.Right });
                return layout with { Legend = new LegendLayout(entries, Corner(corners[Array.IndexOf(hits, hits.Min())])) };
            default:
                return layout with { Legend = new LegendLayout(entries, Corner(position)) };
        }
    }

    private static XAxisLayout ComputeX(Chart chart, double left, double right, Extent? fixedDomain, string? zeroBinLabel)
    {
        if (chart.HasBars)
        {
            var categories = chart.Series.OfType<BarSeries>().SelectMany(s => s.Categories).Distinct(StringComparer.Ordinal).ToList();
            var band = new BandScale(categories, left, right);
            return new XAxisLayout(null, band, TickFitter.FitBands(band), right);
        }
        if (zeroBinLabel is null)
        {
            int count = XTickCount(right - left);
            double inset = MarkerInset(chart);
            IScale scale = CreateScale(chart.XAxis, fixedDomain ?? DomainResolver.ResolveX([chart], count), left + inset, right - inset);
            return new XAxisLayout(scale, null, TickFitter.FitHorizontal(scale, count), right);
        }
        // The zero column (as wide as its label, at least Theme.ZeroBinWidth) takes the left end of the plot
        // and the scale starts after the axis break, which widens when the scale's first label would touch
        // the zero bin's label (the first tick is often the domain's lower end, right after the break).
        double columnWidth = Math.Max(Theme.ZeroBinWidth, TextMetrics.Width(zeroBinLabel, Theme.FontSize) + 6);
        double gap = Theme.ZeroBinGap;
        XAxisLayout x = default;
        for (int attempt = 0; attempt < 2; attempt++)
        {
            double scaleStart = left + columnWidth + gap;
            int count = XTickCount(right - scaleStart);
            IScale scale = CreateScale(chart.XAxis, fixedDomain ?? DomainResolver.ResolveX([chart], count), scaleStart, right);
            x = new XAxisLayout(scale, null, TickFitter.FitHorizontal(scale, count), right, columnWidth, zeroBinLabel);
            if (x.Ticks.FirstOrDefault(t => t.IsLabelled) is not { Label.Length: > 0 } first) break;
            double needed = (TextMetrics.Width(zeroBinLabel, Theme.FontSize) + TextMetrics.Width(first.Label, Theme.FontSize)) / 2 + Theme.LabelGap;
            double shortfall = needed - (scale.Map(first.Value) - (left + columnWidth / 2));
            if (shortfall <= 0) break;
            gap += shortfall;
        }
        return x;
    }

    private static double LastLabelHalfWidth(XAxisLayout x, double right)
    {
        double overhang = 0;
        foreach (AxisTick tick in x.Ticks.Where(t => t.IsLabelled))
        {
            double position = x.Band is { } band ? band.Center((int)tick.Value) : x.Scale!.Map(tick.Value);
            overhang = Math.Max(overhang, position + TextMetrics.Width(tick.Label, Theme.FontSize) / 2 - right);
        }
        return overhang;
    }

    // Scatter dots and line markers are drawn whole; one at a domain end (a latent at cosine 1 in paper
    // figure 3, the first k of a sweep) would straddle the frame, half of it outside the plot. The scales
    // of such a chart stop a marker's radius (plus a pixel) inside the frame instead, as matplotlib's axis
    // margins do.
    private static double MarkerInset(Chart chart) => chart.Series.Select(series => series switch
    {
        ScatterSeries scatter => scatter.RadiusPx + 1,
        LineSeries { Marker: not MarkerShape.None } line => SeriesPainter.MarkerSize(line) / 2 + 1,
        _ => 0,
    }).DefaultIfEmpty(0).Max();

    internal static IScale CreateScale(AxisOptions axis, Extent domain, double rangeStart, double rangeEnd) => axis.Scale == ScaleKind.Log
        ? new LogScale(domain.Min, domain.Max, rangeStart, rangeEnd, axis.LogLabels)
        : new LinearScale(domain.Min, domain.Max, rangeStart, rangeEnd);

    private static void RequireRoom(double size, string what, Rect region)
    {
        if (size < 24)
        {
            throw new ArgumentException($"A {region.Width:0} x {region.Height:0} px panel is not {what} enough for its axes, titles and legend; make the figure larger.");
        }
    }

    private readonly record struct XAxisLayout(IScale? Scale, BandScale? Band, IReadOnlyList<AxisTick> Ticks, double Right, double ZeroBinWidth = 0, string? ZeroBinLabel = null);
}
