using Mfr.Numerics;
using Mfr.Sae;

namespace Mfr.Tests.Sae;

public sealed class SaeComputationTests
{
    private const int BatchSize = 4;

    private static (TopKSae Sae, SaeWorkspace Workspace, float[] Inputs) Build(SaeConfig config, ulong seed)
    {
        var sae = new TopKSae(config);
        sae.Initialize(seed);
        var rng = new Rng(seed + 100);
        // Non-unit row norms and a non-zero bias, so the normalisation and bias paths matter.
        for (int j = 0; j < config.LatentCount; j++)
        {
            float scale = 0.5f + rng.NextFloat() * 1.5f;
            for (int t = 0; t < config.InputDim; t++) sae.Weights[j * config.InputDim + t] *= scale;
            sae.Bias[j] = 0.1f * rng.NextGaussian();
        }
        for (int t = 0; t < config.InputDim; t++) sae.DecoderBias[t] = config.UseDecoderBias ? 0.2f * rng.NextGaussian() : 0f;
        sae.RefreshDecoder();
        var inputs = new float[BatchSize * config.InputDim];
        rng.FillGaussian(inputs);
        return (sae, new SaeWorkspace(config, BatchSize), inputs);
    }

    private static double LossAt(TopKSae sae, float[] inputs, SaeWorkspace workspace, int[] expectedIndices)
    {
        sae.RefreshDecoder();
        double loss = SaeComputation.Forward(sae, inputs, BatchSize, workspace);
        Assert.True(expectedIndices.AsSpan().SequenceEqual(workspace.Indices.AsSpan(0, expectedIndices.Length)),
            "The finite-difference step changed the TopK selection; pick a smaller step.");
        return loss;
    }

    public static TheoryData<SaeActivation, bool> Variants => new()
    {
        { SaeActivation.TopK, false },
        { SaeActivation.TopKRelu, false },
        { SaeActivation.TopK, true },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Backward_MatchesCentralFiniteDifferences_ForEveryParameter(SaeActivation activation, bool decoderBias)
    {
        // Given a small SAE whose rows are not unit length
        var config = new SaeConfig(InputDim: 7, LatentCount: 6, K: 3, activation, decoderBias);
        var (sae, workspace, inputs) = Build(config, seed: 5);
        SaeComputation.Forward(sae, inputs, BatchSize, workspace);
        int[] indices = workspace.Indices.AsSpan(0, BatchSize * config.K).ToArray();

        // When the analytic gradient is computed
        SaeComputation.Backward(sae, inputs, workspace);
        float[] weightGradient = workspace.WeightGradient.ToArray();
        float[] biasGradient = workspace.BiasGradient.ToArray();
        float[] decoderBiasGradient = workspace.DecoderBiasGradient.ToArray();

        // Then each entry equals (L(p + e) - L(p - e)) / 2e, both paths through W included
        const float step = 1e-3f;
        void Check(Func<Span<float>> parameter, float[] analytic, string name)
        {
            var numeric = new float[analytic.Length];
            for (int i = 0; i < analytic.Length; i++)
            {
                float original = parameter()[i];
                parameter()[i] = original + step;
                double plus = LossAt(sae, inputs, workspace, indices);
                parameter()[i] = original - step;
                double minus = LossAt(sae, inputs, workspace, indices);
                parameter()[i] = original;
                numeric[i] = (float)((plus - minus) / (2 * step));
            }
            TestSupport.AssertClose.Equal(numeric, analytic, absolute: 2e-4, relative: 2e-2, what: name);
        }
        Check(() => sae.Weights, weightGradient, "dL/dW");
        Check(() => sae.Bias, biasGradient, "dL/db");
        if (decoderBias) Check(() => sae.DecoderBias, decoderBiasGradient, "dL/db_dec");
    }

    [Fact]
    public void Forward_ReconstructsWithUnitNormDecoderRows_AndReportsMeanSquaredError()
    {
        // Given an SAE with k = h, so every latent is active
        var config = new SaeConfig(InputDim: 5, LatentCount: 3, K: 3);
        var (sae, workspace, inputs) = Build(config, seed: 9);

        // When
        double loss = SaeComputation.Forward(sae, inputs, BatchSize, workspace);

        // Then x^ = sum_j a_j W_j / ||W_j|| with a = W x + b, and loss is the mean squared error
        double expectedLoss = 0;
        for (int b = 0; b < BatchSize; b++)
        {
            for (int t = 0; t < config.InputDim; t++)
            {
                double reconstruction = 0;
                for (int j = 0; j < config.LatentCount; j++)
                {
                    double a = sae.Bias[j], norm = 0;
                    for (int u = 0; u < config.InputDim; u++)
                    {
                        a += sae.Weights[j * 5 + u] * inputs[b * 5 + u];
                        norm += sae.Weights[j * 5 + u] * sae.Weights[j * 5 + u];
                    }
                    reconstruction += a * sae.Weights[j * 5 + t] / Math.Sqrt(norm);
                }
                Assert.Equal(reconstruction, workspace.Reconstruction[b * 5 + t], 4);
                expectedLoss += Math.Pow(reconstruction - inputs[b * 5 + t], 2);
            }
        }
        Assert.Equal(expectedLoss / (BatchSize * 5), loss, 5);
    }

    [Fact]
    public void Initialize_GivesOrthonormalRowsAndZeroBias()
    {
        using var sae = new TopKSae(new SaeConfig(InputDim: 16, LatentCount: 8, K: 2));
        sae.Initialize(3);
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(0f, sae.Bias[i]);
            for (int j = 0; j < 8; j++)
            {
                double dot = 0;
                for (int t = 0; t < 16; t++) dot += sae.Weights[i * 16 + t] * sae.Weights[j * 16 + t];
                Assert.Equal(i == j ? 1.0 : 0.0, dot, 5);
            }
        }
    }
}
