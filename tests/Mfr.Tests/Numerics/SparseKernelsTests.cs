using Mfr.Numerics;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Numerics;

public sealed class SparseKernelsTests
{
    /// <summary>The registered fast sparse variants (<see cref="KernelRegistry.Sparse"/>).</summary>
    public static TheoryData<string> Variants => KernelVariants.Fast("sparse");

    private static readonly int[] Dimensions = [0, 1, 7, 15, 16, 17, 31, 33, 127, 128, 129, 130, 257];
    private static readonly int[] Ks = [0, 1, 3, 4, 5, 17, 32];

    /// <summary>Random latents in [0, latentCount), with repeats across samples (and, when <paramref name="allowRepeatsInSample"/>, within one).</summary>
    private static int[] RandomIndices(int rowCount, int k, int latentCount, ulong seed, bool allowRepeatsInSample = false)
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
                while (!allowRepeatsInSample && k <= latentCount && !used.Add(latent));
                indices[b * k + s] = latent;
            }
        }
        return indices;
    }

    private static double Tolerance(int terms) => 1e-5 * Math.Sqrt(terms + 1);

    public sealed class Decode
    {
        [KernelTheory("sparse")]
        [MemberData(nameof(Variants), MemberType = typeof(SparseKernelsTests))]
        public void MatchesReference_OnAwkwardSizes(string variant)
        {
            ulong seed = 10;
            foreach (int dimension in Dimensions)
                foreach (int k in Ks)
                    foreach (int rowCount in new[] { 0, 1, 33 })
                        Check(variant, rowCount, k, dimension, latentCount: 40, seed++);
        }

        [KernelTheory("sparse")]
        [MemberData(nameof(Variants), MemberType = typeof(SparseKernelsTests))]
        public void MatchesReference_WhenTheDecoderIsSweptInSlabs(string variant)
            => Check(variant, rowCount: 70, k: 9, dimension: 300, latentCount: 1800, seed: 3);

        private static void Check(string variant, int rowCount, int k, int dimension, int latentCount, ulong seed)
        {
            // Given
            var indices = RandomIndices(rowCount, k, latentCount, seed);
            var coefficients = KernelTestData.Gaussian(rowCount * k, seed + 1);
            var rows = KernelTestData.Gaussian(latentCount * dimension, seed + 2);
            var actual = KernelTestData.Empty(rowCount * dimension);
            var expected = new float[rowCount * dimension];

            // When
            SparseKernels.DecodeWith(indices, coefficients.Span, rows.Span, rowCount, k, dimension, actual.Span, KernelRegistry.Sparse.Get(variant), maxThreads: 2);
            SparseKernelsReference.Decode(indices, coefficients.Span, rows.Span, rowCount, k, dimension, expected);

            // Then
            string what = $"{variant} decode B={rowCount} k={k} d={dimension}";
            AssertClose.Equal(expected, actual.Span, Tolerance(k), 1e-5, what);
            actual.AssertCanariesIntact(what);
        }

        [Fact]
        public void IsBitwiseIdentical_ForOneAndTwoThreads()
        {
            // Given: a decoder large enough to be swept in slabs, and enough samples for several parts.
            const int rowCount = 300, k = 7, dimension = 300, latentCount = 1800;
            var indices = RandomIndices(rowCount, k, latentCount, 21);
            var coefficients = KernelTestData.Gaussian(rowCount * k, 22).Span.ToArray();
            var rows = KernelTestData.Gaussian(latentCount * dimension, 23).Span.ToArray();
            var one = new float[rowCount * dimension];
            var two = new float[rowCount * dimension];

            // When
            SparseKernels.DecodeWith(indices, coefficients, rows, rowCount, k, dimension, one, KernelRegistry.Sparse.Selected, maxThreads: 1);
            SparseKernels.DecodeWith(indices, coefficients, rows, rowCount, k, dimension, two, KernelRegistry.Sparse.Selected, maxThreads: 2);

            // Then
            Assert.Equal(one, two);
        }

        [Fact]
        public void Throws_OnAnIndexPastTheDecoderRows()
        {
            var exception = Assert.Throws<ArgumentException>(() => SparseKernels.Decode([0, 4], [1f, 1f], new float[4 * 3], 1, 2, 3, new float[3]));
            Assert.Contains("indices[1] = 4", exception.Message);
        }
    }

    public sealed class GatherDots
    {
        [KernelTheory("sparse")]
        [MemberData(nameof(Variants), MemberType = typeof(SparseKernelsTests))]
        public void MatchesReference_OnAwkwardSizes(string variant)
        {
            ulong seed = 100;
            foreach (int dimension in Dimensions)
                foreach (int k in Ks)
                    foreach (int rowCount in new[] { 0, 1, 33 })
                        Check(variant, rowCount, k, dimension, latentCount: 40, seed++);
        }

        [KernelTheory("sparse")]
        [MemberData(nameof(Variants), MemberType = typeof(SparseKernelsTests))]
        public void MatchesReference_WhenTheDecoderIsSweptInSlabs(string variant)
            => Check(variant, rowCount: 70, k: 9, dimension: 300, latentCount: 1800, seed: 4);

        private static void Check(string variant, int rowCount, int k, int dimension, int latentCount, ulong seed)
        {
            // Given
            var indices = RandomIndices(rowCount, k, latentCount, seed);
            var vectors = KernelTestData.Gaussian(rowCount * dimension, seed + 1);
            var rows = KernelTestData.Gaussian(latentCount * dimension, seed + 2);
            var actual = KernelTestData.Empty(rowCount * k);
            var expected = new float[rowCount * k];

            // When
            SparseKernels.GatherDotsWith(indices, vectors.Span, rows.Span, rowCount, k, dimension, actual.Span, KernelRegistry.Sparse.Get(variant), maxThreads: 2);
            SparseKernelsReference.GatherDots(indices, vectors.Span, rows.Span, rowCount, k, dimension, expected);

            // Then
            string what = $"{variant} gather-dots B={rowCount} k={k} d={dimension}";
            AssertClose.Equal(expected, actual.Span, Tolerance(dimension), 1e-5, what);
            actual.AssertCanariesIntact(what);
        }

        [Fact]
        public void IsBitwiseIdentical_ForOneAndTwoThreads()
        {
            // Given
            const int rowCount = 300, k = 7, dimension = 300, latentCount = 1800;
            var indices = RandomIndices(rowCount, k, latentCount, 31);
            var vectors = KernelTestData.Gaussian(rowCount * dimension, 32).Span.ToArray();
            var rows = KernelTestData.Gaussian(latentCount * dimension, 33).Span.ToArray();
            var one = new float[rowCount * k];
            var two = new float[rowCount * k];

            // When
            SparseKernels.GatherDotsWith(indices, vectors, rows, rowCount, k, dimension, one, KernelRegistry.Sparse.Selected, maxThreads: 1);
            SparseKernels.GatherDotsWith(indices, vectors, rows, rowCount, k, dimension, two, KernelRegistry.Sparse.Selected, maxThreads: 2);

            // Then
            Assert.Equal(one, two);
        }
    }

    public sealed class ScatterAddPair
    {
        [KernelTheory("sparse")]
        [MemberData(nameof(Variants), MemberType = typeof(SparseKernelsTests))]
        public void MatchesReference_OnAwkwardSizes(string variant)
        {
            ulong seed = 1000;
            foreach (int dimension in new[] { 0, 1, 7, 16, 17, 33, 129, 300 })
                foreach (int k in new[] { 0, 1, 3, 8 })
                    foreach (var (rowCount, latentCount) in new[] { (0, 5), (1, 5), (5, 1), (70, 5), (70, 40) })
                        Check(variant, rowCount, k, dimension, latentCount, seed++, repeatsInSample: latentCount < k);
        }

        [KernelTheory("sparse")]
        [MemberData(nameof(Variants), MemberType = typeof(SparseKernelsTests))]
        public void MatchesReference_OnAThreadedShape_WithRepeatsInsideSamples(string variant)
            => Check(variant, rowCount: 600, k: 8, dimension: 130, latentCount: 50, seed: 9, repeatsInSample: true);

        private static void Check(string variant, int rowCount, int k, int dimension, int latentCount, ulong seed, bool repeatsInSample)
        {
            // Given: gradients start non-zero (the kernel accumulates).
            var indices = RandomIndices(rowCount, k, latentCount, seed, repeatsInSample);
            var coefficientsA = KernelTestData.Gaussian(rowCount * k, seed + 1);
            var vectorsA = KernelTestData.Gaussian(rowCount * dimension, seed + 2);
            var coefficientsB = KernelTestData.Gaussian(rowCount * k, seed + 3);
            var vectorsB = KernelTestData.Gaussian(rowCount * dimension, seed + 4);
            var gradientA = KernelTestData.Gaussian(latentCount * dimension, seed + 5);
            var gradientB = KernelTestData.Gaussian(latentCount * dimension, seed + 6);
            var expectedA = gradientA.Span.ToArray();
            var expectedB = gradientB.Span.ToArray();

            // When
            SparseKernels.ScatterAddPairWith(indices, coefficientsA.Span, vectorsA.Span, coefficientsB.Span, vectorsB.Span, rowCount, k, dimension, latentCount, gradientA.Span, gradientB.Span, KernelRegistry.Sparse.Get(variant), maxThreads: 2);
            SparseKernelsReference.ScatterAdd(indices, coefficientsA.Span, vectorsA.Span, rowCount, k, dimension, latentCount, expectedA);
            SparseKernelsReference.ScatterAdd(indices, coefficientsB.Span, vectorsB.Span, rowCount, k, dimension, latentCount, expectedB);

            // Then
            string what = $"{variant} scatter B={rowCount} k={k} d={dimension} h={latentCount}";
            AssertClose.Equal(expectedA, gradientA.Span, Tolerance(rowCount * k), 1e-5, what + " A");
            AssertClose.Equal(expectedB, gradientB.Span, Tolerance(rowCount * k), 1e-5, what + " B");
            gradientA.AssertCanariesIntact(what + " A");
            gradientB.AssertCanariesIntact(what + " B");
        }

        [Fact]
        public void IsBitwiseIdentical_AcrossRunsAndThreadCounts()
        {
            // Given
            const int rowCount = 800, k = 16, dimension = 96, latentCount = 64;
            var indices = RandomIndices(rowCount, k, latentCount, 77);
            var coefficientsA = KernelTestData.Gaussian(rowCount * k, 78).Span.ToArray();
            var vectorsA = KernelTestData.Gaussian(rowCount * dimension, 79).Span.ToArray();
            var coefficientsB = KernelTestData.Gaussian(rowCount * k, 80).Span.ToArray();
            var vectorsB = KernelTestData.Gaussian(rowCount * dimension, 81).Span.ToArray();
            float[] RunOnce(int threads)
            {
                var gradientA = new float[latentCount * dimension];
                var gradientB = new float[latentCount * dimension];
                SparseKernels.ScatterAddPairWith(indices, coefficientsA, vectorsA, coefficientsB, vectorsB, rowCount, k, dimension, latentCount, gradientA, gradientB, KernelRegistry.Sparse.Selected, threads);
                return [.. gradientA, .. gradientB];
            }

            // When
            var first = RunOnce(2);
            var second = RunOnce(2);
            var single = RunOnce(1);

            // Then
            Assert.Equal(first, second);
            Assert.Equal(first, single);
        }

        [KernelTheory("sparse")]
        [InlineData("portable", 0)]
        [InlineData("portable", 1)]
        [InlineData("portable", 20)]
        [InlineData("portable", 130)]
        [InlineData("avx512", 20)]
        [InlineData("reference", 20)]
        public void AlsoSumsCoefficientsB_ByLatent_OneAdditionAtATimeInSampleOrder(string variant, int dimension)
        {
            // Given many sample blocks (B = 2000 rows, h = 20), sums that start non-zero
            const int rowCount = 2000, k = 4, latentCount = 20;
            var indices = RandomIndices(rowCount, k, latentCount, 61);
            var coefficientsA = KernelTestData.Gaussian(rowCount * k, 62).Span.ToArray();
            var coefficientsB = KernelTestData.Gaussian(rowCount * k, 63).Span.ToArray();
            var vectors = KernelTestData.Gaussian(rowCount * dimension, 64).Span.ToArray();
            var start = KernelTestData.Gaussian(latentCount, 65).Span.ToArray();
            var expected = (float[])start.Clone();
            SparseKernelsReference.SumByLatent(indices, coefficientsB, rowCount, k, expected);

            foreach (int threads in new[] { 1, 2 })
            {
                // When
                var sums = (float[])start.Clone();
                SparseKernels.ScatterAddPairWith(indices, coefficientsA, vectors, coefficientsB, vectors, rowCount, k, dimension, latentCount,
                    new float[latentCount * dimension], new float[latentCount * dimension], KernelRegistry.Sparse.Get(variant), threads, sums);

                // Then: bitwise, the order of the additions is the reference's
                Assert.Equal(expected, sums);
            }
        }

        /// <summary>
        /// The paired scatter into <paramref name="gradients"/> laid out as [dL/dA | dL/dB | coefficient sums]: the packed-block
        /// kernel (Vector512 or Vector256) when <paramref name="packed"/>, else the latent-major one (which always accumulates).
        /// </summary>
        private static unsafe void ScatterInto(float[] gradients, int[] indices, float[] coefficientsA, float[] vectorsA, float[] coefficientsB, float[] vectorsB,
            int rowCount, int k, int dimension, int latentCount, bool packed, bool vector512, bool overwrite, int threads)
        {
            fixed (int* pi = indices)
            fixed (float* pca = coefficientsA, pva = vectorsA, pcb = coefficientsB, pvb = vectorsB, pg = gradients)
            {
                float* gradientB = pg + latentCount * dimension, sums = gradientB + latentCount * dimension;
                if (packed && vector512) PackedBlockScatter<VectorOps512, System.Runtime.Intrinsics.Vector512<float>>.Run(pi, pca, pva, pcb, pvb, rowCount, k, dimension, latentCount, pg, gradientB, sums, overwrite, threads);
                else if (packed) PackedBlockScatter<VectorOps256, System.Runtime.Intrinsics.Vector256<float>>.Run(pi, pca, pva, pcb, pvb, rowCount, k, dimension, latentCount, pg, gradientB, sums, overwrite, threads);
                else SparseScatter.Run(pi, pca, pva, pcb, pvb, rowCount, k, dimension, latentCount, pg, gradientB, sums, avx512: false, threads);
            }
        }

        [Theory]
        [InlineData(2000, 5, 100, 37, false, false)] // 16 blocks of 128 samples, slabs of 32 + a slab of 4
        [InlineData(2000, 5, 16, 37, false, false)] // one narrow slab: the latents are split between threads
        [InlineData(700, 8, 300, 20, true, false)] // a latent repeated inside a sample
        [InlineData(90, 3, 64, 500, false, false)] // one block, most latents without entries
        [InlineData(2000, 5, 100, 37, false, true)] // Vector512: a slab of 64 + a slab of 36
        [InlineData(700, 8, 300, 20, true, true)]
        [InlineData(90, 3, 64, 500, false, true)] // Vector512: exactly one slab
        public void PackedBlockScatter_AddsInTheOrderOfTheLatentMajorScatter(int rowCount, int k, int dimension, int latentCount, bool repeatsInSample, bool vector512)
        {
            // Given
            var indices = RandomIndices(rowCount, k, latentCount, 500, repeatsInSample);
            var coefficientsA = KernelTestData.Gaussian(rowCount * k, 501).Span.ToArray();
            var vectorsA = KernelTestData.Gaussian(rowCount * dimension, 502).Span.ToArray();
            var coefficientsB = KernelTestData.Gaussian(rowCount * k, 503).Span.ToArray();
            var vectorsB = KernelTestData.Gaussian(rowCount * dimension, 504).Span.ToArray();
            var start = KernelTestData.Gaussian(2 * latentCount * dimension + latentCount, 505).Span.ToArray();
            float[] RunOnce(bool packed, int threads)
            {
                var gradients = (float[])start.Clone();
                ScatterInto(gradients, indices, coefficientsA, vectorsA, coefficientsB, vectorsB, rowCount, k, dimension, latentCount, packed, vector512, overwrite: false, threads);
                return gradients;
            }

            // When
            var latentMajor = RunOnce(packed: false, threads: 1);

            // Then: both gradients and the coefficient sums, bit for bit, for 1 and 2 threads
            Assert.Equal(latentMajor, RunOnce(packed: true, threads: 1));
            Assert.Equal(latentMajor, RunOnce(packed: true, threads: 2));
        }

        [Theory]
        [InlineData(2000, 5, 100, 37, false)] // 16 blocks: a latent's first block stores, later ones add
        [InlineData(700, 8, 300, 20, true)] // a latent repeated inside a sample
        [InlineData(90, 3, 64, 500, false)] // one block, most latents without entries: zeroed
        [InlineData(2000, 5, 100, 37, true)]
        [InlineData(90, 3, 64, 500, true)]
        public void PackedBlockScatter_Overwriting_IsBitwiseTheLatentMajorScatterOnZeros(int rowCount, int k, int dimension, int latentCount, bool vector512)
        {
            // Given outputs holding NaN (a value left from before would show), and the latent-major scatter on zeros
            var indices = RandomIndices(rowCount, k, latentCount, 510, allowRepeatsInSample: k == 8);
            var coefficientsA = KernelTestData.Gaussian(rowCount * k, 511).Span.ToArray();
            var vectorsA = KernelTestData.Gaussian(rowCount * dimension, 512).Span.ToArray();
            var coefficientsB = KernelTestData.Gaussian(rowCount * k, 513).Span.ToArray();
            var vectorsB = KernelTestData.Gaussian(rowCount * dimension, 514).Span.ToArray();
            int size = 2 * latentCount * dimension + latentCount;
            float[] RunOnce(bool packed, int threads)
            {
                var gradients = new float[size];
                if (packed) gradients.AsSpan().Fill(float.NaN);
                ScatterInto(gradients, indices, coefficientsA, vectorsA, coefficientsB, vectorsB, rowCount, k, dimension, latentCount, packed, vector512, overwrite: true, threads);
                return gradients;
            }

            // When
            var latentMajor = RunOnce(packed: false, threads: 1);

            // Then: both gradients and the coefficient sums, bit for bit, for 1 and 2 threads
            Assert.Equal(latentMajor, RunOnce(packed: true, threads: 1));
            Assert.Equal(latentMajor, RunOnce(packed: true, threads: 2));
        }

        [KernelTheory("sparse")]
        [MemberData(nameof(Variants), MemberType = typeof(SparseKernelsTests))]
        public void ScatterPair_SetsEveryOutput_AsScatterAddPairOnZeros_OnAwkwardSizes(string variant)
        {
            ulong seed = 1500;
            foreach (int dimension in new[] { 0, 1, 17, 130 })
                foreach (int k in new[] { 0, 3, 8 })
                    foreach (var (rowCount, latentCount) in new[] { (0, 5), (1, 5), (70, 40), (600, 50) })
                    {
                        // Given outputs holding NaN, and the accumulating scatter of the same variant on zeros
                        var indices = RandomIndices(rowCount, k, latentCount, seed, allowRepeatsInSample: k == 8);
                        var coefficientsA = KernelTestData.Gaussian(rowCount * k, seed + 1).Span.ToArray();
                        var vectorsA = KernelTestData.Gaussian(rowCount * dimension, seed + 2).Span.ToArray();
                        var coefficientsB = KernelTestData.Gaussian(rowCount * k, seed + 3).Span.ToArray();
                        var vectorsB = KernelTestData.Gaussian(rowCount * dimension, seed + 4).Span.ToArray();
                        seed += 5;
                        int size = latentCount * dimension;
                        var (expectedA, expectedB, expectedSums) = (new float[size], new float[size], new float[latentCount]);
                        SparseKernels.ScatterAddPairWith(indices, coefficientsA, vectorsA, coefficientsB, vectorsB, rowCount, k, dimension, latentCount,
                            expectedA, expectedB, KernelRegistry.Sparse.Get(variant), 2, expectedSums);
                        var gradientA = KernelTestData.Empty(size);
                        var gradientB = KernelTestData.Empty(size);
                        var sums = KernelTestData.Empty(latentCount);
                        gradientA.Span.Fill(float.NaN);
                        gradientB.Span.Fill(float.NaN);
                        sums.Span.Fill(float.NaN);

                        // When
                        SparseKernels.ScatterAddPairWith(indices, coefficientsA, vectorsA, coefficientsB, vectorsB, rowCount, k, dimension, latentCount,
                            gradientA.Span, gradientB.Span, KernelRegistry.Sparse.Get(variant), 2, sums.Span, overwrite: true);

                        // Then
                        string what = $"{variant} overwrite B={rowCount} k={k} d={dimension} h={latentCount}";
                        Assert.Equal(expectedA, gradientA.Span.ToArray());
                        Assert.Equal(expectedB, gradientB.Span.ToArray());
                        Assert.Equal(expectedSums, sums.Span.ToArray());
                        gradientA.AssertCanariesIntact(what + " A");
                        gradientB.AssertCanariesIntact(what + " B");
                        sums.AssertCanariesIntact(what + " sums");
                    }
        }

        [Fact]
        public void Throws_OnANegativeIndex()
        {
            var exception = Assert.Throws<ArgumentException>(() => SparseKernels.ScatterAddPair([-1], [1f], new float[2], [1f], new float[2], 1, 1, 2, 3, new float[6], new float[6]));
            Assert.Contains("indices[0] = -1", exception.Message);
        }
    }
}
