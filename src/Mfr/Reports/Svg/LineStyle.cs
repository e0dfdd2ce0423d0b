namespace Mfr.Reports.Svg;

/// <summary>Stroke pattern of a line series.</summary>
public enum LineStyle
{
    /// <summary>Continuous line.</summary>
    Solid,

    /// <summary>Long dashes.</summary>
    Dashed,

    /// <summary>Round dots.</summary>
    Dotted,

    /// <summary>Dash, dot, dash.</summary>
    DashDot,
}
