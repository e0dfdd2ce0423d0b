namespace Mfr.Reports.Svg;

/// <summary>
/// What a legend box inside the plot must not cover, in pixels: line vertices plus points every few
/// pixels along each segment, scatter dots, histogram and bar rectangles, and reference lines.
/// </summary>
internal sealed class LegendObstacles
{
    private const double SampleSpacing = 4;
    private const int MaxSamplesPerSegment = 400;
    private readonly List<(double X, double Y)> points = [];
    private readonly List<Rect> rectangles = [];

    public LegendObstacles(Chart chart, PanelLayout layout)
    {
        foreach (ChartSeries series in chart.Series)
        {
            switch (series)
            {
                case LineSeries line: AddLine(line, layout); break;
                case ScatterSeries scatter: AddPoints(scatter.X, scatter.Y, layout); break;
                case HistogramSeries histogram:
                    rectangles.AddRange(SeriesGeometry.HistogramBins(histogram, layout).Select(bin => bin.Box));
                    if (SeriesGeometry.ZeroBin(histogram, layout) is { } zero) rectangles.Add(zero);
                    break;
            }
        }
        rectangles.AddRange(SeriesGeometry.Bars(chart, layout).Select(bar => bar.Box));
        foreach (ReferenceLine line in chart.ReferenceLines)
        {
            IScale scale = line.IsVertical ? layout.X! : layout.Y;
            if (!scale.CanMap(line.Value)) continue;
            double at = scale.Map(line.Value);
            rectangles.Add(line.IsVertical
                ? new Rect(at - 1, layout.Plot.Top, 2, layout.Plot.Height)
                : new Rect(layout.Plot.Left, at - 1, layout.Plot.Width, 2));
        }
    }

    /// <summary>How many obstacles intersect <paramref name="box"/>.</summary>
    public int Count(Rect box) => points.Count(p => box.Contains(p.X, p.Y)) + rectangles.Count(r => r.Intersects(box));

    private void AddPoints(double[] xs, double[] ys, PanelLayout layout)
    {
        for (int i = 0; i < xs.Length; i++)
        {
            if (layout.X!.CanMap(xs[i]) && layout.Y.CanMap(ys[i])) points.Add((layout.X.Map(xs[i]), layout.Y.Map(ys[i])));
        }
    }

    private void AddLine(LineSeries line, PanelLayout layout)
    {
        (double X, double Y)? previous = null;
        for (int i = 0; i < line.X.Length; i++)
        {
            if (!layout.X!.CanMap(line.X[i]) || !layout.Y.CanMap(line.Y[i]))
            {
                previous = null;
                continue;
            }
            var current = (X: layout.X.Map(line.X[i]), Y: layout.Y.Map(line.Y[i]));
            if (previous is { } start)
            {
                double length = Math.Sqrt((current.X - start.X) * (current.X - start.X) + (current.Y - start.Y) * (current.Y - start.Y));
                int samples = Math.Min(MaxSamplesPerSegment, (int)(length / SampleSpacing));
                for (int s = 1; s <= samples; s++)
                {
                    double t = s / (samples + 1.0);
                    points.Add((start.X + t * (current.X - start.X), start.Y + t * (current.Y - start.Y)));
                }
            }
            points.Add(current);
            previous = current;
        }
    }
}
