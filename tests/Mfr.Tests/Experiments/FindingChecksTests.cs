using Mfr.Experiments;
using Mfr.Regularization;

namespace Mfr.Tests.Experiments;

public sealed class FindingChecksTests
{
    public sealed class TheCoupledSaesCollapsedMethod
    {
        [Fact]
        public void Warns_WhenEveryPairIsAtTheSameDictionaryThreshold()
        {
            // When the lowest pair sits exactly at 0.99 (FeatureConsistency.SameDictionaryMmcs)
            var finding = FindingChecks.CoupledSaesCollapsed("MFR", "the coupled MFR SAEs", "the data's features", [0.99, 0.9999]);

            // Then
            Assert.NotNull(finding);
            Assert.Equal((FindingKind.CoupledSaesCollapsed, FindingSeverity.Warning, "MFR"), (finding.Kind, finding.Severity, finding.Subject));
            Assert.StartsWith("The coupled MFR SAEs learned the same dictionary (MMCS between them >= 0.99, lowest 0.9900)", finding.Text);
            Assert.Contains("says nothing about the data's features", finding.Text);
        }

        [Theory]
        [InlineData(new[] { 0.9999, 0.9899 })]
        [InlineData(new[] { 0.41, 0.52 })]
        [InlineData(new double[0])]
        public void SaysNothing_WhenAnyPairStayedApart_OrNothingWasCoupled(double[] pairs)
        {
            Assert.Null(FindingChecks.CoupledSaesCollapsed("MFR", "the coupled MFR SAEs", "the data's features", pairs));
        }
    }

    public sealed class TheBudgetBelowPaperMethod
    {
        [Fact]
        public void Notes_ABudgetBelowThePapers_WithItsShare()
        {
            var finding = FindingChecks.BudgetBelowPaper(5_000_000, 50_000_000, "compare there.");

            Assert.NotNull(finding);
            Assert.Equal(FindingSeverity.Note, finding.Severity);
            Assert.Equal("5,000,000 samples per SAE is 10% of the paper's 50,000,000 (--paper): compare there.", finding.Text);
        }

        [Fact]
        public void SaysNothing_AtThePapersBudget() => Assert.Null(FindingChecks.BudgetBelowPaper(50_000_000, 50_000_000, "compare there."));
    }

    public sealed class TheReinitializationWithinSamplingNoiseMethod
    {
        [Fact]
        public void WarnsOncePerShape_WhoseSamplingFloorReachesHalfTheThreshold()
        {
            // Given batches of 20 at h 64: k = 1 expects 0.31 firings per latent per batch (floor far above 2.5 / 2), k = 16 expects 5
            var saes = new[] { (1, 64), (16, 64), (1, 64) };

            // When
            var findings = FindingChecks.ReinitializationWithinSamplingNoise(saes, 20, new MfrConfig());

            // Then
            var finding = Assert.Single(findings);
            Assert.Equal((FindingKind.ReinitializationWithinSamplingNoise, FindingSeverity.Warning, "h 64, k 1"), (finding.Kind, finding.Severity, finding.Subject));
            Assert.StartsWith("at batch 20, h 64, k 1 a perfectly uniform SAE already scores ", finding.Text);
            Assert.Contains("(re-init threshold 2.5)", finding.Text);
        }

        [Theory]
        [InlineData(MfrMode.Penalty)]
        [InlineData(MfrMode.Baseline)]
        public void SaysNothing_WithoutReinitialization(MfrMode mode)
        {
            Assert.Empty(FindingChecks.ReinitializationWithinSamplingNoise([(1, 64)], 20, new MfrConfig(mode)));
            Assert.Empty(FindingChecks.ReinitializationWithinSamplingNoise([(1, 64)], 20, null));
        }
    }

    public sealed class TheManyDeadLatentsMethod
    {
        [Fact]
        public void Notes_TheSaesAtOrAboveATenthDead_AndNamesTheWorst()
        {
            // Given h 100: 10 dead is exactly the threshold, 9 is below, 25 the worst
            var saes = new[] { ("k=2", 10, 100), ("k=4", 9, 100), ("k=8", 25, 100) };

            // When
            var finding = FindingChecks.ManyDeadLatents("baseline", saes);

            // Then
            Assert.NotNull(finding);
            Assert.Equal((FindingKind.ManyDeadLatents, FindingSeverity.Note, "baseline"), (finding.Kind, finding.Severity, finding.Subject));
            Assert.StartsWith("2 of 3 baseline SAE(s) left at least 10% of their latents dead on the held-out data (most: k=8, 25 of 100, 25%)", finding.Text);
        }

        [Fact]
        public void SaysNothing_WhenEverySaeIsBelowATenthDead()
        {
            Assert.Null(FindingChecks.ManyDeadLatents("MFR", [("k=2", 409, 4096), ("k=4", 0, 4096)]));
        }
    }
}
