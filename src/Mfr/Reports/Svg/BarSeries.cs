namespace Mfr.Reports.Svg;

/// <summary>One bar per category; several bar series in a chart stand side by side within each category.</summary>
internal sealed record BarSeries(string Name, string Color, string[] Categories, double[] Values)
    : ChartSeries(Name, Color);
