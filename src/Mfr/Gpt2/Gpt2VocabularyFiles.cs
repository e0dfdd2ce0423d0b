using System.Text;
using System.Text.Json;
using Mfr.IO;

namespace Mfr.Gpt2;

/// <summary>
/// Readers for the two GPT-2 tokenizer files (formats in /work/shared/data/gpt2/README.md):
/// <c>encoder.json</c> (token string -> id) and <c>vocab.bpe</c> (merge rules by priority).
/// </summary>
internal static class Gpt2VocabularyFiles
{
    /// <summary>Reads encoder.json; ids must be exactly 0..n-1, each once.</summary>
    public static Dictionary<string, int> ReadEncoder(string path)
    {
        byte[] json = ReadAllBytes(path);
        var encoder = new Dictionary<string, int>(capacity: 50_257, StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new InvalidDataException($"{path}: expected a JSON object of token string -> id.");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string token = reader.GetString()!;
                if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int id))
                    throw new InvalidDataException($"{path}: the id of token {JsonSerializer.Serialize(token)} is not an integer.");
                if (!encoder.TryAdd(token, id))
                    throw new InvalidDataException($"{path}: token {JsonSerializer.Serialize(token)} appears twice.");
            }
            if (reader.TokenType != JsonTokenType.EndObject)
                throw new InvalidDataException($"{path}: expected a JSON object of token string -> id.");
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({JsonFile.Describe(exception)}).", exception);
        }
        var seen = new bool[encoder.Count];
        foreach (var (token, id) in encoder)
        {
            if ((uint)id >= (uint)seen.Length || seen[id])
                throw new InvalidDataException($"{path}: ids must be 0..{seen.Length - 1} each used once; token {JsonSerializer.Serialize(token)} has id {id}.");
            seen[id] = true;
        }
        return encoder;
    }

    /// <summary>
    /// Reads vocab.bpe into (left id, right id) -> (rank &lt;&lt; 32 | merged id). Every merged
    /// string must itself be a token, as in GPT-2 (encoder.py would fail on it later otherwise).
    /// </summary>
    public static Dictionary<long, long> ReadMerges(string path, Dictionary<string, int> encoder)
    {
        string[] lines = File.Exists(path)
            ? File.ReadAllLines(path, Encoding.UTF8)
            : throw new FileNotFoundException($"GPT-2 merges file not found: {path}", path);
        var merges = new Dictionary<long, long>(lines.Length);
        int rank = 0;
        for (int lineIndex = 0; lineIndex < lines.Length; lineIndex++)
        {
            string line = lines[lineIndex];
            // encoder.py skips the first line ("#version: 0.2") and the empty string after the last newline.
            if ((lineIndex == 0 && line.StartsWith("#version", StringComparison.Ordinal)) || line.Length == 0) continue;
            string[] parts = line.Split(' ');
            if (parts.Length != 2)
                throw new InvalidDataException($"{path}: line {lineIndex + 1} is not 'left right': {JsonSerializer.Serialize(line)}.");
            int left = Lookup(encoder, parts[0], path, lineIndex);
            int right = Lookup(encoder, parts[1], path, lineIndex);
            int merged = Lookup(encoder, parts[0] + parts[1], path, lineIndex);
            // GPT-2's file never repeats a rule; reject a repeat rather than guess which rank wins.
            if (!merges.TryAdd(Gpt2Tokenizer.PairKey(left, right), ((long)rank << 32) | (uint)merged))
                throw new InvalidDataException($"{path}: line {lineIndex + 1} repeats the merge {JsonSerializer.Serialize(line)}.");
            rank++;
        }
        return merges;
    }

    private static int Lookup(Dictionary<string, int> encoder, string token, string path, int lineIndex) =>
        encoder.TryGetValue(token, out int id)
            ? id
            : throw new InvalidDataException($"{path}: line {lineIndex + 1} uses {JsonSerializer.Serialize(token)}, which is not in encoder.json.");

    private static byte[] ReadAllBytes(string path) =>
        File.Exists(path)
            ? File.ReadAllBytes(path)
            : throw new FileNotFoundException($"GPT-2 encoder file not found: {path}", path);
}
