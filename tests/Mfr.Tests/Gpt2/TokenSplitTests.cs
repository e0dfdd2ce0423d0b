using Mfr.Gpt2;

namespace Mfr.Tests.Gpt2;

public sealed class TokenSplitTests
{
    [Fact]
    public void ALongFile_GivesTheWantedTrainingTokens_ThenTheHeldOutOnes()
    {
        var split = TokenSplit.For(tokenCount: 10_000, wantedTrainingTokens: 6_000, heldOutTokens: 1_000);

        Assert.Equal(new TokenSplit(6_000, 6_000, 1_000), split);
    }

    [Fact]
    public void AShortFile_KeepsTheHeldOutPartWhole_AndTrainsOnWhatIsLeft()
    {
        var split = TokenSplit.For(tokenCount: 1_203_184, wantedTrainingTokens: 2_000_000, heldOutTokens: 20_480);

        Assert.Equal(new TokenSplit(1_182_704, 1_182_704, 20_480), split);
    }

    [Theory]
    [InlineData(100, 50, 99)] // one training token left
    [InlineData(100, 50, 150)] // held out longer than the file
    [InlineData(100, 1, 10)] // training part too small to ask for
    [InlineData(100, 50, 1)] // held-out part too small
    public void ImpossibleSplits_AreRefusedWithAReason(long tokenCount, long training, long heldOut)
    {
        var error = Assert.Throws<ArgumentException>(() => TokenSplit.For(tokenCount, training, heldOut));

        Assert.Contains("token", error.Message);
    }
}
