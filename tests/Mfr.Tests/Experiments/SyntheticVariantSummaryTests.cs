using Mfr.Experiments;
using Mfr.Synthetic;

namespace Mfr.Tests.Experiments;

public sealed class SyntheticVariantSummaryTests
{
    private static SyntheticSaeResult Row(string variant, ulong seed, int index, double mmcs, double recovered) =>
        new(variant, seed, index, 0, Mse: 0.5, Fvu: 0.5, L0: 32, DeadLatents: 0, mmcs, [0, 0, recovered], PartnerMmcs: 0.4, ConsistencyPearson: 0.6, Reinitializations: 0, Beta: null);

    public sealed class TheSummarizeMethod
    {
        [Fact]
        public void TakesOneValuePerSeed_AndPairsEachSeedWithItsBaseline()
        {
            // Given two seeds; within a seed the two SAEs of an ensemble are averaged first
            var rows = new[]
            {
                Row("baseline", 0, 0, 0.50, 0.10), Row("baseline", 0, 1, 0.52, 0.12),
                Row("mfr", 0, 0, 0.55, 0.20), Row("mfr", 0, 1, 0.55, 0.20),
                Row("baseline", 1, 0, 0.40, 0.05), Row("baseline", 1, 1, 0.40, 0.05),
                Row("mfr", 1, 0, 0.41, 0.04), Row("mfr", 1, 1, 0.41, 0.04),
            };
            var result = new SyntheticExperimentResult(new SyntheticExperimentConfig(new SyntheticDataConfig(), Seeds: 2), rows, [], 0);

            // When
            var summaries = SyntheticVariantSummary.Summarize(result);

            // Then per-seed means are baseline 0.51 / 0.40 and mfr 0.55 / 0.41 (GT MMCS)
            Assert.Equal(["baseline", "mfr"], summaries.Select(s => s.Variant));
            var baseline = summaries[0];
            var mfr = summaries[1];
            Assert.Equal(2, baseline.GroundTruthMmcs.Count);
            Assert.Equal(0.455, baseline.GroundTruthMmcs.Mean, 12);
            Assert.Equal(Math.Sqrt(2 * 0.055 * 0.055), baseline.GroundTruthMmcs.StandardDeviation, 12);
            // paired deltas 0.04 and 0.01 (MMCS), +0.09 and -0.01 (recovery)
            Assert.Equal(0.025, mfr.GroundTruthMmcsDelta.Mean, 12);
            Assert.Equal(0.04, mfr.RecoveredDelta.Mean, 12);
            Assert.Equal(Math.Sqrt(2 * 0.05 * 0.05), mfr.RecoveredDelta.StandardDeviation, 12);
            Assert.Equal(0, baseline.RecoveredDelta.Mean, 12);
        }

        [Fact]
        public void LeavesTheDeltaEmpty_WhenNoBaselineRanForTheSeed()
        {
            // Given
            var result = new SyntheticExperimentResult(new SyntheticExperimentConfig(new SyntheticDataConfig()), [Row("mfr", 3, 0, 0.5, 0.1)], [], 0);

            // When
            var summary = SyntheticVariantSummary.Summarize(result).Single();

            // Then
            Assert.Equal(0, summary.RecoveredDelta.Count);
            Assert.True(double.IsNaN(summary.RecoveredDelta.Mean));
        }
    }
}
