using Mfr.Checkpoints;
using Mfr.Data;
using Mfr.Evaluation;
using Mfr.Sae;
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
    /// The latents of every final SAE of the run in <paramref name="runDirectory"/>, read from final/evaluation.json
    /// (the run measured them when it finished). Runs finished before that file kept the cosines are measured
    /// now, through the same evaluation path, without writing into the run. Null when the run has no final SAEs
    /// (not finished).
    /// </summary>
    public static IReadOnlyList<SaeLatents>? Measure(string runDirectory)
    {
        var specification = TrainingRun.ReadSpecification(runDirectory);
        int count = specification.Saes.Length;
        var saved = HeldOutEvaluation.Load(runDirectory);
        if (saved is { Latents: { } latents } && saved.Saes.Length == count && latents.Length == count) return From(specification, saved, latents);
        string final = Path.Combine(runDirectory, "final");
        if (!Enumerable.Range(0, count).All(m => Directory.Exists(TrainingCheckpoint.SaeFolder(final, m)))) return null;
        var saes = new List<TopKSae>();
        try
        {
            for (int m = 0; m < count; m++) saes.Add(SaeFiles.Load(TrainingCheckpoint.SaeFolder(final, m)));
            var evaluation = saved is not null && saved.Saes.Length == count
                ? saved
                : HeldOutEvaluation.Run(saes, specification.Data, Math.Min(specification.Training.BatchSize, HeldOutData.MaxBatchSize), FallbackBatches, runDirectory: null);
            using var synthetic = DataSources.OpenGroundTruth(specification.Data);
            return From(specification, evaluation, evaluation.Latents ?? HeldOutEvaluation.MeasureLatents(saes, synthetic));
        }
        finally
        {
            foreach (var sae in saes) sae.Dispose();
        }
    }

    private static SaeLatents[] From(RunSpecification specification, HeldOutEvaluation evaluation, LatentCosines[] latents) =>
        specification.Saes.Select((sae, m) => new SaeLatents(m, sae.K, sae.LatentCount, evaluation.Saes[m].FiringFrequencies, evaluation.Saes[m].Samples,
            latents[m].ToOthers, latents[m].ToTruth)).ToArray();
}
