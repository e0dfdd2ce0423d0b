using Mfr.Numerics;
using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Regularization;

public sealed class MeanMaxPenaltyTests
{
    private static EnsembleMember[] Members(params SaeConfig[] configs) =>
        configs.Select((c, m) => new EnsembleMember(m, c, seed: 20 + (ulong)m, maxBatchSize: 1, new AdamSettings(0.01f))).ToArray();

    private static MfrConfig MeanMax(double? beta, int warmupSteps = 10) => new(MfrMode.MeanMax, beta, warmupSteps);

    [Fact]
    public void Value_MatchesAHandComputedCase_WithNonUnitRows()
    {
        // Given A with rows (3,0), (0,3) and B with rows (0.6,0.8), (2,0), (0,-2): unit rows (1,0), (0,1) and
        // (0.6,0.8), (1,0), (0,-1). Cosines A x B = [[0.6, 1, 0], [0.8, 0, -1]]:
        // mm(A,B) = (1 + 0.8) / 2 = 0.9, mm(B,A) = (0.8 + 1 + 0) / 3 = 0.6, s = 0.75.
        var members = Members(new SaeConfig(2, 2, 1), new SaeConfig(2, 3, 1));
        float[] a = [3, 0, 0, 3], b = [0.6f, 0.8f, 2, 0, 0, -2];
        a.CopyTo(members[0].Sae.Weights);
        b.CopyTo(members[1].Sae.Weights);
        foreach (var m in members) m.Sae.RefreshDecoder();
        using var penalty = new MeanMaxPenalty(MeanMax(beta: 2, warmupSteps: 4), [.. members.Select(m => m.Sae.Config)]);

        // When it is applied after the warm-up (step 5: w = min(1, 4/4) = 1) and half way through it (step 3: w = 2/4)
        var full = penalty.Apply(5, members, [1, 1]);
        var half = penalty.Apply(3, members, [1, 1]);

        // Then s = 0.75 and P = beta w (1 - s)
        Assert.Equal(0.75, full.PairMmcs[0], 6);
        Assert.Equal(2 * 0.25, full.Penalty, 6);
        Assert.Equal(1.0, full.WarmupWeight);
        Assert.Equal(0.5, half.WarmupWeight);
        Assert.Equal(2 * 0.5 * 0.25, half.Penalty, 6);
        foreach (var m in members) m.Dispose();
    }

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 0.1)]
    [InlineData(6, 0.5)]
    [InlineData(11, 1.0)]
    [InlineData(500, 1.0)]
    public void WarmupWeight_IsSaeLensLinearRamp_StartingAtZero(long step, double expected)
    {
        Assert.Equal(expected, MeanMaxPenalty.WarmupWeight(10, step), 12);
        Assert.Equal(1.0, MeanMaxPenalty.WarmupWeight(0, step));
    }

    [Fact]
    public void Gradient_MatchesFiniteDifferences_WithPeersDetached()
    {
        // Given three SAEs of different widths with non-unit rows
        var members = Members(new SaeConfig(5, 4, 2), new SaeConfig(5, 6, 2), new SaeConfig(5, 3, 1));
        var rng = new Rng(3);
        foreach (var member in members)
        {
            for (int i = 0; i < member.Sae.Weights.Length; i++) member.Sae.Weights[i] *= 0.5f + rng.NextFloat();
            member.Sae.RefreshDecoder();
        }
        const double beta = 0.8;
        using var penalty = new MeanMaxPenalty(MeanMax(beta), [.. members.Select(m => m.Sae.Config)]);

        // When the gradient is taken after the warm-up
        foreach (var m in members) m.Workspace.WeightGradient.Clear();
        penalty.Apply(50, members, [1, 1, 1]);

        // Then each SAE's gradient equals central differences of its own P_a = beta mean over peers (1 - s(a, b)),
        // the peers' weights held fixed (computed here in double from the weights, independently of the code under test)
        const double step = 1e-3;
        foreach (var member in members)
        {
            var weights = member.Sae.Weights.ToArray().Select(v => (double)v).ToArray();
            var peers = members.Where(m => m != member).Select(m => m.Sae.Weights.ToArray().Select(v => (double)v).ToArray()).ToArray();
            int d = member.Sae.Config.InputDim;
            var numeric = new float[weights.Length];
            for (int i = 0; i < weights.Length; i++)
            {
                double original = weights[i];
                weights[i] = original + step;
                double plus = OwnPenalty(weights, peers, d, beta);
                weights[i] = original - step;
                double minus = OwnPenalty(weights, peers, d, beta);
                weights[i] = original;
                numeric[i] = (float)((plus - minus) / (2 * step));
            }
            AssertClose.Equal(numeric, member.Workspace.WeightGradient, absolute: 1e-4, relative: 1e-2, what: $"dP_a/dW_a of SAE {member.Index}");
            Assert.Contains(numeric, v => Math.Abs(v) > 1e-3);
        }
        foreach (var m in members) m.Dispose();
    }

    [Fact]
    public void TwoSaes_TheReportedPenaltyIsEachSaesOwn_AndMatchesTheReference()
    {
        // Given two random SAEs
        var members = Members(new SaeConfig(6, 5, 2), new SaeConfig(6, 7, 2));
        using var penalty = new MeanMaxPenalty(MeanMax(1.5), [.. members.Select(m => m.Sae.Config)]);

        // When it is applied after the warm-up
        var outcome = penalty.Apply(100, members, [1, 1]);

        // Then the value equals beta (1 - s) computed independently in double
        var first = members[0].Sae.Weights.ToArray().Select(v => (double)v).ToArray();
        var second = members[1].Sae.Weights.ToArray().Select(v => (double)v).ToArray();
        Assert.Equal(OwnPenalty(first, [second], 6, 1.5), outcome.Penalty, 5);
        foreach (var m in members) m.Dispose();
    }

    [Fact]
    public void AutoBeta_IsResolvedAtStepOne_AndSurvivesSaveAndLoad()
    {
        // Given an auto-beta penalty applied at step 1 (w = 0: no gradient yet)
        var members = Members(new SaeConfig(8, 6, 2), new SaeConfig(8, 6, 2));
        var configs = members.Select(m => m.Sae.Config).ToArray();
        using var penalty = new MeanMaxPenalty(MeanMax(null), configs);
        foreach (var m in members) m.Workspace.WeightGradient.Clear();
        var outcome = penalty.Apply(1, members, [0.3, 0.5]);
        Assert.Equal(0.0, outcome.WarmupWeight);
        Assert.All(members, m => Assert.All(m.Workspace.WeightGradient.ToArray(), g => Assert.Equal(0f, g)));

        // When its state is loaded into a fresh penalty
        using var resumed = new MeanMaxPenalty(MeanMax(null), configs);
        resumed.LoadState(penalty.SaveState());

        // Then beta makes the initial (unwarmed) penalty equal the mean reconstruction loss, in both
        Assert.Equal(0.4 / (1 - outcome.PairMmcs[0]), outcome.Beta, 9);
        Assert.Equal(penalty.Beta, resumed.Beta);
        foreach (var m in members) m.Dispose();
    }

    [Fact]
    public void Config_MeanMaxNeedsTwoSaes()
    {
        var one = new SaeConfig(4, 4, 1);
        Assert.Throws<ArgumentException>(() => new MeanMaxPenalty(MeanMax(1), [one]));
        Assert.IsType<MeanMaxPenalty>(MfrRegularizers.CreatePenalty(MeanMax(1), [one, one]));
        Assert.False(MeanMax(1).UsesReinitialization);
    }

    /// <summary>P_a = beta mean over peers (1 - (mm(D_a, D_b) + mm(D_b, D_a)) / 2), from raw weights, in double.</summary>
    private static double OwnPenalty(double[] weights, double[][] peers, int d, double beta)
    {
        double total = 0;
        foreach (var peer in peers) total += 1 - 0.5 * (MeanMaxCosine(weights, peer, d) + MeanMaxCosine(peer, weights, d));
        return beta * total / peers.Length;
    }

    private static double MeanMaxCosine(double[] rows, double[] others, int d)
    {
        int h = rows.Length / d, g = others.Length / d;
        double sum = 0;
        for (int i = 0; i < h; i++)
        {
            double best = double.NegativeInfinity;
            for (int j = 0; j < g; j++)
            {
                double dot = 0, ni = 0, nj = 0;
                for (int t = 0; t < d; t++)
                {
                    dot += rows[i * d + t] * others[j * d + t];
                    ni += rows[i * d + t] * rows[i * d + t];
                    nj += others[j * d + t] * others[j * d + t];
                }
                best = Math.Max(best, dot / Math.Sqrt(ni * nj));
            }
            sum += best;
        }
        return sum / h;
    }
}
