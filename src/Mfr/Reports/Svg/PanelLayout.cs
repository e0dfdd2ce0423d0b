namespace Mfr.Reports.Svg;

/// <summary>
/// Where everything of one panel goes: its region of the figure, the plot area, the scales (numeric x or
/// categorical x, and y), the ticks drawn on each axis, the legend box and, for histograms with a zero
/// bin, the zero column left of the x axis break (<see cref="ZeroBin"/>, full plot height) and its tick label.
/// </summary>
internal sealed record PanelLayout(
    Rect Region,
    Rect Plot,
    IScale? X,
    BandScale? XBand,
    IScale Y,
    IReadOnlyList<AxisTick> XTicks,
    IReadOnlyList<AxisTick> YTicks,
    LegendLayout? Legend,
    bool HasData,
    bool ShowYTitle,
    Rect? ZeroBin = null,
    string? ZeroBinLabel = null)
{
    /// <summary>Distance from the region's left edge to the plot area.</summary>
    public double LeftMargin => Plot.Left - Region.Left;

    /// <summary>Pixel x of a numeric x value or, on a categorical axis, of the centre of category number <paramref name="value"/>.</summary>
    public double MapX(double value) => XBand is { } band ? band.Center((int)value) : X!.Map(value);
}
