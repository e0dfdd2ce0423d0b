namespace Mfr.Reports.Svg;

/// <summary>
/// One plot: title, two axes, series (lines, scatter, histograms or grouped bars), reference lines and a
/// legend. A builder: each <c>With…</c>/<c>Add…</c> call returns the same chart. Data are copied when added.
/// Non-finite values (and non-positive ones on a log axis) are skipped when drawing; a chart without
/// drawable data shows "no data". Render alone with <see cref="ToSvg"/> or as a panel of a <see cref="Figure"/>.
/// </summary>
/// <example>
/// <code>
/// string svg = new Chart("Reconstruction loss")
///     .WithXAxis("Training step").WithYAxis("MSE", scale: ScaleKind.Log)
///     .AddLine("Baseline", steps, baselineLoss)
///     .AddLine("MFR", steps, mfrLoss, LineStyle.Dashed)
///     .AddVerticalMarker(37, "re-init SAE 2")
///     .ToSvg();
/// </code>
/// </example>
public sealed class Chart
{
    private readonly List<ChartSeries> series = [];
    private readonly List<ReferenceLine> referenceLines = [];

    /// <summary>Creates an empty chart.</summary>
    /// <param name="title">Title above the plot; null for none.</param>
    public Chart(string? title = null) => Title = title;

    /// <summary>Title above the plot.</summary>
    public string? Title { get; }

    /// <summary>Smaller grey line under the title (e.g. "Pearson r = 0.625").</summary>
    public string? Subtitle { get; private set; }

    /// <summary>Horizontal axis (ignored except for its title when the chart has bars, whose x axis is categorical).</summary>
    public AxisOptions XAxis { get; private set; } = new();

    /// <summary>Vertical axis.</summary>
    public AxisOptions YAxis { get; private set; } = new();

    /// <summary>Legend placement (default <see cref="LegendPosition.Auto"/>).</summary>
    public LegendPosition Legend { get; private set; } = LegendPosition.Auto;

    /// <summary>Whether bars carry their value above them.</summary>
    public bool ShowBarValues { get; private set; }

    /// <summary>Tick label under the zero bin of histograms that have one (default "0"; e.g. "never" for firing frequencies).</summary>
    public string ZeroBinLabel { get; private set; } = "0";

    /// <summary>Width in pixels when rendered alone (default 640).</summary>
    public int WidthPx { get; private set; } = 640;

    /// <summary>Height in pixels when rendered alone (default 400).</summary>
    public int HeightPx { get; private set; } = 400;

    /// <summary>Number of series added.</summary>
    public int SeriesCount => series.Count;

    internal IReadOnlyList<ChartSeries> Series => series;

    internal IReadOnlyList<ReferenceLine> ReferenceLines => referenceLines;

    internal bool HasBars => series.Count > 0 && series[0] is BarSeries;

    /// <summary>Whether some histogram has a zero bin, so the x axis gets a zero column left of an axis break.</summary>
    internal bool HasZeroBin => series.Any(s => s is HistogramSeries { ZeroCount: not null });

    /// <summary>Sets the subtitle.</summary>
    /// <param name="subtitle">Text under the title; null to remove.</param>
    public Chart WithSubtitle(string? subtitle)
    {
        Subtitle = subtitle;
        return this;
    }

    /// <summary>Sets the x axis.</summary>
    /// <param name="label">Axis title.</param>
    /// <param name="unit">Unit in parentheses after the title.</param>
    /// <param name="scale">Linear or log.</param>
    /// <param name="min">Fixed lower end (null: from the data).</param>
    /// <param name="max">Fixed upper end (null: from the data).</param>
    /// <param name="logLabels">Tick label notation when <paramref name="scale"/> is log.</param>
    public Chart WithXAxis(string? label, string? unit = null, ScaleKind scale = ScaleKind.Linear, double? min = null, double? max = null, LogTickNotation logLabels = LogTickNotation.Auto)
    {
        XAxis = ValidatedAxis(new AxisOptions { Label = label, Unit = unit, Scale = scale, Min = min, Max = max, LogLabels = logLabels });
        return this;
    }

    /// <summary>Sets the y axis.</summary>
    /// <param name="label">Axis title.</param>
    /// <param name="unit">Unit in parentheses after the title.</param>
    /// <param name="scale">Linear or log.</param>
    /// <param name="min">Fixed lower end (null: from the data).</param>
    /// <param name="max">Fixed upper end (null: from the data).</param>
    /// <param name="logLabels">Tick label notation when <paramref name="scale"/> is log.</param>
    public Chart WithYAxis(string? label, string? unit = null, ScaleKind scale = ScaleKind.Linear, double? min = null, double? max = null, LogTickNotation logLabels = LogTickNotation.Auto)
    {
        YAxis = ValidatedAxis(new AxisOptions { Label = label, Unit = unit, Scale = scale, Min = min, Max = max, LogLabels = logLabels });
        return this;
    }

    /// <summary>Sets the legend placement.</summary>
    /// <param name="position">Where the legend goes.</param>
    public Chart WithLegend(LegendPosition position)
    {
        Legend = position;
        return this;
    }

    /// <summary>Sets the size used by <see cref="ToSvg"/>.</summary>
    /// <param name="widthPx">Width in pixels, 160..4000.</param>
    /// <param name="heightPx">Height in pixels, 120..4000.</param>
    public Chart WithSize(int widthPx, int heightPx)
    {
        FigureSize.Validate(widthPx, heightPx);
        WidthPx = widthPx;
        HeightPx = heightPx;
        return this;
    }

    /// <summary>Writes each bar's value above it (3 significant digits).</summary>
    /// <param name="show">Whether to show the values.</param>
    public Chart WithBarValues(bool show = true)
    {
        ShowBarValues = show;
        return this;
    }

    /// <summary>Sets the tick label of the zero bin (see <see cref="AddHistogram"/>).</summary>
    /// <param name="label">Short text, e.g. "0" or "never".</param>
    public Chart WithZeroBinLabel(string label)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        ZeroBinLabel = label;
        return this;
    }

    /// <summary>Adds a line through the points (x[i], y[i]); a NaN or infinite point breaks the line.</summary>
    /// <param name="name">Legend text ("" for none).</param>
    /// <param name="x">X values, <c>[pointCount]</c>.</param>
    /// <param name="y">Y values, <c>[pointCount]</c>.</param>
    /// <param name="style">Stroke pattern.</param>
    /// <param name="marker">Symbol at each point.</param>
    /// <param name="color">Hex colour <c>#RRGGBB</c>; null for the next colour of <see cref="Palette.Cycle"/>.</param>
    /// <param name="widthPx">Stroke width in pixels (0.25..10).</param>
    public Chart AddLine(string name, ReadOnlySpan<double> x, ReadOnlySpan<double> y, LineStyle style = LineStyle.Solid,
        MarkerShape marker = MarkerShape.None, string? color = null, double widthPx = 1.8)
    {
        RequireSameLength(name, x, y);
        RequireInRange(name, "line width", widthPx, 0.25, 10);
        return Add(new LineSeries(name, NextColor(name, color), x.ToArray(), y.ToArray(), style, marker, widthPx));
    }

    /// <summary>Adds unconnected translucent dots at (x[i], y[i]).</summary>
    /// <param name="name">Legend text ("" for none).</param>
    /// <param name="x">X values, <c>[pointCount]</c>.</param>
    /// <param name="y">Y values, <c>[pointCount]</c>.</param>
    /// <param name="color">Hex colour; null for the next colour of the cycle.</param>
    /// <param name="radiusPx">Dot radius in pixels (0.5..10).</param>
    /// <param name="opacity">Fill opacity (0.05..1); low values show density where dots overlap.</param>
    public Chart AddScatter(string name, ReadOnlySpan<double> x, ReadOnlySpan<double> y, string? color = null, double radiusPx = 2.2, double opacity = 0.45)
    {
        RequireSameLength(name, x, y);
        RequireInRange(name, "radius", radiusPx, 0.5, 10);
        RequireInRange(name, "opacity", opacity, 0.05, 1);
        return Add(new ScatterSeries(name, NextColor(name, color), x.ToArray(), y.ToArray(), radiusPx, opacity));
    }

    /// <summary>
    /// Adds a histogram: a bar of height counts[i] over [binEdges[i], binEdges[i + 1]). With
    /// <paramref name="zeroCount"/>, values that are exactly zero get a bar of their own in a narrow column
    /// left of a break in the x axis, under the tick <see cref="ZeroBinLabel"/>: on a log axis (firing
    /// frequencies) zero has no place, and latents that never fired must still be counted visibly.
    /// </summary>
    /// <param name="name">Legend text ("" for none).</param>
    /// <param name="binEdges">Increasing bin edges, <c>[binCount + 1]</c>.</param>
    /// <param name="counts">Height of each bin, <c>[binCount]</c>.</param>
    /// <param name="color">Hex colour; null for the next colour of the cycle.</param>
    /// <param name="opacity">Fill opacity (0.05..1); the outline is always opaque, so overlaid histograms stay readable.</param>
    /// <param name="zeroCount">Height of the zero bin (finite, &gt;= 0); null for no zero bin.</param>
    public Chart AddHistogram(string name, ReadOnlySpan<double> binEdges, ReadOnlySpan<double> counts, string? color = null, double opacity = 0.35, double? zeroCount = null)
    {
        if (zeroCount is double zero && !(zero >= 0 && double.IsFinite(zero)))
        {
            throw new ArgumentException($"Histogram '{name}': the zero-bin count must be finite and >= 0; got {zero}.");
        }
        if (binEdges.Length != counts.Length + 1)
        {
            throw new ArgumentException($"Histogram '{name}': binEdges [{binEdges.Length}] must have one more element than counts [{counts.Length}].");
        }
        for (int i = 1; i < binEdges.Length; i++)
        {
            if (double.IsFinite(binEdges[i]) && double.IsFinite(binEdges[i - 1]) && binEdges[i] <= binEdges[i - 1])
            {
                throw new ArgumentException($"Histogram '{name}': bin edges must increase; edge {i} ({binEdges[i]}) <= edge {i - 1} ({binEdges[i - 1]}).");
            }
        }
        RequireInRange(name, "opacity", opacity, 0.05, 1);
        return Add(new HistogramSeries(name, NextColor(name, color), binEdges.ToArray(), counts.ToArray(), opacity, zeroCount));
    }

    /// <summary>
    /// Adds one bar per category. Categories of all bar series are united in first-seen order; within a
    /// category the series' bars stand side by side (e.g. baseline | MFR for each k). A chart with bars has
    /// a categorical x axis and takes no line, scatter, histogram or vertical marker.
    /// </summary>
    /// <param name="name">Legend text ("" for none).</param>
    /// <param name="categories">Category names, <c>[barCount]</c>, distinct.</param>
    /// <param name="values">Bar heights, <c>[barCount]</c>.</param>
    /// <param name="color">Hex colour; null for the next colour of the cycle.</param>
    public Chart AddBars(string name, IReadOnlyList<string> categories, ReadOnlySpan<double> values, string? color = null)
    {
        if (categories.Count != values.Length)
        {
            throw new ArgumentException($"Bars '{name}': categories [{categories.Count}] and values [{values.Length}] must have the same length.");
        }
        if (categories.Distinct(StringComparer.Ordinal).Count() != categories.Count)
        {
            throw new ArgumentException($"Bars '{name}': categories must be distinct.");
        }
        if ((series.Count > 0 && !HasBars) || referenceLines.Any(line => line.IsVertical))
        {
            throw new ArgumentException($"Bars '{name}': a chart with bars cannot also hold lines, scatter, histograms or vertical markers.");
        }
        return Add(new BarSeries(name, NextColor(name, color), [.. categories], values.ToArray()));
    }

    /// <summary>Adds a dashed vertical line at <paramref name="x"/> (e.g. a re-initialisation step) with an optional label at the top.</summary>
    /// <param name="x">Position on the x axis (finite).</param>
    /// <param name="label">Short text beside the line; null for none.</param>
    /// <param name="color">Hex colour; null for grey.</param>
    public Chart AddVerticalMarker(double x, string? label = null, string? color = null)
    {
        if (HasBars) throw new ArgumentException("A chart with bars has a categorical x axis and takes no vertical marker.");
        return AddReference(isVertical: true, x, label, color);
    }

    /// <summary>Adds a dashed horizontal line at <paramref name="y"/> (e.g. the re-init threshold 2.5) with an optional label at the right.</summary>
    /// <param name="y">Position on the y axis (finite).</param>
    /// <param name="label">Short text above the line; null for none.</param>
    /// <param name="color">Hex colour; null for grey.</param>
    public Chart AddHorizontalLine(double y, string? label = null, string? color = null) => AddReference(isVertical: false, y, label, color);

    /// <summary>The chart alone as a standalone SVG document of <see cref="WidthPx"/> x <see cref="HeightPx"/>.</summary>
    public string ToSvg() => AsFigure().ToSvg();

    /// <summary>This chart as a one-panel figure of its own size.</summary>
    internal Figure AsFigure() => new Figure().AddPanel(this).WithSize(WidthPx, HeightPx);

    /// <summary>The layout <see cref="ToSvg"/> draws with.</summary>
    internal PanelLayout Layout() => AsFigure().PanelLayouts()[0];

    private Chart Add(ChartSeries added)
    {
        if (HasBars && added is not BarSeries)
        {
            throw new ArgumentException($"Series '{added.Name}': a chart with bars cannot also hold lines, scatter or histograms.");
        }
        series.Add(added);
        return this;
    }

    private Chart AddReference(bool isVertical, double value, string? label, string? color)
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"Reference line '{label}' needs a finite position; got {value}.");
        referenceLines.Add(new ReferenceLine(isVertical, value, label, CheckedColor(color) ?? Palette.Grey));
        return this;
    }

    private string NextColor(string name, string? color)
    {
        ArgumentNullException.ThrowIfNull(name);
        return CheckedColor(color) ?? Palette.ColorAt(series.Count);
    }

    private static string? CheckedColor(string? color)
    {
        if (color is not null && !Palette.IsHexColor(color)) throw new ArgumentException($"Colour must be #RRGGBB; got '{color}'.");
        return color;
    }

    private static AxisOptions ValidatedAxis(AxisOptions axis)
    {
        axis.Validate();
        return axis;
    }

    private static void RequireSameLength(string name, ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"Series '{name}': x [{x.Length}] and y [{y.Length}] must have the same length.");
    }

    private static void RequireInRange(string name, string what, double value, double min, double max)
    {
        if (!(value >= min && value <= max)) throw new ArgumentException($"Series '{name}': {what} must be in [{min}, {max}]; got {value}.");
    }
}
