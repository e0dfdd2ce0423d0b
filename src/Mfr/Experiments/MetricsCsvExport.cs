using System.Globalization;
using System.Text;
using Mfr.Evaluation;
using Mfr.Training;

namespace Mfr.Experiments;

/// <summary>
/// `mfr export-metrics RUN --csv FILE` (issue 15 item 7): a run's metrics.jsonl as a tidy long table,
/// <c>type,step,sae,k,metric,value</c>, one row per (line, SAE, metric), so <c>pd.read_csv</c> takes it without reshaping.
/// Lines are read through <see cref="MetricLog"/>'s readers, so the log keeps its kinds: "step" rows (loss, l0, deadLatents,
/// reinitScore per SAE; penalty, beta and pairMmcs:A-B for the ensemble, with sae and k empty), "recovery" rows (gtMmcs and
/// recovered@T per SAE) and "reinit" rows (score and count of the SAE re-initialised). Numbers are written in the invariant
/// culture at full precision (round-trip "R"), NaN as <c>NaN</c> (which pandas reads as NaN).
/// </summary>
public static class MetricsCsvExport
{
    /// <summary>The header line.</summary>
    public const string Header = "type,step,sae,k,metric,value";

    /// <summary>Writes the table of <paramref name="runDirectory"/>'s log to <paramref name="csvPath"/>; returns the number of data rows.</summary>
    /// <exception cref="FileNotFoundException">The folder has no run.json or no metrics.jsonl.</exception>
    public static long Write(string runDirectory, string csvPath)
    {
        var specification = TrainingRun.ReadSpecification(runDirectory);
        string log = Path.Combine(runDirectory, TrainingRun.MetricsFileName);
        if (!File.Exists(log)) throw new FileNotFoundException($"{runDirectory} has no {TrainingRun.MetricsFileName}.", log);
        int[] k = specification.Saes.Select(sae => sae.K).ToArray();
        long rows = 0;
        using var writer = new StreamWriter(csvPath, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.NewLine = "\n";
        writer.WriteLine(Header);
        void Row(string type, long step, int? sae, string metric, double value)
        {
            string saeCell = sae is int m ? m.ToString(CultureInfo.InvariantCulture) : "";
            string kCell = sae is int s && s < k.Length ? k[s].ToString(CultureInfo.InvariantCulture) : "";
            writer.WriteLine($"{type},{step.ToString(CultureInfo.InvariantCulture)},{saeCell},{kCell},{metric},{value.ToString("R", CultureInfo.InvariantCulture)}");
            rows++;
        }
        foreach (var line in MetricLog.ReadSteps(log))
        {
            for (int m = 0; m < line.Losses.Length; m++)
            {
                Row("step", line.Step, m, "loss", line.Losses[m]);
                Row("step", line.Step, m, "l0", line.L0[m]);
                Row("step", line.Step, m, "deadLatents", line.DeadLatents[m]);
                Row("step", line.Step, m, "reinitScore", line.ReinitScores[m]);
            }
            Row("step", line.Step, null, "penalty", line.Penalty);
            if (line.Beta is double beta) Row("step", line.Step, null, "beta", beta);
            // Pairs (a < b) in the order the trainer logs them: (0,1), (0,2), ..., (1,2), ...
            int pair = 0;
            for (int a = 0; a < line.Losses.Length && pair < line.PairMmcs.Length; a++)
                for (int b = a + 1; b < line.Losses.Length && pair < line.PairMmcs.Length; b++)
                    Row("step", line.Step, null, $"pairMmcs:{a}-{b}", line.PairMmcs[pair++]);
        }
        foreach (var line in MetricLog.Read<RecoveryMetrics>(log, GroundTruthRecoveryEvaluator.Type))
        {
            for (int m = 0; m < line.Mmcs.Length; m++)
            {
                Row("recovery", line.Step, m, "gtMmcs", line.Mmcs[m]);
                for (int t = 0; t < line.Thresholds.Length; t++)
                    Row("recovery", line.Step, m, "recovered@" + line.Thresholds[t].ToString("R", CultureInfo.InvariantCulture), line.Recovered[m][t]);
            }
        }
        foreach (var line in MetricLog.ReadReinitializations(log))
        {
            Row("reinit", line.Step, line.Sae, "score", line.Score);
            Row("reinit", line.Step, line.Sae, "count", line.Count);
        }
        return rows;
    }
}
