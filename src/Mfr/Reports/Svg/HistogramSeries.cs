namespace Mfr.Reports.Svg;

/// <summary>
/// Bars between consecutive bin edges, <c>Counts[i]</c> high over [<c>BinEdges[i]</c>, <c>BinEdges[i + 1]</c>),
/// and optionally a separate bar <c>ZeroCount</c> high for values that are exactly zero (null: none).
/// </summary>
internal sealed record HistogramSeries(string Name, string Color, double[] BinEdges, double[] Counts, double Opacity, double? ZeroCount = null)
    : ChartSeries(Name, Color);
