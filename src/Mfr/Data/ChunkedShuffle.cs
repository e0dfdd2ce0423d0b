using Mfr.Numerics;

namespace Mfr.Data;

/// <summary>
/// A seeded, per-epoch permutation of <c>rowCount</c> rows with locality, computed piecewise so no
/// epoch-sized array is ever built. The scheme, for epoch e (all of it a pure function of (seed, e)):
/// <list type="number">
/// <item>Cut the rows into chunks of <c>chunkRows</c> consecutive rows (the last may be shorter).</item>
/// <item>Shuffle the chunk order (Fisher-Yates with <c>Rng.ForStream(epochSeed, 0)</c>, where
/// <c>epochSeed = Rng.ForStream(seed, e).NextUInt64()</c>).</item>
/// <item>Group the shuffled chunks into windows of <c>windowChunks</c> consecutive chunks (the last
/// window may have fewer).</item>
/// <item>Within window w, list its chunks' rows in chunk order and shuffle that list (Fisher-Yates with
/// <c>Rng.ForStream(epochSeed, w + 1)</c>).</item>
/// <item>The epoch's order is window 0's list, then window 1's, and so on.</item>
/// </list>
/// So each epoch visits every row exactly once; a batch draws from at most two windows, each made of
/// <c>windowChunks</c> contiguous stretches of the file (page-cache friendly), and a window's
/// permutation needs <c>chunkRows * windowChunks</c> longs. When all rows fit in one window this is a
/// full uniform permutation. Thread-safe; recently used permutations are cached.
/// </summary>
internal sealed class ChunkedShuffle
{
    private readonly long rowCount;
    private readonly int chunkRows;
    private readonly int windowChunks;
    private readonly ulong seed;
    private readonly int chunkCount;
    private readonly Lock cacheLock = new();
    private (long Epoch, ulong EpochSeed, int[] ChunkOrder, int ShortChunkPosition)? epochCache;
    private (long Epoch, int Window, long[] Rows)? windowCacheA, windowCacheB;

    /// <param name="rowCount">Rows to permute, at least 1.</param>
    /// <param name="chunkRows">Rows per chunk, at least 1.</param>
    /// <param name="windowChunks">Chunks per window, at least 1; chunkRows * windowChunks must fit in an int.</param>
    /// <param name="seed">The source's seed.</param>
    public ChunkedShuffle(long rowCount, int chunkRows, int windowChunks, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowChunks, 1);
        long chunks = (rowCount + chunkRows - 1) / chunkRows;
        if (chunks > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(chunkRows), $"{rowCount} rows in chunks of {chunkRows} make too many chunks.");
        if ((long)chunkRows * windowChunks > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(windowChunks), "chunkRows * windowChunks must fit in an array.");
        this.rowCount = rowCount;
        this.chunkRows = chunkRows;
        this.windowChunks = windowChunks;
        this.seed = seed;
        chunkCount = (int)chunks;
    }

    /// <summary>Rows per window (the last window may have fewer).</summary>
    private long WindowRows => (long)chunkRows * windowChunks;

    /// <summary>Number of windows per epoch.</summary>
    private int WindowCount => (chunkCount + windowChunks - 1) / windowChunks;

    /// <summary>The row at <paramref name="position"/> of the endless stream (epoch = position / rowCount).</summary>
    /// <param name="position">Index into the stream of epochs, &gt;= 0.</param>
    public long RowAt(long position)
    {
        Span<long> row = stackalloc long[1];
        RowsAt(position, row);
        return row[0];
    }

    /// <summary>The rows at stream positions <paramref name="firstPosition"/> .. + <c>rows.Length</c> - 1.</summary>
    /// <param name="firstPosition">Index into the stream of epochs, &gt;= 0.</param>
    /// <param name="rows">Output row indices, <c>[count]</c>.</param>
    public void RowsAt(long firstPosition, Span<long> rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstPosition);
        lock (cacheLock)
        {
            for (int i = 0; i < rows.Length; i++) rows[i] = RowAtLocked(checked(firstPosition + i));
        }
    }

    private long RowAtLocked(long position)
    {
        long epoch = position / rowCount;
        long offset = position % rowCount;
        var (epochSeed, chunkOrder, shortChunkPosition) = EpochOrder(epoch);
        int window = (int)Math.Min(offset / WindowRows, WindowCount - 1);
        while (window > 0 && WindowStart(window, shortChunkPosition) > offset) window--;
        while (window + 1 < WindowCount && WindowStart(window + 1, shortChunkPosition) <= offset) window++;
        long[] rows = WindowOrder(epoch, epochSeed, chunkOrder, window);
        return rows[offset - WindowStart(window, shortChunkPosition)];
    }

    /// <summary>Stream offset where window w starts: full windows before it, less the last chunk's shortfall if it came earlier.</summary>
    private long WindowStart(int window, int shortChunkPosition)
    {
        long start = window * WindowRows;
        long shortfall = (long)chunkCount * chunkRows - rowCount;
        return shortChunkPosition < window * windowChunks ? start - shortfall : start;
    }

    private (ulong EpochSeed, int[] ChunkOrder, int ShortChunkPosition) EpochOrder(long epoch)
    {
        if (epochCache is { } cached && cached.Epoch == epoch) return (cached.EpochSeed, cached.ChunkOrder, cached.ShortChunkPosition);
        ulong epochSeed = Rng.ForStream(seed, (ulong)epoch).NextUInt64();
        var order = new int[chunkCount];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var rng = Rng.ForStream(epochSeed, 0);
        Shuffle(ref rng, order.AsSpan());
        int shortChunkPosition = Array.IndexOf(order, chunkCount - 1);
        epochCache = (epoch, epochSeed, order, shortChunkPosition);
        return (epochSeed, order, shortChunkPosition);
    }

    private long[] WindowOrder(long epoch, ulong epochSeed, int[] chunkOrder, int window)
    {
        if (windowCacheA is { } a && a.Epoch == epoch && a.Window == window) return a.Rows;
        if (windowCacheB is { } b && b.Epoch == epoch && b.Window == window)
        {
            (windowCacheA, windowCacheB) = (windowCacheB, windowCacheA);
            return b.Rows;
        }
        int firstChunk = window * windowChunks;
        int lastChunk = Math.Min(firstChunk + windowChunks, chunkCount);
        long windowRows = 0;
        for (int c = firstChunk; c < lastChunk; c++) windowRows += ChunkLength(chunkOrder[c]);
        // Reuse the array about to be evicted when it has the right size: no allocation in steady state.
        long[] result = windowCacheB is { } evicted && evicted.Rows.Length == windowRows ? evicted.Rows : new long[windowRows];
        int filled = 0;
        for (int c = firstChunk; c < lastChunk; c++)
        {
            long chunkStart = (long)chunkOrder[c] * chunkRows;
            int length = ChunkLength(chunkOrder[c]);
            for (int i = 0; i < length; i++) result[filled++] = chunkStart + i;
        }
        var rng = Rng.ForStream(epochSeed, (ulong)window + 1);
        Shuffle(ref rng, result.AsSpan());
        windowCacheB = windowCacheA;
        windowCacheA = (epoch, window, result);
        return result;
    }

    private int ChunkLength(int chunk) => (int)Math.Min(chunkRows, rowCount - (long)chunk * chunkRows);

    /// <summary>Fisher-Yates (Durstenfeld): swap each position from the end with a uniform earlier-or-same one.</summary>
    private static void Shuffle<T>(ref Rng rng, Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
