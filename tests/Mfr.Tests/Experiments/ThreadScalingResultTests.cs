using Mfr.Experiments;
using Mfr.Sae;

namespace Mfr.Tests.Experiments;

/// <summary>The speed-ups `mfr bench --scaling-rounds` reports, from hand-made rounds.</summary>
public sealed class ThreadScalingResultTests
{
    // Encoder takes the given milliseconds, Backward a fixed 12 ms at every count (no speed-up), Data none, and the
    // regulariser 0.5 ms at 1 thread (under 1% of every 1-thread step) and 0.1 ms at more.
    private static Dictionary<StepTimer.Phase, double> Phases(double encoder) =>
        new() { [StepTimer.Phase.Encoder] = encoder, [StepTimer.Phase.Backward] = 12, [StepTimer.Phase.Data] = 0, [StepTimer.Phase.Regularizer] = encoder >= 90 ? 0.5 : 0.1 };

    private static ThreadScalingResult ThreeRounds() => new([1, 2, 4],
    [
        [new(1, 100, 110, 200, Phases(100)), new(2, 50, 55, 400, Phases(50)), new(4, 40, 44, 500, Phases(40))],
        [new(1, 120, 130, 180, Phases(120)), new(2, 80, 90, 360, Phases(80)), new(4, 30, 33, 720, Phases(30))],
        [new(1, 90, 99, 210, Phases(90)), new(2, 60, 66, 315, Phases(60)), new(4, 45, 50, 630, Phases(45))],
    ]);

    [Fact]
    public void SpeedupsOfOneRound_AreTheOneThreadTimeOverTheCountsTime_AndItsFmaRateOverTheOneThreadRate()
    {
        var scaling = ThreeRounds();

        Assert.Equal(2.0, scaling.StepSpeedup(0, 2), 12);
        Assert.Equal(2.5, scaling.StepSpeedup(0, 4), 12);
        Assert.Equal(1.5, scaling.StepSpeedup(1, 2), 12);
        Assert.Equal(2.0, scaling.FmaSpeedup(0, 2), 12);
        Assert.Equal(4.0, scaling.FmaSpeedup(1, 4), 12);
        Assert.Equal(1.5, scaling.FmaSpeedup(2, 2), 12);
    }

    [Fact]
    public void Medians_AreOverTheRounds_EachShareTakenWithinItsOwnRound()
    {
        var scaling = ThreeRounds();

        // Step speed-ups at 2 threads: 2.0, 1.5, 1.5; FMA: 2.0, 2.0, 1.5; shares: 1.0, 0.75, 1.0
        Assert.Equal(1.5, scaling.MedianStepSpeedup(2), 12);
        Assert.Equal(2.0, scaling.MedianFmaSpeedup(2), 12);
        Assert.Equal(1.0, scaling.MedianShareOfFmaSpeedup(2), 12);
        // At 4 threads: 2.5, 4.0, 2.0; FMA 2.5, 4.0, 3.0; shares 1.0, 1.0, 2/3
        Assert.Equal(2.5, scaling.MedianStepSpeedup(4), 12);
        Assert.Equal(3.0, scaling.MedianFmaSpeedup(4), 12);
        Assert.Equal(1.0, scaling.MedianShareOfFmaSpeedup(4), 12);
    }

    [Fact]
    public void PhaseSpeedups_AreMediansOverRoundsOfEachPhasesOwnRatio_LeavingOutPhasesUnderOnePercentOfTheStep()
    {
        var phases = ThreeRounds().MedianPhaseSpeedups(4);

        // Encoder at 4 threads: 100/40, 120/30, 90/45 = 2.5, 4, 2 -> 2.5; Backward 12/12 in every round -> 1; Data has no time
        Assert.Equal(2.5, phases[StepTimer.Phase.Encoder], 12);
        Assert.Equal(1.0, phases[StepTimer.Phase.Backward], 12);
        Assert.False(phases.ContainsKey(StepTimer.Phase.Data));
        // The regulariser's 0.5 / 0.1 ms would read 5x, but it is under 1% of the 1-thread steps (110, 130, 99 ms)
        Assert.False(phases.ContainsKey(StepTimer.Phase.Regularizer));
    }

    [Fact]
    public void MedianOfAnEvenNumberOfRounds_IsTheMeanOfTheMiddleTwo()
    {
        var scaling = new ThreadScalingResult([1, 2], [[new(1, 100, 100, 100, Phases(100)), new(2, 50, 50, 200, Phases(50))], [new(1, 100, 100, 100, Phases(100)), new(2, 80, 80, 150, Phases(80))]]);

        Assert.Equal((2.0 + 1.25) / 2, scaling.MedianStepSpeedup(2), 12);
        Assert.Equal((2.0 + 1.5) / 2, scaling.MedianFmaSpeedup(2), 12);
    }
}
