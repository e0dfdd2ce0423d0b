using System.Text.RegularExpressions;

namespace Mfr.Reports;

/// <summary>Recognises table cells that hold a number, so numeric columns can be right-aligned.</summary>
internal static partial class NumericText
{
    /// <summary>
    /// A signed decimal with optional thousands separators, exponent (1e-5, 1.3×10⁻⁵), percent sign, or a
    /// "± uncertainty" part; ASCII '-' or the typographic minus U+2212.
    /// </summary>
    public static bool IsNumber(string text) => NumberPattern().IsMatch(text.Trim());

    /// <summary>Cells that say "no value" (empty, dashes, n/a, NaN) and do not decide a column's alignment.</summary>
    public static bool IsPlaceholder(string text) => text.Trim() is "" or "-" or "\u2013" or "\u2014" or "n/a" or "N/A" or "NaN";

    [GeneratedRegex(@"^(?=.*\d)[+\-\u2212]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+\-\u2212]?\d+|\u00D710[\u207B\u2070\u00B9\u00B2\u00B3\u2074-\u2079]+)?\s*%?(\s*\u00B1\s*[\d.]+([eE][+\-\u2212]?\d+)?%?)?$")]
    private static partial Regex NumberPattern();
}
