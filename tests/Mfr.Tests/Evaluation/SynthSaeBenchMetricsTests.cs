using Mfr.Evaluation;
using Mfr.Sae;
using Mfr.Synthetic.SynthSaeBench;
using Mfr.Tests.Data;

namespace Mfr.Tests.Evaluation;

/// <summary>The SynthSAEBench paper's metrics (SAELens sae_lens/synthetic/evals.py) against hand-computed cases and Mfr's own evaluator.</summary>
public sealed class SynthSaeBenchMetricsTests
{
    // |cos| of 2 latents with 3 true features. Row maxima both pick feature 0; the one-to-one matching must take 0.9 + 0.7.
    private static readonly float[] Cosines = [0.9f, 0.1f, 0.3f, 0.8f, 0.2f, 0.7f];

    [Fact]
    public void Mcc_IsTheMeanOfTheOptimalOneToOneMatching_NotOfTheRowMaxima()
    {
        Assert.Equal(0.8, SynthSaeBenchMetrics.Mcc(Cosines, 2, 3), 6);
    }

    [Fact]
    public void BestMatches_AreRowArgmaxima_FirstOnTies_AndUniquenessCountsDistinctOnes()
    {
        // Given the matrix above and one with a tie
        var best = SynthSaeBenchMetrics.BestMatches(Cosines, 2, 3);
        var tied = SynthSaeBenchMetrics.BestMatches([0.5f, 0.5f, 0.2f], 1, 3);

        // Then both latents match feature 0 (uniqueness 1/2), and a tie goes to the first feature
        Assert.Equal([0, 0], best);
        Assert.Equal(0.5, SynthSaeBenchMetrics.Uniqueness(best));
        Assert.Equal([0], tied);
        Assert.Equal(1.0, SynthSaeBenchMetrics.Uniqueness([3, 1, 2]));
        Assert.Equal(0.0, SynthSaeBenchMetrics.Uniqueness([]));
    }

    [Fact]
    public void Classification_AveragesPerLatentScores_WithZeroWhereUndefined()
    {
        // Given 10 samples; latent 0: fires 4 times, 3 with its feature, which fires 6 times (TP 3, FP 1, FN 3, TN 3);
        // latent 1 never fires and its feature fires twice (TP 0, FP 0, FN 2, TN 8)
        var (precision, recall, f1, accuracy) = SynthSaeBenchMetrics.Classification([3, 0], [4, 0], [6, 2], 10);

        // Then P = (0.75 + 0) / 2, R = (0.5 + 0) / 2, F1 = (0.6 + 0) / 2, accuracy = (0.6 + 0.8) / 2
        Assert.Equal(0.375, precision, 12);
        Assert.Equal(0.25, recall, 12);
        Assert.Equal(0.3, f1, 12);
        Assert.Equal(0.7, accuracy, 12);
    }

    [Fact]
    public void Evaluate_OfTheTrueDictionary_HasMccAndUniquenessOne_AndAgreesWithMfrsEvaluator()
    {
        // Given the tiny world and an SAE whose encoder and decoder rows are its true directions
        var source = SynthSaeBenchSource.Open(SynthSaeBenchDataTests.Tiny);
        using var truth = new TopKSae(new SaeConfig(16, 64, 8, Activation: SaeActivation.TopKRelu));
        source.TrueFeatures.CopyTo(truth.Weights);
        truth.RefreshDecoder();
        using var random = new TopKSae(new SaeConfig(16, 32, 4, Activation: SaeActivation.TopKRelu));
        random.Initialize(3);

        // When both are scored on 4 batches of 50
        var scores = SynthSaeBenchMetrics.Evaluate([truth, random], source, sampleCount: 200, batchSize: 50);

        // Then the true dictionary matches every feature exactly
        Assert.Equal(1.0, scores[0].Mcc, 5);
        Assert.Equal(1.0, scores[0].Uniqueness);
        Assert.True(scores[1].Mcc < 0.9, $"random SAE MCC {scores[1].Mcc}");
        // And true L0 is the mean number of firing features of those samples, counted here
        var features = new int[64];
        var magnitudes = new float[64];
        long firing = 0;
        for (long sample = HeldOutData.GeneratedStreamOffset * 50; sample < HeldOutData.GeneratedStreamOffset * 50 + 200; sample++)
            firing += source.DrawFeatures(sample, features, magnitudes);
        Assert.Equal(firing / 200.0, scores[0].TrueL0, 12);
        // And explained variance, L0 and dead latents are Mfr's 1 - FVU, L0 and dead latents on the same held-out batches
        var mfr = SaeEvaluator.Evaluate([truth, random], source, HeldOutData.GeneratedStreamOffset, 4, 50);
        for (int m = 0; m < 2; m++)
        {
            Assert.Equal(1 - mfr[m].Fvu, scores[m].ExplainedVariance, 6);
            Assert.Equal(mfr[m].L0, scores[m].SaeL0, 12);
            Assert.Equal(mfr[m].DeadLatents, scores[m].DeadLatents);
            Assert.True(scores[m].Shrinkage > 0, $"shrinkage {scores[m].Shrinkage}");
            Assert.InRange(scores[m].F1, 0, 1);
        }
    }

    [Fact]
    public void Evaluate_WithAShortLastBatch_ReadsTheContiguousSamplesAfterTheFullBatches()
    {
        // Given one SAE scored on 130 samples in batches of 50 (50, 50, then 30)
        var source = SynthSaeBenchSource.Open(SynthSaeBenchDataTests.Tiny);
        using var sae = new TopKSae(new SaeConfig(16, 32, 4, Activation: SaeActivation.TopKRelu));
        sae.Initialize(5);

        var scores = SynthSaeBenchMetrics.Evaluate(sae, source, sampleCount: 130, batchSize: 50);

        // Then its true L0 is that of the 130 samples from the held-out offset, and its L0 Mfr's on those 130 rows
        var features = new int[64];
        var magnitudes = new float[64];
        long first = HeldOutData.GeneratedStreamOffset * 50, firing = 0;
        for (long sample = first; sample < first + 130; sample++) firing += source.DrawFeatures(sample, features, magnitudes);
        Assert.Equal(130, scores.Samples);
        Assert.Equal(firing / 130.0, scores.TrueL0, 12);
        var all = new Mfr.Data.InMemoryVectorSource(ReadContiguous(source, first, 130), 16);
        var mfr = SaeEvaluator.Evaluate([sae], all, 0, 1, 130);
        Assert.Equal(mfr[0].L0, scores.SaeL0, 12);
    }

    private static float[] ReadContiguous(SynthSaeBenchSource source, long first, int count)
    {
        var rows = new float[count * 16];
        for (int i = 0; i < count; i++) source.ReadBatch(first + i, 1, rows.AsSpan(i * 16, 16));
        return rows;
    }

    [Fact]
    public void Mcc_TakesAbsoluteCosines_SoASignFlippedDictionaryStillMatchesExactly()
    {
        // Given an SAE whose decoder rows are the true directions negated
        var source = SynthSaeBenchSource.Open(SynthSaeBenchDataTests.Tiny);
        using var flipped = new TopKSae(new SaeConfig(16, 64, 8));
        source.TrueFeatures.CopyTo(flipped.Weights);
        foreach (ref float value in flipped.Weights) value = -value;
        flipped.RefreshDecoder();

        // Then its MCC and uniqueness are 1 (Mfr's signed MMCS would be -1)
        var scores = SynthSaeBenchMetrics.Evaluate(flipped, source, sampleCount: 20, batchSize: 20);
        Assert.Equal(1.0, scores.Mcc, 5);
        Assert.Equal(1.0, scores.Uniqueness);
    }

    [Fact]
    public void Evaluate_RefusesAnSaeOfAnotherWidth()
    {
        var source = SynthSaeBenchSource.Open(SynthSaeBenchDataTests.Tiny);
        using var sae = new TopKSae(new SaeConfig(8, 16, 2));

        Assert.Throws<ArgumentException>(() => SynthSaeBenchMetrics.Evaluate(sae, source, 10, 10));
    }
}
