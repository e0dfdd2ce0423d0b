namespace Mfr.Reports.Svg;

/// <summary>
/// What a <see cref="Figure"/> imposes on one panel so that panels line up: shared x and y domains, at least
/// this much room left of the plot, above it and below it, whether the y title is drawn, and whether the
/// x axis keeps a zero-bin column even when this panel's histograms have none (so shared x axes line up).
/// </summary>
internal sealed record PanelConstraints(
    Extent? FixedYDomain = null,
    Extent? FixedXDomain = null,
    double MinLeftMargin = 0,
    double MinHeaderHeight = 0,
    double MinFooterHeight = 0,
    bool ShowYTitle = true,
    LegendPosition? LegendOverride = null,
    bool ZeroBin = false);
