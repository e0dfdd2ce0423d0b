using Mfr.Consistency;

namespace Mfr.Tests.Consistency;

public sealed class StabilityTruthCombineTests
{
    [Fact]
    public void Combine_SumsTheCounts_AndAveragesTheFiniteCorrelations()
    {
        // Given two runs: 3 stable (2 matching truth) of 5 with r 0.5, and 1 stable (1 matching) of 5 with r NaN
        var first = new StabilityTruthAgreement(1.0, 0.7, StableCount: 3, StableMatchingTruth: 2, UnstableCount: 2, UnstableMatchingTruth: 1, StabilityTruthCorrelation: 0.5);
        var second = new StabilityTruthAgreement(1.0, 0.7, StableCount: 1, StableMatchingTruth: 1, UnstableCount: 4, UnstableMatchingTruth: 0, StabilityTruthCorrelation: double.NaN);

        // When combined
        var combined = StabilityTruthAgreement.Combine([first, second]);

        // Then 4 stable of which 3 match (precision 3/4), 6 unstable of which 1 matches, recall 3/4, r the one finite value
        Assert.Equal((4, 3, 6, 1), (combined.StableCount, combined.StableMatchingTruth, combined.UnstableCount, combined.UnstableMatchingTruth));
        Assert.Equal(0.75, combined.StablePrecision, 12);
        Assert.Equal(1.0 / 6, combined.UnstableMatchRate, 12);
        Assert.Equal(0.75, combined.TruthRecall, 12);
        Assert.Equal(0.5, combined.StabilityTruthCorrelation, 12);
    }

    [Fact]
    public void Combine_RefusesDifferentThresholds()
    {
        var a = new StabilityTruthAgreement(1.0, 0.7, 1, 1, 0, 0, 0);
        var b = a with { TruthThreshold = 0.9 };

        Assert.Throws<ArgumentException>(() => StabilityTruthAgreement.Combine([a, b]));
    }
}
