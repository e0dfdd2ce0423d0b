namespace Mfr.Reports.Svg;

/// <summary>The legend: a white, lightly outlined box with one row per named series (swatch, then name).</summary>
internal static class LegendPainter
{
    public static void Paint(SvgWriter writer, LegendLayout legend)
    {
        Rect box = legend.Box;
        writer.Open("g", ("class", "legend"), ("font-size", N(Theme.FontSize)), ("fill", Theme.TextColor));
        writer.Element("rect", ("x", N(box.Left)), ("y", N(box.Top)), ("width", N(box.Width)), ("height", N(box.Height)), ("rx", "3"),
            ("fill", Theme.Background), ("fill-opacity", "0.9"), ("stroke", "#cccccc"));
        for (int i = 0; i < legend.Entries.Count; i++)
        {
            ChartSeries series = legend.Entries[i];
            double rowCenter = box.Top + LegendLayout.Inset + LegendLayout.RowHeight * i + LegendLayout.RowHeight / 2 - 2;
            double swatchLeft = box.Left + LegendLayout.Inset;
            writer.Open("g", ("class", "legend-entry"));
            PaintSwatch(writer, series, swatchLeft, rowCenter);
            writer.Text(series.Name, ("x", N(swatchLeft + LegendLayout.SwatchWidth + LegendLayout.Gap)), ("y", N(rowCenter)), ("dy", "0.32em"));
            writer.Close("g");
        }
        writer.Close("g");
    }

    private static void PaintSwatch(SvgWriter writer, ChartSeries series, double left, double centerY)
    {
        double width = LegendLayout.SwatchWidth;
        switch (series)
        {
            case LineSeries line:
                writer.Element("line", ("x1", N(left)), ("y1", N(centerY)), ("x2", N(left + width)), ("y2", N(centerY)), ("stroke", line.Color),
                    ("stroke-width", N(line.WidthPx)), ("stroke-linecap", "round"), ("stroke-dasharray", SeriesPainter.DashArray(line.Style)));
                if (line.Marker != MarkerShape.None)
                {
                    writer.Open("g", ("fill", line.Color), ("stroke", Theme.Background), ("stroke-width", "0.8"));
                    SeriesPainter.PaintMarker(writer, line.Marker, left + width / 2, centerY, SeriesPainter.MarkerSize(line));
                    writer.Close("g");
                }
                break;
            case ScatterSeries scatter:
                writer.Element("circle", ("cx", N(left + width / 2)), ("cy", N(centerY)), ("r", N(Math.Max(3.5, scatter.RadiusPx))),
                    ("fill", scatter.Color), ("fill-opacity", N(Math.Max(0.6, scatter.Opacity))));
                break;
            case HistogramSeries histogram:
                writer.Element("rect", ("x", N(left + 3)), ("y", N(centerY - 5)), ("width", N(width - 6)), ("height", "10"), ("fill", histogram.Color),
                    ("fill-opacity", N(histogram.Opacity)), ("stroke", histogram.Color), ("stroke-width", "1.3"));
                break;
            case BarSeries bars:
                writer.Element("rect", ("x", N(left + 3)), ("y", N(centerY - 5)), ("width", N(width - 6)), ("height", "10"), ("fill", bars.Color));
                break;
        }
    }

    private static string N(double value) => SvgWriter.Number(value);
}
