namespace Mfr.Reports.Svg;

/// <summary>How a log axis writes its tick labels.</summary>
public enum LogTickNotation
{
    /// <summary>Plain decimals (0.001 ... 5000) when every label fits them, otherwise powers of ten (<see cref="TickLabelFormatter.FormatLog"/>).</summary>
    Auto,

    /// <summary>
    /// Powers of ten (10⁻³, 2×10⁻³) at every range, 1 and 10 excepted: for an axis whose range differs from
    /// report to report (a penalty that the warm-up starts decades lower in a longer run), so that the same
    /// axis reads the same in every report.
    /// </summary>
    PowersOfTen,
}
