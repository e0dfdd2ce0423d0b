namespace Mfr.Reports.Svg;

/// <summary>Symbol drawn at each point of a line series (told apart without colour).</summary>
public enum MarkerShape
{
    /// <summary>No symbols, only the line.</summary>
    None,

    /// <summary>Filled circle.</summary>
    Circle,

    /// <summary>Filled square.</summary>
    Square,

    /// <summary>Filled upward triangle.</summary>
    Triangle,

    /// <summary>Filled diamond.</summary>
    Diamond,
}
