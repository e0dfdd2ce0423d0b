using Mfr.Gpt2;

namespace Mfr.Tests.Gpt2;

public sealed class TokenFileTests
{
    [Fact]
    public void Open_SplitsDocumentsAtEndOfText_KeepsTrailingPartialDocument()
    {
        // Given ids 1 2 EOT EOT 3 4 5 (an empty document, then a cut-off one), little-endian uint16
        byte[] bytes = [1, 0, 2, 0, 0x50, 0xC4, 0x50, 0xC4, 3, 0, 4, 0, 0xFF, 0xC3];
        string path = WriteTemporary(bytes);
        try
        {
            // When
            var file = TokenFile.Open(path);

            // Then
            Assert.Equal(7, file.TokenCount);
            Assert.Equal(3, file.DocumentCount);
            Assert.Equal(new ushort[] { 1, 2 }, file.GetDocument(0).ToArray());
            Assert.Empty(file.GetDocument(1).ToArray());
            Assert.Equal(new ushort[] { 3, 4, 50175 }, file.GetDocument(2).ToArray());
            Assert.Throws<ArgumentOutOfRangeException>(() => file.GetDocument(3).Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(new byte[] { 1, 0, 2 }, "whole number")]
    [InlineData(new byte[] { 1, 0, 0x51, 0xC4 }, "50257")]
    public void Open_MalformedFile_ThrowsInvalidDataNamingTheProblem(byte[] bytes, string expectedInMessage)
    {
        string path = WriteTemporary(bytes);
        try
        {
            var exception = Assert.Throws<InvalidDataException>(() => TokenFile.Open(path));
            Assert.Contains(expectedInMessage, exception.Message);
            Assert.Contains(path, exception.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Open_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => TokenFile.Open(Path.Combine(Path.GetTempPath(), $"mfr-missing-{Guid.NewGuid():N}.bin")));
    }

    [SharedDataFact(Gpt2TestFiles.ValidationTokens)]
    public void Open_SharedValidationSample_HasTheDocumentedCounts()
    {
        // Given the counts stated in shared/data/text/README.md
        var file = TokenFile.Open(Gpt2TestFiles.SharedDataPath(Gpt2TestFiles.ValidationTokens));

        // Then
        Assert.Equal(1_203_184, file.TokenCount);
        Assert.Equal(1_000, file.DocumentCount);
        Assert.Equal(TokenFile.EndOfTextId, file.Tokens[^1]);
    }

    private static string WriteTemporary(byte[] bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), $"mfr-tokens-{Guid.NewGuid():N}.u16.bin");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
