using Mfr.Data;
using Mfr.Evaluation;
using Mfr.Numerics;
using Mfr.Sae;

namespace Mfr.Tests.Evaluation;

public sealed class SaeEvaluatorTests
{
    private static InMemoryVectorSource RandomData(int rows, int dimension, float offset)
    {
        var data = new float[rows * dimension];
        var rng = new Rng(4);
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextGaussian() * (1 + i % dimension) + offset;
        return new InMemoryVectorSource(data, dimension);
    }

    [Fact]
    public void MeanPredictor_ScoresFvuOfExactlyOne()
    {
        // Given data with a non-zero mean and an SAE whose output is always that mean:
        // zero encoder/decoder weights and the mean as decoder bias
        const int rows = 60, dimension = 5;
        using var source = RandomData(rows, dimension, offset: 3f);
        using var sae = new TopKSae(new SaeConfig(dimension, LatentCount: 4, K: 2, UseDecoderBias: true));
        var batch = new float[rows * dimension];
        source.ReadBatch(0, rows, batch);
        for (int t = 0; t < dimension; t++)
        {
            double mean = 0;
            for (int b = 0; b < rows; b++) mean += batch[b * dimension + t];
            sae.DecoderBias[t] = (float)(mean / rows);
        }
        sae.RefreshDecoder();

        // When evaluated over the whole set in 3 batches
        var metrics = SaeEvaluator.Evaluate([sae], source, firstBatch: 0, batchCount: 3, batchSize: 20)[0];

        // Then FVU is 1 and every latent is dead (zero directions fire with value 0)
        Assert.Equal(1.0, metrics.Fvu, 5);
        Assert.Equal(60, metrics.Samples);
        Assert.True(metrics.Mse > 0);
    }

    [Fact]
    public void IdentityDictionary_ReconstructsPerfectly_WithFvuZero_AndCountsFiring()
    {
        // Given h = d = k and W = I: TopK keeps every coordinate and x^ = x
        const int dimension = 4;
        using var source = RandomData(rows: 30, dimension, offset: 0.5f);
        using var sae = new TopKSae(new SaeConfig(dimension, LatentCount: dimension, K: dimension));
        for (int j = 0; j < dimension; j++) sae.Weights[j * dimension + j] = 1f;
        sae.RefreshDecoder();

        var metrics = SaeEvaluator.Evaluate([sae], source, 0, 3, 10)[0];

        Assert.Equal(0.0, metrics.Fvu, 10);
        Assert.Equal(0.0, metrics.Mse, 10);
        Assert.Equal(dimension, metrics.L0, 10);
        Assert.Equal(0, metrics.DeadLatents);
        Assert.All(metrics.FiringFrequencies, f => Assert.Equal(1.0, f));
    }

    [Fact]
    public void Evaluate_RefusesMismatchedWidth()
    {
        using var source = RandomData(10, 3, 0);
        using var sae = new TopKSae(new SaeConfig(4, 4, 1));
        var error = Assert.Throws<ArgumentException>(() => SaeEvaluator.Evaluate([sae], source, 0, 1, 5));
        Assert.Contains("does not match", error.Message);
    }
}
