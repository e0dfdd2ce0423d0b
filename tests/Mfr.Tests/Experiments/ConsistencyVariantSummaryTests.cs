using Mfr.Consistency;
using Mfr.Experiments;

namespace Mfr.Tests.Experiments;

public sealed class ConsistencyVariantSummaryTests
{
    private const string Mfr = "mfr beta=0.1";

    private static ConsistencySaeResult Sae(string variant, ulong seed, int index, double mse, double recovered09) =>
        new(variant, seed, index, 0, mse, mse / 10, 4, 1, 0.5, [0.9, 0.8, recovered09], 0.3, 0, null);

    private static ConsistencyVariantResult Across(string variant, double pwMcc, double shared07) =>
        new(variant, Consistency(pwMcc, shared07), Consistency(0.1, 0.0), null);

    private static CrossSeedConsistency Consistency(double pwMcc, double shared07) =>
        new(2, 2, [0.5, 0.7, 0.9], pwMcc, 0.01, [0.9, shared07, 0.1], [0.5, 0.3, 0.1], [pwMcc, pwMcc]);

    // Baseline: seed 0 MSE (1, 3) -> 2, rec@0.9 (0.5, 0.3) -> 0.4; seed 1 MSE (4, 4) -> 4, rec (0.6, 0.6) -> 0.6.
    // MFR:      seed 0 MSE (2, 2.4) -> 2.2, rec (0.5, 0.5) -> 0.5; seed 1 MSE (4.4, 4.4) -> 4.4, rec (0.9, 0.9) -> 0.9.
    private static ConsistencyExperimentResult Result() => new(
        ConsistencyExperimentConfig.Default with { Seeds = 2, Variants = [ConsistencyVariant.Baseline, new(global::Mfr.Regularization.MfrMode.Mfr, 0.1)] },
        "test data",
        [
            Sae("baseline", 0, 0, 1.0, 0.5), Sae("baseline", 0, 1, 3.0, 0.3), Sae("baseline", 1, 0, 4.0, 0.6), Sae("baseline", 1, 1, 4.0, 0.6),
            Sae(Mfr, 0, 0, 2.0, 0.5), Sae(Mfr, 0, 1, 2.4, 0.5), Sae(Mfr, 1, 0, 4.4, 0.9), Sae(Mfr, 1, 1, 4.4, 0.9),
        ],
        [Across("baseline", 0.5, 0.4), Across(Mfr, 0.65, 0.55)],
        [], 1.0, []);

    [Fact]
    public void MeanAndSpreadOverSeeds_TakeOneValuePerSeed_TheMeanOfItsEnsemble()
    {
        // Given the two-seed result above
        // When summarised
        var baseline = ConsistencyVariantSummary.Summarize(Result())[0];

        // Then the baseline's MSE is the mean of 2 and 4 with sample sd sqrt(2), and rec@0.9 of 0.4 and 0.6 (sd sqrt(0.02))
        Assert.Equal("baseline", baseline.Variant);
        var mse = baseline.Value(ConsistencyVariantSummary.Mse)!;
        Assert.Equal((3.0, 2), (mse.Mean, mse.Count));
        Assert.Equal(Math.Sqrt(2), mse.StandardDeviation, 12);
        var recovered = baseline.Value(ConsistencyVariantSummary.Recovered09)!;
        Assert.Equal(0.5, recovered.Mean, 12);
        Assert.Equal(Math.Sqrt(0.02), recovered.StandardDeviation, 12);
        // and the baseline has no differences to itself
        Assert.Empty(baseline.PairedDifferences);
        Assert.True(double.IsNaN(baseline.PwMccDifference));
    }

    [Fact]
    public void PairedDifferences_ArePerSeed_RelativeForMse()
    {
        // Given the two-seed result above
        // When summarised
        var mfr = ConsistencyVariantSummary.Summarize(Result())[1];

        // Then the MSE difference is (2.2 - 2) / 2 = 0.1 and (4.4 - 4) / 4 = 0.1: mean 0.1, sd 0
        var mse = mfr.PairedDifference(ConsistencyVariantSummary.Mse)!;
        Assert.Equal(0.1, mse.Mean, 12);
        Assert.Equal(0.0, mse.StandardDeviation, 12);
        // and rec@0.9 gains 0.1 and 0.3: mean 0.2, sample sd sqrt(0.02)
        var recovered = mfr.PairedDifference(ConsistencyVariantSummary.Recovered09)!;
        Assert.Equal(0.2, recovered.Mean, 12);
        Assert.Equal(Math.Sqrt(0.02), recovered.StandardDeviation, 12);
        // and the consistency differences are the variant's numbers minus the baseline's: 0.15 and 0.15
        Assert.Equal(0.15, mfr.PwMccDifference, 12);
        Assert.Equal(0.15, mfr.SharedDifference, 12);
    }

    [Fact]
    public void TheAnswer_WeighsTheConsistencyGainAgainstTheMseCost()
    {
        // Given the result above: +15 points of consistency at +10% MSE, recovery +0.2 +- 0.14
        var result = Result();
        var summaries = ConsistencyVariantSummary.Summarize(result);

        // When its findings are made
        var answer = Assert.Single(ConsistencyFindings.Of(result.Config, new global::Mfr.Data.DataSpecification(), result.Saes, summaries),
            f => f.Kind == FindingKind.CouplingVersusBaseline);

        // Then the MSE cost fails the bar though the gain passes, and recovery counts as raised (gain above its spread)
        Assert.Equal(Mfr, answer.Subject);
        Assert.Contains("+15.0 points", answer.Text);
        Assert.Contains("+10.0% held-out MSE", answer.Text);
        Assert.Contains("does not meet the bar", answer.Text);
        Assert.Contains("so it raises recovery", answer.Text);
    }
}
