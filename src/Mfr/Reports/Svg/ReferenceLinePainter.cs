namespace Mfr.Reports.Svg;

/// <summary>
/// Dashed reference lines: vertical markers (re-initialisation steps) labelled at the top of the plot,
/// horizontal lines (thresholds) labelled at the right end. Marker labels that would overlap move down a
/// row (up to four rows), then are dropped. Labels get a white halo to stay legible over data.
/// </summary>
internal static class ReferenceLinePainter
{
    private const int MaxLabelRows = 4;

    public static void PaintLines(SvgWriter writer, Chart chart, PanelLayout layout, string clipId)
    {
        if (chart.ReferenceLines.Count == 0) return;
        Rect plot = layout.Plot;
        writer.Open("g", ("class", "reference-lines"), ("clip-path", $"url(#{clipId})"), ("stroke-width", "1.2"), ("stroke-dasharray", "4 3"));
        foreach (ReferenceLine line in chart.ReferenceLines)
        {
            IScale scale = line.IsVertical ? layout.X! : layout.Y;
            if (!scale.CanMap(line.Value)) continue;
            double at = scale.Map(line.Value);
            if (line.IsVertical) writer.Element("line", ("x1", N(at)), ("y1", N(plot.Top)), ("x2", N(at)), ("y2", N(plot.Bottom)), ("stroke", line.Color));
            else writer.Element("line", ("x1", N(plot.Left)), ("y1", N(at)), ("x2", N(plot.Right)), ("y2", N(at)), ("stroke", line.Color));
        }
        writer.Close("g");
    }

    public static void PaintLabels(SvgWriter writer, Chart chart, PanelLayout layout)
    {
        var labelled = chart.ReferenceLines.Where(line => !string.IsNullOrEmpty(line.Label)).ToList();
        if (labelled.Count == 0) return;
        Rect plot = layout.Plot;
        var occupied = new List<Rect>();
        writer.Open("g", ("class", "reference-labels"), ("font-size", N(Theme.SmallFontSize)), ("fill", Theme.TextColor),
            ("stroke", Theme.Background), ("stroke-width", "3"), ("stroke-linejoin", "round"), ("paint-order", "stroke"));
        foreach (ReferenceLine line in labelled.OrderBy(line => line.IsVertical).ThenBy(line => line.Value))
        {
            IScale scale = line.IsVertical ? layout.X! : layout.Y;
            if (!scale.CanMap(line.Value)) continue;
            double at = scale.Map(line.Value);
            double width = TextMetrics.Width(line.Label!, Theme.SmallFontSize);
            if (!line.IsVertical)
            {
                if (at < plot.Top - 0.5 || at > plot.Bottom + 0.5) continue;
                writer.Text(line.Label!, ("x", N(plot.Right - 4)), ("y", N(at - 4)), ("text-anchor", "end"));
                occupied.Add(new Rect(plot.Right - 4 - width, at - 4 - Theme.SmallFontSize, width, Theme.SmallFontSize));
                continue;
            }
            if (at < plot.Left - 0.5 || at > plot.Right + 0.5) continue;
            bool leftOfLine = at + 4 + width > plot.Right;
            double textLeft = leftOfLine ? at - 4 - width : at + 4;
            for (int row = 0; row < MaxLabelRows; row++)
            {
                double baselineY = plot.Top + 4 + Theme.SmallFontSize + row * (Theme.SmallFontSize + 3);
                var box = new Rect(textLeft, baselineY - Theme.SmallFontSize, width, Theme.SmallFontSize + 2);
                if (occupied.Any(other => other.Intersects(box))) continue;
                occupied.Add(box);
                writer.Text(line.Label!, ("x", N(leftOfLine ? at - 4 : at + 4)), ("y", N(baselineY)), ("text-anchor", leftOfLine ? "end" : "start"));
                break;
            }
        }
        writer.Close("g");
    }

    private static string N(double value) => SvgWriter.Number(value);
}
