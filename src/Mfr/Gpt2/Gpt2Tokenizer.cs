using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Mfr.Gpt2;

/// <summary>
/// GPT-2's byte-level BPE tokenizer, built from OpenAI's <c>encoder.json</c> and <c>vocab.bpe</c>
/// (the same files as Hugging Face gpt2's <c>vocab.json</c> / <c>merges.txt</c> and tiktoken's
/// <c>gpt2</c> encoding). Encoding follows OpenAI gpt-2 <c>src/encoder.py</c>: split the text with the
/// GPT-2 pattern (<see cref="Gpt2PreTokenizer"/>), turn each piece into UTF-8 bytes, and merge adjacent
/// symbols by rank until no ranked pair is left. Results per piece are cached. Thread-safe.
/// <para>
/// Kept instead of Microsoft.ML.Tokenizers 3.0.0's GPT-2 tokenizer (issue 15 item 8), which gives the same ids on our
/// test texts, tinyshakespeare and the OpenWebText samples but encodes a lone surrogate as its raw bytes (tiktoken and
/// this class: U+FFFD) and stops treating &lt;|endoftext|&gt; as special once its piece cache turns over
/// (Gpt2LibraryTokenizerComparisonTests; README, Interop).
/// </para>
/// </summary>
public sealed class Gpt2Tokenizer
{
    /// <summary>The special token's text; GPT-2 uses it as document separator (id 50256).</summary>
    public const string EndOfTextText = "<|endoftext|>";

    // Piece caches grow with the distinct words seen; beyond this many entries the cache is reset so
    // memory stays bounded on endless streams (encoder.py's cache is unbounded).
    private const int MaxCacheEntries = 1 << 18;

    private readonly byte[][] tokenBytes;
    private readonly int[] byteTokenIds;
    // (left id << 32 | right id) -> (rank << 32 | merged id).
    private readonly Dictionary<long, long> merges;
    private readonly ConcurrentDictionary<string, int[]> cache = new();
    // Counted here because ConcurrentDictionary.Count takes every lock.
    private int cacheEntries;

    private Gpt2Tokenizer(byte[][] tokenBytes, int[] byteTokenIds, Dictionary<long, long> merges, int endOfTextId)
    {
        this.tokenBytes = tokenBytes;
        this.byteTokenIds = byteTokenIds;
        this.merges = merges;
        EndOfTextId = endOfTextId;
    }

    /// <summary>Number of token ids (50,257 for GPT-2).</summary>
    public int VocabularySize => tokenBytes.Length;

    /// <summary>Id of <c>&lt;|endoftext|&gt;</c> (50256 for GPT-2).</summary>
    public int EndOfTextId { get; }

    /// <summary>Loads <c>encoder.json</c> and <c>vocab.bpe</c> from <paramref name="directory"/>.</summary>
    public static Gpt2Tokenizer Load(string directory) =>
        Load(Path.Combine(directory, "encoder.json"), Path.Combine(directory, "vocab.bpe"));

    /// <summary>Loads the tokenizer from its two files.</summary>
    /// <param name="encoderJsonPath"><c>encoder.json</c>: a JSON object token string -> id, ids 0..n-1.</param>
    /// <param name="vocabBpePath"><c>vocab.bpe</c>: a <c>#version</c> line, then one merge <c>left right</c> per line, by priority.</param>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed (the message names it and the problem).</exception>
    public static Gpt2Tokenizer Load(string encoderJsonPath, string vocabBpePath)
    {
        var encoder = Gpt2VocabularyFiles.ReadEncoder(encoderJsonPath);
        var tokenBytes = new byte[encoder.Count][];
        foreach (var (tokenString, id) in encoder)
        {
            tokenBytes[id] = Gpt2ByteEncoding.TryDecodeTokenString(tokenString)
                ?? throw new InvalidDataException($"{encoderJsonPath}: token {JsonSerializer.Serialize(tokenString)} has a character outside GPT-2's byte map.");
        }
        var byteTokenIds = new int[256];
        for (int b = 0; b < 256; b++)
        {
            byteTokenIds[b] = encoder.TryGetValue(Gpt2ByteEncoding.ByteToChar[b].ToString(), out int id)
                ? id
                : throw new InvalidDataException($"{encoderJsonPath}: no token for the single byte 0x{b:X2}.");
        }
        if (!encoder.TryGetValue(EndOfTextText, out int endOfTextId))
            throw new InvalidDataException($"{encoderJsonPath}: no {EndOfTextText} token.");
        var merges = Gpt2VocabularyFiles.ReadMerges(vocabBpePath, encoder);
        return new Gpt2Tokenizer(tokenBytes, byteTokenIds, merges, endOfTextId);
    }

    /// <summary>Encodes <paramref name="text"/> to token ids.</summary>
    /// <param name="text">Any text; lone surrogates are encoded as U+FFFD.</param>
    /// <param name="allowEndOfText">
    /// When true, each literal <c>&lt;|endoftext|&gt;</c> becomes <see cref="EndOfTextId"/> (like Hugging Face
    /// GPT2Tokenizer); when false it is ordinary text (like tiktoken's <c>encode_ordinary</c>, which made
    /// the shared OpenWebText token files).
    /// </param>
    public int[] Encode(string text, bool allowEndOfText = false)
    {
        var ids = new List<int>(text.Length / 3 + 4);
        Encode(text, ids, allowEndOfText);
        return ids.ToArray();
    }

    /// <summary>Appends the ids of <paramref name="text"/> to <paramref name="destination"/>.</summary>
    /// <param name="text">Any text.</param>
    /// <param name="destination">List the ids are appended to.</param>
    /// <param name="allowEndOfText">See <see cref="Encode(string, bool)"/>.</param>
    public void Encode(ReadOnlySpan<char> text, List<int> destination, bool allowEndOfText = false)
    {
        ArgumentNullException.ThrowIfNull(destination);
        while (allowEndOfText)
        {
            int special = text.IndexOf(EndOfTextText.AsSpan(), StringComparison.Ordinal);
            if (special < 0) break;
            EncodeOrdinary(text[..special], destination);
            destination.Add(EndOfTextId);
            text = text[(special + EndOfTextText.Length)..];
        }
        EncodeOrdinary(text, destination);
    }

    /// <summary>Decodes ids to text; invalid UTF-8 (a cut multi-byte character) becomes U+FFFD, as in encoder.py.</summary>
    /// <param name="ids">Token ids, each in <c>[0, VocabularySize)</c>.</param>
    public string Decode(ReadOnlySpan<int> ids) => Encoding.UTF8.GetString(DecodeToBytes(ids));

    /// <summary>Decodes ids read from a token file (see <see cref="TokenFile"/>).</summary>
    /// <param name="ids">Token ids, each in <c>[0, VocabularySize)</c>.</param>
    public string Decode(ReadOnlySpan<ushort> ids)
    {
        int[] widened = ArrayPool<int>.Shared.Rent(ids.Length);
        try
        {
            for (int i = 0; i < ids.Length; i++) widened[i] = ids[i];
            return Decode(widened.AsSpan(0, ids.Length));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(widened);
        }
    }

    /// <summary>The raw bytes the ids stand for (<c>&lt;|endoftext|&gt;</c> gives its 13 ASCII bytes).</summary>
    /// <param name="ids">Token ids, each in <c>[0, VocabularySize)</c>.</param>
    /// <exception cref="ArgumentException">An id is out of range.</exception>
    public byte[] DecodeToBytes(ReadOnlySpan<int> ids)
    {
        long byteCount = 0;
        for (int i = 0; i < ids.Length; i++)
        {
            if ((uint)ids[i] >= (uint)tokenBytes.Length)
                throw new ArgumentException($"Token id {ids[i]} at position {i} is outside the vocabulary [0, {tokenBytes.Length}).", nameof(ids));
            byteCount += tokenBytes[ids[i]].Length;
        }
        var bytes = new byte[byteCount];
        int offset = 0;
        foreach (int id in ids)
        {
            tokenBytes[id].CopyTo(bytes, offset);
            offset += tokenBytes[id].Length;
        }
        return bytes;
    }

    private void EncodeOrdinary(ReadOnlySpan<char> text, List<int> destination)
    {
        var lookup = cache.GetAlternateLookup<ReadOnlySpan<char>>();
        for (int start = 0; start < text.Length;)
        {
            int length = Gpt2PreTokenizer.NextPieceLength(text, start);
            var piece = text.Slice(start, length);
            if (!lookup.TryGetValue(piece, out int[]? ids))
            {
                ids = EncodePiece(piece);
                if (Interlocked.Increment(ref cacheEntries) > MaxCacheEntries)
                {
                    cache.Clear();
                    Volatile.Write(ref cacheEntries, 0);
                }
                lookup.TryAdd(piece, ids);
            }
            destination.AddRange(ids);
            start += length;
        }
    }

    // Byte-pair encoding of one piece, as encoder.py's bpe(): repeatedly take the adjacent pair with
    // the lowest merge rank and merge all its non-overlapping occurrences, left to right.
    private int[] EncodePiece(ReadOnlySpan<char> piece)
    {
        int maxBytes = Encoding.UTF8.GetMaxByteCount(piece.Length);
        byte[] rented = ArrayPool<byte>.Shared.Rent(maxBytes);
        int[] symbolsRented = ArrayPool<int>.Shared.Rent(maxBytes);
        try
        {
            int count = Encoding.UTF8.GetBytes(piece, rented);
            var symbols = symbolsRented.AsSpan(0, count);
            for (int i = 0; i < count; i++) symbols[i] = byteTokenIds[rented[i]];
            while (count > 1)
            {
                long best = long.MaxValue;
                long bestPair = 0;
                for (int i = 0; i + 1 < count; i++)
                {
                    long pair = PairKey(symbols[i], symbols[i + 1]);
                    if (merges.TryGetValue(pair, out long rankAndId) && rankAndId < best)
                    {
                        best = rankAndId;
                        bestPair = pair;
                    }
                }
                if (best == long.MaxValue) break;
                int merged = (int)(best & 0xFFFFFFFF);
                int written = 0;
                for (int i = 0; i < count; i++)
                {
                    if (i + 1 < count && PairKey(symbols[i], symbols[i + 1]) == bestPair)
                    {
                        symbols[written++] = merged;
                        i++;
                    }
                    else
                    {
                        symbols[written++] = symbols[i];
                    }
                }
                count = written;
            }
            return symbols[..count].ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
            ArrayPool<int>.Shared.Return(symbolsRented);
        }
    }

    internal static long PairKey(int left, int right) => ((long)left << 32) | (uint)right;
}
