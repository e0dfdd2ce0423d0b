namespace Mfr.Reports.Svg;

/// <summary>A data series of a <see cref="Chart"/>. Arrays are private copies taken when the series is added.</summary>
/// <param name="Name">Legend text; empty for no legend entry.</param>
/// <param name="Color">Hex colour <c>#RRGGBB</c>.</param>
internal abstract record ChartSeries(string Name, string Color);
