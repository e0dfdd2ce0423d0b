using System.Globalization;
using System.Text;

namespace Mfr.Reports.Svg;

/// <summary>
/// Tick and value labels. One notation per axis: fixed decimals taken from the tick step (so 0.990 and
/// 1.000 line up), SI suffixes (k, M, G, T) from 10^4, powers of ten (2×10⁻⁵) for very small or
/// huge values. Negative numbers use the typographic minus U+2212, as printed figures do.
/// </summary>
public static class TickLabelFormatter
{
    private const char Minus = '\u2212';
    private static readonly string[] SiSuffixes = ["", "k", "M", "G", "T"];

    /// <summary>Labels for linear ticks spaced by <paramref name="step"/>, with the same number of decimals on every label.</summary>
    /// <param name="ticks">Tick values, <c>[tickCount]</c>.</param>
    /// <param name="step">Spacing between ticks (0 when there is a single tick).</param>
    public static string[] FormatLinear(ReadOnlySpan<double> ticks, double step)
    {
        var labels = new string[ticks.Length];
        double maxAbs = 0;
        foreach (double tick in ticks) maxAbs = Math.Max(maxAbs, Math.Abs(tick));
        if (step <= 0 || !double.IsFinite(step)) step = maxAbs > 0 ? maxAbs : 1;
        if (maxAbs >= 1e4 && maxAbs < 1e15)
        {
            int group = Math.Min(4, TickGenerator.FloorLog10(maxAbs) / 3);
            double unit = TickGenerator.PowerOfTen(3 * group);
            int decimals = DecimalsFor(step / unit);
            for (int i = 0; i < ticks.Length; i++) labels[i] = ticks[i] == 0 ? "0" : Fixed(ticks[i] / unit, decimals) + SiSuffixes[group];
        }
        else if (maxAbs > 0 && (maxAbs < 1e-3 || maxAbs >= 1e15))
        {
            for (int i = 0; i < ticks.Length; i++) labels[i] = Scientific(ticks[i], 10);
        }
        else
        {
            int decimals = DecimalsFor(step);
            for (int i = 0; i < ticks.Length; i++) labels[i] = Fixed(ticks[i], decimals);
        }
        return labels;
    }

    /// <summary>
    /// Labels for log ticks m x 10^e: plain decimals (0.001 ... 5000) when every labelled value lies in
    /// [10^-3, 10^4), otherwise powers of ten (10⁻⁵, 2×10⁻⁵) for all of them except m x 10^0 and m x 10^1
    /// (1, 20), whose superscript zero and one would read as a degree sign or a footnote.
    /// </summary>
    /// <param name="mantissas">m of each tick (1..9), <c>[tickCount]</c>.</param>
    /// <param name="exponents">e of each tick, <c>[tickCount]</c>.</param>
    /// <param name="notation"><see cref="LogTickNotation.PowersOfTen"/> to use powers of ten whatever the range.</param>
    public static string[] FormatLog(ReadOnlySpan<int> mantissas, ReadOnlySpan<int> exponents, LogTickNotation notation = LogTickNotation.Auto)
    {
        if (mantissas.Length != exponents.Length)
        {
            throw new ArgumentException($"Mantissas [{mantissas.Length}] and exponents [{exponents.Length}] must have the same length.");
        }
        bool plain = notation == LogTickNotation.Auto;
        foreach (int exponent in exponents) plain &= exponent >= -3 && exponent <= 3;
        var labels = new string[mantissas.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            int m = mantissas[i], e = exponents[i];
            // 10^0 and 10^1 are written plainly even in power notation: a superscript zero reads as a degree sign.
            if (plain || e is 0 or 1)
            {
                double value = e >= 0 ? m * TickGenerator.PowerOfTen(e) : m / TickGenerator.PowerOfTen(-e);
                labels[i] = Fixed(value, Math.Max(0, -e));
            }
            else
            {
                labels[i] = (m == 1 ? "" : m.ToString(CultureInfo.InvariantCulture) + "\u00D7") + "10" + Superscript(e);
            }
        }
        return labels;
    }

    /// <summary>
    /// A single value with <paramref name="significantDigits"/> significant digits (bar labels, annotations):
    /// plain decimals between 10^-4 and 10^6, powers of ten outside; NaN and infinities as text.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <param name="significantDigits">Significant digits, 1..15.</param>
    public static string FormatValue(double value, int significantDigits = 3)
    {
        if (significantDigits is < 1 or > 15) throw new ArgumentException($"Significant digits must be 1..15; got {significantDigits}.");
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "\u221E" : Minus + "\u221E";
        if (value == 0) return "0";
        double magnitude = Math.Abs(value);
        if (magnitude < 1e-4 || magnitude >= 1e6) return Scientific(value, significantDigits);
        double rounded = double.Parse(value.ToString("G" + significantDigits, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        int exponent = TickGenerator.FloorLog10(Math.Abs(rounded));
        return Fixed(rounded, Math.Max(0, significantDigits - 1 - exponent));
    }

    /// <summary>
    /// Labels for a set of values shown together (bar values, a table column): the same number of decimals
    /// for all, enough for <paramref name="significantDigits"/> significant digits of the largest magnitude;
    /// powers of ten when that magnitude is below 10^-4 or at least 10^6.
    /// </summary>
    /// <param name="values">The values, <c>[count]</c>; non-finite ones are written as NaN, ∞ or −∞.</param>
    /// <param name="significantDigits">Significant digits of the largest value, 1..15.</param>
    public static string[] FormatValues(ReadOnlySpan<double> values, int significantDigits = 3)
    {
        if (significantDigits is < 1 or > 15) throw new ArgumentException($"Significant digits must be 1..15; got {significantDigits}.");
        double maxAbs = 0;
        foreach (double value in values)
        {
            if (double.IsFinite(value)) maxAbs = Math.Max(maxAbs, Math.Abs(value));
        }
        var labels = new string[values.Length];
        bool scientific = maxAbs == 0 || maxAbs < 1e-4 || maxAbs >= 1e6;
        int decimals = scientific ? 0 : Math.Max(0, significantDigits - 1 - TickGenerator.FloorLog10(maxAbs));
        for (int i = 0; i < values.Length; i++)
        {
            labels[i] = scientific || !double.IsFinite(values[i]) ? FormatValue(values[i], significantDigits) : Fixed(values[i], decimals);
        }
        return labels;
    }

    /// <summary>The number of decimals needed to write <paramref name="step"/> exactly (at most 15).</summary>
    /// <param name="step">A positive tick step such as 0.25 or 2000.</param>
    public static int DecimalsFor(double step)
    {
        step = Math.Abs(step);
        if (step == 0 || !double.IsFinite(step)) return 0;
        for (int decimals = 0; decimals < 15; decimals++)
        {
            double scaled = step * TickGenerator.PowerOfTen(decimals);
            double whole = Math.Round(scaled);
            if (whole >= 1 && Math.Abs(scaled - whole) <= 1e-9 * scaled) return decimals;
        }
        return 15;
    }

    /// <summary><paramref name="value"/> with exactly <paramref name="decimals"/> decimals, invariant culture, U+2212 minus, never "-0".</summary>
    internal static string Fixed(double value, int decimals)
    {
        string text = value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        if (text[0] != '-') return text;
        foreach (char c in text.AsSpan(1))
        {
            if (c is not ('0' or '.')) return Minus + text[1..];
        }
        return text[1..];
    }

    /// <summary><c>m×10ᵉ</c> with the mantissa trimmed of trailing zeros; <c>10ᵉ</c> when m is 1.</summary>
    private static string Scientific(double value, int significantDigits)
    {
        if (value == 0) return "0";
        string roundTrip = value.ToString("E" + (significantDigits - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        int e = roundTrip.IndexOf('E');
        string mantissa = roundTrip[..e];
        if (mantissa.Contains('.')) mantissa = mantissa.TrimEnd('0').TrimEnd('.');
        int exponent = int.Parse(roundTrip[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string sign = mantissa.StartsWith('-') ? Minus.ToString() : "";
        mantissa = mantissa.TrimStart('-');
        return sign + (mantissa == "1" ? "" : mantissa + "\u00D7") + "10" + Superscript(exponent);
    }

    private static string Superscript(int exponent)
    {
        var builder = new StringBuilder();
        foreach (char c in exponent.ToString(CultureInfo.InvariantCulture))
        {
            builder.Append(c switch
            {
                '-' => '\u207B',
                '1' => '\u00B9',
                '2' => '\u00B2',
                '3' => '\u00B3',
                _ => (char)('\u2070' + (c - '0')),
            });
        }
        return builder.ToString();
    }
}
