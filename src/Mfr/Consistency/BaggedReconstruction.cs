using Mfr.Data;
using Mfr.Numerics;
using Mfr.Sae;

namespace Mfr.Consistency;

/// <summary>
/// Reconstruction of an ensemble of independently trained SAEs used together: "naive bagging" of Gadgil, Lin and Lee
/// 2025 ("Ensembling sparse autoencoders", arXiv 2505.16077): SAEs that differ only in their initialisation, combined
/// with equal weights 1/M, x^ = (1/M) sum_m x^_m. By their Proposition 1 this is the reconstruction with the
/// concatenated dictionary (the union of the members' latents, coefficients scaled by 1/M), the dictionary whose
/// ground-truth recovery the consistency experiment reports beside it. MSE and FVU are defined as
/// <see cref="Evaluation.SaeEvaluator"/> defines them (FVU around the evaluation set's own mean).
/// </summary>
public static class BaggedReconstruction
{
    /// <summary>MSE and FVU of the mean of <paramref name="saes"/>' reconstructions on <paramref name="batchCount"/> batches of <paramref name="source"/>.</summary>
    /// <param name="saes">The members (same input width as the source).</param>
    /// <param name="source">Evaluation data.</param>
    /// <param name="firstBatch">Index of the first batch read.</param>
    /// <param name="batchCount">Batches read, at least 1.</param>
    /// <param name="batchSize">Vectors per batch, at least 1.</param>
    public static (double Mse, double Fvu) Measure(IReadOnlyList<TopKSae> saes, IVectorSource source, long firstBatch, int batchCount, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(saes);
        ArgumentNullException.ThrowIfNull(source);
        if (saes.Count == 0) throw new ArgumentException("A bagged ensemble needs at least one SAE.");
        int d = Evaluation.SaeEvaluator.CheckShapes(saes, source, batchCount, batchSize);
        var workspaces = saes.Select(sae => new SaeWorkspace(sae.Config, batchSize)).ToArray();
        try
        {
            using var batch = new AlignedBuffer((long)batchSize * d);
            var mean = new double[(long)batchSize * d];
            var sum = new double[d];
            var sumSquares = new double[d];
            double squaredError = 0;
            for (int i = 0; i < batchCount; i++)
            {
                var inputs = batch.Span;
                source.ReadBatch(firstBatch + i, batchSize, inputs);
                Array.Clear(mean);
                for (int m = 0; m < saes.Count; m++)
                {
                    SaeComputation.Forward(saes[m], inputs, batchSize, workspaces[m]);
                    var reconstruction = workspaces[m].Reconstruction;
                    for (long e = 0; e < mean.Length; e++) mean[e] += reconstruction[(int)e];
                }
                for (int e = 0; e < mean.Length; e++)
                {
                    double error = mean[e] / saes.Count - inputs[e];
                    squaredError += error * error;
                    int t = e % d;
                    sum[t] += inputs[e];
                    sumSquares[t] += (double)inputs[e] * inputs[e];
                }
            }
            long samples = (long)batchCount * batchSize;
            double totalVariance = 0;
            for (int t = 0; t < d; t++) totalVariance += sumSquares[t] - sum[t] * sum[t] / samples;
            return (squaredError / (samples * d), totalVariance > 0 ? squaredError / totalVariance : double.NaN);
        }
        finally
        {
            foreach (var workspace in workspaces) workspace.Dispose();
        }
    }
}
