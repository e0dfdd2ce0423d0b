using Mfr.Matching;

namespace Mfr.Tests.Matching;

public sealed class LinearAssignmentTests
{
    public static TheoryData<int, int> SmallShapes => new()
    {
        { 1, 1 }, { 2, 2 }, { 3, 3 }, { 4, 4 }, { 5, 5 }, { 6, 6 }, { 7, 7 },
        { 3, 6 }, { 6, 3 }, { 1, 5 }, { 5, 1 }, { 2, 7 }, { 7, 2 }, { 4, 5 }, { 5, 4 },
    };

    public sealed class MaximizeSimilarity
    {
        [Theory]
        [MemberData(nameof(SmallShapes), MemberType = typeof(LinearAssignmentTests))]
        public void RandomMatrix_MatchesBruteForceOptimum(int rows, int columns)
        {
            for (ulong seed = 1; seed <= 6; seed++)
            {
                // Given
                var matrix = AssignmentTestMatrices.Uniform(rows, columns, seed);

                // When
                var result = LinearAssignment.MaximizeSimilarity(matrix, rows, columns);

                // Then
                AssignmentChecks.ValidMatching(result, matrix, rows, columns);
                Assert.Equal(BruteForceAssignment.BestTotal(matrix, rows, columns, maximize: true), result.Total, 9);
            }
        }

        [Theory]
        [MemberData(nameof(SmallShapes), MemberType = typeof(LinearAssignmentTests))]
        public void IntegerMatrixWithManyTies_MatchesBruteForceOptimum(int rows, int columns)
        {
            for (ulong seed = 1; seed <= 6; seed++)
            {
                var matrix = AssignmentTestMatrices.Integers(rows, columns, seed, -2, 2);

                var result = LinearAssignment.MaximizeSimilarity(matrix, rows, columns);

                AssignmentChecks.ValidMatching(result, matrix, rows, columns);
                Assert.Equal(BruteForceAssignment.BestTotal(matrix, rows, columns, maximize: true), result.Total, 9);
                AssignmentChecks.DualCertificate(result, matrix, rows, columns, maximize: true);
            }
        }

        [Theory]
        [InlineData(5, 5)]
        [InlineData(3, 6)]
        [InlineData(6, 3)]
        public void AllEqualMatrix_GivesAFullMatchingWithTheCommonTotal(int rows, int columns)
        {
            var matrix = Enumerable.Repeat(0.25f, rows * columns).ToArray();

            var result = LinearAssignment.MaximizeSimilarity(matrix, rows, columns);

            AssignmentChecks.ValidMatching(result, matrix, rows, columns);
            Assert.Equal(0.25 * Math.Min(rows, columns), result.Total, 12);
        }

        [Fact]
        public void DuplicatedRows_MatchesBruteForceOptimum()
        {
            // Given rows 0, 2 and 4 identical and rows 1, 3 identical: every optimum is tied several ways.
            var matrix = new float[5 * 6];
            var baseRows = AssignmentTestMatrices.Uniform(2, 6, 9);
            for (int row = 0; row < 5; row++) Array.Copy(baseRows, (row % 2) * 6, matrix, row * 6, 6);

            var result = LinearAssignment.MaximizeSimilarity(matrix, 5, 6);

            AssignmentChecks.ValidMatching(result, matrix, 5, 6);
            Assert.Equal(BruteForceAssignment.BestTotal(matrix, 5, 6, maximize: true), result.Total, 9);
        }

        [Fact]
        public void KnownCase_PicksTheAntiDiagonal()
        {
            // Given: the diagonal sums to 1.5, the anti-diagonal to 1.8, the other four permutations to less.
            float[] matrix =
            [
                0.5f, 0.0f, 0.9f,
                0.0f, 0.5f, 0.0f,
                0.4f, 0.1f, 0.5f,
            ];

            var result = LinearAssignment.MaximizeSimilarity(matrix, 3, 3);

            Assert.Equal([2, 1, 0], result.ColumnForRow.ToArray());
            Assert.Equal(1.8, result.Total, 6);
        }

        [Theory]
        [InlineData(60, 60, 1UL)]
        [InlineData(150, 150, 2UL)]
        [InlineData(40, 110, 3UL)]
        [InlineData(110, 40, 4UL)]
        public void LargerRandomMatrix_CarriesAnOptimalityCertificate(int rows, int columns, ulong seed)
        {
            var matrix = AssignmentTestMatrices.Uniform(rows, columns, seed);

            var result = LinearAssignment.MaximizeSimilarity(matrix, rows, columns);

            AssignmentChecks.ValidMatching(result, matrix, rows, columns);
            AssignmentChecks.DualCertificate(result, matrix, rows, columns, maximize: true);
        }

        [Fact]
        public void SameInputTwice_GivesTheSameAssignment()
        {
            var matrix = AssignmentTestMatrices.Integers(40, 40, 5, 0, 3);

            var first = LinearAssignment.MaximizeSimilarity(matrix, 40, 40).ColumnForRow.ToArray();
            var second = LinearAssignment.MaximizeSimilarity(matrix, 40, 40).ColumnForRow.ToArray();

            Assert.Equal(first, second);
        }

        [Theory]
        [InlineData(0, 0)]
        [InlineData(0, 4)]
        [InlineData(4, 0)]
        public void EmptyMatrix_MatchesNothing(int rows, int columns)
        {
            var result = LinearAssignment.MaximizeSimilarity(new float[rows * columns], rows, columns);

            Assert.Equal(0, result.MatchedCount);
            Assert.Equal(0, result.Total);
            Assert.All(result.ColumnForRow.ToArray(), column => Assert.Equal(-1, column));
            Assert.All(result.RowForColumn.ToArray(), row => Assert.Equal(-1, row));
        }
    }

    public sealed class MinimizeCost
    {
        [Theory]
        [MemberData(nameof(SmallShapes), MemberType = typeof(LinearAssignmentTests))]
        public void NegativeAndPositiveCosts_MatchBruteForceOptimum(int rows, int columns)
        {
            for (ulong seed = 11; seed <= 14; seed++)
            {
                var matrix = AssignmentTestMatrices.Uniform(rows, columns, seed, -50, 20);

                var result = LinearAssignment.MinimizeCost(matrix, rows, columns);

                AssignmentChecks.ValidMatching(result, matrix, rows, columns);
                Assert.Equal(BruteForceAssignment.BestTotal(matrix, rows, columns, maximize: false), result.Total, 6);
                AssignmentChecks.DualCertificate(result, matrix, rows, columns, maximize: false, tolerance: 1e-7);
            }
        }

        [Fact]
        public void NegatedSimilarity_GivesTheSameMatchingAsMaximizing()
        {
            var similarity = AssignmentTestMatrices.Uniform(30, 30, 21);
            var cost = similarity.Select(x => -x).ToArray();

            var maximized = LinearAssignment.MaximizeSimilarity(similarity, 30, 30);
            var minimized = LinearAssignment.MinimizeCost(cost, 30, 30);

            Assert.Equal(maximized.ColumnForRow.ToArray(), minimized.ColumnForRow.ToArray());
            Assert.Equal(-maximized.Total, minimized.Total, 9);
        }
    }

    public sealed class Validation
    {
        [Fact]
        public void LengthNotMatchingShape_Throws()
        {
            var exception = Assert.Throws<ArgumentException>(() => LinearAssignment.MaximizeSimilarity(new float[11], 3, 4));
            Assert.Contains("[3, 4]", exception.Message);
        }

        [Fact]
        public void NaNEntry_ThrowsNamingTheEntry()
        {
            var matrix = new float[12];
            matrix[7] = float.NaN;

            var exception = Assert.Throws<ArgumentException>(() => LinearAssignment.MaximizeSimilarity(matrix, 3, 4));

            Assert.Contains("[1, 3]", exception.Message);
        }

        [Theory]
        [InlineData(3, 4, 1, 3)]
        [InlineData(3, 4, 2, 0)]
        [InlineData(6, 4, 5, 2)]
        [InlineData(2, 7, 1, 6)]
        public void NaNEntry_InAnyShape_ThrowsNamingTheInputEntry(int rows, int columns, int row, int column)
        {
            var matrix = AssignmentTestMatrices.Uniform(rows, columns, 1);
            matrix[row * columns + column] = float.NaN;

            var exception = Assert.Throws<ArgumentException>(() => LinearAssignment.MaximizeSimilarity(matrix, rows, columns));

            Assert.Contains($"[{row}, {column}]", exception.Message);
        }

        [Fact]
        public void NaNEntry_OnAWarmStart_ThrowsAndTheNextWarmStartSolvesCold()
        {
            var matrix = AssignmentTestMatrices.Uniform(20, 20, 2);
            var result = new LinearAssignmentResult();
            var workspace = new LinearAssignmentWorkspace();
            LinearAssignment.MaximizeSimilarity(matrix, 20, 20, result, workspace);
            var broken = (float[])matrix.Clone();
            broken[17 * 20 + 3] = float.PositiveInfinity;

            var exception = Assert.Throws<ArgumentException>(() => LinearAssignment.MaximizeSimilarity(broken, 20, 20, result, workspace, warmStart: true));
            LinearAssignment.MaximizeSimilarity(matrix, 20, 20, result, workspace, warmStart: true);

            Assert.Contains("[17, 3]", exception.Message);
            Assert.False(result.Statistics.WarmStarted);
            AssignmentChecks.DualCertificate(result, matrix, 20, 20, maximize: true);
        }

        [Fact]
        public void InfiniteEntry_Throws()
        {
            var matrix = new float[40];
            matrix[33] = float.NegativeInfinity;
            Assert.Throws<ArgumentException>(() => LinearAssignment.MinimizeCost(matrix, 5, 8));
        }

        [Fact]
        public void NegativeSize_Throws()
            => Assert.Throws<ArgumentException>(() => LinearAssignment.MaximizeSimilarity([], -1, 0));
    }
}
