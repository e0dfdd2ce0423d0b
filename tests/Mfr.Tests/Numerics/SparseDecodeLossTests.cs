using Mfr.Numerics;
using Mfr.Sae;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Numerics;

public sealed class SparseDecodeLossTests
{
    /// <summary>The registered fast sparse variants (<see cref="KernelRegistry.Sparse"/>).</summary>
    public static TheoryData<string> Variants => KernelVariants.Fast("sparse");

    private static int[] DistinctIndices(int rowCount, int k, int latentCount, ulong seed)
    {
        var rng = new Rng(seed);
        var indices = new int[rowCount * k];
        for (int b = 0; b < rowCount; b++)
        {
            var used = new HashSet<int>();
            for (int s = 0; s < k; s++)
            {
                int latent;
                do latent = rng.NextInt(latentCount);
                while (!used.Add(latent));
                indices[b * k + s] = latent;
            }
        }
        return indices;
    }

    private sealed record Case(int RowCount, int K, int Dimension, int LatentCount, bool Bias, ulong Seed)
    {
        public int[] Indices { get; } = DistinctIndices(RowCount, K, LatentCount, Seed);
        public float[] Coefficients { get; } = KernelTestData.Gaussian(RowCount * K, Seed + 1).Span.ToArray();
        public float[] Rows { get; } = KernelTestData.Gaussian(LatentCount * Dimension, Seed + 2).Span.ToArray();
        public float[] RowBias { get; } = Bias ? KernelTestData.Gaussian(Dimension, Seed + 3).Span.ToArray() : [];
        public float[] Targets { get; } = KernelTestData.Gaussian(RowCount * Dimension, Seed + 4).Span.ToArray();
    }

    public sealed class DecodeLossAndDots
    {
        [KernelTheory("sparse")]
        [MemberData(nameof(Variants), MemberType = typeof(SparseDecodeLossTests))]
        public void MatchesReference_OnAwkwardSizes_FusedAndSwept(string variant)
        {
            ulong seed = 500;
            // Latent counts 40 (the fused path) and 1800 with d = 300 (above the cached-decoder limit: slab-swept passes).
            foreach (var (dimension, latentCount) in new[] { (0, 40), (1, 40), (7, 40), (16, 40), (17, 40), (33, 40), (129, 40), (257, 40), (300, 1800) })
                foreach (int k in new[] { 0, 1, 3, 5, 17, 32 })
                    foreach (int rowCount in new[] { 0, 1, 33, 130 })
                        foreach (bool bias in new[] { false, true })
                            Check(variant, new Case(rowCount, k, dimension, latentCount, bias, seed++));
        }

        private static void Check(string variant, Case c)
        {
            // Given
            int n = c.RowCount * c.Dimension;
            var output = KernelTestData.Empty(n);
            var gradient = KernelTestData.Empty(n);
            var dots = KernelTestData.Empty(c.RowCount * c.K);
            var expectedOutput = new float[n];
            var expectedGradient = new float[n];
            var expectedDots = new float[c.RowCount * c.K];

            // When
            double loss = SparseKernels.DecodeLossAndDotsWith(c.Indices, c.Coefficients, c.Rows, c.RowBias, c.Targets, c.RowCount, c.K, c.Dimension,
                output.Span, gradient.Span, dots.Span, KernelRegistry.Sparse.Get(variant), maxThreads: 2);
            double expectedLoss = SparseKernelsReference.DecodeLossAndDots(c.Indices, c.Coefficients, c.Rows, c.RowBias, c.Targets, c.RowCount, c.K, c.Dimension,
                expectedOutput, expectedGradient, expectedDots);

            // Then
            string what = $"{variant} decode-loss B={c.RowCount} k={c.K} d={c.Dimension} h={c.LatentCount} bias={c.Bias}";
            double tolerance = 1e-5 * Math.Sqrt(c.K + 1);
            AssertClose.Equal(expectedOutput, output.Span, tolerance, 1e-5, what + " x^");
            AssertClose.Equal(expectedGradient, gradient.Span, 4 * tolerance / Math.Max(1, n), 1e-4, what + " dL/dx^");
            AssertClose.Equal(expectedDots, dots.Span, 4 * tolerance * Math.Sqrt(c.Dimension + 1) / Math.Max(1, n), 1e-4, what + " dL/dz");
            Assert.True(Math.Abs(loss - expectedLoss) <= 1e-5 * Math.Max(1, expectedLoss), $"{what}: loss {loss} against {expectedLoss}");
            output.AssertCanariesIntact(what);
            gradient.AssertCanariesIntact(what);
            dots.AssertCanariesIntact(what);
        }

        [Theory]
        [InlineData(256, 40, false)]
        [InlineData(256, 40, true)]
        [InlineData(304, 1800, true)]
        public void GivesBitwiseTheUnfusedPasses_XHatGradientAndDots(int dimension, int latentCount, bool bias)
        {
            // Given: the passes the fused kernel replaces in SaeComputation.Forward and Backward.
            var c = new Case(RowCount: 150, K: 9, dimension, latentCount, bias, Seed: 77);
            int n = c.RowCount * c.Dimension;
            var (output, gradient, dots) = (new float[n], new float[n], new float[c.RowCount * c.K]);
            var (unfusedOutput, unfusedGradient, unfusedDots) = (new float[n], new float[n], new float[c.RowCount * c.K]);
            var kernel = KernelRegistry.Sparse.Selected;

            // When
            double loss = SparseKernels.DecodeLossAndDotsWith(c.Indices, c.Coefficients, c.Rows, c.RowBias, c.Targets, c.RowCount, c.K, c.Dimension, output, gradient, dots, kernel, maxThreads: 2);
            SparseKernels.DecodeWith(c.Indices, c.Coefficients, c.Rows, c.RowCount, c.K, c.Dimension, unfusedOutput, kernel, maxThreads: 2);
            if (bias) SaeStepKernels.AddRowVector(unfusedOutput, c.RowBias, c.RowCount, c.Dimension, maxThreads: 2);
            double unfusedLoss = SaeStepKernels.SquaredErrorAndGradient(unfusedOutput, c.Targets, c.RowCount, c.Dimension, unfusedGradient, maxThreads: 2);
            SparseKernels.GatherDotsWith(c.Indices, unfusedGradient, c.Rows, c.RowCount, c.K, c.Dimension, unfusedDots, kernel, maxThreads: 2);

            // Then: d is a multiple of the vector width, so even the loss adds in the same order.
            Assert.Equal(unfusedOutput, output);
            Assert.Equal(unfusedGradient, gradient);
            Assert.Equal(unfusedDots, dots);
            Assert.Equal(unfusedLoss, loss);
        }

        [Fact]
        public void IsBitwiseIdentical_ForOneAndTwoThreads()
        {
            // Given
            var c = new Case(RowCount: 300, K: 7, Dimension: 100, LatentCount: 60, Bias: true, Seed: 9);
            int n = c.RowCount * c.Dimension;
            var (one, two) = ((new float[n], new float[n], new float[c.RowCount * c.K]), (new float[n], new float[n], new float[c.RowCount * c.K]));

            // When
            double lossOne = SparseKernels.DecodeLossAndDotsWith(c.Indices, c.Coefficients, c.Rows, c.RowBias, c.Targets, c.RowCount, c.K, c.Dimension, one.Item1, one.Item2, one.Item3, KernelRegistry.Sparse.Selected, maxThreads: 1);
            double lossTwo = SparseKernels.DecodeLossAndDotsWith(c.Indices, c.Coefficients, c.Rows, c.RowBias, c.Targets, c.RowCount, c.K, c.Dimension, two.Item1, two.Item2, two.Item3, KernelRegistry.Sparse.Selected, maxThreads: 2);

            // Then
            Assert.Equal(lossOne, lossTwo);
            Assert.Equal(one.Item1, two.Item1);
            Assert.Equal(one.Item2, two.Item2);
            Assert.Equal(one.Item3, two.Item3);
        }

        [Fact]
        public void Throws_OnTargetsShorterThanTheBatch()
        {
            var exception = Assert.Throws<ArgumentException>(() => SparseKernels.DecodeLossAndDots([0], [1f], new float[2 * 3], default, new float[2], 1, 1, 3, new float[3], new float[3], new float[1]));
            Assert.Contains("targets 2", exception.Message);
        }
    }
}
