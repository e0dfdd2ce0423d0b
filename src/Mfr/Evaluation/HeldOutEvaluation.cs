using System.Text.Json;
using Mfr.Data;
using Mfr.IO;
using Mfr.Sae;
using Mfr.Training;

namespace Mfr.Evaluation;

/// <summary>
/// The held-out evaluation of a run's final SAEs, kept in <c>RUN/final/evaluation.json</c> so reports draw
/// firing frequencies (paper figure 5) from the same measurement as the results tables, without the data.
/// </summary>
/// <param name="Data">Description of the evaluation source.</param>
/// <param name="FirstBatch">Index of its first batch read.</param>
/// <param name="BatchCount">Batches read.</param>
/// <param name="BatchSize">Vectors per batch.</param>
/// <param name="Saes">Per SAE, in ensemble order: MSE, FVU, L0, dead latents, firing frequencies.</param>
public sealed record HeldOutEvaluation(string Data, long FirstBatch, int BatchCount, int BatchSize, ReconstructionMetrics[] Saes)
{
    /// <summary>File name inside the run's final/ folder.</summary>
    public const string FileName = "evaluation.json";

    /// <summary>Evaluates <paramref name="saes"/> on <paramref name="batchCount"/> batches of <paramref name="source"/> from <paramref name="firstBatch"/> (see <see cref="SaeEvaluator.Evaluate"/>).</summary>
    public static HeldOutEvaluation Measure(IReadOnlyList<TopKSae> saes, IVectorSource source, long firstBatch, int batchCount, int batchSize) =>
        new(source.Description, firstBatch, batchCount, batchSize, [.. SaeEvaluator.Evaluate(saes, source, firstBatch, batchCount, batchSize)]);

    /// <summary>Path of the file for the run in <paramref name="runDirectory"/>.</summary>
    public static string PathFor(string runDirectory) => Path.Combine(runDirectory, "final", FileName);

    /// <summary>Writes the file for the run in <paramref name="runDirectory"/> (atomically; final/ is created if needed).</summary>
    public void Save(string runDirectory)
    {
        Directory.CreateDirectory(Path.Combine(runDirectory, "final"));
        AtomicFile.WriteAllText(PathFor(runDirectory), JsonSerializer.Serialize(this, MetricLog.JsonOptions) + "\n");
    }

    /// <summary>The saved evaluation of the run in <paramref name="runDirectory"/>, or null when it has none (runs finished before this file existed).</summary>
    public static HeldOutEvaluation? Load(string runDirectory)
    {
        string path = PathFor(runDirectory);
        return File.Exists(path) ? JsonSerializer.Deserialize<HeldOutEvaluation>(File.ReadAllText(path), MetricLog.JsonOptions) : null;
    }
}
