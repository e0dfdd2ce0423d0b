using Mfr.Data;
using Mfr.Experiments;
using Mfr.Regularization;
using Mfr.Training;

namespace Mfr.Tests.Experiments;

public sealed class KSweepFindingsTests
{
    private static KSweepConfig Config(int batchSize = 50) =>
        new(new DataSpecification("file", Path: "train.npy"), 16, [2, 4], new TrainingConfig(SampleCount: 100, BatchSize: batchSize), new MfrConfig(MfrMode.Penalty));

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
        var noisy = Config(batchSize: 2) with { Mfr = new MfrConfig() };

        // When
        var before = KSweepFindings.BeforeTraining(noisy);

        // Then
        Assert.Contains(before, f => f.Kind == FindingKind.ReinitializationWithinSamplingNoise && f.Subject == "h 16, k 2");
        Assert.Equal(before, KSweepFindings.Of(noisy, [Row(2, 0, 0), Row(4, 0, 0)], null));
        Assert.Empty(KSweepFindings.BeforeTraining(Config(batchSize: 2)));
    }
}
