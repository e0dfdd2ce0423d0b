using System.Buffers;
using System.Globalization;
using System.Text;

namespace Mfr.Gpt2;

/// <summary>
/// GPT-2's pre-tokenization: splits text into the pieces the pattern
/// <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>
/// finds (OpenAI gpt-2 <c>src/encoder.py</c>; tiktoken's <c>gpt2</c> encoding), each of which is then
/// byte-pair encoded on its own.
/// </summary>
/// <remarks>
/// Hand-written instead of a .NET <see cref="System.Text.RegularExpressions.Regex"/> because .NET
/// regexes see UTF-16 code units: a letter or digit outside the Basic Multilingual Plane (e.g.
/// <c>𝐀</c>, CJK extension B) is a surrogate pair of category Cs there, so <c>\p{L}</c> would not
/// match it, while Python's <c>regex</c> and tiktoken match code points. Here every test is on a
/// code point (<see cref="Rune"/>); a lone surrogate counts as U+FFFD (a symbol), the character
/// UTF-8 encoding turns it into. <c>\s</c> is Unicode White_Space (as in tiktoken and .NET), and the
/// alternatives are tried in pattern order with the backtracking a regex engine would do.
/// </remarks>
internal static class Gpt2PreTokenizer
{
    private enum CharClass { Letter, Number, Whitespace, Other }

    /// <summary>Length in chars of the piece that starts at <paramref name="start"/> (at least 1).</summary>
    /// <param name="text">The whole text (lookahead may read past the piece).</param>
    /// <param name="start">Index of the piece's first char; must be inside <paramref name="text"/>.</param>
    public static int NextPieceLength(ReadOnlySpan<char> text, int start)
    {
        int contraction = ContractionLength(text, start);
        if (contraction > 0) return contraction;

        // ' ?\p{L}+', ' ?\p{N}+', ' ?[^\s\p{L}\p{N}]+': an optional single space then a run of one
        // class. If the space is not followed by such a run the regex backtracks to "no space", and
        // then the run must start at the space itself, which never is L, N or "other".
        int runStart = start;
        if (text[start] == ' ' && start + 1 < text.Length) runStart = start + 1;
        var runClass = ClassAt(text, runStart, out int width);
        if (runClass != CharClass.Whitespace)
        {
            int end = runStart + width;
            while (end < text.Length && ClassAt(text, end, out int nextWidth) == runClass) end += nextWidth;
            return end - start;
        }

        // '\s+(?!\S)': the longest whitespace run, backed off by one character when a non-space
        // follows (that last whitespace then leads the next piece, e.g. " word"); if backing off
        // leaves nothing, '\s+' takes the single whitespace character.
        int whitespaceEnd = start;
        int lastWidth = 0;
        while (whitespaceEnd < text.Length && ClassAt(text, whitespaceEnd, out int nextWidth) == CharClass.Whitespace)
        {
            whitespaceEnd += nextWidth;
            lastWidth = nextWidth;
        }
        if (whitespaceEnd == text.Length) return whitespaceEnd - start;
        int backedOff = whitespaceEnd - lastWidth;
        return backedOff > start ? backedOff - start : whitespaceEnd - start;
    }

    // "'s|'t|'re|'ve|'m|'ll|'d" (lower case only, as in the pattern).
    private static int ContractionLength(ReadOnlySpan<char> text, int start)
    {
        if (text[start] != '\'' || start + 1 >= text.Length) return 0;
        char first = text[start + 1];
        if (first is 's' or 't' or 'm' or 'd') return 2;
        if (start + 2 >= text.Length) return 0;
        char second = text[start + 2];
        return (first, second) switch
        {
            ('r', 'e') or ('v', 'e') or ('l', 'l') => 3,
            _ => 0,
        };
    }

    private static CharClass ClassAt(ReadOnlySpan<char> text, int index, out int width)
    {
        if (Rune.DecodeFromUtf16(text[index..], out Rune rune, out width) != OperationStatus.Done)
        {
            // A lone surrogate: UTF-8 encoding makes it U+FFFD, an "other" symbol.
            width = 1;
            return CharClass.Other;
        }
        if (Rune.IsWhiteSpace(rune)) return CharClass.Whitespace;
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharClass.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharClass.Number,
            _ => CharClass.Other,
        };
    }
}
