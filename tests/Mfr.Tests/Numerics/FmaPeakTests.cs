using Mfr.Numerics;

namespace Mfr.Tests.Numerics;

public sealed class FmaPeakTests
{
    public sealed class TheRun
    {
        [Theory]
        [InlineData(1, 0)]
        [InlineData(1, 37)]
        [InlineData(2, 1001)]
        public void EveryLaneOfEveryChain_EqualsTheScalarChain(int threads, int iterations)
        {
            // Given: the vector width the measurement uses
            int lanes = FmaPeak.Measure(1, seconds: 0).VectorBits / 32;
            var results = new float[threads * FmaPeak.Accumulators * lanes];

            // When
            FmaPeak.Run(results, iterations, threads);

            // Then: fused multiply-adds round once, so the vector chains equal the scalar definition exactly
            for (int index = 0; index < results.Length; index++)
                Assert.Equal(FmaPeak.ChainReference(index, iterations), results[index]);
        }
    }

    public sealed class TheMeasurement
    {
        [Fact]
        public void ReportsAPositiveRate_ForTheThreadsAskedFor()
        {
            var result = FmaPeak.Measure(2, seconds: 0.05);

            Assert.Equal(2, result.Threads);
            Assert.Contains(result.VectorBits, new[] { 128, 256, 512 });
            Assert.True(result.GflopsPerSecond > 0.1, $"{result.GflopsPerSecond} GFLOP/s");
        }
    }

    public sealed class TheProbe
    {
        [Fact]
        public void OneThread_RunsWholeChains_AndReportsAPositiveRate()
        {
            // Given one thread's part of 501 FMAs per chain
            int lanes = FmaPeak.Measure(1, seconds: 0).VectorBits / 32;

            // When
            var chains = new float[FmaPeak.Accumulators * Math.Max(lanes, 4)];
            double gflops = FmaPeak.Probe(threads: 1, iterations: 501, chains);

            // Then the part's chains start at its index (0) and ran every iteration
            Assert.True(double.IsFinite(gflops) && gflops > 0, $"{gflops} GFLOP/s");
            for (int index = 0; index < chains.Length; index++)
                Assert.Equal(FmaPeak.ChainReference(index, 501), chains[index]);
        }
    }
}
