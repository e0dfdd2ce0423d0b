using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Mfr.Gpt2;

/// <summary>
/// A GPT-2 token file in nanoGPT's format (<c>*.u16.bin</c>, see /work/shared/data/text/README.md):
/// a flat array of little-endian <c>uint16</c> token ids in which every document is followed by
/// <c>&lt;|endoftext|&gt;</c> (50256). Read whole into memory (the shared samples are a few MB).
/// </summary>
public sealed class TokenFile
{
    /// <summary>The document separator id, GPT-2's <c>&lt;|endoftext|&gt;</c>.</summary>
    public const ushort EndOfTextId = 50256;

    /// <summary>GPT-2's vocabulary size; every id in a file must be below it.</summary>
    public const int VocabularySize = 50257;

    private readonly ushort[] tokens;
    // documentStarts[i] .. documentEnds[i] (exclusive, the separator not included).
    private readonly int[] documentStarts;
    private readonly int[] documentEnds;

    private TokenFile(string path, ushort[] tokens, int[] documentStarts, int[] documentEnds)
    {
        Path = path;
        this.tokens = tokens;
        this.documentStarts = documentStarts;
        this.documentEnds = documentEnds;
    }

    /// <summary>The file this was read from.</summary>
    public string Path { get; }

    /// <summary>Every token of the file in order, separators included.</summary>
    public ReadOnlySpan<ushort> Tokens => tokens;

    /// <summary>Number of tokens, separators included.</summary>
    public int TokenCount => tokens.Length;

    /// <summary>
    /// Number of documents: one per separator, plus one if tokens follow the last separator
    /// (a file cut off mid-document still yields its last, partial document).
    /// </summary>
    public int DocumentCount => documentStarts.Length;

    /// <summary>The tokens of document <paramref name="index"/>, without its separator.</summary>
    /// <param name="index">Document number in <c>[0, DocumentCount)</c>.</param>
    public ReadOnlySpan<ushort> GetDocument(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, DocumentCount);
        return tokens.AsSpan(documentStarts[index], documentEnds[index] - documentStarts[index]);
    }

    /// <summary>Reads a token file.</summary>
    /// <param name="path">A <c>.u16.bin</c> file.</param>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="InvalidDataException">Odd byte length or an id outside GPT-2's vocabulary.</exception>
    public static TokenFile Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Token file not found: {path}", path);
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length % 2 != 0)
            throw new InvalidDataException($"{path}: {bytes.Length} bytes is not a whole number of uint16 token ids.");
        var tokens = new ushort[bytes.Length / 2];
        MemoryMarshal.Cast<byte, ushort>(bytes).CopyTo(tokens);
        if (!BitConverter.IsLittleEndian) BinaryPrimitives.ReverseEndianness(tokens, tokens);

        var starts = new List<int>();
        var ends = new List<int>();
        int documentStart = 0;
        for (int i = 0; i < tokens.Length; i++)
        {
            if (tokens[i] >= VocabularySize)
                throw new InvalidDataException($"{path}: token {i} has id {tokens[i]}, outside GPT-2's vocabulary [0, {VocabularySize}).");
            if (tokens[i] == EndOfTextId)
            {
                starts.Add(documentStart);
                ends.Add(i);
                documentStart = i + 1;
            }
        }
        if (documentStart < tokens.Length)
        {
            starts.Add(documentStart);
            ends.Add(tokens.Length);
        }
        return new TokenFile(path, tokens, starts.ToArray(), ends.ToArray());
    }
}
