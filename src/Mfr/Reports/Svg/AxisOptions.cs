namespace Mfr.Reports.Svg;

/// <summary>One axis of a chart.</summary>
public sealed record AxisOptions
{
    /// <summary>Axis title, e.g. "Training step"; null for none.</summary>
    public string? Label { get; init; }

    /// <summary>Unit shown in parentheses after the label, e.g. "samples"; null for none.</summary>
    public string? Unit { get; init; }

    /// <summary>Linear (default) or logarithmic.</summary>
    public ScaleKind Scale { get; init; } = ScaleKind.Linear;

    /// <summary>Tick label notation of a log axis (ignored on a linear one).</summary>
    public LogTickNotation LogLabels { get; init; } = LogTickNotation.Auto;

    /// <summary>Fixed lower end of the axis; null (default) to fit the data and round to a tick.</summary>
    public double? Min { get; init; }

    /// <summary>Fixed upper end of the axis; null (default) to fit the data and round to a tick.</summary>
    public double? Max { get; init; }

    /// <summary>"Label (unit)", or whichever part is present, or null.</summary>
    public string? Title => (Label, Unit) switch
    {
        (null or "", null or "") => null,
        (null or "", _) => Unit,
        (_, null or "") => Label,
        _ => $"{Label} ({Unit})",
    };

    /// <summary>Throws <see cref="ArgumentException"/> when a fixed end is not finite, not positive on a log axis, or Min &gt;= Max.</summary>
    public void Validate()
    {
        foreach (double? end in (ReadOnlySpan<double?>)[Min, Max])
        {
            if (end is { } value && !double.IsFinite(value)) throw new ArgumentException($"Axis '{Title}': fixed ends must be finite; got {value}.");
            if (end is { } positive && Scale == ScaleKind.Log && positive <= 0) throw new ArgumentException($"Axis '{Title}': a log axis needs positive ends; got {positive}.");
        }
        if (Min is { } min && Max is { } max && min >= max) throw new ArgumentException($"Axis '{Title}': Min {min} must be below Max {max}.");
    }
}
