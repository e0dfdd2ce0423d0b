namespace Mfr.Reports.Svg;

/// <summary>The legend's entries and its box in pixels.</summary>
internal sealed record LegendLayout(IReadOnlyList<ChartSeries> Entries, Rect Box)
{
    public const double RowHeight = 17;
    public const double Inset = 7;
    public const double SwatchWidth = 24;
    public const double Gap = 6;

    public static (double Width, double Height) Measure(IReadOnlyList<ChartSeries> entries)
    {
        if (entries.Count == 0) return (0, 0);
        double text = entries.Max(e => TextMetrics.Width(e.Name, Theme.FontSize));
        return (2 * Inset + SwatchWidth + Gap + text, 2 * Inset + entries.Count * RowHeight - 4);
    }
}
