using Mfr.Numerics;
using Mfr.Sae;
using Mfr.Tests.Numerics;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Sae;

public sealed class SaeStepKernelsTests
{
    /// <summary>The fast SAE-step variants (<see cref="KernelRegistry.SaeStep"/>).</summary>
    public static TheoryData<string> Variants => KernelVariants.Fast("saestep");

    /// <summary>The fast SAE-step variants, without and with ReLU.</summary>
    public static TheoryData<string, bool> VariantsAndRelu => KernelVariants.Fast("saestep", false, true);

    private static ISaeStepKernels Kernel(string variant) => KernelRegistry.SaeStep.Get(variant);

    // Rows around the 64 reduction chunks and 16 fire-count parts; widths around the vector width.
    private static readonly (int Rows, int Columns)[] Shapes = [(0, 5), (1, 1), (3, 7), (17, 8), (63, 9), (64, 16), (65, 17), (300, 33), (1000, 256)];

    public sealed class AddRowVector
    {
        [KernelTheory("saestep")]
        [MemberData(nameof(Variants), MemberType = typeof(SaeStepKernelsTests))]
        public void MatchesReference_AndSubtractMatchesToo(string variant)
        {
            ulong seed = 1;
            foreach (var (rows, columns) in Shapes)
            {
                // Given
                var matrix = KernelTestData.Gaussian(rows * columns, seed++);
                var row = KernelTestData.Gaussian(columns, seed++);
                var added = new float[rows * columns];
                var subtracted = KernelTestData.Empty(rows * columns);
                var expectedAdded = new float[rows * columns];
                var expectedSubtracted = new float[rows * columns];
                var input = matrix.Span.ToArray();

                // When
                Kernel(variant).SubtractRowVector(matrix.Span, row.Span, rows, columns, subtracted.Span, maxThreads: 2);
                Kernel(variant).AddRowVector(matrix.Span, row.Span, rows, columns, maxThreads: 2);
                SaeStepKernelsReference.AddRowVector(input, row.Span, rows, columns, subtract: false, expectedAdded);
                SaeStepKernelsReference.AddRowVector(input, row.Span, rows, columns, subtract: true, expectedSubtracted);

                // Then (one rounding per element: exact)
                Assert.Equal(expectedAdded, matrix.Span.ToArray());
                Assert.Equal(expectedSubtracted, subtracted.Span.ToArray());
                matrix.AssertCanariesIntact($"add {rows}x{columns}");
                subtracted.AssertCanariesIntact($"subtract {rows}x{columns}");
            }
        }
    }

    public sealed class SquaredErrorAndGradient
    {
        [KernelTheory("saestep")]
        [MemberData(nameof(Variants), MemberType = typeof(SaeStepKernelsTests))]
        public void MatchesReference_AndIsBitwiseIdentical_ForOneAndTwoThreads(string variant)
        {
            ulong seed = 50;
            foreach (var (rows, columns) in Shapes)
            {
                // Given
                var reconstruction = KernelTestData.Gaussian(rows * columns, seed++);
                var inputs = KernelTestData.Gaussian(rows * columns, seed++);
                var one = KernelTestData.Empty(rows * columns);
                var two = KernelTestData.Empty(rows * columns);
                var expected = new float[rows * columns];

                // When
                double lossOne = Kernel(variant).SquaredErrorAndGradient(reconstruction.Span, inputs.Span, rows, columns, one.Span, maxThreads: 1);
                double lossTwo = Kernel(variant).SquaredErrorAndGradient(reconstruction.Span, inputs.Span, rows, columns, two.Span, maxThreads: 2);
                double expectedLoss = SaeStepKernelsReference.SquaredErrorAndGradient(reconstruction.Span, inputs.Span, rows, columns, expected);

                // Then
                string what = $"squared error {rows}x{columns}";
                Assert.Equal(lossOne, lossTwo);
                Assert.Equal(one.Span.ToArray(), two.Span.ToArray());
                AssertClose.Equal(expectedLoss, lossOne, 1e-12, 1e-6, what);
                AssertClose.Equal(expected, one.Span, 1e-7, 1e-5, what);
                one.AssertCanariesIntact(what);
            }
        }
    }

    public sealed class Activate
    {
        [KernelTheory("saestep")]
        [MemberData(nameof(VariantsAndRelu), MemberType = typeof(SaeStepKernelsTests))]
        public void MatchesReference_WithZerosAndNegativesInTheValues(string variant, bool relu)
        {
            ulong seed = 90;
            foreach (var (rows, k) in new[] { (0, 3), (1, 1), (15, 4), (16, 5), (17, 6), (333, 32) })
            {
                // Given values with exact zeros and negatives, latents that repeat across samples
                const int latentCount = 37;
                var rng = new Rng(seed++);
                var indices = Enumerable.Range(0, rows * k).Select(_ => rng.NextInt(latentCount)).ToArray();
                var values = Enumerable.Range(0, rows * k).Select(_ => rng.NextInt(5) == 0 ? 0f : rng.NextGaussian()).ToArray();
                var activations = KernelTestData.Empty(rows * k);
                var counts = Enumerable.Repeat(-7, latentCount).ToArray();
                var expectedActivations = new float[rows * k];
                var expectedCounts = new int[latentCount];

                // When
                Kernel(variant).Activate(indices, values, rows, k, latentCount, relu, activations.Span, counts, new int[SaeStepKernels.FireCountParts * latentCount], maxThreads: 2);
                SaeStepKernelsReference.Activate(indices, values, relu, expectedActivations, expectedCounts);

                // Then
                Assert.Equal(expectedActivations, activations.Span.ToArray());
                Assert.Equal(expectedCounts, counts);
                activations.AssertCanariesIntact($"activate B={rows} k={k}");
            }
        }

        [KernelTheory("saestep")]
        [MemberData(nameof(Variants), MemberType = typeof(SaeStepKernelsTests))]
        public void MaskReluGradient_ZeroesTheGradientWhereTheValueIsNotPositive(string variant)
        {
            // Given values of every sign around the vector width, and a NaN (the comparison keeps it like the scalar rule)
            var values = Enumerable.Range(0, 19).Select(i => (float)(i % 3) - 1f).ToArray();
            values[4] = float.NaN;
            var gradient = Enumerable.Range(0, 19).Select(i => i + 1f).ToArray();

            // When
            Kernel(variant).MaskReluGradient(values, gradient);

            // Then
            for (int i = 0; i < values.Length; i++) Assert.Equal(values[i] <= 0 ? 0f : i + 1f, gradient[i]);
        }
    }

    public sealed class ProjectDecoderGradient
    {
        [KernelTheory("saestep")]
        [MemberData(nameof(Variants), MemberType = typeof(SaeStepKernelsTests))]
        public void MatchesReference_SkipsZeroNormRows_AndIsBitwiseIdentical_ForOneAndTwoThreads(string variant)
        {
            ulong seed = 200;
            foreach (var (latents, dimension) in new[] { (1, 1), (5, 7), (33, 8), (64, 17), (100, 256) })
            {
                // Given
                var weights = KernelTestData.Gaussian(latents * dimension, seed++).Span.ToArray();
                weights.AsSpan(0, dimension).Clear();
                var decoder = new float[latents * dimension];
                var norms = new float[latents];
                Kernel(variant).NormalizeRows(weights, latents, dimension, decoder, norms, maxThreads: 2);
                var gradient = KernelTestData.Gaussian(latents * dimension, seed++).Span.ToArray();
                var start = KernelTestData.Gaussian(latents * dimension, seed++);
                var one = start.Clone();
                var two = start.Clone();
                var expected = start.Span.ToArray();

                // When
                Kernel(variant).ProjectDecoderGradient(decoder, norms, gradient, latents, dimension, one.Span, maxThreads: 1);
                Kernel(variant).ProjectDecoderGradient(decoder, norms, gradient, latents, dimension, two.Span, maxThreads: 2);
                SaeStepKernelsReference.ProjectDecoderGradient(decoder, norms, gradient, latents, dimension, expected);

                // Then
                string what = $"projection h={latents} d={dimension}";
                Assert.Equal(one.Span.ToArray(), two.Span.ToArray());
                AssertClose.Equal(expected, one.Span, 1e-5, 1e-5, what);
                Assert.Equal(start.Span[..dimension].ToArray(), one.Span[..dimension].ToArray());
                one.AssertCanariesIntact(what);
            }
        }
    }

    public sealed class NormalizeRows
    {
        [KernelTheory("saestep")]
        [MemberData(nameof(Variants), MemberType = typeof(SaeStepKernelsTests))]
        public void IsBitwiseTheDocumentedFormula_ForRowsInAndOutsideBlocksOfEight(string variant)
        {
            // The fast path's documented formula (README runs reproduce only if it holds): each float square added in
            // double in column order, the root rounded to float, D = W times the float reciprocal of the norm.
            ulong seed = 350;
            foreach (var (latents, dimension) in new[] { (1, 1), (8, 3), (9, 8), (17, 13), (33, 64), (40, 100), (71, 257) })
            {
                // Given rows led by a weight of 1e6 (square ~2^40), so every later square (24-bit mantissa near 1) rounds when
                // added (a float sum or dropped squares would show; a reordered double sum rarely reaches the float norm)
                var weights = KernelTestData.Gaussian(latents * dimension, seed++).Span.ToArray();
                for (int j = 0; j < latents; j++) weights[j * dimension] = 1e6f;
                var decoder = KernelTestData.Empty(latents * dimension);
                var norms = new float[latents];

                // When
                Kernel(variant).NormalizeRows(weights, latents, dimension, decoder.Span, norms, maxThreads: 2);

                // Then
                for (int j = 0; j < latents; j++)
                {
                    double sumSquares = 0;
                    for (int t = 0; t < dimension; t++) sumSquares += weights[j * dimension + t] * weights[j * dimension + t];
                    float norm = (float)Math.Sqrt(sumSquares);
                    Assert.Equal(norm, norms[j]);
                    float scale = norm > 0 ? 1f / norm : 0f;
                    for (int t = 0; t < dimension; t++) Assert.Equal(weights[j * dimension + t] * scale, decoder.Span[j * dimension + t]);
                }
                decoder.AssertCanariesIntact($"normalize h={latents} d={dimension}");
            }
        }

        [KernelTheory("saestep")]
        [MemberData(nameof(Variants), MemberType = typeof(SaeStepKernelsTests))]
        public void MatchesReference_AndLeavesAZeroRowZero(string variant)
        {
            ulong seed = 300;
            foreach (var (latents, dimension) in new[] { (1, 1), (5, 7), (33, 8), (64, 17), (100, 256) })
            {
                // Given
                var weights = KernelTestData.Gaussian(latents * dimension, seed++).Span.ToArray();
                weights.AsSpan(0, dimension).Clear();
                var decoder = KernelTestData.Empty(latents * dimension);
                var norms = new float[latents];
                var expectedDecoder = new float[latents * dimension];
                var expectedNorms = new float[latents];

                // When
                Kernel(variant).NormalizeRows(weights, latents, dimension, decoder.Span, norms, maxThreads: 2);
                SaeStepKernelsReference.NormalizeRows(weights, latents, dimension, expectedDecoder, expectedNorms);

                // Then
                string what = $"normalize h={latents} d={dimension}";
                AssertClose.Equal(expectedNorms, norms, 1e-6, 1e-6, what + " norms");
                AssertClose.Equal(expectedDecoder, decoder.Span, 1e-6, 1e-6, what + " rows");
                Assert.Equal(0f, norms[0]);
                Assert.All(decoder.Span[..dimension].ToArray(), value => Assert.Equal(0f, value));
                decoder.AssertCanariesIntact(what);
            }
        }
    }
}
