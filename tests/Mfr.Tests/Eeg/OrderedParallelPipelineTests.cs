using Mfr.Eeg;

namespace Mfr.Tests.Eeg;

public sealed class OrderedParallelPipelineTests
{
    [Fact]
    public void Results_AreConsumedInIndexOrderWhateverTheFinishingOrder()
    {
        // Given producers that finish out of order (earlier indices sleep longer)
        var consumed = new List<(int Index, int Value)>();

        // When
        OrderedParallelPipeline.Run(20, threads: 4, window: 8,
            index =>
            {
                Thread.Sleep((20 - index) % 5);
                return index * index;
            },
            (index, value) => consumed.Add((index, value)),
            CancellationToken.None);

        // Then
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (i, i * i)), consumed);
    }

    [Fact]
    public void WorkInFlight_NeverExceedsTheWindow()
    {
        // Given a slow first item: later items must wait instead of piling up unconsumed
        int started = 0, consumedCount = 0, maxAhead = 0;
        var gate = new object();

        OrderedParallelPipeline.Run(30, threads: 3, window: 4,
            index =>
            {
                lock (gate)
                {
                    started++;
                    maxAhead = Math.Max(maxAhead, started - consumedCount);
                }
                Thread.Sleep(index == 0 ? 50 : 1);
                return index;
            },
            (_, _) =>
            {
                lock (gate) consumedCount++;
            },
            CancellationToken.None);

        Assert.Equal(30, consumedCount);
        Assert.InRange(maxAhead, 1, 4);
    }

    [Fact]
    public void ProducerException_PropagatesWithItsType()
    {
        var error = Assert.Throws<InvalidDataException>(() => OrderedParallelPipeline.Run(10, 2, 4,
            index => index == 6 ? throw new InvalidDataException("bad item 6") : index,
            (_, _) => { },
            CancellationToken.None));

        Assert.Equal("bad item 6", error.Message);
    }

    [Fact]
    public void Cancellation_StopsTheRun()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => OrderedParallelPipeline.Run(10, 2, 4, index => index, (_, _) => { }, cancellation.Token));
    }
}
