using Mfr.Matching;

namespace Mfr.Tests.Matching;

public sealed class LinearAssignmentWarmStartTests
{
    [Theory]
    [InlineData(50, 50, 1e-4f)]
    [InlineData(50, 50, 1e-2f)]
    [InlineData(50, 50, 0.5f)]
    [InlineData(160, 160, 1e-3f)]
    [InlineData(40, 70, 1e-3f)]
    [InlineData(40, 70, 0.3f)]
    [InlineData(70, 40, 1e-3f)]
    [InlineData(70, 40, 0.3f)]
    public void SequenceOfPerturbedMatrices_WarmSolveEqualsColdOptimum(int rows, int columns, float perturbation)
    {
        // Given a matrix that drifts a little at every step, as the cosines between two SAEs during training
        var matrix = AssignmentTestMatrices.Uniform(rows, columns, 31);
        var warm = new LinearAssignmentResult();
        var workspace = new LinearAssignmentWorkspace();
        LinearAssignment.MaximizeSimilarity(matrix, rows, columns, warm, workspace);

        for (int step = 1; step <= 8; step++)
        {
            matrix = AssignmentTestMatrices.Perturbed(matrix, perturbation, (ulong)(100 + step));

            // When
            LinearAssignment.MaximizeSimilarity(matrix, rows, columns, warm, workspace, warmStart: true);
            var cold = LinearAssignment.MaximizeSimilarity(matrix, rows, columns);

            // Then
            Assert.True(warm.Statistics.WarmStarted);
            AssignmentChecks.ValidMatching(warm, matrix, rows, columns);
            AssignmentChecks.DualCertificate(warm, matrix, rows, columns, maximize: true);
            Assert.Equal(cold.Total, warm.Total, 9);
        }
    }

    [Fact]
    public void IntegerMatricesWithTies_WarmSolveMatchesBruteForce()
    {
        var warm = new LinearAssignmentResult();
        var workspace = new LinearAssignmentWorkspace();
        for (int step = 0; step < 20; step++)
        {
            // Given a different tie-heavy 6x6 matrix each step (large changes, many tied optima)
            var matrix = AssignmentTestMatrices.Integers(6, 6, (ulong)(200 + step), 0, 2);

            LinearAssignment.MaximizeSimilarity(matrix, 6, 6, warm, workspace, warmStart: true);

            AssignmentChecks.ValidMatching(warm, matrix, 6, 6);
            Assert.Equal(BruteForceAssignment.BestTotal(matrix, 6, 6, maximize: true), warm.Total, 9);
        }
    }

    [Fact]
    public void UnchangedMatrix_KeepsEveryPairAndSearchesNothing()
    {
        var matrix = AssignmentTestMatrices.Uniform(200, 200, 41);
        var result = new LinearAssignmentResult();
        var workspace = new LinearAssignmentWorkspace();
        LinearAssignment.MaximizeSimilarity(matrix, 200, 200, result, workspace);
        var coldAssignment = result.ColumnForRow.ToArray();

        LinearAssignment.MaximizeSimilarity(matrix, 200, 200, result, workspace, warmStart: true);

        Assert.Equal(0, result.Statistics.RowsFreedByWarmStart);
        Assert.Equal(0, result.Statistics.Augmentations);
        Assert.Equal(coldAssignment, result.ColumnForRow.ToArray());
    }

    [Fact]
    public void DifferentShape_SolvesCold()
    {
        var result = new LinearAssignmentResult();
        var workspace = new LinearAssignmentWorkspace();
        LinearAssignment.MaximizeSimilarity(AssignmentTestMatrices.Uniform(10, 12, 1), 10, 12, result, workspace);
        var matrix = AssignmentTestMatrices.Uniform(12, 10, 2);

        LinearAssignment.MaximizeSimilarity(matrix, 12, 10, result, workspace, warmStart: true);

        Assert.False(result.Statistics.WarmStarted);
        AssignmentChecks.ValidMatching(result, matrix, 12, 10);
        AssignmentChecks.DualCertificate(result, matrix, 12, 10, maximize: true);
    }

    [Fact]
    public void DifferentObjective_SolvesCold()
    {
        var matrix = AssignmentTestMatrices.Uniform(20, 20, 3);
        var result = new LinearAssignmentResult();
        var workspace = new LinearAssignmentWorkspace();
        LinearAssignment.MaximizeSimilarity(matrix, 20, 20, result, workspace);

        LinearAssignment.MinimizeCost(matrix, 20, 20, result, workspace, warmStart: true);

        Assert.False(result.Statistics.WarmStarted);
        AssignmentChecks.DualCertificate(result, matrix, 20, 20, maximize: false);
    }

    [Fact]
    public void RepeatedWarmSolves_AllocateNothing()
    {
        // Given a result and workspace that have served this shape once, cold and warm
        var matrix = AssignmentTestMatrices.Uniform(120, 120, 51);
        var nudged = AssignmentTestMatrices.Perturbed(matrix, 1e-3f, 52);
        var result = new LinearAssignmentResult();
        var workspace = new LinearAssignmentWorkspace();
        LinearAssignment.MaximizeSimilarity(matrix, 120, 120, result, workspace);
        LinearAssignment.MaximizeSimilarity(nudged, 120, 120, result, workspace, warmStart: true);

        // When
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 0; step < 10; step++)
        {
            LinearAssignment.MaximizeSimilarity(step % 2 == 0 ? matrix : nudged, 120, 120, result, workspace, warmStart: true);
            LinearAssignment.MaximizeSimilarity(matrix, 120, 120, result, workspace);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Then
        Assert.Equal(0, allocated);
    }
}
