using Mfr.Matching;
using Mfr.Numerics;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Matching;

/// <summary>
/// The SIMD assignment kernels against their scalar references (STYLE.md 4), bit for bit (signs of
/// zero included): every fast variant the registry holds (<see cref="KernelRegistry.Assignment"/>), the ones
/// this machine cannot run reported as skipped.
/// </summary>
public sealed class AssignmentKernelsTests
{
    // 0..3*8+1 covers empty, shorter than a step, exact multiples and masked tails; 61 and 200 longer rows.
    private static readonly int[] LengthValues = [.. Enumerable.Range(0, 26), 61, 200];

    /// <summary>Every fast assignment variant (<see cref="KernelRegistry.Assignment"/>) at every length.</summary>
    public static TheoryData<string, int> Lengths => KernelVariants.Fast("assignment", LengthValues);

    /// <summary>Every fast assignment variant.</summary>
    public static TheoryData<string> Variants => KernelVariants.Fast("assignment");

    private static IAssignmentKernel Kernel(string variant) => KernelRegistry.Assignment.Get(variant);

    private static void AssertBitwiseEqual(double expected, double actual, string what) =>
        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual), $"{what}: {actual:R} (bits {BitConverter.DoubleToInt64Bits(actual):X}), expected {expected:R} (bits {BitConverter.DoubleToInt64Bits(expected):X}).");

    private static void AssertBitwiseEqual(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int j = 0; j < expected.Length; j++) AssertBitwiseEqual(expected[j], actual[j], $"{what}[{j}]");
    }

    private static (float[] Costs, double[] Duals) Row(int length, ulong seed, bool ties)
    {
        var rng = new Rng(seed);
        var costs = new float[length];
        var duals = new double[length];
        for (int j = 0; j < length; j++)
        {
            costs[j] = ties ? rng.NextInt(3) : 2 * rng.NextFloat() - 1;
            duals[j] = ties ? rng.NextInt(2) : rng.NextDouble() - 0.5;
        }
        return (costs, duals);
    }

    [KernelTheory("assignment")]
    [MemberData(nameof(Lengths))]
    public void RelaxRowAndFindLowest_MatchesReference(string variant, int length)
    {
        // Ties; real values; and zeros with offset -0, where -0 distances tie with +0 ones.
        foreach (var kind in new[] { "ties", "real", "signed zeros" })
        {
            // Given a partly relaxed distance array with some settled (masked) columns
            var (costs, duals) = Row(length, (ulong)length + 1, kind == "ties");
            double offset = 0.25;
            var rng = new Rng(7);
            var distances = new double[length];
            var rowForColumn = new int[length];
            for (int j = 0; j < length; j++)
            {
                distances[j] = rng.NextInt(3) == 0 ? double.PositiveInfinity : kind == "ties" ? rng.NextInt(3) : rng.NextDouble();
                rowForColumn[j] = rng.NextInt(4) - 1;
                if (kind == "signed zeros")
                {
                    // -0 + (-1 * 0 - 0) is -0: fresh columns become -0, columns already at +0 stay.
                    costs[j] = 0;
                    duals[j] = 0;
                    offset = -0.0;
                    if (!double.IsInfinity(distances[j])) distances[j] = 0;
                }
                if (rng.NextInt(5) == 0)
                {
                    duals[j] = double.NegativeInfinity;
                    distances[j] = double.PositiveInfinity;
                }
            }
            var paths = Enumerable.Range(0, length).Select(j => (long)j).ToArray();
            var expectedDistances = (double[])distances.Clone();
            var expectedPaths = (long[])paths.Clone();

            // When
            int expected = AssignmentKernelsReference.RelaxRowAndFindLowest(costs, -1, duals, offset, 99, expectedDistances, expectedPaths, rowForColumn, out double expectedLowest);
            int actual = Kernel(variant).RelaxRowAndFindLowest(costs, -1, duals, offset, 99, distances, paths, rowForColumn, out double actualLowest);

            // Then
            Assert.Equal(expected, actual);
            AssertBitwiseEqual(expectedLowest, actualLowest, $"{kind} lowest");
            AssertBitwiseEqual(expectedDistances, distances, $"{kind} distances");
            Assert.Equal(expectedPaths, paths);
        }
    }

    [KernelTheory("assignment")]
    [InlineData("avx512", 8)]
    [InlineData("avx512", 21)]
    [InlineData("avx512", 64)]
    [InlineData("portable", 8)]
    [InlineData("portable", 21)]
    [InlineData("portable", 64)]
    public void RelaxRowAndFindLowest_OnATie_PrefersAnUnassignedColumn(string variant, int length)
    {
        // Given equal costs everywhere: every column ties; only the last is unassigned
        var costs = Enumerable.Repeat(0.5f, length).ToArray();
        var distances = Enumerable.Repeat(double.PositiveInfinity, length).ToArray();
        var rowForColumn = Enumerable.Range(0, length).Select(j => j == length - 1 ? -1 : j).ToArray();

        int column = Kernel(variant).RelaxRowAndFindLowest(costs, 1, new double[length], 0, 0, distances, new long[length], rowForColumn, out _);

        Assert.Equal(length - 1, column);
    }

    [Theory]
    [InlineData(3, 11, -1, 11)]
    [InlineData(3, 11, 4, 3)]
    [InlineData(2, 18, -1, 18)]
    [InlineData(17, 18, -1, 18)]
    public void RelaxRowAndFindLowest_OnATieWithinALane_AppliesTheTieRule(int first, int second, int secondOwner, int expected)
    {
        foreach (string variant in KernelVariants.SupportedFast("assignment"))
        {
            // Given the minimum at exactly two columns (3 and 11 share a vector lane; 2 and 18 too at
            // 8 and 16 lanes), the first assigned, the second assigned or not
            const int length = 24;
            var costs = Enumerable.Repeat(1f, length).ToArray();
            costs[first] = 0;
            costs[second] = 0;
            var rowForColumn = Enumerable.Range(0, length).ToArray();
            rowForColumn[second] = secondOwner;
            var distances = Enumerable.Repeat(double.PositiveInfinity, length).ToArray();

            // When
            int column = Kernel(variant).RelaxRowAndFindLowest(costs, 1, new double[length], 0, 0, distances, new long[length], rowForColumn, out _);

            // Then: an unassigned column wins the tie, else the first
            Assert.Equal(expected, column);
        }
    }

    [KernelTheory("assignment")]
    [MemberData(nameof(Lengths))]
    public void FindLowest_MatchesReference(string variant, int length)
    {
        var rng = new Rng(3);
        var distances = Enumerable.Range(0, length).Select(_ => (double)rng.NextInt(4)).ToArray();
        var rowForColumn = Enumerable.Range(0, length).Select(_ => rng.NextInt(3) - 1).ToArray();
        for (int lowest = -1; lowest < 4; lowest++)
        {
            Assert.Equal(
                AssignmentKernelsReference.FindLowest(distances, lowest, rowForColumn),
                Kernel(variant).FindLowest(distances, lowest, rowForColumn));
        }
    }

    [KernelTheory("assignment")]
    [MemberData(nameof(Lengths))]
    public void Smallest_And_TwoSmallest_MatchReference(string variant, int length)
    {
        foreach (bool ties in new[] { false, true })
        {
            var (costs, duals) = Row(length, (ulong)length + 50, ties);

            AssertBitwiseEqual(AssignmentKernelsReference.Smallest(costs, -1, duals), Kernel(variant).Smallest(costs, -1, duals), $"ties={ties} smallest");
            foreach (double sign in new[] { 1.0, -1.0 })
            {
                var expected = AssignmentKernelsReference.TwoSmallest(costs, sign, duals);
                var actual = Kernel(variant).TwoSmallest(costs, sign, duals);
                Assert.Equal(expected, actual);
                AssertBitwiseEqual(expected.First, actual.First, $"ties={ties} sign={sign} first");
                AssertBitwiseEqual(expected.Second, actual.Second, $"ties={ties} sign={sign} second");
            }
        }
    }

    [Fact]
    public void Smallest_OfARowOfZeros_IsNegativeZeroLikeTheReference()
    {
        // Vector256 only: the AVX-512 version (not to be changed here) keeps whichever zero its
        // lanes saw (vminpd), which the solver cannot tell apart (it only compares the result).
        const string variant = "portable";
        foreach (int length in new[] { 8, 13, 40 })
        {
            for (int negative = 0; negative < length; negative++)
            {
                // Given: -1 * 0 - (-0) is +0 everywhere but one column, where -1 * 0 - 0 is -0.
                var costs = new float[length];
                var duals = Enumerable.Repeat(-0.0, length).ToArray();
                duals[negative] = 0;

                // When, Then: Math.Min prefers -0 over +0, wherever the -0 is.
                double expected = AssignmentKernelsReference.Smallest(costs, -1, duals);
                Assert.True(double.IsNegative(expected));
                AssertBitwiseEqual(expected, Kernel(variant).Smallest(costs, -1, duals), $"length {length}, -0 at {negative}");
            }
        }
    }

    [KernelTheory("assignment")]
    [MemberData(nameof(Lengths))]
    public void AllFinite_MatchesReference(string variant, int length)
    {
        foreach (float special in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            for (int position = 0; position < length; position++)
            {
                var values = Enumerable.Range(0, length).Select(i => (float)i).ToArray();
                values[position] = special;
                Assert.False(Kernel(variant).AllFinite(values));
                Assert.Equal(AssignmentKernelsReference.AllFinite(values), Kernel(variant).AllFinite(values));
            }
        }
        Assert.True(Kernel(variant).AllFinite(Enumerable.Repeat(float.MaxValue, length).ToArray()));
    }

    [KernelTheory("assignment")]
    [MemberData(nameof(Variants))]
    public void TwoSmallest_OnTies_PrefersLowerColumns(string variant)
    {
        var costs = Enumerable.Repeat(1f, 40).ToArray();
        costs[33] = 0;
        costs[5] = 0;

        var best = Kernel(variant).TwoSmallest(costs, 1, new double[40]);

        Assert.Equal(new TwoSmallest(0, 5, 0, 33), best);
    }

    [KernelTheory("assignment")]
    [MemberData(nameof(Lengths))]
    public void UpdateColumnMinima_MatchesReference(string variant, int length)
    {
        var expectedMinima = Enumerable.Repeat(double.PositiveInfinity, length).ToArray();
        var expectedRows = new long[length];
        var minima = (double[])expectedMinima.Clone();
        var rows = new long[length];
        for (int row = 0; row < 5; row++)
        {
            var (costs, _) = Row(length, (ulong)(row * 31 + length), ties: row % 2 == 0);
            AssignmentKernelsReference.UpdateColumnMinima(costs, -1, row, expectedMinima, expectedRows);
            Kernel(variant).UpdateColumnMinima(costs, -1, row, minima, rows);
        }
        AssertBitwiseEqual(expectedMinima, minima, "minima");
        Assert.Equal(expectedRows, rows);
    }

    /// <summary>List lengths (selected + bound) for a row of <paramref name="length"/>: 1, 2, 17 (the solver's), 24 and 25 (the SIMD limit and past it), the whole row.</summary>
    private static IEnumerable<int> ListLengths(int length) => new[] { 1, 2, 17, 24, 25, length }.Where(kept => kept >= 1 && kept <= length).Distinct();

    [Fact]
    public void SelectSmallest_Reference_IsTheSortedHeadOfTheRow()
    {
        foreach (int length in new[] { 1, 5, 40, 200 })
        {
            foreach (bool ties in new[] { false, true })
            {
                // Given a row and duals, ties or not
                var (costs, duals) = Row(length, (ulong)length * 3 + 1, ties);
                foreach (int kept in ListLengths(length))
                {
                    // When the reference selects
                    var columns = new int[kept];
                    var values = new double[kept];
                    AssignmentKernelsReference.SelectSmallest(costs, -1, duals, columns, values);

                    // Then it is the head of the row sorted by (reduced value, column)
                    var expected = Enumerable.Range(0, length).Select(j => (Value: -1.0 * costs[j] - duals[j], Column: j))
                        .OrderBy(e => e.Value).ThenBy(e => e.Column).Take(kept).ToArray();
                    Assert.Equal(expected.Select(e => e.Column), columns);
                    AssertBitwiseEqual(expected.Select(e => e.Value).ToArray(), values, $"values (length {length}, kept {kept}, ties {ties})");
                }
            }
        }
    }

    [KernelTheory("assignment")]
    [MemberData(nameof(Lengths))]
    public void SelectSmallest_MatchesReference(string variant, int length)
    {
        foreach (bool ties in new[] { false, true })
        {
            foreach (double sign in new[] { -1.0, 1.0 })
            {
                // Given a row and duals (ties: a few distinct values, so equal reduced values straddle the cut)
                var (costs, duals) = Row(length, (ulong)length * 7 + 3, ties);
                foreach (int kept in ListLengths(length))
                {
                    var expectedColumns = new int[kept];
                    var expectedValues = new double[kept];
                    var columns = new int[kept];
                    var values = new double[kept];

                    // When both select
                    AssignmentKernelsReference.SelectSmallest(costs, sign, duals, expectedColumns, expectedValues);
                    Kernel(variant).SelectSmallest(costs, sign, duals, columns, values);

                    // Then the lists are identical
                    Assert.Equal(expectedColumns, columns);
                    AssertBitwiseEqual(expectedValues, values, $"values (kept {kept}, ties {ties}, sign {sign})");
                }
            }
        }
    }

    [KernelTheory("assignment")]
    [MemberData(nameof(Variants))]
    public void SelectSmallest_LongRowsWithLargeDuals_MatchReference(string variant)
    {
        // Given cosine-sized rows with duals that reorder them (as in a warm-started solve), lengths around vector blocks
        foreach (int length in new[] { 31, 32, 33, 47, 48, 49, 63, 64, 65, 127, 1000, 3072 })
        {
            var rng = new Rng((ulong)length);
            var costs = new float[length];
            var duals = new double[length];
            for (int j = 0; j < length; j++)
            {
                costs[j] = 0.2f * (2 * rng.NextFloat() - 1);
                duals[j] = 0.1 * rng.NextGaussian();
            }
            var expectedColumns = new int[17];
            var expectedValues = new double[17];
            var columns = new int[17];
            var values = new double[17];

            // When
            AssignmentKernelsReference.SelectSmallest(costs, -1, duals, expectedColumns, expectedValues);
            Kernel(variant).SelectSmallest(costs, -1, duals, columns, values);

            // Then
            Assert.Equal(expectedColumns, columns);
            AssertBitwiseEqual(expectedValues, values, $"values (length {length})");
        }
    }

    /// <summary>The AVX-512 SelectSmallest's threshold step (a threshold too high would still give the reference's lists, so it is tested alone).</summary>
    [KernelTheory("assignment")]
    [InlineData("avx512")]
    public void KthSmallestOfBlock_IsTheReferencesKthSmallest(string variant)
    {
        Assert.Equal(KernelLevel.Avx512, Kernel(variant).Level);
        foreach (bool ties in new[] { false, true })
        {
            for (int trial = 0; trial < 10; trial++)
            {
                var rng = new Rng((ulong)(trial + (ties ? 100 : 0)));
                var values = new double[64];
                for (int i = 0; i < values.Length; i++)
                    values[i] = ties ? rng.NextInt(5) - 2 : rng.NextGaussian();
                if (trial % 3 == 0) values[rng.NextInt(64)] = double.PositiveInfinity;
                for (int rank = 1; rank <= 64; rank++)
                {
                    double expected = AssignmentKernelsReference.KthSmallest((double[])values.Clone(), rank);
                    double actual = AssignmentKernels512.KthSmallestOfBlock(values, rank);
                    Assert.True(expected == actual, $"rank {rank}, ties {ties}: {actual} against {expected}");
                }
            }
        }
    }
}
