using Mfr.Numerics;
using Mfr.Synthetic;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Synthetic;

public sealed class SyntheticDataSourceTests
{
    private static readonly SyntheticDataConfig Paper = new(Seed: 11);

    [Fact]
    public void Groups_CoverEveryFeature_WithNearEqualSizes()
    {
        // Given the paper's n = 512, G = 12 (the published code drops 8 features)
        using var source = new SyntheticDataSource(Paper);

        // Then the groups tile 0..511 with sizes 43 or 42
        int next = 0;
        for (int g = 0; g < 12; g++)
        {
            var (start, size) = source.Group(g);
            Assert.Equal(next, start);
            Assert.InRange(size, 42, 43);
            next += size;
        }
        Assert.Equal(512, next);
    }

    [Fact]
    public void EverySample_HasExactlySDistinctFeaturesFromOneGroup_AndEqualsSumOfScaledFeatures()
    {
        using var source = new SyntheticDataSource(Paper with { InputDim = 16, FeatureCount = 60, GroupCount = 5, ActiveFeatures = 6 });
        const int batchSize = 50;
        var batch = new float[batchSize * 16];
        source.ReadBatch(batchIndex: 3, batchSize, batch);
        Span<int> featureIndices = stackalloc int[6];
        Span<float> coefficients = stackalloc float[6];
        for (int row = 0; row < batchSize; row++)
        {
            int group = source.DrawSample(3 * batchSize + row, featureIndices, coefficients);
            var (start, size) = source.Group(group);
            Assert.Equal(6, featureIndices.ToArray().Distinct().Count());
            foreach (int feature in featureIndices) Assert.InRange(feature, start, start + size - 1);
            foreach (float c in coefficients) Assert.InRange(c, 0f, 1f);
            // x = F c, computed here independently of the sparse kernel
            for (int t = 0; t < 16; t++)
            {
                double expected = 0;
                for (int s = 0; s < 6; s++) expected += coefficients[s] * source.TrueFeatures[featureIndices[s] * 16 + t];
                Assert.Equal(expected, batch[row * 16 + t], 4);
            }
        }
    }

    [Fact]
    public void Batches_ArePureFunctionsOfSeedAndIndex()
    {
        using var first = new SyntheticDataSource(Paper with { InputDim = 8, FeatureCount = 48, ActiveFeatures = 3 });
        using var second = new SyntheticDataSource(Paper with { InputDim = 8, FeatureCount = 48, ActiveFeatures = 3 });
        using var otherSeed = new SyntheticDataSource(Paper with { InputDim = 8, FeatureCount = 48, ActiveFeatures = 3, Seed = 12 });
        var a = new float[20 * 8];
        var b = new float[20 * 8];
        var c = new float[20 * 8];
        second.ReadBatch(9, 20, b); // read out of order on purpose
        first.ReadBatch(0, 20, a);
        first.ReadBatch(9, 20, a);
        otherSeed.ReadBatch(9, 20, c);
        Assert.Equal(b, a);
        Assert.NotEqual(c, a);
    }

    [Fact]
    public void GroupChoice_IsUniform_AndFeatureFrequencies_DecayWithIndexInGroup()
    {
        // Given lambda = 0.9 (stronger decay than the paper's 0.99, so the trend is visible with few samples)
        var config = new SyntheticDataConfig(InputDim: 4, FeatureCount: 40, GroupCount: 4, ActiveFeatures: 3, FrequencyDecay: 0.9, Seed: 2);
        using var source = new SyntheticDataSource(config);
        const int samples = 40_000;
        var groupCounts = new int[4];
        var featureCounts = new int[40];
        Span<int> features = stackalloc int[3];
        Span<float> coefficients = stackalloc float[3];
        for (int i = 0; i < samples; i++)
        {
            groupCounts[source.DrawSample(i, features, coefficients)]++;
            foreach (int f in features) featureCounts[f]++;
        }

        // Then each group is chosen 1/4 of the time (within 5 standard errors)
        double standardError = Math.Sqrt(samples * 0.25 * 0.75);
        Assert.All(groupCounts, count => Assert.InRange(count, samples / 4 - 5 * standardError, samples / 4 + 5 * standardError));

        // And the first feature of a group matches the exact inclusion probability of successive
        // weighted sampling without replacement, computed by enumeration over ordered draws
        double[] weights = Enumerable.Range(0, 10).Select(i => Math.Pow(0.9, i)).ToArray();
        double inclusion0 = InclusionProbability(weights, target: 0, draws: 3);
        double expected0 = samples * 0.25 * inclusion0;
        double inclusion9 = InclusionProbability(weights, target: 9, draws: 3);
        double expected9 = samples * 0.25 * inclusion9;
        for (int g = 0; g < 4; g++)
        {
            Assert.InRange(featureCounts[g * 10], expected0 * 0.95, expected0 * 1.05);
            Assert.InRange(featureCounts[g * 10 + 9], expected9 * 0.9, expected9 * 1.1);
        }
        // And frequencies fall with the index inside a group (first third against last third)
        for (int g = 0; g < 4; g++)
            Assert.True(featureCounts.Skip(g * 10).Take(3).Sum() > featureCounts.Skip(g * 10 + 7).Take(3).Sum() * 1.3);
    }

    // P(target is among `draws` successive weighted draws without replacement), by enumeration.
    private static double InclusionProbability(double[] weights, int target, int draws)
    {
        double Recurse(bool[] used, int remaining, double remainingWeight)
        {
            if (remaining == 0) return 0;
            double total = 0;
            for (int i = 0; i < weights.Length; i++)
            {
                if (used[i]) continue;
                double p = weights[i] / remainingWeight;
                if (i == target) { total += p; continue; }
                used[i] = true;
                total += p * Recurse(used, remaining - 1, remainingWeight - weights[i]);
                used[i] = false;
            }
            return total;
        }
        return Recurse(new bool[weights.Length], draws, weights.Sum());
    }

    /// <summary>The registered fast sampler variants (<see cref="KernelRegistry.Sampler"/>).</summary>
    public static TheoryData<string> SamplerVariants => KernelVariants.Fast("sampler");

    [KernelTheory("sampler")]
    [MemberData(nameof(SamplerVariants))]
    public void DrawSample_DrawsWhatTheFullSortReferenceSamplerDraws(string variant)
    {
        // Given the paper's shape (groups of 43 and 42, s = 32) and a small-group shape past the rank-counting limit
        foreach (var config in new[] { Paper, Paper with { FeatureCount = 300, GroupCount = 2, ActiveFeatures = 20 } })
        {
            using var source = new SyntheticDataSource(config);
            var fastFeatures = new int[config.ActiveFeatures];
            var fastCoefficients = new float[config.ActiveFeatures];
            var referenceFeatures = new int[config.ActiveFeatures];
            var referenceCoefficients = new float[config.ActiveFeatures];
            for (long i = 0; i < 20_000; i++)
            {
                // When
                int fastGroup = source.DrawSampleWith(i, fastFeatures, fastCoefficients, KernelRegistry.Sampler.Get(variant));
                int referenceGroup = source.DrawSampleWith(i, referenceFeatures, referenceCoefficients, KernelRegistry.Sampler.Reference);

                // Then
                Assert.Equal(referenceGroup, fastGroup);
                Assert.Equal(referenceFeatures, fastFeatures);
                Assert.Equal(referenceCoefficients, fastCoefficients);
            }
        }
    }

    [Fact]
    public void ReadBatch_IsBitwiseIdentical_ForOneAndTwoThreads_AndMatchesTheReferencePath()
    {
        // Given
        using var source = new SyntheticDataSource(Paper with { InputDim = 40 });
        const int batchSize = 700;
        var one = new float[batchSize * 40];
        var two = new float[batchSize * 40];
        var reference = new float[batchSize * 40];

        // When
        source.ReadBatchWith(5, batchSize, one, KernelRegistry.Sampler.Selected, KernelRegistry.Sparse.Selected, maxThreads: 1);
        source.ReadBatchWith(5, batchSize, two, KernelRegistry.Sampler.Selected, KernelRegistry.Sparse.Selected, maxThreads: 2);
        source.ReadBatchWith(5, batchSize, reference, KernelRegistry.Sampler.Reference, KernelRegistry.Sparse.Reference, maxThreads: 1);

        // Then (the reference decode sums in double, so it agrees to rounding)
        Assert.Equal(one, two);
        for (int i = 0; i < one.Length; i++) Assert.True(Math.Abs(one[i] - reference[i]) <= 1e-5f * (1 + Math.Abs(reference[i])), $"element {i}: {one[i]} vs {reference[i]}");
    }

    [Theory]
    [InlineData(256, 512, 12, 32, 1000)]
    [InlineData(40, 60, 12, 5, 333)]
    [InlineData(129, 97, 5, 7, 65)]
    [InlineData(300, 1200, 7, 50, 130)]
    [InlineData(7, 12, 12, 1, 1)]
    [InlineData(17, 24, 3, 8, 64)]
    public void ReadBatch_IsBitwiseThePortableSamplerAndSampleOrderDecode_OverSeedsAndAwkwardSizes(int inputDim, int featureCount, int groupCount, int activeFeatures, int batchSize)
    {
        // The generator's sample stream defines the data behind published results: decoding the samples group by
        // group (for L1 reuse of the group's feature rows) with the selected sampler (Vector512 on AVX-512) must give
        // bit for bit the batch of the sample-order decode with the Vector256 sampler (the path before issue 16).
        foreach (ulong seed in new ulong[] { 0, 1, 7, 12345 })
        {
            // Given
            using var source = new SyntheticDataSource(new SyntheticDataConfig(inputDim, featureCount, groupCount, activeFeatures, 0.99, seed));
            var grouped = new float[batchSize * inputDim];
            var sampleOrder = new float[batchSize * inputDim];
            foreach (long batch in new long[] { 0, 3 })
            {
                foreach (var sparse in new[] { KernelRegistry.Sparse.Selected, KernelRegistry.Sparse.Get("portable") })
                {
                    // When
                    source.ReadBatchWith(batch, batchSize, grouped, KernelRegistry.Sampler.Selected, sparse, maxThreads: 2, groupOrder: true);
                    source.ReadBatchWith(batch, batchSize, sampleOrder, KernelRegistry.Sampler.Get("portable"), sparse, maxThreads: 2, groupOrder: false);

                    // Then
                    Assert.Equal(sampleOrder, grouped);
                }
            }
        }
    }

    [Fact]
    public void Validate_RefusesMoreActiveFeaturesThanTheSmallestGroup()
    {
        var error = Assert.Throws<ArgumentException>(() => new SyntheticDataSource(new SyntheticDataConfig(FeatureCount: 60, GroupCount: 12, ActiveFeatures: 6)));
        Assert.Contains("smallest group size 5", error.Message);
    }
}
