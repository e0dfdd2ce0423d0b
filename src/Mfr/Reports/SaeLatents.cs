using Mfr.Checkpoints;
using Mfr.Evaluation;
using Mfr.Experiments;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Training;

namespace Mfr.Reports;

/// <summary>
/// What paper figure 5 shows of one trained SAE, per latent: the fraction of held-out samples in which it
/// fired, its best cosine to any latent of the ensemble's other SAEs, and (synthetic data) its best cosine
/// to any true feature.
/// </summary>
/// <param name="Index">Position in the ensemble.</param>
/// <param name="K">Active latents k.</param>
/// <param name="LatentCount">Latents h.</param>
/// <param name="FiringFrequencies">Per latent, fraction of held-out samples with a non-zero activation, <c>[h]</c>.</param>
/// <param name="HeldOutSamples">Samples the frequencies were measured on.</param>
/// <param name="ToOthers">Per latent, best cosine to the other SAEs, <c>[h]</c>; null for a lone SAE.</param>
/// <param name="ToTruth">Per latent, best cosine to the true features, <c>[h]</c>; null without true features.</param>
internal sealed record SaeLatents(int Index, int K, int LatentCount, double[] FiringFrequencies, long HeldOutSamples, float[]? ToOthers, float[]? ToTruth)
{
    /// <summary>Held-out batches the report measures itself when a run has no final/evaluation.json (runs from before it existed).</summary>
    private const int FallbackBatches = 3;

    /// <summary>
    /// The latents of every final SAE of the run in <paramref name="runDirectory"/>: firing frequencies from
    /// final/evaluation.json (measured now on the run's held-out data when the file is missing), cosines
    /// from the final decoders. Null when the run has no final SAEs (not finished).
    /// </summary>
    public static IReadOnlyList<SaeLatents>? Measure(string runDirectory)
    {
        var specification = TrainingRun.ReadSpecification(runDirectory);
        string final = Path.Combine(runDirectory, "final");
        int count = specification.Saes.Length;
        if (!Enumerable.Range(0, count).All(m => Directory.Exists(TrainingCheckpoint.SaeFolder(final, m)))) return null;
        var saes = new List<TopKSae>();
        try
        {
            for (int m = 0; m < count; m++) saes.Add(SaeFiles.Load(TrainingCheckpoint.SaeFolder(final, m)));
            var evaluation = HeldOutEvaluation.Load(runDirectory) is { } saved && saved.Saes.Length == count ? saved : MeasureHeldOut(specification, saes);
            float[][]? toOthers = count >= 2 ? FeatureConsistency.BestCosinesWithin(saes) : null;
            float[][]? toTruth = null;
            if (specification.Data.Kind == "synthetic")
            {
                using var source = new SyntheticDataSource(specification.Data.Synthetic ?? new SyntheticDataConfig());
                toTruth = saes.Select(sae => FeatureConsistency.BestCosinesToTruth(sae, source.TrueFeatures, source.Config.FeatureCount)).ToArray();
            }
            return saes.Select((sae, m) => new SaeLatents(m, sae.Config.K, sae.Config.LatentCount, evaluation.Saes[m].FiringFrequencies, evaluation.Saes[m].Samples,
                toOthers?[m], toTruth?[m])).ToArray();
        }
        finally
        {
            foreach (var sae in saes) sae.Dispose();
        }
    }

    private static HeldOutEvaluation MeasureHeldOut(RunSpecification specification, IReadOnlyList<TopKSae> saes)
    {
        var (source, firstBatch) = HeldOutData.Open(specification.Data);
        using (source)
        {
            var (batches, batchSize) = HeldOutData.Batches(source.VectorCount, Math.Min(specification.Training.BatchSize, 10_000), FallbackBatches);
            return HeldOutEvaluation.Measure(saes, source, firstBatch, batches, batchSize);
        }
    }
}
