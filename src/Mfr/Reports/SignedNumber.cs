using System.Globalization;

namespace Mfr.Reports;

/// <summary>
/// Numbers with an explicit sign for differences in tables ("+0.021", "-21.21%"). A value that rounds to
/// zero prints with "+": the custom format "+0.00;-0.00" printed "-+0.00" for tiny negatives.
/// </summary>
internal static class SignedNumber
{
    /// <summary><paramref name="value"/> rounded to <paramref name="decimals"/> places, with its sign.</summary>
    public static string Format(double value, int decimals)
    {
        if (double.IsNaN(value)) return "NaN";
        double rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        if (rounded == 0) rounded = 0; // drops the sign of -0
        return (rounded >= 0 ? "+" : "") + rounded.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>A fraction as a signed percentage with two decimals.</summary>
    public static string Percent(double fraction) => Format(fraction * 100, 2) + "%";
}
