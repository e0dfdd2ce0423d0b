using Mfr.Data;
using Mfr.Regularization;
using Mfr.Reports;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Training;

namespace Mfr.Tests.Reports;

public sealed class RunConfigurationTableTests
{
    private static RunSpecification Run(MfrConfig? mfr) => new(
        DataSpecification.ForSynthetic(new SyntheticDataConfig(InputDim: 8, FeatureCount: 16, ActiveFeatures: 2)),
        [new SaeConfig(8, 16, 2), new SaeConfig(8, 16, 2)],
        new TrainingConfig(SampleCount: 128, BatchSize: 64),
        mfr);

    private static Dictionary<string, string> Rows(MfrConfig? mfr) => RunConfigurationTable.Rows(Run(mfr)).ToDictionary(row => row.Key, row => row.Value);

    [Fact]
    public void AMeanMaxRun_IsLabelledMeanMax_WithItsBeta_AndALinearWarmup()
    {
        // Given a mean-max run with beta 0.25 and a 50-step warm-up
        // When its configuration table is built
        var rows = Rows(new MfrConfig(MfrMode.MeanMax, Beta: 0.25, WarmupSteps: 50));

        // Then it says mean-max (not baseline), shows the beta, the linear warm-up, and no assignment (mean-max solves none)
        Assert.StartsWith("mean-max", rows["regularization"]);
        Assert.DoesNotContain("baseline", rows["regularization"]);
        Assert.Equal("0.25", rows["penalty β"]);
        Assert.Equal("50 steps (linear)", rows["penalty warm-up"]);
        Assert.False(rows.ContainsKey("assignment refresh"));
        Assert.False(rows.ContainsKey("re-initialisation"));
    }

    [Fact]
    public void AnMfrRun_KeepsItsCosineWarmup_AndAssignment()
    {
        var rows = Rows(new MfrConfig(MfrMode.Mfr, Beta: 0.5, WarmupSteps: 50));

        Assert.Equal("MFR: penalty and re-initialisation", rows["regularization"]);
        Assert.Equal("0.5", rows["penalty β"]);
        Assert.Equal("50 steps (cosine)", rows["penalty warm-up"]);
        Assert.Equal("every step (exact)", rows["assignment refresh"]);
    }

    [Fact]
    public void AMeanMaxEnsemble_IsNotedAsCoupled()
    {
        string? note = LatentFigures.EnsembleNote(Run(new MfrConfig(MfrMode.MeanMax)));

        Assert.NotNull(note);
        Assert.Contains("mean-max", note);
        Assert.DoesNotContain("independently", note);
    }
}
