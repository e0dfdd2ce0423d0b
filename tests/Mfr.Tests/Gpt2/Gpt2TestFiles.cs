using Mfr.Gpt2;

namespace Mfr.Tests.Gpt2;

/// <summary>Paths to the shared data and this area's TestData, and a tokenizer loaded once.</summary>
internal static class Gpt2TestFiles
{
    public const string EncoderJson = "gpt2/encoder.json";
    public const string VocabBpe = "gpt2/vocab.bpe";
    public const string ValidationTokens = "text/openwebtext_val_sample.gpt2.u16.bin";
    public const string ValidationText = "text/openwebtext_val_sample.jsonl";
    public const string ExtraTokens = "text/openwebtext_extra_sample.gpt2.u16.bin";
    public const string ExtraText = "text/openwebtext_extra_sample.jsonl";

    private static readonly Lazy<Gpt2Tokenizer> SharedTokenizer =
        new(() => Gpt2Tokenizer.Load(SharedDataPath(EncoderJson), SharedDataPath(VocabBpe)));

    /// <summary>The GPT-2 tokenizer from the shared data (only for tests marked <see cref="SharedDataFactAttribute"/>).</summary>
    public static Gpt2Tokenizer Tokenizer => SharedTokenizer.Value;

    /// <summary>The folder holding Mfr.slnx, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>
    /// The shared data folder: <c>shared/data</c> in the nearest ancestor of the repository root that
    /// has one (<c>../shared/data</c> for the main checkout, further up for a worktree).
    /// </summary>
    public static string SharedDataDirectory { get; } = FindSharedData();

    public static string SharedDataPath(string relativePath) => Path.Combine(SharedDataDirectory, relativePath);

    public static string TestDataPath(string fileName) =>
        Path.Combine(AppContext.BaseDirectory, "TestData", "Gpt2", fileName);

    private static string FindSharedData()
    {
        for (var directory = new DirectoryInfo(RepositoryRoot).Parent; directory != null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "shared", "data");
            if (Directory.Exists(candidate)) return candidate;
        }
        return Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Mfr.slnx"))) return directory.FullName;
        }
        throw new InvalidOperationException($"No Mfr.slnx above {AppContext.BaseDirectory}.");
    }
}
