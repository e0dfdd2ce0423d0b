namespace Mfr.Reports.Svg;

/// <summary>A closed interval [Min, Max] of data values.</summary>
internal readonly record struct Extent(double Min, double Max);
