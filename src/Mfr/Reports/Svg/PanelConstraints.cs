namespace Mfr.Reports.Svg;

/// <summary>
/// What a <see cref="Figure"/> imposes on one panel so that panels line up: shared x and y domains, at least
/// this much room left of the plot, above it and below it, whether the y title is drawn, and (shared x
/// axes) the label of a zero-bin column every panel gets, with or without a zero bin of its own, so the
/// scales line up.
/// </summary>
internal sealed record PanelConstraints(
    Extent? FixedYDomain = null,
    Extent? FixedXDomain = null,
    double MinLeftMargin = 0,
    double MinHeaderHeight = 0,
    double MinFooterHeight = 0,
    bool ShowYTitle = true,
    LegendPosition? LegendOverride = null,
    string? ZeroBinLabel = null);
