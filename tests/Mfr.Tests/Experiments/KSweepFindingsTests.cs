using Mfr.Data;
using Mfr.Experiments;
using Mfr.Regularization;
using Mfr.Training;

namespace Mfr.Tests.Experiments;

public sealed class KSweepFindingsTests
{
    private static KSweepConfig Config(int batchSize = 50) =>
        new(new DataSpecification("file", Path: "train.npy", HeldOutPath: "heldout.npy"), 16, [2, 4], new TrainingConfig(SampleCount: 100, BatchSize: batchSize), new MfrConfig(MfrMode.Penalty, WarmupSteps: 2));

    private static KSweepRow Row(int k, int baselineDead, int mfrDead) => new(k, 1.0, 0.9, -0.1, k, k, baselineDead, mfrDead);

    [Fact]
    public void Of_WarnsOfACollapse_OnlyWhenEveryCoupledPairIsOneDictionary()
    {
        // Given
        KSweepRow[] rows = [Row(2, 0, 0), Row(4, 0, 0)];

        // When
        var collapsed = KSweepFindings.Of(Config(), rows, [0.995, 0.999]);
        var apart = KSweepFindings.Of(Config(), rows, [0.995, 0.41]);
        var uncoupled = KSweepFindings.Of(Config(), rows, null);

        // Then
        Assert.Equal(FindingKind.CoupledSaesCollapsed, Assert.Single(collapsed).Kind);
        Assert.StartsWith("The coupled MFR SAEs learned the same dictionary", collapsed[0].Text);
        Assert.Empty(apart);
        Assert.Empty(uncoupled);
    }

    [Fact]
    public void Of_NotesManyDeadLatents_PerEnsemble_NamingTheK()
    {
        // Given h 16: 2 dead is a tenth or more, 1 is not
        KSweepRow[] rows = [Row(2, 2, 1), Row(4, 0, 3)];

        // When
        var findings = KSweepFindings.Of(Config(), rows, null);

        // Then baseline first, then MFR
        Assert.Equal(["baseline", "MFR"], findings.Select(f => f.Subject));
        Assert.All(findings, f => Assert.Equal(FindingKind.ManyDeadLatents, f.Kind));
        Assert.Contains("most: k=2, 2 of 16", findings[0].Text);
        Assert.Contains("most: k=4, 3 of 16", findings[1].Text);
    }

    [Fact]
    public void BeforeTraining_IsEmpty_WithoutReinitialization_AndOfCarriesIt_WithIt()
    {
        // Given batch 2 at h 16, k 2 (0.25 expected firings per latent per batch) under MFR with re-initialisation
        var noisy = Config(batchSize: 2) with { Mfr = new MfrConfig(WarmupSteps: 2) };

        // When
        var before = KSweepFindings.BeforeTraining(noisy);

        // Then
        Assert.Contains(before, f => f.Kind == FindingKind.ReinitializationWithinSamplingNoise && f.Subject == "h 16, k 2");
        Assert.Equal(before, KSweepFindings.Of(noisy, [Row(2, 0, 0), Row(4, 0, 0)], null));
        Assert.Empty(KSweepFindings.BeforeTraining(Config(batchSize: 2)));
    }

    [Fact]
    public void Of_WarnsThatTheHeldOutLossIsATrainingLoss_WithoutAHeldOutFile()
    {
        // Given the same sweep without a held-out file
        var config = Config() with { Data = new DataSpecification("file", Path: "/data/train.npy") };

        // When
        var findings = KSweepFindings.Of(config, [Row(2, 0, 0), Row(4, 0, 0)], null);

        // Then it is said after training, not before (the settings of training are not at fault)
        var finding = Assert.Single(findings);
        Assert.Equal((FindingKind.EvaluatedOnTrainingData, FindingSeverity.Warning), (finding.Kind, finding.Severity));
        Assert.Contains("measured on the training vectors (train.npy)", finding.Text);
        Assert.Empty(KSweepFindings.BeforeTraining(config));
    }

    [Fact]
    public void BeforeTraining_NotesARunThatEndsInTheFirstHalfOfTheWarmup()
    {
        // Given 2 steps of 50 under a 100-step warm-up (w(2) = 0.001), and the same with a 3-step warm-up (w(2) = 0.75)
        var early = Config() with { Mfr = new MfrConfig(MfrMode.Penalty, WarmupSteps: 100) };
        var late = Config() with { Mfr = new MfrConfig(MfrMode.Penalty, WarmupSteps: 3) };

        // When
        var findings = KSweepFindings.BeforeTraining(early);

        // Then
        var finding = Assert.Single(findings);
        Assert.Equal((FindingKind.WarmupLongerThanTraining, FindingSeverity.Note), (finding.Kind, finding.Severity));
        Assert.StartsWith("training stops after 2 step(s), in the first half of the 100-step warm-up", finding.Text);
        Assert.Empty(KSweepFindings.BeforeTraining(late));
        Assert.Empty(KSweepFindings.BeforeTraining(early with { Mfr = new MfrConfig(MfrMode.Reinit, WarmupSteps: 100) }));
    }
}
