using Mfr.Numerics;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Numerics;

public sealed class TopKTests
{
    /// <summary>The registered fast TopK variants (<see cref="KernelRegistry.TopK"/>).</summary>
    public static TheoryData<string> Variants => KernelVariants.Fast("topk");

    private static readonly int[] ColumnCounts = [1, 2, 7, 15, 16, 17, 31, 33, 47, 49, 100, 512];

    private static (int[] Indices, float[] Values) RunFast(float[] input, int rowCount, int columnCount, int k, string variant, int maxThreads = 2)
    {
        // Outputs live inside larger arrays whose tails must stay untouched.
        var indices = new int[rowCount * k + 5];
        var values = new float[rowCount * k + 5];
        indices.AsSpan(rowCount * k).Fill(-7);
        values.AsSpan(rowCount * k).Fill(KernelTestData.Canary);
        TopK.SelectWith(input, rowCount, columnCount, k, indices.AsSpan(0, rowCount * k), values.AsSpan(0, rowCount * k), KernelRegistry.TopK.Get(variant), maxThreads);
        Assert.All(indices[(rowCount * k)..], canary => Assert.Equal(-7, canary));
        Assert.All(values[(rowCount * k)..], canary => Assert.Equal(KernelTestData.Canary, canary));
        return (indices[..(rowCount * k)], values[..(rowCount * k)]);
    }

    private static void AssertMatchesReference(float[] input, int rowCount, int columnCount, int k, string variant, string what)
    {
        // When
        var (indices, values) = RunFast(input, rowCount, columnCount, k, variant);
        var expectedIndices = new int[rowCount * k];
        var expectedValues = new float[rowCount * k];
        TopKReference.Select(input, rowCount, columnCount, k, expectedIndices, expectedValues);

        // Then: same columns in the same order, and bit-identical values (copied, never recomputed).
        for (int i = 0; i < expectedIndices.Length; i++)
        {
            Assert.True(expectedIndices[i] == indices[i], $"{what}: index [{i / Math.Max(k, 1)},{i % Math.Max(k, 1)}] is {indices[i]}, expected {expectedIndices[i]}.");
            Assert.True(BitConverter.SingleToInt32Bits(expectedValues[i]) == BitConverter.SingleToInt32Bits(values[i]), $"{what}: value {i} is {values[i]}, expected {expectedValues[i]}.");
        }
    }

    private static float[] Gaussian(int length, ulong seed)
    {
        var data = new float[length];
        new Rng(seed).FillGaussian(data);
        return data;
    }

    [KernelTheory("topk")]
    [MemberData(nameof(Variants))]
    public void Select_MatchesReference_OnAwkwardSizes(string variant)
    {
        ulong seed = 1;
        foreach (int columnCount in ColumnCounts)
        {
            foreach (int k in new[] { 0, 1, 2, columnCount / 3, columnCount / 2, columnCount - 1, columnCount }.Where(k => k >= 0 && k <= columnCount).Distinct())
            {
                // Given
                const int rowCount = 5;
                var input = Gaussian(rowCount * columnCount, seed++);

                // When, Then
                AssertMatchesReference(input, rowCount, columnCount, k, variant, $"{variant} columns={columnCount} k={k}");
            }
        }
    }

    [KernelTheory("topk")]
    [MemberData(nameof(Variants))]
    public void Select_MatchesReference_AtSaeShapes(string variant)
    {
        foreach (var (columnCount, k) in new[] { (512, 32), (3072, 30), (4096, 60), (4096, 100) })
        {
            // Given: enough rows to cross several parallel parts.
            int rowCount = columnCount == 512 ? 200 : 6;
            var input = Gaussian(rowCount * columnCount, (ulong)columnCount + (ulong)k);

            // When, Then
            AssertMatchesReference(input, rowCount, columnCount, k, variant, $"{variant} columns={columnCount} k={k}");
        }
    }

    [KernelTheory("topk")]
    [MemberData(nameof(Variants))]
    public void Select_BreaksTiesTowardsLowerColumns(string variant)
    {
        // Given: rows of equal values, rows drawn from 3 values, all-negative rows, and -0 mixed with +0.
        const int columnCount = 70;
        var rows = new List<float[]>
        {
            Enumerable.Repeat(0.5f, columnCount).ToArray(),
            Enumerable.Range(0, columnCount).Select(i => (float)(i * 7 % 3)).ToArray(),
            Enumerable.Range(0, columnCount).Select(i => -1f - (i * 13 % 5)).ToArray(),
            Enumerable.Range(0, columnCount).Select(i => i % 2 == 0 ? -0f : 0f).ToArray(),
            Enumerable.Range(0, columnCount).Select(i => i % 3 == 0 ? float.PositiveInfinity : i % 3 == 1 ? float.NegativeInfinity : 1f).ToArray(),
        };
        var input = rows.SelectMany(row => row).ToArray();

        foreach (int k in new[] { 0, 1, 5, 16, 17, 35, 69, 70 })
        {
            // When, Then
            AssertMatchesReference(input, rows.Count, columnCount, k, variant, $"{variant} ties k={k}");
        }
    }

    // 0..3*8+1 (every vector tail), the edges of the 32-value scan blocks, the SAE / GPT-2 / EEG
    // widths and their odd neighbours.
    private static readonly int[] SweptColumnCounts = [.. Enumerable.Range(0, 26), 31, 32, 33, 63, 65, 100, 511, 512, 513, 3072, 4097];

    // Ranks on both sides of each sorting-network size of the portable kernel (8, 16, 32, 48, 64, 96,
    // 128 = lanes x rank) and of the AVX-512 one (16 x 1..4), beyond the networks, and k = h.
    private static IEnumerable<int> SweptRanks(int columnCount) =>
        new[] { 0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 49, 63, 64, 65, 95, 96, 97, 127, 128, 129, 200, columnCount / 2, columnCount - 1, columnCount }
            .Where(k => k >= 0 && k <= columnCount).Distinct();

    /// <summary>Rows drawn from a handful of values (heavy ties), signed zeros and infinities included.</summary>
    private static float[] FewValues(int length, ulong seed)
    {
        float[] pool = [-1f, -0f, 0f, 0.5f, 2f, float.PositiveInfinity, float.NegativeInfinity];
        var rng = new Rng(seed);
        return [.. Enumerable.Range(0, length).Select(_ => pool[rng.NextInt(pool.Length)])];
    }

    /// <summary>Gaussian rows salted with NaN, infinities, signed zeros, extremes and denormals.</summary>
    private static float[] SpecialValues(int length, ulong seed)
    {
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, float.MaxValue, -float.MaxValue, float.Epsilon, -float.Epsilon];
        var data = Gaussian(length, seed);
        var rng = new Rng(seed + 1);
        for (int i = 0; i < length; i++)
        {
            if (rng.NextInt(4) == 0) data[i] = specials[rng.NextInt(specials.Length)];
        }
        return data;
    }

    [KernelTheory("topk")]
    [MemberData(nameof(Variants))]
    public void Select_MatchesReference_OverSweptSizesAndRanks(string variant)
    {
        ulong seed = 100;
        foreach (int columnCount in SweptColumnCounts)
        {
            foreach (int k in SweptRanks(columnCount))
            {
                // Given
                int rowCount = columnCount > 600 ? 2 : 3;
                var input = Gaussian(rowCount * columnCount, seed++);

                // When, Then
                AssertMatchesReference(input, rowCount, columnCount, k, variant, $"{variant} gaussian columns={columnCount} k={k}");
            }
        }
    }

    [KernelTheory("topk")]
    [MemberData(nameof(Variants))]
    public void Select_MatchesReference_OnTiesAndSpecialValues(string variant)
    {
        ulong seed = 5000;
        foreach (int columnCount in SweptColumnCounts)
        {
            foreach (int k in SweptRanks(columnCount))
            {
                // Given: heavy ties (the k-th value repeats, ties straddle the cut), and NaN / inf / +-0 among Gaussians.
                int rowCount = columnCount > 600 ? 2 : 3;
                var ties = FewValues(rowCount * columnCount, seed++);
                var specials = SpecialValues(rowCount * columnCount, seed++);

                // When, Then
                AssertMatchesReference(ties, rowCount, columnCount, k, variant, $"{variant} few values columns={columnCount} k={k}");
                AssertMatchesReference(specials, rowCount, columnCount, k, variant, $"{variant} special values columns={columnCount} k={k}");
            }
        }
    }

    [KernelTheory("topk")]
    [MemberData(nameof(Variants))]
    public void Select_MatchesReference_OnRowsOfOneValue(string variant)
    {
        // Given: every entry equal (all tie; the lowest columns win), NaN rows included, and -0/+0 alternating.
        float[] fills = [0.25f, -3f, float.NaN, float.NegativeInfinity, float.PositiveInfinity];
        foreach (int columnCount in new[] { 1, 7, 8, 9, 33, 100, 513 })
        {
            var rows = fills.Select(fill => Enumerable.Repeat(fill, columnCount).ToArray()).ToList();
            rows.Add([.. Enumerable.Range(0, columnCount).Select(i => i % 3 == 0 ? 0f : -0f)]);
            var input = rows.SelectMany(row => row).ToArray();
            foreach (int k in SweptRanks(columnCount))
            {
                // When, Then
                AssertMatchesReference(input, rows.Count, columnCount, k, variant, $"{variant} constant rows columns={columnCount} k={k}");
            }
        }
    }

    [KernelTheory("topk")]
    [MemberData(nameof(Variants))]
    public void Select_MatchesReference_OnManyRowsWhoseScaleChanges(string variant)
    {
        // Given: runs of alike rows (a thread learns the k-th value from its previous rows, issue 16 item 1) broken by
        // rows of another scale or sign, constant rows, rows of few values and rows holding NaN.
        foreach (var (columnCount, k) in new[] { (512, 32), (100, 7), (40, 33) })
        {
            var rng = new Rng((ulong)columnCount);
            var rows = new List<float[]>();
            foreach (var (count, scale, offset) in new[] { (70, 1f, 0f), (20, 1000f, 0f), (20, 1e-3f, 0f), (25, 1f, -50f), (3, 0f, 2f), (30, 1f, 0f) })
            {
                for (int r = 0; r < count; r++) rows.Add([.. Gaussian(columnCount, rng.NextUInt64()).Select(value => scale * value + offset)]);
            }
            rows.Insert(100, FewValues(columnCount, 7));
            rows.Insert(101, SpecialValues(columnCount, 8));
            var input = rows.SelectMany(row => row).ToArray();

            // When, Then
            AssertMatchesReference(input, rows.Count, columnCount, k, variant, $"{variant} changing rows columns={columnCount} k={k}");
        }
    }

    [Fact]
    public void Reference_BreaksTiesBetweenNaNsTowardsLowerColumns()
    {
        // Given: a long row of NaN (long enough that the sort partitions rather than insertion-sorts)
        // with two numbers; NaN ranks below every number, and NaNs tie with each other.
        const int columnCount = 300;
        var input = Enumerable.Repeat(float.NaN, columnCount).ToArray();
        input[150] = 1f;
        input[299] = -2f;
        var indices = new int[50];

        // When
        TopKReference.Select(input, 1, columnCount, 50, indices, new float[50]);

        // Then: both numbers, then the 48 lowest-column NaNs.
        Assert.Equal([.. Enumerable.Range(0, 48), 150, 299], indices);
    }

    [KernelTheory("topk")]
    [MemberData(nameof(Variants))]
    public void Select_ReturnsDistinctAscendingColumns_WhenRowsHoldNaN(string variant)
    {
        // Given: NaN is rejected upstream; here it must only not hang or write out of range.
        var input = Gaussian(3 * 40, 5);
        input[3] = float.NaN;
        for (int i = 40; i < 80; i++) input[i] = float.NaN;

        // When
        var (indices, _) = RunFast(input, 3, 40, 10, variant);

        // Then
        for (int row = 0; row < 3; row++)
        {
            var chosen = indices.AsSpan(row * 10, 10).ToArray();
            Assert.All(chosen, column => Assert.InRange(column, 0, 39));
            Assert.Equal(chosen.Order().Distinct(), chosen);
        }
    }

    [Fact]
    public void Select_Throws_WhenKExceedsColumns()
    {
        var exception = Assert.Throws<ArgumentException>(() => TopK.Select(new float[6], 2, 3, 4, new int[8], new float[8]));
        Assert.Contains("k=4", exception.Message);
    }
}
