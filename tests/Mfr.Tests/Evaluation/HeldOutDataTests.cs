using Mfr.Evaluation;

namespace Mfr.Tests.Evaluation;

public sealed class HeldOutDataTests
{
    public sealed class TheBatchesMethod
    {
        [Theory]
        [InlineData(1220L, 1024, 10, 2, 610)]     // the eegmat held-out split: all 1,220 segments, not 1,024
        [InlineData(5000L, 1024, 10, 5, 1000)]
        [InlineData(1_000_000L, 1024, 10, 10, 1024)]
        [InlineData(300L, 1024, 10, 1, 300)]
        [InlineData(1L, 50, 3, 1, 1)]
        public void CoversASmallFileWholly_AndALargeOneWithFullBatches(long rows, int batchSize, int maxBatches, int expectedBatches, int expectedSize)
        {
            // When
            var (batches, size) = HeldOutData.Batches(rows, batchSize, maxBatches);

            // Then equal batches that never read past the file
            Assert.Equal((expectedBatches, expectedSize), (batches, size));
            Assert.True((long)batches * size <= rows);
        }

        [Fact]
        public void UsesTheConfiguredBatches_ForAnEndlessSource() => Assert.Equal((10, 1024), HeldOutData.Batches(null, 1024, 10));
    }
}
