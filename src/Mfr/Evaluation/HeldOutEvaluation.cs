using System.Text.Json;
using Mfr.Data;
using Mfr.Experiments;
using Mfr.IO;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Training;

namespace Mfr.Evaluation;

/// <summary>
/// The held-out evaluation of a run's final SAEs, kept in <c>RUN/final/evaluation.json</c> so reports draw
/// firing frequencies and best cosines (paper figures 3 and 5) from the same measurement as the results
/// tables, without the data or the SAEs. <see cref="Run"/> is the one evaluation path every experiment uses
/// (issue 12, item 2): open the evaluation data, split it into batches, measure, save.
/// </summary>
/// <param name="Data">Description of the evaluation source.</param>
/// <param name="FirstBatch">Index of its first batch read.</param>
/// <param name="BatchCount">Batches read.</param>
/// <param name="BatchSize">Vectors per batch.</param>
/// <param name="Saes">Per SAE, in ensemble order: MSE, FVU, L0, dead latents, firing frequencies.</param>
/// <param name="Latents">Per SAE, in ensemble order, its latents' best cosines; null in files written before they were kept.</param>
public sealed record HeldOutEvaluation(string Data, long FirstBatch, int BatchCount, int BatchSize, ReconstructionMetrics[] Saes, LatentCosines[]? Latents = null)
{
    /// <summary>File name inside the run's final/ folder.</summary>
    public const string FileName = "evaluation.json";

    /// <summary>
    /// Evaluates <paramref name="saes"/> on the evaluation data of <paramref name="data"/> (<see cref="HeldOutData"/>): at most
    /// <paramref name="maxBatches"/> equal batches of at most <paramref name="maxBatchSize"/> vectors, then each latent's best
    /// cosines; saves the result in <paramref name="runDirectory"/> when one is given.
    /// </summary>
    /// <param name="saes">The run's final SAEs, in ensemble order.</param>
    /// <param name="data">The run's data specification.</param>
    /// <param name="maxBatchSize">Largest batch (usually the training batch, bounded by <see cref="HeldOutData.MaxBatchSize"/>).</param>
    /// <param name="maxBatches">Most batches.</param>
    /// <param name="runDirectory">Run folder to save final/evaluation.json in; null to measure only (a report reading an old run).</param>
    public static HeldOutEvaluation Run(IReadOnlyList<TopKSae> saes, DataSpecification data, int maxBatchSize, int maxBatches, string? runDirectory)
    {
        var (source, firstBatch) = HeldOutData.Open(data);
        using (source)
        {
            var (batches, batchSize) = HeldOutData.Batches(source.VectorCount, maxBatchSize, maxBatches);
            var evaluation = Measure(saes, source, firstBatch, batches, batchSize) with { Latents = MeasureLatents(saes, source as IGroundTruthSource) };
            if (runDirectory is not null) evaluation.Save(runDirectory);
            return evaluation;
        }
    }

    /// <summary>Evaluates <paramref name="saes"/> on <paramref name="batchCount"/> batches of <paramref name="source"/> from <paramref name="firstBatch"/> (see <see cref="SaeEvaluator.Evaluate"/>).</summary>
    public static HeldOutEvaluation Measure(IReadOnlyList<TopKSae> saes, IVectorSource source, long firstBatch, int batchCount, int batchSize) =>
        new(source.Description, firstBatch, batchCount, batchSize, [.. SaeEvaluator.Evaluate(saes, source, firstBatch, batchCount, batchSize)]);

    /// <summary>Per SAE, its latents' best cosines to the other SAEs (two or more) and to the true features of <paramref name="synthetic"/> (when given).</summary>
    public static LatentCosines[] MeasureLatents(IReadOnlyList<TopKSae> saes, IGroundTruthSource? synthetic)
    {
        float[][]? toOthers = saes.Count >= 2 ? FeatureConsistency.BestCosinesWithin(saes) : null;
        return saes.Select((sae, m) => new LatentCosines(toOthers?[m],
            synthetic is null ? null : FeatureConsistency.BestCosinesToTruth(sae, synthetic.TrueFeatures, synthetic.FeatureCount))).ToArray();
    }

    /// <summary>Path of the file for the run in <paramref name="runDirectory"/>.</summary>
    public static string PathFor(string runDirectory) => Path.Combine(runDirectory, "final", FileName);

    /// <summary>Writes the file for the run in <paramref name="runDirectory"/> (atomically; final/ is created if needed), and SAELens' sparsity into its final SAE folders.</summary>
    public void Save(string runDirectory)
    {
        Directory.CreateDirectory(Path.Combine(runDirectory, "final"));
        AtomicFile.WriteAllText(PathFor(runDirectory), JsonSerializer.Serialize(this, MetricLog.JsonOptions) + "\n");
        Interop.FinalSaes.AddEvaluation(runDirectory, this);
    }

    /// <summary>The saved evaluation of the run in <paramref name="runDirectory"/>, or null when it has none (runs finished before this file existed).</summary>
    /// <exception cref="InvalidDataException">The file is damaged; the message names it.</exception>
    public static HeldOutEvaluation? Load(string runDirectory)
    {
        string path = PathFor(runDirectory);
        return File.Exists(path) ? JsonFile.Read<HeldOutEvaluation>(path, MetricLog.StrictReadOptions) : null;
    }
}
