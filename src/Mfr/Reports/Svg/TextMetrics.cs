namespace Mfr.Reports.Svg;

/// <summary>
/// Estimated text widths for layout (no font is available at render time). Advance widths in em are
/// rounded up from DejaVu Sans, the widest common sans-serif, so labels fit in narrower fonts too.
/// </summary>
internal static class TextMetrics
{
    public static double Width(string text, double fontSize)
    {
        double em = 0;
        foreach (char c in text) em += CharacterWidth(c);
        return em * fontSize;
    }

    private static double CharacterWidth(char c) => c switch
    {
        >= '0' and <= '9' => 0.64,
        '.' or ',' or ':' or ';' or '\'' or '|' or '!' or 'i' or 'j' or 'l' or ' ' => 0.32,
        '-' or '(' or ')' or '[' or ']' or 'f' or 'r' or 't' or 'I' => 0.4,
        'm' or 'w' or 'M' or 'W' => 0.95,
        >= 'A' and <= 'Z' => 0.74,
        >= 'a' and <= 'z' => 0.62,
        '\u00B9' or '\u00B2' or '\u00B3' or (>= '\u2070' and <= '\u207B') => 0.5,
        '\u00D7' or '\u2212' or '=' or '+' => 0.84,
        _ => 0.75,
    };
}
