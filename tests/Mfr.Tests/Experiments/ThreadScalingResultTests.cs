using Mfr.Experiments;

namespace Mfr.Tests.Experiments;

/// <summary>The speed-ups `mfr bench --scaling-rounds` reports, from hand-made rounds.</summary>
public sealed class ThreadScalingResultTests
{
    private static ThreadScalingResult ThreeRounds() => new([1, 2, 4],
    [
        [new(1, 100, 110, 200), new(2, 50, 55, 400), new(4, 40, 44, 500)],
        [new(1, 120, 130, 180), new(2, 80, 90, 360), new(4, 30, 33, 720)],
        [new(1, 90, 99, 210), new(2, 60, 66, 315), new(4, 45, 50, 630)],
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
    public void MedianOfAnEvenNumberOfRounds_IsTheMeanOfTheMiddleTwo()
    {
        var scaling = new ThreadScalingResult([1, 2], [[new(1, 100, 100, 100), new(2, 50, 50, 200)], [new(1, 100, 100, 100), new(2, 80, 80, 150)]]);

        Assert.Equal((2.0 + 1.25) / 2, scaling.MedianStepSpeedup(2), 12);
        Assert.Equal((2.0 + 1.5) / 2, scaling.MedianFmaSpeedup(2), 12);
    }
}
