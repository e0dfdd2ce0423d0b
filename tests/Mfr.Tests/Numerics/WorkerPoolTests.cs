using Mfr.Numerics;

namespace Mfr.Tests.Numerics;

public sealed unsafe class WorkerPoolTests
{
    private struct CountParts : IParallelWork
    {
        public int* Counts;

        public readonly void Execute(int part) => Interlocked.Increment(ref Counts[part]);
    }

    private struct ThrowOnPart : IParallelWork
    {
        public int FailingPart;

        public readonly void Execute(int part)
        {
            if (part == FailingPart) throw new InvalidOperationException("part failed");
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    [InlineData(2, 97)]
    [InlineData(4, 1000)]
    public void Run_ExecutesEveryPartExactlyOnce(int threads, int parts)
    {
        // Given
        var counts = new int[parts];

        // When
        fixed (int* pointer = counts)
        {
            var work = new CountParts { Counts = pointer };
            WorkerPool.Run(ref work, parts, threads);
        }

        // Then
        Assert.All(counts, count => Assert.Equal(1, count));
    }

    [Fact]
    public void Run_FromConcurrentCallers_GivesEveryCallerCorrectResults()
    {
        // Given: callers racing for the pool; the losers run their parts inline.
        const int callers = 6, m = 60, n = 70, k = 80;
        var a = KernelTestData.Gaussian(m * k, 1).Span.ToArray();
        var b = KernelTestData.Gaussian(n * k, 2).Span.ToArray();
        var expected = new float[m * n];
        Gemm.MultiplyTransposedWith(a, b, m, n, k, expected, false, KernelRegistry.Gemm.Selected, maxThreads: 1);
        var results = new float[callers][];

        // When
        Parallel.For(0, callers, new ParallelOptions { MaxDegreeOfParallelism = callers }, caller =>
        {
            var c = new float[m * n];
            for (int repeat = 0; repeat < 20; repeat++) Gemm.MultiplyTransposedWith(a, b, m, n, k, c, false, KernelRegistry.Gemm.Selected, maxThreads: 2);
            results[caller] = c;
        });

        // Then: identical to the single-threaded product (the result never depends on scheduling).
        Assert.All(results, result => Assert.Equal(expected, result));
    }

    [Fact]
    public void Run_RethrowsAPartsException_AndStaysUsable()
    {
        // Given
        var failing = new ThrowOnPart { FailingPart = 5 };

        // When, Then
        var exception = Assert.Throws<InvalidOperationException>(() => WorkerPool.Run(ref failing, 40, 2));
        Assert.Equal("part failed", exception.Message);
        Run_ExecutesEveryPartExactlyOnce(2, 50);
    }
}
