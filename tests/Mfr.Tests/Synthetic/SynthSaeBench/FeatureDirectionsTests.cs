using Mfr.Numerics;
using Mfr.Synthetic.SynthSaeBench;

namespace Mfr.Tests.Synthetic.SynthSaeBench;

public sealed class FeatureDirectionsTests
{
    /// <summary>The loss as SAELens writes it: sum over i != j of (e_i . e_j)^2 plus N sum_i (e_i . e_i - 1)^2, in double.</summary>
    private static double DirectLoss(float[] e, int n, int d)
    {
        double loss = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double dot = 0;
                for (int k = 0; k < d; k++) dot += (double)e[i * d + k] * e[j * d + k];
                loss += i == j ? n * (dot - 1) * (dot - 1) : dot * dot;
            }
        return loss;
    }

    [Fact]
    public void LossAndGradient_MatchTheDirectLossAndItsFiniteDifferences()
    {
        // Given 7 rows in 3 dimensions, not unit length
        const int n = 7, d = 3;
        var rng = new Rng(5);
        var e = new float[n * d];
        rng.FillGaussian(e);
        var gradient = new float[n * d];

        // When the O(N D^2) form is evaluated
        double loss = FeatureDirections.LossAndGradient(e, n, d, gradient);

        // Then the loss equals the pairwise sum, and each gradient entry a central difference of it
        Assert.Equal(DirectLoss(e, n, d), loss, 1e-4 * Math.Abs(loss));
        const float h = 1e-2f;
        for (int i = 0; i < e.Length; i++)
        {
            float saved = e[i];
            e[i] = saved + h;
            double plus = DirectLoss(e, n, d);
            e[i] = saved - h;
            double minus = DirectLoss(e, n, d);
            e[i] = saved;
            double numeric = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[i]) <= 1e-2 * Math.Max(1, Math.Abs(numeric)), $"entry {i}: analytic {gradient[i]}, numeric {numeric}");
        }
    }

    [Fact]
    public void Create_ReturnsUnitRows_AndTheOptimisationLowersOverlap()
    {
        // Given the same random start with and without 100 Adam steps at a learning rate that moves it
        const int n = 256, d = 32;
        var rngRandom = new Rng(3);
        var rngOptimised = new Rng(3);
        var random = FeatureDirections.Create(n, d, steps: 0, learningRate: 1e-2, ref rngRandom);
        var optimised = FeatureDirections.Create(n, d, steps: 100, learningRate: 1e-2, ref rngOptimised);

        // Then every row has unit norm
        for (int i = 0; i < n; i++)
        {
            double norm = 0;
            for (int k = 0; k < d; k++) norm += (double)optimised[i * d + k] * optimised[i * d + k];
            Assert.Equal(1.0, Math.Sqrt(norm), 1e-5);
        }
        // and the orthogonality loss and the mean max overlap are both lower after the optimisation
        var scratch = new float[n * d];
        Assert.True(FeatureDirections.LossAndGradient(optimised, n, d, scratch) < FeatureDirections.LossAndGradient(random, n, d, scratch));
        double before = FeatureDirections.MeanMaxOverlap(random, n, d), after = FeatureDirections.MeanMaxOverlap(optimised, n, d);
        Assert.True(after < before - 0.01, $"rho_mm {before} -> {after}");
    }

    [Fact]
    public void MeanMaxOverlap_OfHandMadeDirections()
    {
        // Given e1, e2 and (e1 + e2) / sqrt 2 in the plane, and e3
        float r = (float)Math.Sqrt(0.5);
        float[] directions = [1, 0, 0, 0, 1, 0, r, r, 0, 0, 0, 1];

        // Then the max |overlaps| are 0.7071, 0.7071, 0.7071, 0: mean 0.5303
        Assert.Equal(3 * r / 4, FeatureDirections.MeanMaxOverlap(directions, 4, 3), 1e-6);
    }
}
