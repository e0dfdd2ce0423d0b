using Mfr.Experiments;
using Mfr.Regularization;
using Mfr.Synthetic;

namespace Mfr.Tests.Experiments;

public sealed class SyntheticFindingsTests
{
    private static readonly SyntheticExperimentConfig PaperBudget = SyntheticExperimentConfig.Paper();

    private static SyntheticSaeResult Row(string variant, int index, double partnerMmcs, double? beta, int dead = 0) =>
        new(variant, 0, index, 1, 0.7, 0.07, 32, dead, 0.5, [0.2, 0.1, 0.05], partnerMmcs, 0.5, 0, beta);

    public sealed class TheOfMethod
    {
        [Fact]
        public void NamesOnlyTheMfrVariantWhoseCoupledSaesBecameOneDictionary()
        {
            // Given a collapsed MFR pair, an MFR pair that stayed apart and a baseline pair that agrees by chance
            SyntheticSaeResult[] rows =
            [
                Row("baseline", 0, 0.995, null), Row("baseline", 1, 0.995, null),
                Row("mfr beta=auto", 0, 0.9999, 7.9), Row("mfr beta=auto", 1, 0.9999, 7.9),
                Row("mfr beta=0.01", 0, 0.48, 0.01), Row("mfr beta=0.01", 1, 0.48, 0.01),
            ];

            // When
            var findings = SyntheticFindings.Of(PaperBudget, rows);

            // Then
            var collapse = Assert.Single(findings);
            Assert.Equal((FindingKind.CoupledSaesCollapsed, "mfr beta=auto"), (collapse.Kind, collapse.Subject));
            Assert.StartsWith("Under mfr beta=auto the coupled SAEs learned the same dictionary", collapse.Text);
            Assert.Contains("says nothing about the true features", collapse.Text);
        }

        [Fact]
        public void SaysNothing_WhenOneSaeOfTheCoupledEnsembleStayedApart()
        {
            Assert.Empty(SyntheticFindings.Of(PaperBudget, [Row("mfr beta=0.1", 0, 0.69, 0.1), Row("mfr beta=0.1", 1, 0.995, 0.1)]));
        }

        [Fact]
        public void NotesABudgetBelowThePapers_AndNotThePapersOwn()
        {
            var row = Row("baseline", 0, 0.4, null);
            var tenth = new SyntheticExperimentConfig(new SyntheticDataConfig(), SampleCount: 5_000_000);

            var budget = Assert.Single(SyntheticFindings.Of(tenth, [row]));
            Assert.Equal(FindingKind.BudgetBelowPaper, budget.Kind);
            Assert.StartsWith("5,000,000 samples per SAE is 10% of the paper's 50,000,000", budget.Text);
            Assert.Empty(SyntheticFindings.Of(PaperBudget, [row]));
        }

        [Fact]
        public void NotesAVariantWithManyDeadLatents_ByItsWorstSae()
        {
            // Given h 512: 51 dead is below a tenth, 52 reaches it
            SyntheticSaeResult[] rows = [Row("baseline", 0, 0.4, null, dead: 51), Row("baseline", 1, 0.4, null, dead: 52), Row("mfr beta=0.1", 0, 0.5, 0.1, dead: 51)];

            var dead = Assert.Single(SyntheticFindings.Of(PaperBudget, rows));

            Assert.Equal((FindingKind.ManyDeadLatents, "baseline"), (dead.Kind, dead.Subject));
            Assert.Contains("1 of 2 baseline SAE(s)", dead.Text);
            Assert.Contains("most: seed 0 SAE 1, 52 of 512", dead.Text);
        }

        [Fact]
        public void StartsWithTheFindingsKnownBeforeTraining()
        {
            // Given batch 20 at h 64, k 1: the re-initialisation check reacts to sampling noise
            var config = SyntheticExperimentConfig.Paper() with { LatentCount = 64, K = 1, BatchSize = 20 };

            // When
            var findings = SyntheticFindings.Of(config, [Row("baseline", 0, 0.4, null)]);

            // Then
            Assert.Equal(SyntheticFindings.BeforeTraining(config), findings);
            Assert.Equal(FindingKind.ReinitializationWithinSamplingNoise, Assert.Single(findings).Kind);
            Assert.Empty(SyntheticFindings.BeforeTraining(config with { Mfr = new MfrConfig(MfrMode.Penalty) }));
        }

        [Fact]
        public void NotesABudgetThatEndsInTheFirstHalfOfTheWarmup_BeforeTraining()
        {
            // Given 2 steps of 10,000 under the default 100-step warm-up
            var config = SyntheticExperimentConfig.Paper() with { SampleCount = 20_000 };

            // When
            var before = SyntheticFindings.BeforeTraining(config);

            // Then
            Assert.Equal(FindingKind.WarmupLongerThanTraining, Assert.Single(before).Kind);
            Assert.Empty(SyntheticFindings.BeforeTraining(config with { Mfr = new MfrConfig(MfrMode.Reinit) }));
        }
    }
}
