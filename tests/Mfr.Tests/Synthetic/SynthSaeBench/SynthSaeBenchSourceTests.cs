using Mfr.Synthetic.SynthSaeBench;

namespace Mfr.Tests.Synthetic.SynthSaeBench;

public sealed class SynthSaeBenchSourceTests
{
    // Magnitudes 4-5 with spread 0.5: relu never bites (P(value <= 0) = Phi(-8) ~ 6e-16), so firing = the copula and hierarchy.
    private static readonly SynthSaeBenchConfig Small = new(
        FeatureCount: 300, InputDim: 16, MaxFiringProbability: 0.4, MinFiringProbability: 0.01,
        HierarchyRootCount: 3, HierarchyBranching: 4, HierarchyDepth: 2,
        CorrelationRank: 0, MagnitudeStdStd: 1e-3, OrthogonalizationSteps: 0, Seed: 21);

    /// <summary>Counts how often each feature fires in samples [0, sampleCount), and the L0 of each sample.</summary>
    private static (long[] Counts, int[] L0) Tally(SynthSaeBenchSource source, int sampleCount)
    {
        int n = source.Config.FeatureCount;
        var counts = new long[n];
        var l0 = new int[sampleCount];
        var features = new int[n];
        var magnitudes = new float[n];
        for (int i = 0; i < sampleCount; i++)
        {
            l0[i] = source.DrawFeatures(i, features, magnitudes);
            for (int s = 0; s < l0[i]; s++) counts[features[s]]++;
        }
        return (counts, l0);
    }

    /// <summary>
    /// Exact firing probability of every feature after the hierarchy when features are independent (rank 0): a root or
    /// free feature fires with its copula probability q; a child with P(parent) q_c, times E[1 / (1 + K)] under a mutually
    /// exclusive parent, K the number of its siblings that also fire (the winner is uniform among the firing ones).
    /// </summary>
    private static double[] ExpectedRates(SynthSaeBenchSource source)
    {
        var q = source.FiringProbabilities;
        var hierarchy = source.Hierarchy;
        var rates = new double[q.Length];
        for (int i = 0; i < q.Length; i++)
        {
            int parent = hierarchy.Parent(i);
            if (parent < 0)
            {
                rates[i] = q[i];
                continue;
            }
            double win = 1;
            if (hierarchy.HasExclusiveChildren(parent))
            {
                var (first, count) = hierarchy.Children(parent);
                var others = Enumerable.Range(first, count).Where(c => c != i).ToArray();
                win = 0;
                for (int mask = 0; mask < 1 << others.Length; mask++)
                {
                    double probability = 1;
                    int firing = 0;
                    for (int b = 0; b < others.Length; b++)
                    {
                        bool on = (mask >> b & 1) != 0;
                        probability *= on ? q[others[b]] : 1 - q[others[b]];
                        firing += on ? 1 : 0;
                    }
                    win += probability / (1 + firing);
                }
            }
            rates[i] = rates[parent] * q[i] * win;
        }
        return rates;
    }

    /// <summary>Asserts a binomial count is within 4.5 standard deviations (plus one count) of its expectation.</summary>
    private static void AssertWithinSamplingError(long count, int samples, double rate, string what)
    {
        double expected = samples * rate, deviation = Math.Sqrt(samples * rate * (1 - rate));
        Assert.True(Math.Abs(count - expected) <= 4.5 * deviation + 1, $"{what}: {count} firings, expected {expected:F1} +- {deviation:F1}");
    }

    [Fact]
    public void FiringMarginals_FollowTheZipfLaw_ThroughTheCorrelatedCopula()
    {
        // Given free features (no hierarchy) correlated through a rank-5 copula with strong factors
        using var source = new SynthSaeBenchSource(Small with { FeatureCount = 64, HierarchyRootCount = 0, CorrelationRank = 5, CorrelationScale = 0.3 });
        const int samples = 20_000;

        // When 20,000 samples are drawn
        var (counts, _) = Tally(source, samples);

        // Then feature i fires at the Zipf rate p_min + (p_max - p_min) (r^-0.5 - N^-0.5) / (1 - N^-0.5), r = i + 1,
        // computed here from the law itself, within 4.5 binomial standard deviations
        for (int i = 0; i < 64; i++)
        {
            double zipf = 0.01 + (0.4 - 0.01) * (Math.Pow(i + 1, -0.5) - Math.Pow(64, -0.5)) / (1 - Math.Pow(64, -0.5));
            Assert.Equal(zipf, source.BaseFiringProbabilities[i], 1e-12);
            AssertWithinSamplingError(counts[i], samples, zipf, $"feature {i}");
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public void FiringRatesAndMeanL0_MatchTheExactHierarchyProbabilities(double exclusivePortion)
    {
        // Given independent features in 3 trees (branching 4, depth 2) with compensation
        using var source = new SynthSaeBenchSource(Small with { MutuallyExclusivePortion = exclusivePortion });
        const int samples = 20_000;

        // When 20,000 samples are drawn
        var (counts, l0) = Tally(source, samples);

        // Then every feature fires at its exact rate within sampling error
        var rates = ExpectedRates(source);
        for (int i = 0; i < rates.Length; i++) AssertWithinSamplingError(counts[i], samples, rates[i], $"feature {i} (parent {source.Hierarchy.Parent(i)})");
        // and the mean L0 is their sum within 4.5 standard errors
        double mean = l0.Average(), deviation = Math.Sqrt(l0.Select(x => (x - mean) * (x - mean)).Sum() / (samples - 1));
        Assert.True(Math.Abs(mean - rates.Sum()) <= 4.5 * deviation / Math.Sqrt(samples), $"mean L0 {mean}, expected {rates.Sum()}");
    }

    [Fact]
    public void Children_NeverFireWithoutTheirParent_NorTwoSiblingsTogether()
    {
        // Given the scaled world's trees (branching 4, depth 3) with the 16k copula, compensation and exclusion
        var config = SynthSaeBenchConfig.Scaled with { FeatureCount = 512, InputDim = 16, HierarchyRootCount = 4, OrthogonalizationSteps = 0 };
        using var source = new SynthSaeBenchSource(config);
        using var free = new SynthSaeBenchSource(config with { MutuallyExclusivePortion = 0 });
        var hierarchy = source.Hierarchy;
        var features = new int[512];
        var magnitudes = new float[512];
        int deepFirings = 0, siblingPairsWithoutExclusion = 0;
        for (int sample = 0; sample < 5_000; sample++)
        {
            // When a sample is drawn
            int count = source.DrawFeatures(sample, features, magnitudes);
            var firing = new HashSet<int>(features.Take(count));

            // Then each firing child's parent fires, and no parent has two firing children
            foreach (int feature in firing)
            {
                int parent = hierarchy.Parent(feature);
                if (parent >= 0) Assert.Contains(parent, firing);
                if (parent >= 0 && hierarchy.Parent(parent) >= 0 && hierarchy.Parent(hierarchy.Parent(parent)) >= 0) deepFirings++;
            }
            foreach (var group in firing.Where(f => hierarchy.Parent(f) >= 0).GroupBy(hierarchy.Parent))
                Assert.Single(group);

            int freeCount = free.DrawFeatures(sample, features, magnitudes);
            siblingPairsWithoutExclusion += features.Take(freeCount).Where(f => free.Hierarchy.Parent(f) >= 0).GroupBy(free.Hierarchy.Parent).Count(g => g.Count() > 1);
        }
        // and the checks bite: depth-3 features do fire, and without exclusion siblings do fire together
        Assert.True(deepFirings > 100, $"{deepFirings} depth-3 firings");
        Assert.True(siblingPairsWithoutExclusion > 100, $"{siblingPairsWithoutExclusion} sibling groups");
    }

    [Fact]
    public void CopulaLatent_HasTheLowRankPlusDiagonalCovariance_AndDecidesFiring()
    {
        // Given 24 free features whose latent correlation is F F^T + D with F of rank 3 and large entries
        const int n = 24, samples = 20_000;
        using var source = new SynthSaeBenchSource(Small with { FeatureCount = n, HierarchyRootCount = 0, CorrelationRank = 3, CorrelationScale = 0.35 });
        var latent = new float[n];
        var products = new double[n * n];
        var features = new int[n];
        var magnitudes = new float[n];
        int disagreements = 0;
        for (int s = 0; s < samples; s++)
        {
            // When the latent of each sample is drawn
            source.DrawLatent(s, latent);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) products[i * n + j] += (double)latent[i] * latent[j];
            // (and it fires exactly the features whose latent crosses the threshold Phi^-1(1 - p))
            int count = source.DrawFeatures(s, features, magnitudes);
            var firing = new HashSet<int>(features.Take(count));
            for (int i = 0; i < n; i++)
                if (firing.Contains(i) != latent[i] > StandardNormal.InverseCdf(1 - source.FiringProbabilities[i])) disagreements++;
        }

        // Then every second moment E[z_i z_j] equals C_ij = (F F^T + D)_ij within 5 standard errors sqrt((1 + C_ij^2) / S)
        double largest = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double expected = source.Correlation.Correlation(i, j), observed = products[i * n + j] / samples;
                if (i != j) largest = Math.Max(largest, Math.Abs(expected));
                Assert.True(Math.Abs(observed - expected) <= 5 * Math.Sqrt((1 + expected * expected) / samples), $"C[{i},{j}] {observed} vs {expected}");
            }
        Assert.True(largest > 0.2, $"largest off-diagonal correlation {largest}: the check needs real correlations");
        Assert.Equal(0, disagreements);
    }

    [Fact]
    public void ScaledAnd16kPresets_HaveMeanL0NearThe16kTarget()
    {
        // Given both presets (directions left random: they do not affect firing)
        foreach (var (preset, samples) in new[] { (SynthSaeBenchConfig.Scaled, 3_000), (SynthSaeBenchConfig.Standard16k, 1_000) })
        {
            using var source = new SynthSaeBenchSource(preset with { OrthogonalizationSteps = 0 });

            // When samples are drawn
            var (_, l0) = Tally(source, samples);

            // Then the mean L0 is 34 +- 1.5 (SAELens docs: "~34 active features per sample" for SynthSAEBench-16k)
            Assert.InRange(l0.Average(), 32.5, 35.5);
        }
    }

    [Fact]
    public void Batch_IsTheSumOfFiringDirectionsTimesMagnitudes_PlusBias()
    {
        // Given a small world with orthogonalised directions and a bias
        using var source = new SynthSaeBenchSource(Small with { OrthogonalizationSteps = 20, OrthogonalizationLearningRate = 1e-2 });
        const int batchSize = 40, d = 16;
        var batch = new float[batchSize * d];

        // When batch 3 is read
        source.ReadBatch(3, batchSize, batch);

        // Then row r is x = sum_i a_i d_i + b for sample 3 * 40 + r, computed here independently
        var features = new int[300];
        var magnitudes = new float[300];
        double biasNorm = Math.Sqrt(source.Bias.ToArray().Sum(v => (double)v * v));
        Assert.Equal(1.0, biasNorm, 1e-5);
        for (int row = 0; row < batchSize; row++)
        {
            int count = source.DrawFeatures(3 * batchSize + row, features, magnitudes);
            for (int k = 0; k < d; k++)
            {
                double expected = source.Bias[k], scale = 1;
                for (int s = 0; s < count; s++)
                {
                    expected += magnitudes[s] * source.TrueFeatures[features[s] * d + k];
                    scale += Math.Abs(magnitudes[s] * source.TrueFeatures[features[s] * d + k]);
                }
                // float accumulation: relative 1e-5 of the summed magnitudes
                Assert.True(Math.Abs(expected - batch[row * d + k]) <= 1e-5 * scale, $"row {row}, dim {k}: {batch[row * d + k]} vs {expected}");
            }
        }
    }

    [Fact]
    public void Batches_AreBitIdenticalAcrossBatchBoundariesAndThreadCounts_AndDifferBySeed()
    {
        // Given two sources with the same seed and one with another
        var config = SynthSaeBenchConfig.Scaled with { FeatureCount = 512, InputDim = 32, HierarchyRootCount = 4, OrthogonalizationSteps = 5, Seed = 4 };
        using var first = new SynthSaeBenchSource(config);
        using var second = new SynthSaeBenchSource(config);
        using var otherSeed = new SynthSaeBenchSource(config with { Seed = 5 });
        const int d = 32;

        // When samples 0..99 are read as one batch of 100 on 2 threads, and as batches 2..3 of 50 (100..199) too
        var whole = new float[200 * d];
        first.ReadBatchWith(0, 200, whole, maxThreads: 2);
        var halves = new float[200 * d];
        second.ReadBatchWith(0, 100, halves.AsSpan(0, 100 * d), maxThreads: 1);
        second.ReadBatchWith(2, 50, halves.AsSpan(100 * d, 50 * d), maxThreads: 1);
        second.ReadBatchWith(3, 50, halves.AsSpan(150 * d, 50 * d), maxThreads: 2);
        var other = new float[200 * d];
        otherSeed.ReadBatchWith(0, 200, other, maxThreads: 2);

        // Then the same samples are bit-identical, and another seed gives other samples
        Assert.Equal(whole, halves);
        Assert.True(first.TrueFeatures.SequenceEqual(second.TrueFeatures));
        Assert.NotEqual(whole, other);
    }
}
