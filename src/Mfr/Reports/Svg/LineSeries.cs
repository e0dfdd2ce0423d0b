namespace Mfr.Reports.Svg;

/// <summary>Points joined by a line; non-finite points break the line.</summary>
internal sealed record LineSeries(string Name, string Color, double[] X, double[] Y, LineStyle Style, MarkerShape Marker, double WidthPx)
    : ChartSeries(Name, Color);
