namespace Mfr.Reports.Svg;

/// <summary>Draws one laid-out panel, back to front: grid, data, reference lines, axes, labels, legend, titles.</summary>
internal static class PanelPainter
{
    public static void Paint(SvgWriter writer, Chart chart, PanelLayout layout, string clipId)
    {
        Rect plot = layout.Plot;
        writer.Open("g", ("class", "panel"));
        AxisPainter.PaintGrid(writer, layout);
        SeriesPainter.Paint(writer, chart, layout, clipId);
        ReferenceLinePainter.PaintLines(writer, chart, layout, clipId);
        AxisPainter.PaintAxes(writer, chart, layout);
        ReferenceLinePainter.PaintLabels(writer, chart, layout);
        if (!layout.HasData)
        {
            writer.Text("no data", ("class", "no-data"), ("x", N(plot.CenterX)), ("y", N(plot.CenterY)), ("dy", "0.32em"), ("text-anchor", "middle"),
                ("font-size", "13"), ("font-style", "italic"), ("fill", "#888888"));
        }
        if (layout.Legend is { } legend) LegendPainter.Paint(writer, legend);
        double y = layout.Region.Top + Theme.Padding;
        if (chart.Title is { } title)
        {
            y += Theme.TitleFontSize + 2;
            writer.Text(title, ("class", "title"), ("x", N(plot.CenterX)), ("y", N(y)), ("text-anchor", "middle"),
                ("font-size", N(Theme.TitleFontSize)), ("font-weight", "600"), ("fill", Theme.TextColor));
            y += Theme.TitleBand - Theme.TitleFontSize - 2;
        }
        if (chart.Subtitle is { } subtitle)
        {
            y += Theme.SubtitleFontSize + 1;
            writer.Text(subtitle, ("class", "subtitle"), ("x", N(plot.CenterX)), ("y", N(y)), ("text-anchor", "middle"),
                ("font-size", N(Theme.SubtitleFontSize)), ("fill", Theme.MutedTextColor));
        }
        writer.Close("g");
    }

    private static string N(double value) => SvgWriter.Number(value);
}
