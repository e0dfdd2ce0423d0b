using Mfr.Data;

namespace Mfr.Tests.Data;

public sealed class ChunkedShuffleTests
{
    private static long[] Epoch(ChunkedShuffle shuffle, long rowCount, long epoch)
    {
        var rows = new long[rowCount];
        shuffle.RowsAt(epoch * rowCount, rows);
        return rows;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1003, 10, 7)]   // 101 chunks, the last of 3 rows; 15 windows, the last of 3 chunks
    [InlineData(1000, 10, 10)]  // exact multiples
    [InlineData(57, 4096, 16)]  // one window: a full permutation
    [InlineData(500, 1, 3)]
    public void EveryEpoch_VisitsEachRowExactlyOnce(long rowCount, int chunkRows, int windowChunks)
    {
        var shuffle = new ChunkedShuffle(rowCount, chunkRows, windowChunks, seed: 5);

        for (long epoch = 0; epoch < 3; epoch++)
        {
            long[] rows = Epoch(shuffle, rowCount, epoch);

            Array.Sort(rows);
            Assert.Equal(Enumerable.Range(0, (int)rowCount).Select(r => (long)r), rows);
        }
    }

    [Fact]
    public void Epochs_AndSeeds_GiveDifferentOrders()
    {
        var shuffle = new ChunkedShuffle(1003, 10, 7, seed: 5);
        var other = new ChunkedShuffle(1003, 10, 7, seed: 6);

        long[] epoch0 = Epoch(shuffle, 1003, 0);

        Assert.NotEqual(epoch0, Epoch(shuffle, 1003, 1));
        Assert.NotEqual(epoch0, Epoch(other, 1003, 0));
        Assert.NotEqual(Enumerable.Range(0, 1003).Select(r => (long)r), epoch0);
    }

    [Fact]
    public void RowAt_IsPureWhateverTheQueryOrder()
    {
        // Given one instance queried forwards and a fresh one queried backwards across three epochs
        const long rowCount = 1003;
        var forward = new ChunkedShuffle(rowCount, 10, 7, seed: 9);
        var backward = new ChunkedShuffle(rowCount, 10, 7, seed: 9);
        long[] expected = Enumerable.Range(0, (int)(3 * rowCount)).Select(p => forward.RowAt(p)).ToArray();

        // When
        long[] actual = new long[expected.Length];
        for (int p = expected.Length - 1; p >= 0; p -= 1) actual[p] = backward.RowAt(p);

        // Then
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void EachWindow_DrawsFromAtMostWindowChunksChunks()
    {
        // Given windows of 7 chunks of 10 rows, and the windows' stream positions
        const int chunkRows = 10, windowChunks = 7;
        const long rowCount = 1003;
        var shuffle = new ChunkedShuffle(rowCount, chunkRows, windowChunks, seed: 2);
        long[] rows = Epoch(shuffle, rowCount, 0);

        // Then any 70 consecutive positions (the span of one window) touch at most two windows: 14 chunks
        for (int start = 0; start + chunkRows * windowChunks <= rowCount; start += 13)
        {
            int chunks = rows.Skip(start).Take(chunkRows * windowChunks).Select(r => r / chunkRows).Distinct().Count();
            Assert.InRange(chunks, 1, 2 * windowChunks);
        }

        // And the first window is exactly 7 whole chunks
        long[] firstWindow = rows.Take(chunkRows * windowChunks).ToArray();
        Assert.Equal(windowChunks, firstWindow.Select(r => r / chunkRows).Distinct().Count());
    }

    [Fact]
    public void SingleWindow_IsRoughlyUniform()
    {
        // A full permutation: each row lands in the first position about equally often over seeds.
        const int rowCount = 8;
        var counts = new int[rowCount];
        for (ulong seed = 0; seed < 8000; seed++) counts[new ChunkedShuffle(rowCount, 4096, 16, seed).RowAt(0)]++;

        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
    }
}
