using System.Text;
using System.Text.RegularExpressions;
using Mfr.Gpt2;
using Mfr.Numerics;

namespace Mfr.Tests.Gpt2;

public sealed class Gpt2PreTokenizerTests
{
    // The pattern of OpenAI's encoder.py. On text without surrogate pairs .NET's engine gives the
    // same matches as Python's regex module (same alternation order, backtracking and lookahead; \s,
    // \p{L}, \p{N} agree on BMP characters), so it is an independent oracle for the hand-written splitter.
    private static readonly Regex Pattern =
        new(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+", RegexOptions.CultureInvariant);

    [Theory]
    [InlineData("Hello, world!")]
    [InlineData("   leading and trailing   ")]
    [InlineData("a\n\n\nb\r\n\tc \t d")]
    [InlineData("it's they're we've I'm you'll he'd 'S '' ' s")]
    [InlineData("naïve café 3.14 1,000 ½ Ⅻ — «quotes» 你好 世界")]
    [InlineData("\u00A0\u2028\u3000x \u0085y")]
    public void BmpText_SplitsLikeDotNetRegex(string text)
    {
        Assert.Equal(RegexPieces(text), Pieces(text));
    }

    [Fact]
    public void RandomBmpText_SplitsLikeDotNetRegex()
    {
        // Given strings drawn from characters of every class the pattern distinguishes
        const string alphabet = "ab Zé5½Ⅻ'srtvemld,.!-—\n\r\t\u00A0\u3000\u2028中あ";
        var rng = new Rng(20241101);
        for (int trial = 0; trial < 3000; trial++)
        {
            var builder = new StringBuilder();
            int length = rng.NextInt(16);
            for (int i = 0; i < length; i++) builder.Append(alphabet[rng.NextInt(alphabet.Length)]);
            string text = builder.ToString();

            // When / Then
            Assert.True(RegexPieces(text).SequenceEqual(Pieces(text)), $"Splits differ for {Escape(text)}: regex [{string.Join("|", RegexPieces(text).Select(Escape))}], ours [{string.Join("|", Pieces(text).Select(Escape))}]");
        }
    }

    [Fact]
    public void AstralLettersAndDigits_AreMatchedAsCodePoints()
    {
        // Given mathematical bold letters (category Lu, U+1D400...) and digits (Nd, U+1D7CF...) outside the
        // BMP: as code points they are \p{L} and \p{N}, so they join the neighbouring letters/digits.
        string text = "a𝐀b 𝟏𝟐 🙂🙂";

        // When
        var pieces = Pieces(text);

        // Then
        Assert.Equal(new[] { "a𝐀b", " 𝟏𝟐", " 🙂🙂" }, pieces);
    }

    [Fact]
    public void LoneSurrogate_IsOneOtherCharacter()
    {
        Assert.Equal(new[] { "a", "\uD800!", " b" }, Pieces("a\uD800! b"));
    }

    private static List<string> Pieces(string text)
    {
        var pieces = new List<string>();
        for (int start = 0; start < text.Length;)
        {
            int length = Gpt2PreTokenizer.NextPieceLength(text, start);
            pieces.Add(text.Substring(start, length));
            start += length;
        }
        return pieces;
    }

    private static List<string> RegexPieces(string text) => Pattern.Matches(text).Select(match => match.Value).ToList();

    private static string Escape(string text) => string.Concat(text.Select(c => c < 0x20 || c > 0x7E ? $"\\u{(int)c:X4}" : c.ToString()));
}
