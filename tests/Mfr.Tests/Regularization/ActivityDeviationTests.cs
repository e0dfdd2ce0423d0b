using Mfr.Numerics;
using Mfr.Regularization;

namespace Mfr.Tests.Regularization;

public sealed class ActivityDeviationTests
{
    public sealed class TheSamplingFloorMethod
    {
        [Theory]
        [InlineData(1024, 12, 4096)]
        [InlineData(500, 6, 3072)]
        [InlineData(200, 4, 64)]
        public void EqualsTheMeanScoreOfSimulatedUniformSaes(int batchSize, int k, int h)
        {
            // Given batches in which each latent fires in each sample with probability k / h, independently
            var rng = new Rng(17);
            double tau = (double)k / h, sum = 0;
            int batches = Math.Max(20, 100_000 / h); // ~100,000 latent-batches: the mean is good to ~1%
            var counts = new int[h];
            for (int batch = 0; batch < batches; batch++)
            {
                for (int j = 0; j < h; j++)
                {
                    int fired = 0;
                    for (int b = 0; b < batchSize; b++) fired += rng.NextDouble() < tau ? 1 : 0;
                    counts[j] = fired;
                }
                sum += ActivityDeviation.Score(counts, batchSize, k);
            }

            // When
            double floor = ActivityDeviation.SamplingFloor(batchSize, k, h);

            // Then the simulation's mean agrees to a few percent
            Assert.InRange(sum / batches, floor * 0.95, floor * 1.05);
        }

        [Fact]
        public void IsNegligible_AtTheSyntheticShape_AndLarge_AtTheGpt2Shape()
        {
            Assert.True(ActivityDeviation.SamplingFloor(10_000, 32, 512) < 1e-3);
            Assert.InRange(ActivityDeviation.SamplingFloor(500, 6, 3072), 1.7, 1.9);
        }
    }
}
