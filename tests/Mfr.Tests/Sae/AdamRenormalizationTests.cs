using Mfr.Numerics;
using Mfr.Sae;
using Mfr.Tests.Numerics;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Sae;

public sealed class AdamRenormalizationTests
{
    /// <summary>The registered fast AdamW variants (<see cref="KernelRegistry.Adam"/>).</summary>
    public static TheoryData<string> Variants => KernelVariants.Fast("adam");

    [KernelTheory("adam")]
    [MemberData(nameof(Variants))]
    public void Step_IsBitwiseAdamThenNormalizeRows_OverSteps_ForOneAndTwoThreads(string variant)
    {
        var settings = new AdamSettings(LearningRate: 1e-2f);
        var kernel = KernelRegistry.Adam.Get(variant);
        ulong seed = 40;
        // Rows around the blocks of 8 and the 1 MB blocks (d 4000: 8 rows a block), widths around the vector width.
        foreach (var (latents, dimension) in new[] { (1, 1), (7, 3), (9, 17), (33, 100), (70, 256), (600, 300), (20, 4000) })
        {
            foreach (int threads in new[] { 1, 2 })
            {
                // Given W with a zero row, and the same start for both paths
                int size = latents * dimension;
                var weights = KernelTestData.Gaussian(size, seed++);
                weights.Span[..dimension].Clear();
                var (m, v) = (KernelTestData.Empty(size), KernelTestData.Empty(size));
                var (decoder, norms) = (KernelTestData.Empty(size), new float[latents]);
                var expectedWeights = weights.Span.ToArray();
                var (expectedM, expectedV) = (new float[size], new float[size]);
                var (expectedDecoder, expectedNorms) = (new float[size], new float[latents]);

                // When: three steps with fresh gradients
                for (long step = 1; step <= 3; step++)
                {
                    var gradients = KernelTestData.Gaussian(size, seed++).Span;
                    if (step < 3) gradients[..dimension].Clear();
                    AdamRenormalization.StepWith(weights.Span, gradients, m.Span, v.Span, settings, step, latents, dimension, decoder.Span, norms,
                        avx512: kernel.Level == KernelLevel.Avx512, threads);
                    Adam.StepWith(expectedWeights, gradients, expectedM, expectedV, settings, step, kernel, threads);
                    SaeStepKernels.NormalizeRows(expectedWeights, latents, dimension, expectedDecoder, expectedNorms, threads);
                }

                // Then
                string what = $"{variant} h={latents} d={dimension} threads={threads}";
                Assert.Equal(expectedWeights, weights.Span.ToArray());
                Assert.Equal(expectedM, m.Span.ToArray());
                Assert.Equal(expectedV, v.Span.ToArray());
                Assert.Equal(expectedDecoder, decoder.Span.ToArray());
                Assert.Equal(expectedNorms, norms);
                foreach (var buffer in new[] { weights, m, v, decoder }) buffer.AssertCanariesIntact(what);
            }
        }
    }

    [Fact]
    public void Step_Throws_WhenTheDecoderIsShorterThanW()
    {
        var exception = Assert.Throws<ArgumentException>(() => AdamRenormalization.Step(
            new float[6], new float[6], new float[6], new float[6], new AdamSettings(1e-3f), 1, 2, 3, new float[5], new float[2], 1));
        Assert.Contains("[h, d] = [2, 3]", exception.Message);
    }
}
