using Mfr.Data;
using Mfr.Evaluation;
using Mfr.Numerics;

namespace Mfr.Interop;

/// <summary>
/// Mfr's reconstruction metrics (<see cref="SaeEvaluator"/>: MSE, FVU around the evaluation set's own mean,
/// L0, dead latents, firing frequencies) for untied SAEs read from SAELens or sparsify folders, which
/// <see cref="UntiedTopKSae.ToTopKSae"/> cannot turn into Mfr's tied model. Same kernels as training
/// (dense encoder product, TopK selection, sparse decode); a latent fires when its activation is non-zero,
/// as in the training step's fire counts.
/// </summary>
public static class UntiedSaeEvaluator
{
    /// <summary>Evaluates <paramref name="sae"/> on <paramref name="batchCount"/> batches of <paramref name="source"/> from <paramref name="firstBatch"/>.</summary>
    /// <exception cref="ArgumentException">No batch, or an SAE width different from the data's.</exception>
    public static ReconstructionMetrics Evaluate(UntiedTopKSae sae, IVectorSource source, long firstBatch, int batchCount, int batchSize)
    {
        if (batchCount < 1 || batchSize < 1) throw new ArgumentException($"Need at least one batch of one vector, got {batchCount} batches of {batchSize}.");
        int d = sae.InputDim, h = sae.LatentCount, k = sae.K;
        if (source.Dimension != d) throw new ArgumentException($"SAE input width {d} does not match the data's dimension {source.Dimension}.");
        var encoderRows = new float[(long)h * d]; // W_enc^T, [h, d]: the layout Gemm.MultiplyTransposed takes
        for (int t = 0; t < d; t++)
            for (int j = 0; j < h; j++) encoderRows[(long)j * d + t] = sae.Encoder[(long)t * h + j];
        var inputs = new float[(long)batchSize * d];
        var centered = new float[(long)batchSize * d];
        var preActivations = new float[(long)batchSize * h];
        var indices = new int[(long)batchSize * k];
        var values = new float[(long)batchSize * k];
        var reconstruction = new float[(long)batchSize * d];
        var fires = new long[h];
        var sum = new double[d];
        var sumSquares = new double[d];
        double squaredError = 0;
        for (int i = 0; i < batchCount; i++)
        {
            source.ReadBatch(firstBatch + i, batchSize, inputs);
            for (int b = 0; b < batchSize; b++)
                for (int t = 0; t < d; t++)
                {
                    float x = inputs[b * d + t];
                    sum[t] += x;
                    sumSquares[t] += (double)x * x;
                    centered[b * d + t] = sae.SubtractDecoderBias ? x - sae.DecoderBias[t] : x;
                }
            Gemm.MultiplyTransposed(centered, encoderRows, batchSize, h, d, preActivations);
            for (int b = 0; b < batchSize; b++)
                for (int j = 0; j < h; j++) preActivations[b * h + j] += sae.EncoderBias[j];
            TopK.Select(preActivations, batchSize, h, k, indices, values);
            for (int s = 0; s < values.Length; s++)
            {
                if (sae.ReluAfterTopK && values[s] < 0) values[s] = 0;
                if (values[s] != 0) fires[indices[s]]++;
            }
            SparseKernels.Decode(indices, values, sae.Decoder, batchSize, k, d, reconstruction);
            for (int b = 0; b < batchSize; b++)
                for (int t = 0; t < d; t++)
                {
                    double error = reconstruction[b * d + t] + sae.DecoderBias[t] - (double)inputs[b * d + t];
                    squaredError += error * error;
                }
        }
        long samples = (long)batchCount * batchSize;
        double totalVariance = 0;
        for (int t = 0; t < d; t++) totalVariance += sumSquares[t] - sum[t] * sum[t] / samples;
        return new ReconstructionMetrics(samples, squaredError / (samples * d), totalVariance > 0 ? squaredError / totalVariance : double.NaN,
            fires.Sum() / (double)samples, fires.Count(count => count == 0), fires.Select(count => count / (double)samples).ToArray());
    }
}
