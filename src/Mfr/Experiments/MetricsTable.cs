using System.Globalization;
using Mfr.Evaluation;
using Mfr.Training;

namespace Mfr.Experiments;

/// <summary>One row of the tidy long table of a run's metrics (<see cref="MetricsTable"/>).</summary>
/// <param name="Type">Line type of metrics.jsonl: step, recovery or reinit.</param>
/// <param name="Step">Training step.</param>
/// <param name="Sae">Ensemble index, or null for an ensemble-wide metric (penalty, beta, pairMmcs:A-B).</param>
/// <param name="K">k of that SAE, or null with <paramref name="Sae"/>.</param>
/// <param name="Metric">Metric name (loss, l0, deadLatents, reinitScore, penalty, beta, pairMmcs:A-B, gtMmcs, recovered@T, score, count).</param>
/// <param name="Value">The value, as logged.</param>
public sealed record MetricRow(string Type, long Step, int? Sae, int? K, string Metric, double Value);

/// <summary>
/// A run's metrics.jsonl as a tidy long table, <c>type, step, sae, k, metric, value</c>, one row per (line, SAE, metric)
/// (issue 15 item 7), the rows <see cref="MetricsCsvExport"/> and <see cref="MetricsParquetExport"/> write. Lines are read
/// through <see cref="MetricLog"/>'s readers, so the log keeps its kinds: "step" rows (loss, l0, deadLatents, reinitScore per
/// SAE; penalty, beta and pairMmcs:A-B for the ensemble, with sae and k empty), "recovery" rows (gtMmcs and recovered@T per
/// SAE) and "reinit" rows (score and count of the SAE re-initialised).
/// </summary>
public static class MetricsTable
{
    /// <summary>The column names, in order.</summary>
    public static readonly string[] Columns = ["type", "step", "sae", "k", "metric", "value"];

    /// <summary>The rows of <paramref name="runDirectory"/>'s log: step lines, then recovery lines, then re-initialisations.</summary>
    /// <exception cref="FileNotFoundException">The folder has no run.json or no metrics.jsonl.</exception>
    public static IEnumerable<MetricRow> Read(string runDirectory)
    {
        var specification = TrainingRun.ReadSpecification(runDirectory);
        string log = Path.Combine(runDirectory, TrainingRun.MetricsFileName);
        if (!File.Exists(log)) throw new FileNotFoundException($"{runDirectory} has no {TrainingRun.MetricsFileName}.", log);
        int[] k = specification.Saes.Select(sae => sae.K).ToArray();
        return Rows(log, k);
    }

    private static IEnumerable<MetricRow> Rows(string log, int[] k)
    {
        MetricRow Row(string type, long step, int? sae, string metric, double value) =>
            new(type, step, sae, sae is int m && m < k.Length ? k[m] : null, metric, value);
        foreach (var line in MetricLog.ReadSteps(log))
        {
            for (int m = 0; m < line.Losses.Length; m++)
            {
                yield return Row("step", line.Step, m, "loss", line.Losses[m]);
                yield return Row("step", line.Step, m, "l0", line.L0[m]);
                yield return Row("step", line.Step, m, "deadLatents", line.DeadLatents[m]);
                yield return Row("step", line.Step, m, "reinitScore", line.ReinitScores[m]);
            }
            yield return Row("step", line.Step, null, "penalty", line.Penalty);
            if (line.Beta is double beta) yield return Row("step", line.Step, null, "beta", beta);
            // Pairs (a < b) in the order the trainer logs them: (0,1), (0,2), ..., (1,2), ...
            int pair = 0;
            for (int a = 0; a < line.Losses.Length && pair < line.PairMmcs.Length; a++)
                for (int b = a + 1; b < line.Losses.Length && pair < line.PairMmcs.Length; b++)
                    yield return Row("step", line.Step, null, $"pairMmcs:{a}-{b}", line.PairMmcs[pair++]);
        }
        foreach (var line in MetricLog.Read<RecoveryMetrics>(log, GroundTruthRecoveryEvaluator.Type))
        {
            for (int m = 0; m < line.Mmcs.Length; m++)
            {
                yield return Row("recovery", line.Step, m, "gtMmcs", line.Mmcs[m]);
                for (int t = 0; t < line.Thresholds.Length; t++)
                    yield return Row("recovery", line.Step, m, "recovered@" + line.Thresholds[t].ToString("R", CultureInfo.InvariantCulture), line.Recovered[m][t]);
            }
        }
        foreach (var line in MetricLog.ReadReinitializations(log))
        {
            yield return Row("reinit", line.Step, line.Sae, "score", line.Score);
            yield return Row("reinit", line.Step, line.Sae, "count", line.Count);
        }
    }
}
