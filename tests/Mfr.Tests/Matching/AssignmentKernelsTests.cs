using Mfr.Matching;
using Mfr.Numerics;

namespace Mfr.Tests.Matching;

/// <summary>The AVX-512 assignment kernels against their scalar references (STYLE.md 4).</summary>
public sealed class AssignmentKernelsTests
{
    // 0..3*8+1 covers empty, shorter than a vector, exact multiples and masked tails; 61 and 200 longer rows.
    public static TheoryData<int> Lengths => new(Enumerable.Range(0, 26).Concat([61, 200]));

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

    [Theory]
    [MemberData(nameof(Lengths))]
    public void RelaxRowAndFindLowest_MatchesReference(int length)
    {
        foreach (bool ties in new[] { false, true })
        {
            // Given a partly relaxed distance array with some settled (masked) columns
            var (costs, duals) = Row(length, (ulong)length + 1, ties);
            var rng = new Rng(7);
            var distances = new double[length];
            var rowForColumn = new int[length];
            for (int j = 0; j < length; j++)
            {
                distances[j] = rng.NextInt(3) == 0 ? double.PositiveInfinity : ties ? rng.NextInt(3) : rng.NextDouble();
                rowForColumn[j] = rng.NextInt(4) - 1;
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
            int expected = AssignmentKernelsReference.RelaxRowAndFindLowest(costs, -1, duals, 0.25, 99, expectedDistances, expectedPaths, rowForColumn, out double expectedLowest);
            int actual = AssignmentKernels.RelaxRowAndFindLowest(costs, -1, duals, 0.25, 99, distances, paths, rowForColumn, out double actualLowest);

            // Then
            Assert.Equal(expected, actual);
            Assert.Equal(expectedLowest, actualLowest);
            Assert.Equal(expectedDistances, distances);
            Assert.Equal(expectedPaths, paths);
        }
    }

    [Theory]
    [InlineData(8)]
    [InlineData(21)]
    [InlineData(64)]
    public void RelaxRowAndFindLowest_OnATie_PrefersAnUnassignedColumn(int length)
    {
        // Given equal costs everywhere: every column ties; only the last is unassigned
        var costs = Enumerable.Repeat(0.5f, length).ToArray();
        var distances = Enumerable.Repeat(double.PositiveInfinity, length).ToArray();
        var rowForColumn = Enumerable.Range(0, length).Select(j => j == length - 1 ? -1 : j).ToArray();

        int column = AssignmentKernels.RelaxRowAndFindLowest(costs, 1, new double[length], 0, 0, distances, new long[length], rowForColumn, out _);

        Assert.Equal(length - 1, column);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void FindLowest_MatchesReference(int length)
    {
        var rng = new Rng(3);
        var distances = Enumerable.Range(0, length).Select(_ => (double)rng.NextInt(4)).ToArray();
        var rowForColumn = Enumerable.Range(0, length).Select(_ => rng.NextInt(3) - 1).ToArray();
        for (int lowest = -1; lowest < 4; lowest++)
        {
            Assert.Equal(
                AssignmentKernelsReference.FindLowest(distances, lowest, rowForColumn),
                AssignmentKernels.FindLowest(distances, lowest, rowForColumn));
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Smallest_And_TwoSmallest_MatchReference(int length)
    {
        foreach (bool ties in new[] { false, true })
        {
            var (costs, duals) = Row(length, (ulong)length + 50, ties);

            Assert.Equal(AssignmentKernelsReference.Smallest(costs, -1, duals), AssignmentKernels.Smallest(costs, -1, duals));
            Assert.Equal(AssignmentKernelsReference.TwoSmallest(costs, 1, duals), AssignmentKernels.TwoSmallest(costs, 1, duals));
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void AllFinite_MatchesReference(int length)
    {
        foreach (float special in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            for (int position = 0; position < length; position++)
            {
                var values = Enumerable.Range(0, length).Select(i => (float)i).ToArray();
                values[position] = special;
                Assert.False(AssignmentKernels.AllFinite(values));
                Assert.Equal(AssignmentKernelsReference.AllFinite(values), AssignmentKernels.AllFinite(values));
            }
        }
        Assert.True(AssignmentKernels.AllFinite(Enumerable.Repeat(float.MaxValue, length).ToArray()));
    }

    [Fact]
    public void TwoSmallest_OnTies_PrefersLowerColumns()
    {
        var costs = Enumerable.Repeat(1f, 40).ToArray();
        costs[33] = 0;
        costs[5] = 0;

        var best = AssignmentKernels.TwoSmallest(costs, 1, new double[40]);

        Assert.Equal(new TwoSmallest(0, 5, 0, 33), best);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void UpdateColumnMinima_MatchesReference(int length)
    {
        var expectedMinima = Enumerable.Repeat(double.PositiveInfinity, length).ToArray();
        var expectedRows = new long[length];
        var minima = (double[])expectedMinima.Clone();
        var rows = new long[length];
        for (int row = 0; row < 5; row++)
        {
            var (costs, _) = Row(length, (ulong)(row * 31 + length), ties: row % 2 == 0);
            AssignmentKernelsReference.UpdateColumnMinima(costs, -1, row, expectedMinima, expectedRows);
            AssignmentKernels.UpdateColumnMinima(costs, -1, row, minima, rows);
        }
        Assert.Equal(expectedMinima, minima);
        Assert.Equal(expectedRows, rows);
    }
}
