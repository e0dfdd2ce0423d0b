using Mfr.Matching;
using Mfr.Numerics;

namespace Mfr.Tests.Matching;

/// <summary>
/// The candidate-list solver against the dense solver (itself checked against scipy and brute force): the same optimum on
/// random, tied, degenerate and adversarial matrices, cold and warm-started, at sizes that take the candidate path
/// (square, at least <see cref="CandidateAssignment.MinimumSize"/>) and at sizes that go to the dense solver.
/// </summary>
public sealed class CandidateAssignmentTests
{
    private static LinearAssignmentResult Solve(float[] matrix, int rows, int columns, CandidateAssignmentWorkspace? workspace = null)
    {
        var result = new LinearAssignmentResult();
        CandidateAssignment.MaximizeSimilarity(matrix, rows, columns, result, workspace ?? new CandidateAssignmentWorkspace());
        return result;
    }

    /// <summary>Unit rows of a random Gaussian matrix, and the cosines of two such sets (optionally the second a noisy permuted copy).</summary>
    private static float[] Cosines(int size, int dimension, ulong seed, float copyNoise = -1)
    {
        var rng = new Rng(seed);
        var first = new float[size * dimension];
        rng.FillGaussian(first);
        CosineSimilarity.NormalizeRows(first, size, dimension, first);
        var second = new float[size * dimension];
        if (copyNoise < 0)
        {
            rng.FillGaussian(second);
        }
        else
        {
            for (int row = 0; row < size; row++)
            {
                int source = (row * 7 + 3) % size;
                for (int k = 0; k < dimension; k++) second[row * dimension + k] = first[source * dimension + k] + copyNoise * rng.NextGaussian() / MathF.Sqrt(dimension);
            }
        }
        CosineSimilarity.NormalizeRows(second, size, dimension, second);
        return CosineSimilarity.Compute(first, second, size, size, dimension);
    }

    [Theory]
    [InlineData(128, 1)]
    [InlineData(131, 2)]
    [InlineData(197, 3)]
    [InlineData(256, 4)]
    public void RandomMatrices_SameAssignmentAsTheDenseSolver(int size, ulong seed)
    {
        // Given a random real-valued matrix (a unique optimum) and random cosines
        foreach (var matrix in new[] { AssignmentTestMatrices.Uniform(size, size, seed), Cosines(size, 24, seed) })
        {
            // When
            var candidate = Solve(matrix, size, size);
            var dense = LinearAssignment.MaximizeSimilarity(matrix, size, size);

            // Then the candidate path ran and found the dense solver's assignment, with duals that certify it on every edge
            Assert.True(candidate.Statistics.Augmentations + candidate.Statistics.RowReductionSteps > 0);
            Assert.Equal(dense.ColumnForRow.ToArray(), candidate.ColumnForRow.ToArray());
            Assert.Equal(dense.Total, candidate.Total);
            AssignmentChecks.ValidMatching(candidate, matrix, size, size);
            AssignmentChecks.DualCertificate(candidate, matrix, size, size, maximize: true);
        }
    }

    [Theory]
    [InlineData(128, 0, 1)]
    [InlineData(150, 0, 2)]
    [InlineData(200, -1, 1)]
    public void TiedIntegerMatrices_SameOptimalTotal(int size, int low, int high)
    {
        for (ulong seed = 1; seed <= 3; seed++)
        {
            // Given a matrix of a few integers: many optimal assignments, and ties at every list's cut
            var matrix = AssignmentTestMatrices.Integers(size, size, seed, low, high);

            // When
            var candidate = Solve(matrix, size, size);
            var dense = LinearAssignment.MaximizeSimilarity(matrix, size, size);

            // Then another optimum may be found, but of the same total, certified by its duals
            AssignmentChecks.ValidMatching(candidate, matrix, size, size);
            AssignmentChecks.DualCertificate(candidate, matrix, size, size, maximize: true);
            Assert.Equal(dense.Total, candidate.Total);
        }
    }

    [Fact]
    public void DegenerateMatrices_SameOptimalTotal()
    {
        const int Size = 160;
        var rng = new Rng(5);
        var rowScale = Enumerable.Range(0, Size).Select(_ => rng.NextFloat()).ToArray();
        var columnScale = Enumerable.Range(0, Size).Select(_ => rng.NextFloat()).ToArray();
        var matrices = new Dictionary<string, float[]>
        {
            ["constant"] = Enumerable.Repeat(0.25f, Size * Size).ToArray(),
            ["zero"] = new float[Size * Size],
            // Rank one: every permutation's total differs only by rounding; the rearrangement inequality picks sorted pairs.
            ["rank one"] = Enumerable.Range(0, Size * Size).Select(i => rowScale[i / Size] * columnScale[i % Size]).ToArray(),
            // Rows identical: every assignment is optimal.
            ["equal rows"] = Enumerable.Range(0, Size * Size).Select(i => columnScale[i % Size]).ToArray(),
            // Columns identical.
            ["equal columns"] = Enumerable.Range(0, Size * Size).Select(i => rowScale[i / Size]).ToArray(),
        };
        foreach (var (name, matrix) in matrices)
        {
            // When
            var candidate = Solve(matrix, Size, Size);
            var dense = LinearAssignment.MaximizeSimilarity(matrix, Size, Size);

            // Then
            AssignmentChecks.ValidMatching(candidate, matrix, Size, Size);
            AssignmentChecks.DualCertificate(candidate, matrix, Size, Size, maximize: true);
            Assert.True(dense.Total == candidate.Total, $"{name}: total {candidate.Total:R}, dense {dense.Total:R}.");
        }
    }

    [Fact]
    public void EveryRowPrefersTheSameColumns_OptimumOutsideTheLists()
    {
        // Given 24 "hub" columns every row rates above all others: every row lists only hub columns, so all but 24 rows
        // must be matched outside their lists, and the other columns are in no list at all
        const int Size = 180, Hubs = 24;
        var matrix = AssignmentTestMatrices.Uniform(Size, Size, 9, -1, 0);
        var rng = new Rng(10);
        for (int row = 0; row < Size; row++)
            for (int column = 0; column < Hubs; column++) matrix[row * Size + column] = 1 + rng.NextFloat();

        // When
        var candidate = Solve(matrix, Size, Size);
        var dense = LinearAssignment.MaximizeSimilarity(matrix, Size, Size);

        // Then rows were matched outside their lists, by searches, and the optimum is the dense solver's
        Assert.True(candidate.Statistics.FullRowScans > 0);
        Assert.True(candidate.Statistics.Augmentations > 0);
        Assert.Equal(dense.ColumnForRow.ToArray(), candidate.ColumnForRow.ToArray());
        AssignmentChecks.DualCertificate(candidate, matrix, Size, Size, maximize: true);
    }

    [Theory]
    [InlineData(140, 1e-3f, -1f)]
    [InlineData(140, 0.05f, -1f)]
    [InlineData(200, 1e-2f, 0.5f)]
    public void SequenceOfPerturbedMatrices_WarmStartsMatchTheColdDenseOptimum(int size, float perturbation, float copyNoise)
    {
        // Given cosines that drift at every step, as between two SAEs in training (unrelated sets, or a noisy copy)
        var matrix = Cosines(size, 32, 17, copyNoise);
        var warm = new LinearAssignmentResult();
        var workspace = new CandidateAssignmentWorkspace();
        CandidateAssignment.MaximizeSimilarity(matrix, size, size, warm, workspace);
        for (int step = 1; step <= 6; step++)
        {
            matrix = AssignmentTestMatrices.Perturbed(matrix, perturbation, (ulong)(300 + step));

            // When
            CandidateAssignment.MaximizeSimilarity(matrix, size, size, warm, workspace, warmStart: true);
            var cold = LinearAssignment.MaximizeSimilarity(matrix, size, size);

            // Then
            Assert.True(warm.Statistics.WarmStarted);
            Assert.Equal(cold.ColumnForRow.ToArray(), warm.ColumnForRow.ToArray());
            AssignmentChecks.DualCertificate(warm, matrix, size, size, maximize: true);
        }
    }

    private const int UnrelatedSize = 170;

    /// <summary>The optimum of one random cosine matrix (result and workspace), and a second, unrelated matrix: most previous pairs are not tight in it.</summary>
    private static (float[] Second, LinearAssignmentResult Start, CandidateAssignmentWorkspace Workspace) UnrelatedWarmStart()
    {
        var start = new LinearAssignmentResult();
        var workspace = new CandidateAssignmentWorkspace();
        CandidateAssignment.MaximizeSimilarity(Cosines(UnrelatedSize, 24, 31), UnrelatedSize, UnrelatedSize, start, workspace);
        return (Cosines(UnrelatedSize, 24, 32), start, workspace);
    }

    [Fact]
    public void WarmStartFromAnUnrelatedMatrix_RestartsColdAndFindsTheOptimum()
    {
        // Given the optimum of one random cosine matrix, and a second, unrelated one
        const int Size = UnrelatedSize;
        var (second, result, workspace) = UnrelatedWarmStart();

        // When the second is solved warm-started from the first's solution
        CandidateAssignment.MaximizeSimilarity(second, Size, Size, result, workspace, warmStart: true);

        // Then the start freed most rows (so the solver restarted from zero duals) and the optimum is the dense solver's
        Assert.True(result.Statistics.RowsFreedByWarmStart > Size / 2, $"{result.Statistics.RowsFreedByWarmStart} rows freed.");
        Assert.Equal(LinearAssignment.MaximizeSimilarity(second, Size, Size).ColumnForRow.ToArray(), result.ColumnForRow.ToArray());
        AssignmentChecks.DualCertificate(result, second, Size, Size, maximize: true);
    }

    [Fact]
    public void WarmStartFromAnUnrelatedLargerMatrix_DecidesOnItsFirstRows()
    {
        // Given the optimum of one random cosine matrix larger than the check's sample (256 rows), and an unrelated one
        const int Size = 600;
        var start = new LinearAssignmentResult();
        var workspace = new CandidateAssignmentWorkspace();
        CandidateAssignment.MaximizeSimilarity(Cosines(Size, 24, 41), Size, Size, start, workspace);
        var second = Cosines(Size, 24, 42);

        // When the second is solved warm-started from the first's solution
        CandidateAssignment.MaximizeSimilarity(second, Size, Size, start, workspace, warmStart: true);

        // Then the check stopped after the sample, most of which it had freed (not after freeing half of all rows),
        // and the cold solve found the dense solver's optimum
        Assert.InRange(start.Statistics.RowsFreedByWarmStart, 129, 256);
        Assert.Equal(LinearAssignment.MaximizeSimilarity(second, Size, Size).ColumnForRow.ToArray(), start.ColumnForRow.ToArray());
        AssignmentChecks.DualCertificate(start, second, Size, Size, maximize: true);
    }

    [Fact]
    public void WarmStartThatRestartsCold_StillRejectsANonFiniteEntryInARowTheWarmPassDidNotReach()
    {
        // Given a warm start that frees most rows, so its pass over the rows stops early (as in the test above), and an
        // infinity in the last row, which that pass never reads: the cold solve checks each row when it first lists it
        const int Size = UnrelatedSize;
        var (second, start, workspace) = UnrelatedWarmStart();
        var result = new LinearAssignmentResult();
        start.CopyTo(result);
        CandidateAssignment.MaximizeSimilarity(second, Size, Size, result, workspace, warmStart: true);
        Assert.True(result.Statistics.RowsFreedByWarmStart > Size / 2, $"{result.Statistics.RowsFreedByWarmStart} rows freed.");
        second[(Size - 1) * Size + 7] = float.PositiveInfinity;
        start.CopyTo(result);

        // When / Then
        var error = Assert.Throws<ArgumentException>(() => CandidateAssignment.MaximizeSimilarity(second, Size, Size, result, workspace, warmStart: true));
        Assert.Contains($"[{Size - 1}, 7]", error.Message);
    }

    [Fact]
    public void WarmStartFromTheDenseSolversSolution_KeepsEveryPairOfAnUnchangedMatrix()
    {
        // Given the dense optimum of a matrix
        const int Size = 150;
        var matrix = Cosines(Size, 16, 21);
        var result = LinearAssignment.MaximizeSimilarity(matrix, Size, Size);
        var expected = result.ColumnForRow.ToArray();

        // When the candidate solver warm-starts from it on the same matrix
        CandidateAssignment.MaximizeSimilarity(matrix, Size, Size, result, new CandidateAssignmentWorkspace(), warmStart: true);

        // Then no row needed a search
        Assert.Equal(0, result.Statistics.Augmentations);
        Assert.Equal(expected, result.ColumnForRow.ToArray());
    }

    [Theory]
    [InlineData(10, 10)]
    [InlineData(127, 127)]
    [InlineData(130, 140)]
    [InlineData(140, 130)]
    public void SmallOrRectangularProblems_GoToTheDenseSolver(int rows, int columns)
    {
        // Given
        var matrix = AssignmentTestMatrices.Uniform(rows, columns, 7);

        // When
        var candidate = Solve(matrix, rows, columns);
        var dense = LinearAssignment.MaximizeSimilarity(matrix, rows, columns);

        // Then
        Assert.Equal(dense.ColumnForRow.ToArray(), candidate.ColumnForRow.ToArray());
        Assert.Equal(0, candidate.Statistics.FullRowScans);
    }

    [Fact]
    public void NonFiniteEntry_IsRejectedWithItsPosition()
    {
        // Given
        var matrix = AssignmentTestMatrices.Uniform(130, 130, 3);
        matrix[77 * 130 + 5] = float.NaN;

        // When / Then
        var error = Assert.Throws<ArgumentException>(() => Solve(matrix, 130, 130));
        Assert.Contains("[77, 5]", error.Message);
    }
}
