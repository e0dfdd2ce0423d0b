namespace Mfr.Reports.Svg;

/// <summary>One tick of an axis.</summary>
/// <param name="Value">Data value at which the tick sits.</param>
/// <param name="Label">Text drawn beside the tick; empty for an unlabelled (minor) tick.</param>
/// <param name="IsMajor">Major ticks get a gridline and a longer tick mark; minor ticks (log 2..9 x 10^n) only a short mark.</param>
public readonly record struct AxisTick(double Value, string Label, bool IsMajor)
{
    /// <summary>Whether the tick carries a label.</summary>
    public bool IsLabelled => Label.Length > 0;
}
