using Mfr.Experiments;
using Mfr.Regularization;

namespace Mfr.Tests.Experiments;

public sealed class MeanMaxWarmupFindingTests
{
    [Fact]
    public void AMeanMaxRun_EndingEarlyInItsWarmup_IsNoted()
    {
        // Given mean-max stopping after 2 of 100 warm-up steps (w(2) = 0.01)
        // When
        var finding = FindingChecks.WarmupLongerThanTraining(2, new MfrConfig(MfrMode.MeanMax, WarmupSteps: 100));

        // Then it is noted like an MFR run's
        Assert.NotNull(finding);
        Assert.Equal(FindingKind.WarmupLongerThanTraining, finding.Kind);
    }

    [Fact]
    public void AMeanMaxRun_IsJudgedByItsLinearRamp_NotTheCosine()
    {
        // Given step 50 of a 100-step warm-up: the cosine is at exactly 0.5, mean-max's linear ramp at 49/100
        var meanMax = FindingChecks.WarmupLongerThanTraining(50, new MfrConfig(MfrMode.MeanMax, WarmupSteps: 100));
        var mfr = FindingChecks.WarmupLongerThanTraining(50, new MfrConfig(MfrMode.Mfr, WarmupSteps: 100));

        // Then only mean-max is still in the first half of its warm-up
        Assert.NotNull(meanMax);
        Assert.Null(mfr);
    }
}
