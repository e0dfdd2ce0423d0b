namespace Mfr.Data;

/// <summary>
/// Options of an <see cref="ArrayFileSource"/>: which file, which rows, in which order.
/// </summary>
public sealed record ArrayFileSourceOptions
{
    /// <summary>An .npy or .safetensors file of vectors <c>[n, d]</c> (or <c>[n, ...]</c>, flattened to rows); the format is detected from the content.</summary>
    public required string Path { get; init; }

    /// <summary>For a safetensors file, the tensor to read; null picks the file's only tensor. Ignored for .npy.</summary>
    public string? TensorName { get; init; }

    /// <summary>First row of the range used (inclusive). Default 0.</summary>
    public long StartRow { get; init; }

    /// <summary>End of the range used (exclusive); null means the last row of the file. Use disjoint ranges for train and held-out splits.</summary>
    public long? EndRow { get; init; }

    /// <summary>Shuffled (training, the default) or sequential (evaluation).</summary>
    public ArrayFileOrder Order { get; init; } = ArrayFileOrder.Shuffled;

    /// <summary>Seed of the shuffle; batches are a pure function of (seed, batch index, batch size). Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// Rows per chunk of the shuffle (<see cref="ChunkedShuffle"/>): each chunk is read from one
    /// contiguous stretch of the file. Default 4096 (12 MB of 768-wide float32 rows).
    /// </summary>
    public int ChunkRows { get; init; } = 4096;

    /// <summary>
    /// Chunks whose rows are shuffled together. Default 16: windows of 65,536 rows, so ranges up to
    /// that size get a full uniform permutation, and larger ones mix rows from 16 random places.
    /// </summary>
    public int WindowChunks { get; init; } = 16;

    /// <summary>Check every batch for NaN and infinity and throw naming the row (default true; costs a fast SIMD scan).</summary>
    public bool CheckFinite { get; init; } = true;

    /// <summary>Largest window accepted (rows), bounding the shuffle's memory at 8 bytes per row.</summary>
    public const long MaxWindowRows = 1 << 26;

    /// <summary>Checks the values that do not depend on the file.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path)) throw new ArgumentException("ArrayFileSource needs a file path.", nameof(Path));
        if (StartRow < 0) throw new ArgumentException($"StartRow must be >= 0, got {StartRow}.", nameof(StartRow));
        if (EndRow is long end && end <= StartRow) throw new ArgumentException($"EndRow ({end}) must be greater than StartRow ({StartRow}).", nameof(EndRow));
        if (ChunkRows < 1) throw new ArgumentException($"ChunkRows must be >= 1, got {ChunkRows}.", nameof(ChunkRows));
        if (WindowChunks < 1) throw new ArgumentException($"WindowChunks must be >= 1, got {WindowChunks}.", nameof(WindowChunks));
        if ((long)ChunkRows * WindowChunks > MaxWindowRows)
            throw new ArgumentException($"ChunkRows * WindowChunks = {(long)ChunkRows * WindowChunks} exceeds {MaxWindowRows} rows.", nameof(WindowChunks));
        if (!Enum.IsDefined(Order)) throw new ArgumentException($"Unknown order {Order}.", nameof(Order));
    }
}
