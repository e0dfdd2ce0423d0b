using Mfr.Numerics;
using Mfr.Sae;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Sae;

public sealed class Int8SelectForwardTests
{
    private const int BatchSize = 37;

    private static (TopKSae Sae, float[] Inputs) Build(SaeConfig config, ulong seed)
    {
        var sae = new TopKSae(config);
        sae.Initialize(seed);
        var rng = new Rng(seed + 100);
        for (int j = 0; j < config.LatentCount; j++) sae.Bias[j] = 0.1f * rng.NextGaussian();
        for (int t = 0; t < config.InputDim; t++) sae.DecoderBias[t] = config.UseDecoderBias ? 0.2f * rng.NextGaussian() : 0f;
        sae.RefreshDecoder();
        var inputs = new float[BatchSize * config.InputDim];
        rng.FillGaussian(inputs);
        return (sae, inputs);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Forward_WithInt8Select_SelectsTheFp32LatentsAndReconstructsAlike(bool decoderBias)
    {
        // Given one SAE and two workspaces, the default and the opt-in encoder
        var config = new SaeConfig(InputDim: 48, LatentCount: 80, K: 6, UseDecoderBias: decoderBias);
        var (sae, inputs) = Build(config, seed: 3);
        using var fp32 = new SaeWorkspace(config, BatchSize);
        using var int8 = new SaeWorkspace(config, BatchSize, EncoderPrecision.Int8Select);

        // When
        double fp32Loss = SaeComputation.Forward(sae, inputs, BatchSize, fp32);
        double int8Loss = SaeComputation.Forward(sae, inputs, BatchSize, int8);

        // Then: the same latents, fp32 values to rounding, so the same loss to rounding
        int n = BatchSize * config.K;
        Assert.Equal(fp32.Indices.AsSpan(0, n).ToArray(), int8.Indices.AsSpan(0, n).ToArray());
        AssertClose.Equal(fp32.Values.AsSpan(0, n), int8.Values.AsSpan(0, n), absolute: 1e-5, relative: 1e-5, "TopK values");
        Assert.Equal(fp32Loss, int8Loss, 1e-5 * fp32Loss);
        Assert.True(int8.Int8Select!.LastCandidateTotal >= n, "The int8 path ran and recorded its candidates.");
    }

    [Fact]
    public void TrainingConfig_Int8SelectWithAuxK_IsRefusedNamingBothSettings()
    {
        // Given
        var config = new TrainingConfig(AuxKCoefficient: 1.0 / 32, EncoderPrecision: EncoderPrecision.Int8Select);

        // When
        var error = Assert.Throws<ArgumentException>(config.Validate);

        // Then
        Assert.Contains("--encoder int8", error.Message);
        Assert.Contains("auxKCoefficient", error.Message);
    }
}
