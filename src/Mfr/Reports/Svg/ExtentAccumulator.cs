namespace Mfr.Reports.Svg;

/// <summary>Running min/max of the values an axis of the given kind can draw (finite; positive on a log axis).</summary>
internal sealed class ExtentAccumulator(ScaleKind kind)
{
    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    public bool HasValue => Min <= Max;

    public bool Accepts(double value) => double.IsFinite(value) && (kind == ScaleKind.Linear || value > 0);

    public void Include(double value)
    {
        if (!Accepts(value)) return;
        Min = Math.Min(Min, value);
        Max = Math.Max(Max, value);
    }
}
