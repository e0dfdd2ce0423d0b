using System.Numerics;
using Mfr.Numerics;
using Mfr.Synthetic.SynthSaeBench;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Synthetic.SynthSaeBench;

/// <summary>
/// The screened firing pass must draw the very samples the reference draws: the README's SynthSAEBench runs were made
/// with the reference, and a changed sample would change them.
/// </summary>
public sealed class ScreenedFiringTests
{
    public static TheoryData<string> Variants => KernelVariants.Fast("copula");

    /// <summary>
    /// Worlds that reach every path: the scaled preset's shape; a hierarchy whose end is not on a 16-feature block (the
    /// one-sample fallback); fewer features than a vector (the reference fallback); sibling groups wider than a vector;
    /// strong correlation and high firing probabilities (negative standardized values, many survivors); rank 0.
    /// </summary>
    private static readonly SynthSaeBenchConfig[] Worlds =
    [
        SynthSaeBenchConfig.Scaled with { OrthogonalizationSteps = 0, InputDim = 24, Seed = 3 },
        new(FeatureCount: 301, InputDim: 17, MinFiringProbability: 0.01, HierarchyRootCount: 3, HierarchyBranching: 3, HierarchyDepth: 2, OrthogonalizationSteps: 0, Seed: 5),
        new(FeatureCount: 13, InputDim: 5, MinFiringProbability: 0.05, HierarchyRootCount: 2, HierarchyBranching: 2, HierarchyDepth: 1, CorrelationRank: 6, OrthogonalizationSteps: 0, Seed: 7),
        new(FeatureCount: 700, InputDim: 9, MinFiringProbability: 0.02, HierarchyRootCount: 2, HierarchyBranching: 20, HierarchyDepth: 2, MutuallyExclusivePortion: 0.5, OrthogonalizationSteps: 0, Seed: 11),
        new(FeatureCount: 256, InputDim: 8, MaxFiringProbability: 0.9, MinFiringProbability: 0.2, HierarchyRootCount: 4, CorrelationScale: 0.19, OrthogonalizationSteps: 0, Seed: 13),
        new(FeatureCount: 160, InputDim: 8, HierarchyRootCount: 0, CorrelationRank: 0, MinFiringProbability: 0.05, OrthogonalizationSteps: 0, Seed: 17),
    ];

    [KernelTheory("copula")]
    [MemberData(nameof(Variants))]
    public void Samples_AreTheReferenceSamplesBitForBit_InEveryWorld(string variant)
    {
        var fast = KernelRegistry.CopulaFiring.Get(variant);
        foreach (var world in Worlds)
        {
            // Given: one world, drawn by the reference and by the variant.
            var source = new SynthSaeBenchSource(world);
            int n = world.FeatureCount;
            int[] expectedFeatures = new int[n], actualFeatures = new int[n];
            float[] expectedMagnitudes = new float[n], actualMagnitudes = new float[n];
            long firing = 0;
            for (long sample = 0; sample < 3000; sample++)
            {
                // When: each draws the same sample.
                int expected = source.DrawFeaturesWith(sample, expectedFeatures, expectedMagnitudes, KernelRegistry.CopulaFiring.Reference);
                int actual = source.DrawFeaturesWith(sample, actualFeatures, actualMagnitudes, fast);

                // Then: the same features and the same magnitudes, bit for bit.
                Assert.True(expected == actual, $"N={n} seed {world.Seed} sample {sample}: reference L0 {expected}, {variant} {actual}.");
                Assert.Equal(expectedFeatures.AsSpan(0, expected), actualFeatures.AsSpan(0, actual));
                Assert.Equal(expectedMagnitudes.AsSpan(0, expected), actualMagnitudes.AsSpan(0, actual));
                firing += actual;
            }
            Assert.True(firing > 3000, $"N={n}: only {firing} firings in 3000 samples; the comparison would prove little.");
        }
    }

    [KernelTheory("copula")]
    [MemberData(nameof(Variants))]
    public void Batches_AreTheReferenceBatchesBitForBit_WhateverTheBatchSizeAndThreads(string variant)
    {
        // Given: the scaled shape's world with awkward batch sizes (samples are drawn four at a time, so 1, 3, 5 and 37 leave
        // partial groups), on one thread and on several.
        var fast = KernelRegistry.CopulaFiring.Get(variant);
        var source = new SynthSaeBenchSource(Worlds[0]);
        int d = source.Dimension;
        foreach (int batchSize in new[] { 1, 3, 5, 37, 64 })
        {
            foreach (int threads in new[] { 1, 3 })
            {
                var expected = new float[batchSize * d];
                var actual = new float[batchSize * d];

                // When: both variants read the batch that starts at sample 1000 + batch size.
                source.ReadSamplesWith(1000 + batchSize, batchSize, expected, threads, KernelRegistry.CopulaFiring.Reference);
                source.ReadSamplesWith(1000 + batchSize, batchSize, actual, threads, fast);

                // Then: every float is the same.
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public void Bounds_LieAboveTheFloatTail_OverEveryBucket_AndStayWithinOnePercentOfIt()
    {
        // The screen rules a lane out when u >= Bounds[floor(8 s)]; that is exact only if no float s in or above the bucket has a
        // larger tail. Checked on a dense grid of floats of every bucket (every float where the bucket has few), lane by lane
        // through the very function the reference evaluates.
        var bounds = ScreenedFiring.Bounds;
        Assert.Equal(32, bounds.Length);
        for (int bucket = 0; bucket < bounds.Length; bucket++)
        {
            // Given: the bucket's floats, [j / 8, (j + 1) / 8), the last reaching to 12 (where the float tail is 0).
            float low = bucket / 8f, high = bucket == bounds.Length - 1 ? 12f : (bucket + 1) / 8f;
            int first = BitConverter.SingleToInt32Bits(low), last = BitConverter.SingleToInt32Bits(high) - 1;
            int stride = Math.Max(1, (last - first) / 200_000);
            var values = new List<float>();
            for (long bits = first; bits <= last; bits += stride) values.Add(BitConverter.Int32BitsToSingle((int)bits));
            values.Add(BitConverter.Int32BitsToSingle(last));

            // When: the float tail is evaluated on them.
            float largest = LargestTail(values);

            // Then: the bound is above every one, and close enough to the tail at the bucket's start to screen.
            Assert.True(largest <= bounds[bucket], $"Bucket {bucket}: the float tail reaches {largest:R} > bound {bounds[bucket]:R}.");
            double atStart = StandardNormal.UpperTail((double)low);
            Assert.True(bounds[bucket] <= atStart * 1.01 + 1e-6, $"Bucket {bucket}: bound {bounds[bucket]:R} is loose against Q({low}) = {atStart:R}.");
        }
    }

    /// <summary>The largest of <see cref="StandardNormal.UpperTail(Vector{float})"/> over <paramref name="values"/>.</summary>
    private static float LargestTail(List<float> values)
    {
        int width = Vector<float>.Count;
        var lanes = new float[width];
        float largest = 0;
        for (int i = 0; i < values.Count; i += width)
        {
            for (int lane = 0; lane < width; lane++) lanes[lane] = values[Math.Min(i + lane, values.Count - 1)];
            var tails = StandardNormal.UpperTail(new Vector<float>(lanes));
            for (int lane = 0; lane < width; lane++) largest = Math.Max(largest, tails[lane]);
        }
        return largest;
    }
}
