using Mfr.Numerics;
using Mfr.Sae;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Numerics;

public sealed class GemmRowVectorTests
{
    /// <summary>The registered fast GEMM variants (<see cref="KernelRegistry.Gemm"/>).</summary>
    public static TheoryData<string> Variants => KernelVariants.Fast("gemm");

    // Awkward sizes around the 14-row / 32-column tiles, and shapes crossing the depth block (256), the
    // packed-B column block and the threading threshold (where the bias takes the separate row pass).
    private static readonly (int M, int N, int K)[] Shapes =
        [(0, 5, 3), (1, 1, 1), (3, 0, 4), (2, 7, 0), (15, 17, 7), (29, 33, 16), (47, 49, 33), (300, 70, 40), (97, 131, 259), (29, 600, 300), (1000, 96, 64)];

    public sealed class MultiplyTransposedAddRowVector
    {
        [KernelTheory("gemm")]
        [MemberData(nameof(Variants), MemberType = typeof(GemmRowVectorTests))]
        public void MatchesReference_OnAwkwardSizes(string variant)
        {
            ulong seed = 40;
            foreach (var (m, n, k) in Shapes)
            {
                // Given
                var a = KernelTestData.Gaussian(m * k, seed++);
                var b = KernelTestData.Gaussian(n * k, seed++);
                var rowVector = KernelTestData.Gaussian(n, seed++);
                var actual = KernelTestData.Gaussian(m * n, seed++);
                var expected = new float[m * n];

                // When
                Gemm.MultiplyTransposedAddRowVectorWith(a.Span, b.Span, rowVector.Span, m, n, k, actual.Span, KernelRegistry.Gemm.Get(variant), maxThreads: 2);
                GemmReference.MultiplyTransposed(a.Span, b.Span, m, n, k, expected, accumulate: false);
                for (int i = 0; i < m * n; i++) expected[i] += rowVector.Span[i % n];

                // Then
                string what = $"{variant} NT + row m={m} n={n} k={k}";
                AssertClose.Equal(expected, actual.Span, 1e-5 * Math.Sqrt(k + 1), 1e-4, what);
                actual.AssertCanariesIntact(what);
            }
        }

        [Theory]
        [InlineData(1000, 96, 64)]
        [InlineData(97, 131, 259)]
        public void IsBitwiseTheProductThenTheBiasPass_ForOneAndTwoThreads(int m, int n, int k)
        {
            // Given: the two passes it replaces in the SAE encoder.
            var a = KernelTestData.Gaussian(m * k, 1).Span.ToArray();
            var b = KernelTestData.Gaussian(n * k, 2).Span.ToArray();
            var bias = KernelTestData.Gaussian(n, 3).Span.ToArray();
            var twoPasses = new float[m * n];
            Gemm.MultiplyTransposedWith(a, b, m, n, k, twoPasses, false, KernelRegistry.Gemm.Selected, maxThreads: 2);
            SaeStepKernels.AddRowVector(twoPasses, bias, m, n, maxThreads: 2);
            var one = new float[m * n];
            var two = new float[m * n];

            // When
            Gemm.MultiplyTransposedAddRowVectorWith(a, b, bias, m, n, k, one, KernelRegistry.Gemm.Selected, maxThreads: 1);
            Gemm.MultiplyTransposedAddRowVectorWith(a, b, bias, m, n, k, two, KernelRegistry.Gemm.Selected, maxThreads: 2);

            // Then
            Assert.Equal(twoPasses, one);
            Assert.Equal(twoPasses, two);
        }

        [Fact]
        public void Throws_WhenTheRowVectorIsShorterThanARow()
        {
            var exception = Assert.Throws<ArgumentException>(() => Gemm.MultiplyTransposedAddRowVector(new float[6], new float[9], new float[2], 2, 3, 3, new float[6]));
            Assert.Contains("row vector has 2 floats", exception.Message);
        }
    }
}
