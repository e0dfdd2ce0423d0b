namespace Mfr.Reports.Svg;

/// <summary>A dashed line across the plot at x = Value (vertical) or y = Value (horizontal), with an optional label.</summary>
internal sealed record ReferenceLine(bool IsVertical, double Value, string? Label, string Color);
