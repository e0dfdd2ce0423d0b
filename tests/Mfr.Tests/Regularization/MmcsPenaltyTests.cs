using Mfr.Numerics;
using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Regularization;

public sealed class MmcsPenaltyTests
{
    private static EnsembleMember[] Members(params SaeConfig[] configs) =>
        configs.Select((c, m) => new EnsembleMember(m, c, seed: 10 + (ulong)m, maxBatchSize: 1, new AdamSettings(0.01f))).ToArray();

    [Fact]
    public void Refresh_GivesTheSameAssignmentsAndGradients_ForOneAndTwoThreads()
    {
        // Given four SAEs (six pairs, solved side by side when there are two threads)
        var configs = new[] { new SaeConfig(24, 40, 3), new SaeConfig(24, 40, 4), new SaeConfig(24, 33, 5), new SaeConfig(24, 47, 2) };
        var config = new MfrConfig(Beta: 0.5, WarmupSteps: 0);
        (double Penalty, double[] PairMmcs, float[][] Gradients) RunWith(int threads)
        {
            int saved = Parallelism.MaxThreads;
            var members = Members(configs);
            try
            {
                Parallelism.MaxThreads = threads;
                using var penalty = new MmcsPenalty(config, configs);
                foreach (var m in members) m.Workspace.WeightGradient.Clear();
                var outcome = penalty.Apply(1, members, [1, 1, 1, 1]);
                return (outcome.Penalty, outcome.PairMmcs.ToArray(), members.Select(m => m.Workspace.WeightGradient.ToArray()).ToArray());
            }
            finally
            {
                Parallelism.MaxThreads = saved;
                foreach (var m in members) m.Dispose();
            }
        }

        // When
        var one = RunWith(1);
        var two = RunWith(2);

        // Then bit for bit
        Assert.Equal(one.Penalty, two.Penalty);
        Assert.Equal(one.PairMmcs, two.PairMmcs);
        for (int m = 0; m < configs.Length; m++) Assert.Equal(one.Gradients[m], two.Gradients[m]);
        Assert.Equal(6, one.PairMmcs.Length);
    }

    [Fact]
    public void Refreshes_AtSizesThatTakeTheCandidateLists_FindTheDenseSolversAssignments()
    {
        // Given three SAEs wide enough for the candidate-list solver (h >= CandidateAssignment.MinimumSize), refreshed every 2 steps
        // while their weights drift, so later refreshes are warm-started
        const int Latents = 140, Dimension = 20;
        var configs = new[] { new SaeConfig(Dimension, Latents, 3), new SaeConfig(Dimension, Latents, 4), new SaeConfig(Dimension, Latents, 5) };
        var members = Members(configs);
        using var penalty = new MmcsPenalty(new MfrConfig(Beta: 0.5, WarmupSteps: 0, AssignmentRefreshSteps: 2), configs);
        var rng = new Rng(3);
        try
        {
            for (int step = 1; step <= 7; step += 2)
            {
                foreach (var member in members)
                {
                    for (int i = 0; i < member.Sae.Weights.Length; i++) member.Sae.Weights[i] += 0.05f * rng.NextGaussian();
                    member.Sae.RefreshDecoder();
                }

                // When the penalty refreshes its assignments
                var outcome = penalty.Apply(step, members, [1, 1, 1]);

                // Then each pair's assignment is the dense solver's on the same cosines
                Assert.True(outcome.AssignmentRefreshed);
                var pairs = new[] { (0, 1), (0, 2), (1, 2) };
                for (int p = 0; p < pairs.Length; p++)
                {
                    var (a, b) = pairs[p];
                    // (decoder rows are unit length: their products are the cosines the penalty solves on)
                    var cosines = new float[Latents * Latents];
                    Gemm.MultiplyTransposed(members[a].Sae.Decoder, members[b].Sae.Decoder, Latents, Latents, Dimension, cosines);
                    var dense = Mfr.Matching.LinearAssignment.MaximizeSimilarity(cosines, Latents, Latents);
                    Assert.Equal(dense.ColumnForRow.ToArray(), penalty.Assignments[p].ColumnForRow.ToArray());
                }
            }
        }
        finally
        {
            foreach (var m in members) m.Dispose();
        }
    }

    [Fact]
    public void Gradient_MatchesFiniteDifferences_WithAssignmentHeld()
    {
        // Given three SAEs of different widths (rectangular pairs) with non-unit rows
        var members = Members(new SaeConfig(6, 5, 2), new SaeConfig(6, 4, 2), new SaeConfig(6, 7, 3));
        var rng = new Rng(1);
        foreach (var member in members)
        {
            for (int i = 0; i < member.Sae.Weights.Length; i++) member.Sae.Weights[i] *= 0.5f + rng.NextFloat();
            member.Sae.RefreshDecoder();
        }
        var config = new MfrConfig(Beta: 0.7, WarmupSteps: 10, AssignmentRefreshSteps: 1_000_000);
        using var penalty = new MmcsPenalty(config, members.Select(m => m.Sae.Config).ToArray());
        double[] losses = [1, 1, 1];

        // When the penalty's gradient is taken at step 20 (w = 1; assignment solved once, then held)
        foreach (var m in members) m.Workspace.WeightGradient.Clear();
        penalty.Apply(20, members, losses);
        var analytic = members.Select(m => m.Workspace.WeightGradient.ToArray()).ToArray();

        // Then it equals central differences of P with the same assignment
        const float step = 1e-3f;
        double PenaltyNow()
        {
            foreach (var m in members) m.Sae.RefreshDecoder();
            double value = penalty.Apply(21, members, losses).Penalty;
            foreach (var m in members) m.Workspace.WeightGradient.Clear();
            return value;
        }
        foreach (var member in members)
        {
            var numeric = new float[analytic[member.Index].Length];
            for (int i = 0; i < numeric.Length; i++)
            {
                float original = member.Sae.Weights[i];
                member.Sae.Weights[i] = original + step;
                double plus = PenaltyNow();
                member.Sae.Weights[i] = original - step;
                double minus = PenaltyNow();
                member.Sae.Weights[i] = original;
                numeric[i] = (float)((plus - minus) / (2 * step));
            }
            AssertClose.Equal(numeric, analytic[member.Index], absolute: 2e-4, relative: 2e-2, what: $"dP/dW of SAE {member.Index}");
        }
        foreach (var m in members) m.Dispose();
    }

    [Fact]
    public void AutoBeta_MakesTheInitialPenaltyEqualTheReconstructionLoss_AfterWarmupWeight()
    {
        var members = Members(new SaeConfig(8, 6, 2), new SaeConfig(8, 6, 2));
        using var penalty = new MmcsPenalty(new MfrConfig(WarmupSteps: 100), members.Select(m => m.Sae.Config).ToArray());
        var outcome = penalty.Apply(1, members, [0.3, 0.5]);
        double expectedWeight = 0.5 * (1 + Math.Cos(Math.PI * 99 / 100));
        Assert.Equal(expectedWeight, outcome.WarmupWeight, 12);
        Assert.Equal(0.4 * expectedWeight, outcome.Penalty, 9);
        Assert.Equal(0.4 / (1 - outcome.PairMmcs[0]), outcome.Beta, 9);
        foreach (var m in members) m.Dispose();
    }

    [Fact]
    public void IdenticalSaes_HaveMmcsOne_AndZeroPenalty()
    {
        var members = Members(new SaeConfig(8, 6, 2), new SaeConfig(8, 6, 2));
        members[1].Sae.CopyFrom(members[0].Sae);
        using var penalty = new MmcsPenalty(new MfrConfig(Beta: 3, WarmupSteps: 0), members.Select(m => m.Sae.Config).ToArray());
        var outcome = penalty.Apply(5, members, [1, 1]);
        Assert.Equal(1.0, outcome.PairMmcs[0], 5);
        Assert.Equal(0.0, outcome.Penalty, 5);
        foreach (var m in members) m.Dispose();
    }

    [Theory]
    [InlineData(1, 0.5 * (1 + -0.99950656036573))]
    [InlineData(50, 0.5)]
    [InlineData(100, 1.0)]
    [InlineData(5000, 1.0)]
    public void WarmupWeight_RisesFromZeroToOne(long step, double expected)
    {
        Assert.Equal(expected, new MfrConfig(WarmupSteps: 100).WarmupWeight(step), 9);
    }
}
