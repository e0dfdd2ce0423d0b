using Mfr.Numerics;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Numerics;

/// <summary>
/// The AVX-512 TopK given a guessed bracket for the k-th value, on its own: the row-level tests reach it only through
/// the guess, and only for the brackets the guess happens to produce.
/// </summary>
public sealed unsafe class TopKAvx512BracketedTests
{
    private static readonly int[] ColumnCounts = [17, 31, 32, 33, 100, 512, 513, 3072];
    private static readonly int[] Ranks = [1, 2, 7, 15, 16, 17, 32, 33, 64, 100];

    /// <summary>The k-th largest value in the reference's order (NaN below every number).</summary>
    private static float KthLargest(float[] row, int k) => row.OrderDescending(Comparer<float>.Create((x, y) => x.CompareTo(y))).ElementAt(k - 1);

    private static int CountAtOrAbove(float[] row, float limit) => row.Count(value => value >= limit);

    /// <summary>Brackets around and away from the k-th value: tight, a few ranks either side, missing below and above.</summary>
    private static IEnumerable<(float Low, float High)> Brackets(float[] row, int k)
    {
        var sorted = row.Where(value => !float.IsNaN(value)).OrderDescending().ToArray();
        float At(int rank) => sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
        float kth = KthLargest(row, k);
        if (float.IsFinite(kth)) yield return (kth, MathF.BitIncrement(kth));
        foreach (var (below, above) in new[] { (1, 1), (5, 3), (20, 20), (70, 2) })
        {
            float low = At(k - 1 + below), high = At(k - 1 - above);
            if (float.IsFinite(low) && float.IsFinite(high)) yield return (low, high);
        }
        float top = At(0), bottom = At(sorted.Length - 1);
        if (float.IsFinite(top) && float.IsFinite(bottom)) yield return (top, top + 1); // misses: too few at or above low (unless k = 1)
        if (float.IsFinite(bottom)) yield return (bottom - 1, bottom);                  // misses: k or more at or above high
    }

    private static float[] Row(int columnCount, int kind, Rng rng)
    {
        float[] pool = [-1f, -0f, 0f, 0.5f, 2f, float.PositiveInfinity, float.NegativeInfinity];
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, float.MaxValue, float.Epsilon, -float.Epsilon];
        var row = new float[columnCount];
        rng.FillGaussian(row);
        for (int i = 0; i < columnCount; i++)
        {
            if (kind == 1) row[i] = pool[rng.NextInt(pool.Length)];
            if (kind == 2 && rng.NextInt(4) == 0) row[i] = specials[rng.NextInt(specials.Length)];
        }
        return row;
    }

    [KernelTheory("topk")]
    [InlineData("avx512")]
    public void TrySelectRow_MatchesReferenceExactly_WhenTheBracketHoldsTheKthValue(string variant)
    {
        Assert.Equal("avx512", variant);
        var rng = new Rng(21);
        int successes = 0;
        foreach (int columnCount in ColumnCounts)
        {
            foreach (int k in Ranks.Where(k => k < columnCount))
            {
                // Given: Gaussian rows, rows of a few values (ties at the cut, +-0, infinities), rows salted with NaN and extremes.
                for (int kind = 0; kind < 3; kind++)
                {
                    var row = Row(columnCount, kind, rng);
                    var expectedIndices = new int[k];
                    var expectedValues = new float[k];
                    TopKReference.Select(row, 1, columnCount, k, expectedIndices, expectedValues);
                    foreach (var (low, high) in Brackets(row, k))
                    {
                        string what = $"columns={columnCount} k={k} kind={kind} bracket=[{low}, {high})";
                        int atOrAboveLow = CountAtOrAbove(row, low), atOrAboveHigh = CountAtOrAbove(row, high);
                        bool holdsKth = atOrAboveLow >= k && atOrAboveHigh < k;
                        bool fits = atOrAboveLow - atOrAboveHigh <= TopKAvx512Bracketed.MaxBracket;

                        // When
                        var (succeeded, indices, values, kth, outside) = TrySelect(row, k, low, high);

                        // Then: it succeeds when the bracket holds the k-th value and few enough values (it may too when it
                        // holds more), and then gives the reference's columns and bit-identical values; otherwise it writes
                        // nothing and says why.
                        Assert.True(holdsKth || !succeeded, $"{what}: succeeded on a bracket without the k-th value.");
                        Assert.True(succeeded || !(holdsKth && fits), $"{what}: failed on a bracket holding the k-th value and {atOrAboveLow - atOrAboveHigh} values.");
                        if (succeeded)
                        {
                            successes++;
                            Assert.True(expectedIndices.SequenceEqual(indices), $"{what}: indices [{string.Join(',', indices)}], expected [{string.Join(',', expectedIndices)}].");
                            Assert.True(expectedValues.Select(BitConverter.SingleToInt32Bits).SequenceEqual(values.Select(BitConverter.SingleToInt32Bits)), $"{what}: values differ.");
                            Assert.True(KthLargest(row, k).Equals(kth) || KthLargest(row, k) == kth, $"{what}: k-th {kth}, expected {KthLargest(row, k)}.");
                        }
                        else
                        {
                            Assert.All(indices, canary => Assert.Equal(-7, canary));
                            Assert.True(outside == !holdsKth, $"{what}: outside {outside}, holds the k-th {holdsKth}.");
                        }
                    }
                }
            }
        }
        Assert.True(successes > 300, $"only {successes} brackets succeeded: the test would not see a wrong selection.");
    }

    [KernelTheory("topk")]
    [InlineData("avx512")]
    public void RowScale_IsTheRootMeanSquareOfWholeVectors(string variant)
    {
        Assert.Equal("avx512", variant);
        foreach (int columnCount in new[] { 0, 15, 16, 17, 100, 512, 520 })
        {
            // Given: up to 32 whole vectors, all sampled; the tail past the last whole vector is not.
            var row = KernelTestData.Gaussian(columnCount, (ulong)columnCount).Span.ToArray();
            int whole = columnCount / 16 * 16;
            double expected = whole == 0 ? 0 : Math.Sqrt(row.Take(whole).Sum(value => (double)value * value) / whole);

            // When
            float scale;
            fixed (float* rowPointer = row) scale = TopKAvx512Bracketed.RowScale(rowPointer, columnCount);

            // Then
            Assert.True(Math.Abs(scale - expected) <= 1e-5 * expected, $"columns={columnCount}: {scale}, expected {expected}.");
        }
    }

    private static (bool Succeeded, int[] Indices, float[] Values, float Kth, bool Outside) TrySelect(float[] row, int k, float low, float high)
    {
        var scratch = new int[TopKAvx512.ScratchInts(row.Length, k)];
        // Outputs inside larger arrays whose tails must stay untouched.
        var indices = Enumerable.Repeat(-7, k + 5).ToArray();
        var values = Enumerable.Repeat(KernelTestData.Canary, k + 5).ToArray();
        bool succeeded;
        float kth;
        bool outside;
        fixed (float* rowPointer = row, valuesPointer = values)
        fixed (int* scratchPointer = scratch, indicesPointer = indices)
        {
            succeeded = TopKAvx512Bracketed.TrySelectRow(rowPointer, row.Length, k, low, high, scratchPointer, indicesPointer, valuesPointer, out kth, out outside);
        }
        Assert.All(indices[k..], canary => Assert.Equal(-7, canary));
        Assert.All(values[k..], canary => Assert.Equal(KernelTestData.Canary, canary));
        return (succeeded, indices[..k], values[..k], kth, outside);
    }
}
