using System.Text;

namespace Mfr.Reports;

/// <summary>
/// XML escaping shared by the SVG and HTML writers. Escapes the five XML special characters and drops
/// code points XML 1.0 forbids (C0 controls except tab/newline/return, U+FFFE/U+FFFF, lone surrogates,
/// which become U+FFFD) so any label a user passes still yields a well-formed document.
/// </summary>
internal static class Markup
{
    /// <summary>The escaped form of <paramref name="text"/>, safe in element content and attribute values.</summary>
    public static string Escape(string text)
    {
        if (!NeedsEscaping(text)) return text;
        var builder = new StringBuilder(text.Length + 16);
        AppendEscaped(builder, text);
        return builder.ToString();
    }

    /// <summary>Appends the escaped form of <paramref name="text"/> to <paramref name="builder"/>.</summary>
    public static void AppendEscaped(StringBuilder builder, string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '"': builder.Append("&quot;"); break;
                case '\'': builder.Append("&#39;"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        builder.Append(c).Append(text[++i]);
                    }
                    else if (char.IsSurrogate(c) || c == '\uFFFE' || c == '\uFFFF')
                    {
                        builder.Append('\uFFFD');
                    }
                    else if (c >= ' ' || c == '\t' || c == '\n' || c == '\r')
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
    }

    private static bool NeedsEscaping(string text)
    {
        foreach (char c in text)
        {
            if (c < ' ' || c is '&' or '<' or '>' or '"' or '\'' || char.IsSurrogate(c) || c >= '\uFFFE') return true;
        }
        return false;
    }
}
