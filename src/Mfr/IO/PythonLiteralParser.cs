using System.Globalization;
using System.Text;

namespace Mfr.IO;

/// <summary>
/// Parses the small subset of Python literals that .npy headers use (numpy writes the header with
/// <c>repr</c> and reads it with <c>ast.literal_eval</c>): a dict with string keys whose values are
/// strings ('...' or "..."), True/False/None, integers (an old Python 2 'L' suffix allowed), and
/// tuples or lists of those. Whitespace and trailing commas are allowed anywhere Python allows them.
/// Tuples and lists become <see cref="List{T}"/>, integers <see cref="long"/>. Errors are
/// <see cref="FormatException"/>s that say what was expected where.
/// </summary>
internal sealed class PythonLiteralParser(string text)
{
    private int position;

    /// <summary>Parses the whole text as one dict (trailing whitespace allowed).</summary>
    public Dictionary<string, object?> ParseDictionary()
    {
        SkipWhitespace();
        if (!TryConsume('{')) throw Error("expected '{'");
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        SkipWhitespace();
        while (!TryConsume('}'))
        {
            if (ParseValue() is not string key) throw Error("expected a string key");
            SkipWhitespace();
            if (!TryConsume(':')) throw Error("expected ':'");
            result[key] = ParseValue();
            SkipWhitespace();
            if (TryConsume(',')) SkipWhitespace();
            else if (Peek() != '}') throw Error("expected ',' or '}'");
        }
        SkipWhitespace();
        if (position != text.Length) throw Error("unexpected text after the dict");
        return result;
    }

    private object? ParseValue()
    {
        SkipWhitespace();
        char c = Peek();
        if (c is '\'' or '"') return ParseString();
        if (c is '(' or '[') return ParseSequence(c == '(' ? ')' : ']');
        if (c == '-' || char.IsAsciiDigit(c)) return ParseInteger();
        if (TryConsumeWord("True")) return true;
        if (TryConsumeWord("False")) return false;
        if (TryConsumeWord("None")) return null;
        throw Error("expected a value");
    }

    private List<object?> ParseSequence(char close)
    {
        position++;
        var items = new List<object?>();
        SkipWhitespace();
        while (!TryConsume(close))
        {
            items.Add(ParseValue());
            SkipWhitespace();
            if (TryConsume(',')) SkipWhitespace();
            else if (Peek() != close) throw Error($"expected ',' or '{close}'");
        }
        return items;
    }

    private string ParseString()
    {
        char quote = text[position++];
        var builder = new StringBuilder();
        while (true)
        {
            if (position >= text.Length) throw Error("unterminated string");
            char c = text[position++];
            if (c == quote) return builder.ToString();
            if (c == '\\')
            {
                if (position >= text.Length) throw Error("unterminated string");
                builder.Append(text[position++]);
            }
            else
            {
                builder.Append(c);
            }
        }
    }

    private long ParseInteger()
    {
        int start = position;
        if (Peek() == '-') position++;
        while (position < text.Length && char.IsAsciiDigit(text[position])) position++;
        if (!long.TryParse(text.AsSpan(start, position - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            throw Error("expected an integer");
        if (position < text.Length && text[position] is 'L' or 'l') position++;
        return value;
    }

    private bool TryConsumeWord(string word)
    {
        if (string.CompareOrdinal(text, position, word, 0, word.Length) != 0) return false;
        int end = position + word.Length;
        if (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_')) return false;
        position = end;
        return true;
    }

    private bool TryConsume(char c)
    {
        if (Peek() != c) return false;
        position++;
        return true;
    }

    private char Peek() => position < text.Length ? text[position] : '\0';

    private void SkipWhitespace()
    {
        while (position < text.Length && char.IsWhiteSpace(text[position])) position++;
    }

    private FormatException Error(string what) => new($"{what} at character {position}");
}
