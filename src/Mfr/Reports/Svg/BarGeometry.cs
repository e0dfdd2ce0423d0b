namespace Mfr.Reports.Svg;

/// <summary>A drawable bar: its series, category index, value and box.</summary>
internal readonly record struct BarGeometry(BarSeries Series, int Category, double Value, Rect Box);
