namespace Mfr.Reports.Svg;

/// <summary>Bars between consecutive bin edges, <c>Counts[i]</c> high over [<c>BinEdges[i]</c>, <c>BinEdges[i + 1]</c>).</summary>
internal sealed record HistogramSeries(string Name, string Color, double[] BinEdges, double[] Counts, double Opacity)
    : ChartSeries(Name, Color);
