namespace Mfr.Reports.Svg;

/// <summary>
/// Draws the series: histograms and bars first (they fill areas), then scatter dots, then lines and their
/// markers on top. Areas and lines are clipped to the plot; dots and markers are instead dropped when their
/// centre lies outside it, so a dot on the edge is drawn whole.
/// </summary>
internal static class SeriesPainter
{
    public static void Paint(SvgWriter writer, Chart chart, PanelLayout layout, string clipId)
    {
        writer.Open("g", ("class", "data"), ("clip-path", $"url(#{clipId})"));
        foreach (HistogramSeries histogram in chart.Series.OfType<HistogramSeries>()) PaintHistogram(writer, histogram, layout);
        PaintBars(writer, chart, layout);
        foreach (LineSeries line in chart.Series.OfType<LineSeries>()) PaintLine(writer, line, layout);
        writer.Close("g");
        foreach (ScatterSeries scatter in chart.Series.OfType<ScatterSeries>()) PaintScatter(writer, scatter, layout);
        foreach (LineSeries line in chart.Series.OfType<LineSeries>().Where(l => l.Marker != MarkerShape.None)) PaintMarkers(writer, line, layout);
        if (chart.ShowBarValues) PaintBarValues(writer, chart, layout);
    }

    /// <summary>The stroke-dasharray of a line style (null for solid).</summary>
    public static string? DashArray(LineStyle style) => style switch
    {
        LineStyle.Dashed => "6 4",
        LineStyle.Dotted => "1 3.5",
        LineStyle.DashDot => "7 3.5 1 3.5",
        _ => null,
    };

    /// <summary>Size in px of the markers of <paramref name="line"/> (a little wider than the line).</summary>
    public static double MarkerSize(LineSeries line) => 5 + line.WidthPx;

    /// <summary>Writes one marker symbol of about <paramref name="size"/> px centred on (x, y).</summary>
    public static void PaintMarker(SvgWriter writer, MarkerShape shape, double x, double y, double size)
    {
        double r = size / 2;
        switch (shape)
        {
            case MarkerShape.Circle: writer.Element("circle", ("cx", N(x)), ("cy", N(y)), ("r", N(r))); break;
            case MarkerShape.Square: writer.Element("rect", ("x", N(x - r * 0.9)), ("y", N(y - r * 0.9)), ("width", N(1.8 * r)), ("height", N(1.8 * r))); break;
            case MarkerShape.Triangle:
                writer.Element("path", ("d", $"M{N(x)},{N(y - 1.2 * r)}L{N(x + 1.1 * r)},{N(y + 0.8 * r)}L{N(x - 1.1 * r)},{N(y + 0.8 * r)}Z"));
                break;
            case MarkerShape.Diamond:
                writer.Element("path", ("d", $"M{N(x)},{N(y - 1.25 * r)}L{N(x + r)},{N(y)}L{N(x)},{N(y + 1.25 * r)}L{N(x - r)},{N(y)}Z"));
                break;
        }
    }

    private static void PaintLine(SvgWriter writer, LineSeries line, PanelLayout layout)
    {
        var path = new System.Text.StringBuilder();
        foreach (List<(double X, double Y)> run in SeriesGeometry.LineRuns(line, layout))
        {
            List<(double X, double Y)> points = LineDecimator.Decimate(run, layout.Plot.Width);
            path.Append('M').Append(N(points[0].X)).Append(',').Append(N(points[0].Y));
            // A lone point between gaps is a zero-length segment: with round caps it shows as a dot.
            if (points.Count == 1) path.Append('L').Append(N(points[0].X)).Append(',').Append(N(points[0].Y));
            for (int i = 1; i < points.Count; i++) path.Append('L').Append(N(points[i].X)).Append(',').Append(N(points[i].Y));
        }
        if (path.Length == 0) return;
        writer.Element("path", ("class", "series line"), ("d", path.ToString()), ("fill", "none"), ("stroke", line.Color),
            ("stroke-width", N(line.WidthPx)), ("stroke-linejoin", "round"), ("stroke-linecap", "round"), ("stroke-dasharray", DashArray(line.Style)));
    }

    private static void PaintMarkers(SvgWriter writer, LineSeries line, PanelLayout layout)
    {
        writer.Open("g", ("class", "series markers"), ("fill", line.Color), ("stroke", Theme.Background), ("stroke-width", "0.8"));
        foreach (List<(double X, double Y)> run in SeriesGeometry.LineRuns(line, layout))
        {
            foreach (var (x, y) in run.Where(p => layout.Plot.Inflate(0.5).Contains(p.X, p.Y))) PaintMarker(writer, line.Marker, x, y, MarkerSize(line));
        }
        writer.Close("g");
    }

    private static void PaintScatter(SvgWriter writer, ScatterSeries scatter, PanelLayout layout)
    {
        Rect inside = layout.Plot.Inflate(0.5);
        string radius = SvgWriter.CoarseNumber(scatter.RadiusPx);
        writer.Open("g", ("class", "series scatter"), ("fill", scatter.Color), ("fill-opacity", N(scatter.Opacity)));
        for (int i = 0; i < scatter.X.Length; i++)
        {
            if (!layout.X!.CanMap(scatter.X[i]) || !layout.Y.CanMap(scatter.Y[i])) continue;
            double x = layout.X.Map(scatter.X[i]), y = layout.Y.Map(scatter.Y[i]);
            if (!inside.Contains(x, y)) continue;
            writer.Element("circle", ("cx", SvgWriter.CoarseNumber(x)), ("cy", SvgWriter.CoarseNumber(y)), ("r", radius));
        }
        writer.Close("g");
    }

    private static void PaintHistogram(SvgWriter writer, HistogramSeries histogram, PanelLayout layout)
    {
        List<HistogramBin> bins = SeriesGeometry.HistogramBins(histogram, layout);
        writer.Open("g", ("class", "series histogram"));
        writer.Open("g", ("fill", histogram.Color), ("fill-opacity", N(histogram.Opacity)));
        foreach (HistogramBin bin in bins)
        {
            writer.Element("rect", ("x", N(bin.Box.Left)), ("y", N(bin.Box.Top)), ("width", N(bin.Box.Width)), ("height", N(bin.Box.Height)));
        }
        writer.Close("g");
        // Opaque step outline over the translucent fill: overlaid histograms (baseline vs MFR) stay distinct.
        if (bins.Count > 0)
        {
            writer.Element("path", ("d", StepOutline(bins)), ("fill", "none"), ("stroke", histogram.Color), ("stroke-width", "1.3"), ("stroke-linejoin", "round"));
        }
        if (SeriesGeometry.ZeroBin(histogram, layout) is { } zero)
        {
            writer.Element("rect", ("class", "zero-bin"), ("x", N(zero.Left)), ("y", N(zero.Top)), ("width", N(zero.Width)), ("height", N(zero.Height)),
                ("fill", histogram.Color), ("fill-opacity", N(histogram.Opacity)), ("stroke", histogram.Color), ("stroke-width", "1.3"));
        }
        writer.Close("g");
    }

    private static string StepOutline(List<HistogramBin> bins)
    {
        var path = new System.Text.StringBuilder();
        for (int i = 0; i < bins.Count; i++)
        {
            HistogramBin bin = bins[i];
            bool joinsPrevious = i > 0 && bins[i - 1].Index == bin.Index - 1;
            bool joinsNext = i + 1 < bins.Count && bins[i + 1].Index == bin.Index + 1;
            if (!joinsPrevious) path.Append('M').Append(N(bin.Box.Left)).Append(',').Append(N(bin.Baseline));
            path.Append('L').Append(N(bin.Box.Left)).Append(',').Append(N(bin.Top));
            path.Append('L').Append(N(bin.Box.Right)).Append(',').Append(N(bin.Top));
            if (!joinsNext) path.Append('L').Append(N(bin.Box.Right)).Append(',').Append(N(bin.Baseline));
        }
        return path.ToString();
    }

    private static void PaintBars(SvgWriter writer, Chart chart, PanelLayout layout)
    {
        foreach (var group in SeriesGeometry.Bars(chart, layout).GroupBy(bar => bar.Series))
        {
            writer.Open("g", ("class", "series bars"), ("fill", group.Key.Color));
            foreach (BarGeometry bar in group)
            {
                writer.Element("rect", ("x", N(bar.Box.Left)), ("y", N(bar.Box.Top)), ("width", N(bar.Box.Width)), ("height", N(bar.Box.Height)));
            }
            writer.Close("g");
        }
    }

    /// <summary>
    /// Value labels with one number format for the whole chart: horizontal above the bar when they fit its
    /// width, otherwise turned upright, inside the top of the bar when it is tall enough (white on dark
    /// colours), else above it. Negative bars are labelled below.
    /// </summary>
    private static void PaintBarValues(SvgWriter writer, Chart chart, PanelLayout layout)
    {
        List<BarGeometry> bars = SeriesGeometry.Bars(chart, layout);
        string[] labels = TickLabelFormatter.FormatValues(bars.Select(bar => bar.Value).ToArray());
        writer.Open("g", ("class", "bar-values"), ("font-size", N(Theme.SmallFontSize)), ("fill", Theme.TextColor));
        for (int i = 0; i < bars.Count; i++)
        {
            Rect box = bars[i].Box;
            double width = TextMetrics.Width(labels[i], Theme.SmallFontSize);
            bool below = bars[i].Value < 0 && layout.Y is LinearScale;
            if (width <= box.Width + 2)
            {
                double y = below ? box.Bottom + 3 + Theme.SmallFontSize : box.Top - 4;
                writer.Text(labels[i], ("x", N(box.CenterX)), ("y", N(y)), ("text-anchor", "middle"));
                continue;
            }
            // Upright text (rotate -90) runs upwards: anchored at its end it hangs below the anchor point.
            bool inside = box.Height >= width + 10;
            double anchorY = below ? (inside ? box.Bottom - 5 : box.Bottom + 4) : (inside ? box.Top + 5 : box.Top - 4);
            string anchor = below == inside ? "start" : "end";
            string? fill = inside ? (IsDark(bars[i].Series.Color) ? Theme.Background : null) : null;
            writer.Text(labels[i], ("x", N(box.CenterX)), ("y", N(anchorY)), ("dy", "0.35em"), ("text-anchor", anchor), ("fill", fill),
                ("transform", $"rotate(-90 {N(box.CenterX)} {N(anchorY)})"));
        }
        writer.Close("g");
    }

    // Relative luminance (WCAG 2) below 0.3: white text reads better than black on it.
    private static bool IsDark(string hexColor)
    {
        static double Channel(string hex)
        {
            double c = Convert.ToInt32(hex, 16) / 255.0;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
        double luminance = 0.2126 * Channel(hexColor[1..3]) + 0.7152 * Channel(hexColor[3..5]) + 0.0722 * Channel(hexColor[5..7]);
        return luminance < 0.3;
    }

    private static string N(double value) => SvgWriter.Number(value);
}
