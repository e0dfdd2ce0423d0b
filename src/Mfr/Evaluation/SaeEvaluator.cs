using Mfr.Data;
using Mfr.Numerics;
using Mfr.Sae;

namespace Mfr.Evaluation;

/// <summary>
/// Measures reconstruction (MSE, FVU), sparsity (L0), dead latents and firing frequencies of SAEs on
/// batches of a source. FVU's denominator is the variance around the evaluation set's own mean,
/// accumulated in double as sum x^2 - n mean^2 per dimension, so the mean predictor scores 1.
/// </summary>
public static class SaeEvaluator
{
    /// <summary>Evaluates each SAE on the same <paramref name="batchCount"/> batches.</summary>
    /// <param name="saes">SAEs to evaluate (input widths must equal the source's).</param>
    /// <param name="source">Evaluation data.</param>
    /// <param name="firstBatch">Index of the first batch to read.</param>
    /// <param name="batchCount">Batches to read.</param>
    /// <param name="batchSize">Vectors per batch.</param>
    public static IReadOnlyList<ReconstructionMetrics> Evaluate(IReadOnlyList<TopKSae> saes, IVectorSource source, long firstBatch, int batchCount, int batchSize)
    {
        int d = CheckShapes(saes, source, batchCount, batchSize);
        var workspaces = saes.Select(sae => new SaeWorkspace(sae.Config, batchSize)).ToArray();
        try
        {
            using var batch = new AlignedBuffer((long)batchSize * d);
            var sum = new double[d];
            var sumSquares = new double[d];
            var squaredError = new double[saes.Count];
            var fireTotals = saes.Select(sae => new long[sae.Config.LatentCount]).ToArray();
            for (int i = 0; i < batchCount; i++)
            {
                var inputs = batch.Span;
                source.ReadBatch(firstBatch + i, batchSize, inputs);
                AccumulateMoments(inputs, batchSize, d, sum, sumSquares);
                for (int m = 0; m < saes.Count; m++)
                {
                    // Forward returns the mean over this batch; scale back to a sum.
                    squaredError[m] += SaeComputation.Forward(saes[m], inputs, batchSize, workspaces[m]) * batchSize * d;
                    var fired = workspaces[m].FireCounts;
                    for (int j = 0; j < fired.Length; j++) fireTotals[m][j] += fired[j];
                }
            }
            long samples = (long)batchCount * batchSize;
            double totalVariance = 0;
            for (int t = 0; t < d; t++) totalVariance += sumSquares[t] - sum[t] * sum[t] / samples;
            return saes.Select((sae, m) =>
            {
                double[] frequencies = fireTotals[m].Select(count => count / (double)samples).ToArray();
                return new ReconstructionMetrics(
                    samples,
                    squaredError[m] / (samples * d),
                    totalVariance > 0 ? squaredError[m] / totalVariance : double.NaN,
                    fireTotals[m].Sum() / (double)samples,
                    fireTotals[m].Count(count => count == 0),
                    frequencies);
            }).ToArray();
        }
        finally
        {
            foreach (var workspace in workspaces) workspace.Dispose();
        }
    }

    private static void AccumulateMoments(ReadOnlySpan<float> inputs, int batchSize, int d, double[] sum, double[] sumSquares)
    {
        for (int b = 0; b < batchSize; b++)
        {
            var row = inputs.Slice(b * d, d);
            for (int t = 0; t < d; t++)
            {
                sum[t] += row[t];
                sumSquares[t] += (double)row[t] * row[t];
            }
        }
    }

    /// <summary>Checks a held-out measurement's batches and that every SAE reads the source's width; returns that width d.</summary>
    internal static int CheckShapes(IReadOnlyList<TopKSae> saes, IVectorSource source, int batchCount, int batchSize)
    {
        if (batchCount < 1 || batchSize < 1) throw new ArgumentException($"Need at least one batch of one vector, got {batchCount} batches of {batchSize}.");
        int d = source.Dimension;
        foreach (var sae in saes)
            if (sae.Config.InputDim != d) throw new ArgumentException($"SAE input width {sae.Config.InputDim} does not match the data's dimension {d}.");
        return d;
    }
}
