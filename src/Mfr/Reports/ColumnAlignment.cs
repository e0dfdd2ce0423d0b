namespace Mfr.Reports;

/// <summary>Horizontal alignment of a table column.</summary>
public enum ColumnAlignment
{
    /// <summary>Right if every non-empty cell is a number (e.g. "0.00132", "-21.2%", "1,024"), else left.</summary>
    Auto,

    /// <summary>Left-aligned.</summary>
    Left,

    /// <summary>Right-aligned (numbers line up on their last digit).</summary>
    Right,

    /// <summary>Centred.</summary>
    Center,
}
