namespace Mfr.Reports.Svg;

/// <summary>Gridlines, the two axis lines (bottom and left; no box), tick marks, tick labels and axis titles.</summary>
internal static class AxisPainter
{
    public static void PaintGrid(SvgWriter writer, PanelLayout layout)
    {
        Rect plot = layout.Plot;
        writer.Open("g", ("class", "grid"), ("stroke", Theme.GridColor), ("stroke-width", "1"), ("shape-rendering", "crispEdges"));
        foreach (AxisTick tick in layout.YTicks.Where(t => t.IsMajor))
        {
            double y = layout.Y.Map(tick.Value);
            if (Math.Abs(y - plot.Bottom) < 0.5) continue;
            writer.Element("line", ("x1", N(plot.Left)), ("y1", N(y)), ("x2", N(plot.Right)), ("y2", N(y)));
        }
        if (layout.X is { } x)
        {
            foreach (AxisTick tick in layout.XTicks.Where(t => t.IsMajor))
            {
                double at = x.Map(tick.Value);
                if (Math.Abs(at - plot.Left) < 0.5) continue;
                writer.Element("line", ("x1", N(at)), ("y1", N(plot.Top)), ("x2", N(at)), ("y2", N(plot.Bottom)));
            }
        }
        writer.Close("g");
    }

    public static void PaintAxes(SvgWriter writer, Chart chart, PanelLayout layout)
    {
        Rect plot = layout.Plot;
        string fontSize = N(Theme.FontSize);

        writer.Open("g", ("class", "axis x"), ("fill", Theme.TextColor), ("font-size", fontSize), ("text-anchor", "middle"));
        if (layout.ZeroBin is { } zeroBin) PaintBrokenXAxis(writer, layout, zeroBin);
        else
        {
            writer.Element("line", ("x1", N(plot.Left)), ("y1", N(plot.Bottom)), ("x2", N(plot.Right)), ("y2", N(plot.Bottom)),
                ("stroke", Theme.AxisColor), ("shape-rendering", "crispEdges"));
        }
        foreach (AxisTick tick in layout.XTicks)
        {
            double at = layout.MapX(tick.Value);
            double length = tick.IsMajor ? Theme.TickLength : Theme.MinorTickLength;
            writer.Open("g", ("class", "tick"));
            writer.Element("line", ("x1", N(at)), ("y1", N(plot.Bottom)), ("x2", N(at)), ("y2", N(plot.Bottom + length)), ("stroke", Theme.AxisColor));
            if (tick.IsLabelled) writer.Text(tick.Label, ("x", N(at)), ("y", N(plot.Bottom + Theme.TickLength + 3)), ("dy", "0.71em"));
            writer.Close("g");
        }
        writer.Close("g");

        writer.Open("g", ("class", "axis y"), ("fill", Theme.TextColor), ("font-size", fontSize), ("text-anchor", "end"));
        writer.Element("line", ("x1", N(plot.Left)), ("y1", N(plot.Top)), ("x2", N(plot.Left)), ("y2", N(plot.Bottom)),
            ("stroke", Theme.AxisColor), ("shape-rendering", "crispEdges"));
        foreach (AxisTick tick in layout.YTicks)
        {
            double at = layout.Y.Map(tick.Value);
            double length = tick.IsMajor ? Theme.TickLength : Theme.MinorTickLength;
            writer.Open("g", ("class", "tick"));
            writer.Element("line", ("x1", N(plot.Left - length)), ("y1", N(at)), ("x2", N(plot.Left)), ("y2", N(at)), ("stroke", Theme.AxisColor));
            if (tick.IsLabelled) writer.Text(tick.Label, ("x", N(plot.Left - Theme.TickLength - 3)), ("y", N(at)), ("dy", "0.32em"));
            writer.Close("g");
        }
        writer.Close("g");

        PaintTitles(writer, chart, layout);
    }

    /// <summary>
    /// The x axis of a histogram with a zero bin: a short axis under the zero column with its own labelled
    /// tick, a gap with a pair of slanted break marks in its middle, then the axis of the scale.
    /// </summary>
    private static void PaintBrokenXAxis(SvgWriter writer, PanelLayout layout, Rect zeroBin)
    {
        Rect plot = layout.Plot;
        double scaleStart = layout.X!.RangeStart, y = plot.Bottom;
        writer.Element("line", ("x1", N(plot.Left)), ("y1", N(y)), ("x2", N(zeroBin.Right)), ("y2", N(y)), ("stroke", Theme.AxisColor), ("shape-rendering", "crispEdges"));
        writer.Element("line", ("x1", N(scaleStart)), ("y1", N(y)), ("x2", N(plot.Right)), ("y2", N(y)), ("stroke", Theme.AxisColor), ("shape-rendering", "crispEdges"));
        double middle = (zeroBin.Right + scaleStart) / 2;
        writer.Element("path", ("class", "axis-break"), ("d", $"M{N(middle - 5)},{N(y + 4)}L{N(middle - 1)},{N(y - 4)}M{N(middle + 1)},{N(y + 4)}L{N(middle + 5)},{N(y - 4)}"),
            ("stroke", Theme.AxisColor), ("stroke-width", "1.2"), ("fill", "none"));
        writer.Open("g", ("class", "tick zero-bin"));
        writer.Element("line", ("x1", N(zeroBin.CenterX)), ("y1", N(y)), ("x2", N(zeroBin.CenterX)), ("y2", N(y + Theme.TickLength)), ("stroke", Theme.AxisColor));
        writer.Text(layout.ZeroBinLabel ?? "0", ("x", N(zeroBin.CenterX)), ("y", N(y + Theme.TickLength + 3)), ("dy", "0.71em"));
        writer.Close("g");
    }

    private static void PaintTitles(SvgWriter writer, Chart chart, PanelLayout layout)
    {
        Rect plot = layout.Plot;
        if (chart.XAxis.Title is { } xTitle)
        {
            double y = plot.Bottom + Theme.TickLength + Theme.FontSize + 8 + Theme.AxisTitleFontSize;
            writer.Text(xTitle, ("class", "axis-title x"), ("x", N(plot.CenterX)), ("y", N(y)), ("text-anchor", "middle"),
                ("font-size", N(Theme.AxisTitleFontSize)), ("fill", Theme.TextColor));
        }
        if (layout.ShowYTitle && chart.YAxis.Title is { } yTitle)
        {
            // Next to this panel's own tick labels (aligned panels may have a wider margin than they need).
            double labelWidth = layout.YTicks.Where(t => t.IsLabelled).Select(t => TextMetrics.Width(t.Label, Theme.FontSize)).DefaultIfEmpty(0).Max();
            double x = Math.Max(layout.Region.Left + Theme.Padding + Theme.AxisTitleFontSize, plot.Left - Theme.TickLength - 3 - labelWidth - 10);
            writer.Text(yTitle, ("class", "axis-title y"), ("x", N(x)), ("y", N(plot.CenterY)), ("text-anchor", "middle"),
                ("transform", $"rotate(-90 {N(x)} {N(plot.CenterY)})"), ("font-size", N(Theme.AxisTitleFontSize)), ("fill", Theme.TextColor));
        }
    }

    private static string N(double value) => SvgWriter.Number(value);
}
