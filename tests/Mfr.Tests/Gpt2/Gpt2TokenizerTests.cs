using System.Text.Json;
using Mfr.Gpt2;

namespace Mfr.Tests.Gpt2;

public sealed class Gpt2TokenizerTests
{
    private const string EncoderJson = Gpt2TestFiles.EncoderJson;
    private const string VocabBpe = Gpt2TestFiles.VocabBpe;

    // encoder.json read independently of the code under test, to look up hand-derived token strings.
    private static readonly Lazy<Dictionary<string, int>> IndependentEncoder = new(() =>
        JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(Gpt2TestFiles.SharedDataPath(EncoderJson)))!);

    public sealed class Encode
    {
        [SharedDataFact(EncoderJson, VocabBpe)]
        public void HelloWorld_GivesTheReadmeCheckValue()
        {
            // Given the check value in shared/data/gpt2/README.md (made with tiktoken)
            int[] expected = [15496, 11, 995, 0];

            // When
            int[] ids = Gpt2TestFiles.Tokenizer.Encode("Hello, world!");

            // Then
            Assert.Equal(expected, ids);
        }

        // Each case: the text, and its pieces split by hand following the pattern
        // 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+, written in
        // GPT-2's byte characters (space = Ġ, newline = Ċ, tab = ĉ, NBSP = Âł). Each piece is a whole
        // token of encoder.json, or a run of characters no two of which join into a token (so BPE
        // can merge nothing) and is listed character by character.
        [SharedDataTheory(EncoderJson, VocabBpe)]
        [InlineData("we'll", new[] { "we", "'ll" })]
        [InlineData("don't", new[] { "don", "'t" })]
        [InlineData("I'M", new[] { "I", "'", "M" })]
        [InlineData(" 's", new[] { "Ġ'", "s" })]
        [InlineData(" café", new[] { "ĠcafÃ©" })]
        [InlineData("x   \n", new[] { "x", "Ġ", "Ġ", "Ġ", "Ċ" })]
        [InlineData("\n\nHello", new[] { "Ċ", "Ċ", "Hello" })]
        [InlineData("\n\n", new[] { "ĊĊ" })]
        [InlineData("\t\tx", new[] { "ĉ", "ĉ", "x" })]
        [InlineData("a  b", new[] { "a", "Ġ", "Ġb" })]
        [InlineData("(1):", new[] { "(", "1", "):" })]
        [InlineData(" 3 14", new[] { "Ġ3", "Ġ14" })]
        [InlineData("Hello!!!", new[] { "Hello", "!!!" })]
        [InlineData("\u00A0x", new[] { "Âł", "x" })]
        [InlineData("the table \u2014", new[] { "the", "Ġtable", "ĠâĢĶ" })]
        public void TrickyText_GivesHandDerivedTokens(string text, string[] tokenStrings)
        {
            // Given ids looked up by hand-derived token string
            int[] expected = tokenStrings.Select(LookUp).ToArray();

            // When
            int[] ids = Gpt2TestFiles.Tokenizer.Encode(text);

            // Then
            Assert.Equal(expected, ids);
        }

        [SharedDataFact(EncoderJson, VocabBpe)]
        public void EndOfText_IsSpecialOnlyWhenAllowed()
        {
            // Given
            string text = "a<|endoftext|>b";
            var tokenizer = Gpt2TestFiles.Tokenizer;

            // When
            int[] allowed = tokenizer.Encode(text, allowEndOfText: true);
            int[] ordinary = tokenizer.Encode(text);

            // Then
            Assert.Equal(new[] { LookUp("a"), 50256, LookUp("b") }, allowed);
            Assert.DoesNotContain(50256, ordinary);
            Assert.Equal(text, tokenizer.Decode(ordinary));
        }

        [SharedDataFact(EncoderJson, VocabBpe)]
        public void EmptyText_GivesNoTokens()
        {
            Assert.Empty(Gpt2TestFiles.Tokenizer.Encode(""));
        }

        private static int LookUp(string tokenString) =>
            IndependentEncoder.Value.TryGetValue(tokenString, out int id)
                ? id
                : throw new InvalidOperationException($"Test case error: {tokenString} is not a GPT-2 token.");
    }

    public sealed class RoundTrip
    {
        [SharedDataTheory(EncoderJson, VocabBpe)]
        [InlineData("Hello, world! It's 2024; naïve café — résumé.")]
        [InlineData("   leading, trailing and   inner   spaces   ")]
        [InlineData("line one\r\nline two\n\n\n\tindented\u00A0nbsp\u2028sep\u3000ideographic space \n")]
        [InlineData("你好，世界！ 日本語のテキスト、한국어 텍스트")]
        [InlineData("emoji 👍🏽 family 👩‍👩‍👧 flags 🇫🇷🇩🇪 and 😀😀😀")]
        [InlineData("astral letters 𝐀𝐁𝐂 digits 𝟏𝟐𝟑 and CJK-B 𠀀𠀁")]
        [InlineData("combining e\u0301 and a\u0308, Ελληνικά, кириллица, العربية, עברית, हिन्दी")]
        [InlineData("numbers 3.14159 1,000,000 0x1F 1e-9 ½ ² Ⅻ")]
        [InlineData("'s't're've'm'll'd 'S 'T ''")]
        public void DecodeOfEncode_GivesTheTextBack(string text)
        {
            // Given
            var tokenizer = Gpt2TestFiles.Tokenizer;

            // When
            int[] ids = tokenizer.Encode(text);

            // Then
            Assert.Equal(text, tokenizer.Decode(ids));
        }

        [SharedDataFact(EncoderJson, VocabBpe)]
        public void CutMultiByteCharacter_DecodesToReplacementCharacter()
        {
            // Given "é" (U+00E9) is the UTF-8 bytes C3 A9; the single byte C3 is the token "Ã", and
            // decoding it alone leaves an incomplete sequence.
            var tokenizer = Gpt2TestFiles.Tokenizer;
            int[] ids = [IndependentEncoder.Value["Ã"]];

            // When
            string text = tokenizer.Decode(ids);

            // Then
            Assert.Equal("\uFFFD", text);
        }

        [SharedDataFact(EncoderJson, VocabBpe)]
        public void OutOfRangeId_ThrowsArgumentException()
        {
            var exception = Assert.Throws<ArgumentException>(() => Gpt2TestFiles.Tokenizer.Decode([1, 50257]));
            Assert.Contains("50257", exception.Message);
        }
    }

    public sealed class OpenWebText
    {
        // Every document of the shared samples: the ids come from tiktoken's gpt2 encoding
        // (shared/data/text/README.md), an implementation independent of ours.
        [SharedDataFact(EncoderJson, VocabBpe, Gpt2TestFiles.ValidationTokens, Gpt2TestFiles.ValidationText)]
        public void ValidationSample_EncodesToTheTiktokenIds() =>
            AssertFileRoundTrips(Gpt2TestFiles.ValidationTokens, Gpt2TestFiles.ValidationText, expectedDocuments: 1000);

        [SharedDataFact(EncoderJson, VocabBpe, Gpt2TestFiles.ExtraTokens, Gpt2TestFiles.ExtraText)]
        public void ExtraSample_EncodesToTheTiktokenIds() =>
            AssertFileRoundTrips(Gpt2TestFiles.ExtraTokens, Gpt2TestFiles.ExtraText, expectedDocuments: 426);

        private static void AssertFileRoundTrips(string tokenPath, string textPath, int expectedDocuments)
        {
            // Given
            var tokenizer = Gpt2TestFiles.Tokenizer;
            var tokens = TokenFile.Open(Gpt2TestFiles.SharedDataPath(tokenPath));
            string[] lines = File.ReadAllLines(Gpt2TestFiles.SharedDataPath(textPath));
            Assert.Equal(expectedDocuments, lines.Length);
            Assert.Equal(expectedDocuments, tokens.DocumentCount);

            int mismatches = 0;
            string firstMismatch = "";
            for (int document = 0; document < lines.Length; document++)
            {
                using var json = JsonDocument.Parse(lines[document]);
                string text = json.RootElement.GetProperty("text").GetString()!;
                int[] expected = tokens.GetDocument(document).ToArray().Select(id => (int)id).ToArray();

                // When
                int[] ids = tokenizer.Encode(text);
                string decoded = tokenizer.Decode(expected);

                // Then (collected, so a failure reports how many documents differ)
                if (!ids.SequenceEqual(expected) || decoded != text)
                {
                    if (mismatches++ == 0) firstMismatch = Describe(document, expected, ids);
                }
            }
            Assert.True(mismatches == 0, $"{mismatches} of {lines.Length} documents differ; first: {firstMismatch}");
        }

        private static string Describe(int document, int[] expected, int[] actual)
        {
            int at = 0;
            while (at < expected.Length && at < actual.Length && expected[at] == actual[at]) at++;
            string Window(int[] ids) => string.Join(",", ids.Skip(Math.Max(0, at - 3)).Take(8));
            return $"document {document} differs at token {at}: expected ...{Window(expected)}..., got ...{Window(actual)}...";
        }
    }

    public sealed class Load
    {
        [Fact]
        public void MissingFile_ThrowsFileNotFound()
        {
            string missing = Path.Combine(Path.GetTempPath(), $"mfr-no-such-{Guid.NewGuid():N}");
            Assert.Throws<FileNotFoundException>(() => Gpt2Tokenizer.Load(missing));
        }

        [Fact]
        public void MergeOfUnknownToken_ThrowsInvalidDataNamingTheLine()
        {
            // Given a vocabulary of the 256 byte tokens plus <|endoftext|>, and a merge using a non-token
            string directory = Directory.CreateTempSubdirectory("mfr-gpt2-").FullName;
            try
            {
                var encoder = Enumerable.Range(0, 256).ToDictionary(b => ByteCharacter(b), b => b);
                encoder["<|endoftext|>"] = 256;
                File.WriteAllText(Path.Combine(directory, "encoder.json"), JsonSerializer.Serialize(encoder));
                File.WriteAllText(Path.Combine(directory, "vocab.bpe"), "#version: 0.2\na b\n");

                // When
                var exception = Assert.Throws<InvalidDataException>(() => Gpt2Tokenizer.Load(directory));

                // Then
                Assert.Contains("line 2", exception.Message);
                Assert.Contains("vocab.bpe", exception.Message);
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        [Fact]
        public void TinyVocabulary_MergesByRankNotByPosition()
        {
            // Given bytes plus "ab" (rank 0 merge a+b) and "bc" (rank 1 merge b+c): in "abc" the
            // lower-ranked pair wins although both are adjacent, so BPE gives "ab" + "c"; and
            // with the ranks swapped it gives "a" + "bc".
            string directory = Directory.CreateTempSubdirectory("mfr-gpt2-").FullName;
            try
            {
                var encoder = Enumerable.Range(0, 256).ToDictionary(b => ByteCharacter(b), b => b);
                encoder["<|endoftext|>"] = 256;
                encoder["ab"] = 257;
                encoder["bc"] = 258;
                File.WriteAllText(Path.Combine(directory, "encoder.json"), JsonSerializer.Serialize(encoder));
                File.WriteAllText(Path.Combine(directory, "vocab.bpe"), "#version: 0.2\na b\nb c\n");
                var abFirst = Gpt2Tokenizer.Load(directory);
                File.WriteAllText(Path.Combine(directory, "vocab.bpe"), "#version: 0.2\nb c\na b\n");
                var bcFirst = Gpt2Tokenizer.Load(directory);

                // When / Then
                Assert.Equal(new[] { 257, 'c' }, abFirst.Encode("abc"));
                Assert.Equal(new[] { (int)'a', 258 }, bcFirst.Encode("abc"));
                Assert.Equal(259, abFirst.VocabularySize);
                Assert.Equal(256, abFirst.EndOfTextId);
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        // GPT-2's byte map, written out from its definition (printable bytes map to themselves, the
        // others in order to U+0100...).
        private static string ByteCharacter(int b)
        {
            static bool Printable(int x) => x is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            if (Printable(b)) return ((char)b).ToString();
            int index = Enumerable.Range(0, b).Count(x => !Printable(x));
            return ((char)(256 + index)).ToString();
        }
    }
}
