using Mfr.Experiments;
using Mfr.Reports;
using Mfr.Synthetic;

namespace Mfr.Tests.Reports;

public sealed class SyntheticResultTablesTests
{
    private static SyntheticSaeResult Row(string variant, ulong seed, int index, double mse, double fvu, int dead, double groundTruthMmcs, double[] recovered,
        double partnerMmcs, double pearson, int reinitializations, double? beta) =>
        new(variant, seed, index, InitSeed: 1, mse, fvu, L0: 32, dead, groundTruthMmcs, recovered, partnerMmcs, pearson, reinitializations, beta);

    public sealed class TheTextMethod
    {
        [Fact]
        public void PrintsTheTablesTheirNotesAndTheResultsOwnFindings_Snapshot()
        {
            // Given one seed of a baseline and a collapsed MFR pair, with the findings stored on the result
            var result = new SyntheticExperimentResult(
                new SyntheticExperimentConfig(new SyntheticDataConfig(), SampleCount: 5_000_000),
                [
                    Row("baseline", 0, 0, 0.7172, 0.0717, 3, 0.5183, [0.25, 0.125, 0.05], 0.4421, 0.625, 0, null),
                    Row("baseline", 0, 1, 0.7214, 0.0721, 0, 0.5111, [0.3, 0.1, 0.0], 0.4421, 0.6, 0, null),
                    Row("mfr beta=auto", 0, 0, 0.7461, 0.0746, 1, 0.4952, [0.2, 0.05, 0.01], 0.9999, -0.1, 2, 7.9123),
                    Row("mfr beta=auto", 0, 1, 0.746, 0.0746, 12, 0.4949, [0.2, 0.05, 0.01], 0.9999, -0.12, 1, 7.9123),
                ],
                [new CrossRunConsistency("baseline", 0, 0.083, 0.4421), new CrossRunConsistency("mfr beta=auto", 0, 0.057, 0.3333)],
                WallSeconds: 1,
                Findings:
                [
                    new Finding(FindingKind.CoupledSaesCollapsed, FindingSeverity.Warning, "Under mfr beta=auto the coupled SAEs learned the same dictionary.", "mfr beta=auto"),
                    new Finding(FindingKind.BudgetBelowPaper, FindingSeverity.Note, "5,000,000 samples per SAE is 10% of the paper's."),
                ]);

            // When
            string text = SyntheticResultTables.Text(result);

            // Then
            Assert.Equal(
                """
                Per SAE: held-out reconstruction and recovery of the true features.
                variant        seed  SAE     MSE     FVU    L0  dead  GT MMCS  rec@0.7  rec@0.8  rec@0.9  MMCS partner  fig. 3 r  re-inits   beta
                -------------  ----  ---  ------  ------  ----  ----  -------  -------  -------  -------  ------------  --------  --------  -----
                baseline          0    0  0.7172  0.0717  32.0     3   0.5183    0.250    0.125    0.050        0.4421     0.625         0      -
                baseline          0    1  0.7214  0.0721  32.0     0   0.5111    0.300    0.100    0.000        0.4421     0.600         0      -
                mfr beta=auto     0    0  0.7461  0.0746  32.0     1   0.4952    0.200    0.050    0.010        0.9999    -0.100         2  7.912
                mfr beta=auto     0    1   0.746  0.0746  32.0    12   0.4949    0.200    0.050    0.010        0.9999    -0.120         1  7.912
                dead: latents that never fired on the held-out evaluation (fresh samples of the generator, none trained on).
                MMCS partner: to the other SAE of the same ensemble (coupled under MFR, independent for the baseline).
                rec@t: share of the true features matched at cosine >= t. fig. 3 r: Pearson r of best cosine to the other SAE vs to the true features.

                Do the features replicate across independent runs? (baseline: its two independent SAEs; MFR: two runs with different seeds)
                variant        seed  latents replicated @0.7  MMCS between runs
                -------------  ----  -----------------------  -----------------
                baseline          0                    0.083             0.4421
                mfr beta=auto     0                    0.057             0.3333

                Findings:
                warning: Under mfr beta=auto the coupled SAEs learned the same dictionary.
                note: 5,000,000 samples per SAE is 10% of the paper's.

                """.ReplaceLineEndings("\n"),
                text);
        }

        [Fact]
        public void OverSeveralSeeds_AddsTheMeanAndSpreadPerVariant_WithPairedDeltas_Snapshot()
        {
            // Given two seeds, one SAE per ensemble so the per-seed value is the row's own:
            // baseline MSE 0.5 / 0.7, GT MMCS 0.50 / 0.60, rec@0.9 0.1 / 0.3; mfr 0.6 / 0.6, 0.52 / 0.64, 0.1 / 0.2
            var result = new SyntheticExperimentResult(
                new SyntheticExperimentConfig(new SyntheticDataConfig(), Seeds: 2),
                [
                    Row("baseline", 0, 0, 0.5, 0.05, 0, 0.50, [0, 0, 0.1], 0.4, 0.5, 0, null),
                    Row("mfr beta=0.1", 0, 0, 0.6, 0.06, 0, 0.52, [0, 0, 0.1], 0.5, 0.5, 0, 0.1),
                    Row("baseline", 1, 0, 0.7, 0.07, 0, 0.60, [0, 0, 0.3], 0.4, 0.5, 0, null),
                    Row("mfr beta=0.1", 1, 0, 0.6, 0.06, 0, 0.64, [0, 0, 0.2], 0.7, 0.5, 0, 0.1),
                ],
                [
                    new CrossRunConsistency("baseline", 0, 0.08, 0.4), new CrossRunConsistency("mfr beta=0.1", 0, 0.05, 0.3),
                    new CrossRunConsistency("baseline", 1, 0.10, 0.4), new CrossRunConsistency("mfr beta=0.1", 1, 0.05, 0.3),
                ],
                WallSeconds: 1,
                Findings: []);

            // When
            string text = SyntheticResultTables.Text(result);

            // Then: means, sample standard deviations (n - 1) and the paired deltas +0.02 / +0.04 (GT MMCS), 0 / -0.1 (rec@0.9)
            Assert.EndsWith(
                """

                Mean +- standard deviation over seeds 0..1 (one value per seed: the mean of its ensemble's SAEs).
                variant       seeds          MSE          GT MMCS         rec@0.9    MMCS partner  replicated @0.7    GT MMCS - base   rec@0.9 - base
                ------------  -----  -----------  ---------------  --------------  --------------  ---------------  ----------------  ---------------
                baseline          2  0.6 +- 0.14  0.5500 +- 0.071   0.200 +- 0.14     0.4000 +- 0   0.090 +- 0.014                 -                -
                mfr beta=0.1      2     0.6 +- 0  0.5800 +- 0.085  0.150 +- 0.071  0.6000 +- 0.14       0.050 +- 0  +0.0300 +- 0.014  -0.050 +- 0.071
                '- base' columns are paired: per seed, the variant minus the baseline trained on the same data from the same initialisations.

                """.ReplaceLineEndings("\n"),
                text);
        }

        [Fact]
        public void RecomputesTheFindings_OfAResultWrittenBeforeFindingsWereKept()
        {
            // Given a result without stored findings whose MFR pair collapsed
            var result = new SyntheticExperimentResult(SyntheticExperimentConfig.Paper(),
                [Row("mfr beta=auto", 0, 0, 0.7, 0.07, 0, 0.5, [0, 0, 0], 0.9999, 0.1, 0, 7.9), Row("mfr beta=auto", 0, 1, 0.7, 0.07, 0, 0.5, [0, 0, 0], 0.9999, 0.1, 0, 7.9)],
                [], WallSeconds: 1);

            // When
            var summary = SyntheticResultTables.Summary(result);

            // Then
            Assert.Equal(FindingKind.CoupledSaesCollapsed, Assert.Single(summary.Findings).Kind);
        }
    }
}
