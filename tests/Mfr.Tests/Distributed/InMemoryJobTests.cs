using Mfr.Distributed;

namespace Mfr.Tests.Distributed;

public sealed class InMemoryJobTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void SelfTest_PassesOnEveryRank(int ranks)
    {
        // Given the test double of a job with `ranks` ranks
        var results = new MpiSelfTestResult[ranks];

        // When every rank runs the binding's self-test
        new InMemoryJob(ranks).Run(world => results[world.Rank] = MpiSelfTest.Run(world));

        // Then rank 0 reports every rank and no failure: the double keeps the collectives' contract the trainer tests rely on
        Assert.Equal(ranks, results[0].RankCount);
        Assert.Empty(results[0].Failures);
    }
}
