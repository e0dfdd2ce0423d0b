using Mfr.Numerics;
using Mfr.Sae;
using Mfr.Tests.Numerics;

namespace Mfr.Tests.Sae;

public sealed class EncoderTopKTests
{
    public sealed class Run
    {
        [Theory]
        [InlineData(300, 64, 96, 8)]    // threaded, one depth block: each part selects its own rows
        [InlineData(130, 300, 70, 5)]   // two depth blocks: the selection runs in a pass after the product
        [InlineData(5, 7, 9, 3)]        // below the threading threshold
        [InlineData(33, 16, 17, 17)]    // k = h
        [InlineData(20, 8, 12, 0)]      // k = 0
        public void GivesBitwiseTheProductThenTheSeparateTopK(int batchSize, int inputDim, int latentCount, int k)
        {
            // Given
            var inputs = KernelTestData.Gaussian(batchSize * inputDim, 1).Span.ToArray();
            var weights = KernelTestData.Gaussian(latentCount * inputDim, 2).Span.ToArray();
            var bias = KernelTestData.Gaussian(latentCount, 3).Span.ToArray();
            var expectedPreActivations = new float[batchSize * latentCount];
            var expectedIndices = new int[batchSize * k];
            var expectedValues = new float[batchSize * k];
            Gemm.MultiplyTransposedAddRowVector(inputs, weights, bias, batchSize, latentCount, inputDim, expectedPreActivations);
            TopK.Select(expectedPreActivations, batchSize, latentCount, k, expectedIndices, expectedValues);
            var preActivations = new float[batchSize * latentCount];
            var indices = new int[batchSize * k];
            var values = new float[batchSize * k];

            // When
            var (ticks, threads) = EncoderTopK.Run(inputs, weights, bias, batchSize, inputDim, latentCount, k, preActivations, indices, values);

            // Then
            Assert.Equal(expectedPreActivations, preActivations);
            Assert.Equal(expectedIndices, indices);
            Assert.Equal(expectedValues, values);
            Assert.True(ticks >= 0 && threads >= 1 && threads <= Parallelism.MaxThreads, $"ticks {ticks}, threads {threads}");
        }

        [Fact]
        public void Throws_WhenTheIndicesCannotHoldTheBatch()
        {
            var exception = Assert.Throws<ArgumentException>(() => EncoderTopK.Run(new float[6], new float[9], new float[3], 2, 3, 3, 2, new float[6], new int[3], new float[4]));
            Assert.Contains("indices/values [2,2]", exception.Message);
        }
    }
}
