using Mfr.Eeg;

namespace Mfr.Tests.Eeg;

public sealed class EegSplitTests
{
    private static readonly string[] Names = Enumerable.Range(0, 48).Select(i => $"Subject{i / 2:00}_{i % 2 + 1}.edf").ToArray();

    [Fact]
    public void SameSeed_GivesTheSameSplitWhateverTheInputOrder()
    {
        var first = EegSplit.ByRecording(Names, 0.2, 42);
        var second = EegSplit.ByRecording(Names.Reverse().ToArray(), 0.2, 42);

        Assert.Equal(first.HeldOut, second.HeldOut);
        Assert.Equal(first.Train, second.Train);
    }

    [Fact]
    public void OtherSeed_GivesAnotherSplit()
    {
        var first = EegSplit.ByRecording(Names, 0.2, 42);
        var second = EegSplit.ByRecording(Names, 0.2, 43);

        Assert.NotEqual(first.HeldOut, second.HeldOut);
    }

    [Fact]
    public void Split_PartitionsTheRecordingsWithRoundedHeldOutCount()
    {
        var split = EegSplit.ByRecording(Names, 0.2, 7);

        Assert.Equal(10, split.HeldOut.Count); // round(0.2 * 48 = 9.6)
        Assert.Equal(38, split.Train.Count);
        Assert.Empty(split.Train.Intersect(split.HeldOut));
        Assert.Equal(Names.Order(StringComparer.Ordinal), split.Train.Concat(split.HeldOut).Order(StringComparer.Ordinal));
        Assert.True(split.IsHeldOut(split.HeldOut[0]));
        Assert.False(split.IsHeldOut(split.Train[0]));
    }

    [Theory]
    [InlineData(0.0, 48, 0)]
    [InlineData(0.001, 48, 1)]
    [InlineData(0.5, 1, 0)]
    [InlineData(0.99, 3, 2)]
    public void HeldOutCount_IsAtLeastOneForAPositiveFractionAndNeverEverything(double fraction, int count, int expectedHeldOut)
    {
        var split = EegSplit.ByRecording(Names.Take(count).ToArray(), fraction, 1);

        Assert.Equal(expectedHeldOut, split.HeldOut.Count);
    }

    [Fact]
    public void DuplicateNames_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => EegSplit.ByRecording(["a.edf", "b.edf", "a.edf"], 0.2, 1));
    }
}
