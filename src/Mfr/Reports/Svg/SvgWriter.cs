using System.Globalization;
using System.Text;

namespace Mfr.Reports.Svg;

/// <summary>
/// Appends SVG elements to a string, one per line. Attribute values and text are XML-escaped; numbers are
/// written with the invariant culture and at most 2 decimals (0.01 px is far below what a screen or
/// printer resolves, and keeps files small and output deterministic).
/// </summary>
internal sealed class SvgWriter
{
    private readonly StringBuilder builder = new();

    public void Open(string name, params ReadOnlySpan<(string Name, string? Value)> attributes)
    {
        StartTag(name, attributes);
        builder.Append(">\n");
    }

    public void Close(string name) => builder.Append("</").Append(name).Append(">\n");

    public void Element(string name, params ReadOnlySpan<(string Name, string? Value)> attributes)
    {
        StartTag(name, attributes);
        builder.Append("/>\n");
    }

    public void Text(string content, params ReadOnlySpan<(string Name, string? Value)> attributes)
    {
        StartTag("text", attributes);
        builder.Append('>');
        Markup.AppendEscaped(builder, content);
        builder.Append("</text>\n");
    }

    public void TextElement(string name, string content)
    {
        builder.Append('<').Append(name).Append('>');
        Markup.AppendEscaped(builder, content);
        builder.Append("</").Append(name).Append(">\n");
    }

    public override string ToString() => builder.ToString();

    /// <summary>A pixel coordinate with at most 2 decimals.</summary>
    public static string Number(double value) => Rounded(value, 2);

    /// <summary>A pixel coordinate with at most 1 decimal (dense scatter plots, where size matters).</summary>
    public static string CoarseNumber(double value) => Rounded(value, 1);

    private static string Rounded(double value, int decimals)
    {
        if (!double.IsFinite(value)) throw new InvalidOperationException($"Non-finite coordinate {value} reached the SVG writer.");
        double rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        return rounded == 0 ? "0" : rounded.ToString(decimals == 1 ? "0.#" : "0.##", CultureInfo.InvariantCulture);
    }

    private void StartTag(string name, ReadOnlySpan<(string Name, string? Value)> attributes)
    {
        builder.Append('<').Append(name);
        foreach (var (attributeName, value) in attributes)
        {
            if (value is null) continue;
            builder.Append(' ').Append(attributeName).Append("=\"");
            Markup.AppendEscaped(builder, value);
            builder.Append('"');
        }
    }
}
