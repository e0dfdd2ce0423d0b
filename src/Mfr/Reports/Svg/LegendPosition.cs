namespace Mfr.Reports.Svg;

/// <summary>Where a chart's legend goes.</summary>
public enum LegendPosition
{
    /// <summary>The first plot corner (top-right, top-left, bottom-right, bottom-left) free of data; outside on the right if none is.</summary>
    Auto,

    /// <summary>Inside the plot, top-right corner.</summary>
    TopRight,

    /// <summary>Inside the plot, top-left corner.</summary>
    TopLeft,

    /// <summary>Inside the plot, bottom-right corner.</summary>
    BottomRight,

    /// <summary>Inside the plot, bottom-left corner.</summary>
    BottomLeft,

    /// <summary>Outside the plot, to its right (the plot gets narrower).</summary>
    Right,

    /// <summary>No legend.</summary>
    None,
}
