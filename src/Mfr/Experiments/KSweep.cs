using System.Diagnostics;
using Mfr.Evaluation;
using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Training;

namespace Mfr.Experiments;

/// <summary>
/// Runs a <see cref="KSweepConfig"/>: the baseline ensemble (<c>OUT/baseline</c>) and the MFR
/// ensemble (<c>OUT/mfr</c>) as ordinary resumable run folders, then the held-out comparison per k
/// and the decoder distances of paper section 4.3. Each run's held-out evaluation is kept in its
/// final/evaluation.json (firing frequencies for the report's figure 5).
/// </summary>
public static class KSweep
{
    /// <summary>Runs or resumes the sweep in <paramref name="outputDirectory"/> and writes its results.json; null when interrupted.</summary>
    public static KSweepResult? Run(KSweepConfig config, string outputDirectory, Func<string, IProgress<TrainingProgress>>? progress = null, CancellationToken cancellation = default)
    {
        var result = Execute(config, outputDirectory, progress, cancellation);
        if (result is not null) ExperimentFolder.WriteResults(outputDirectory, result);
        return result;
    }

    /// <summary>The sweep without its results.json, for experiments that embed it in their own (EEG, GPT-2); null when interrupted.</summary>
    internal static KSweepResult? Execute(KSweepConfig config, string outputDirectory, Func<string, IProgress<TrainingProgress>>? progress, CancellationToken cancellation)
    {
        config.Validate();
        var clock = Stopwatch.StartNew();
        int d;
        using (var probe = Data.DataSources.Open(config.Data)) d = probe.Dimension;
        var saes = config.Ks.Select(k => new SaeConfig(d, config.LatentCount, k)).ToArray();
        using var baseline = TrainingRun.StartOrResume(new RunSpecification(config.Data, saes, config.Training, new MfrConfig(MfrMode.Baseline)),
            Path.Combine(outputDirectory, ExperimentFolder.BaselineRun), progress?.Invoke(ExperimentFolder.BaselineRun), cancellation);
        if (!baseline.Completed) return null;
        using var mfr = TrainingRun.StartOrResume(new RunSpecification(config.Data, saes, config.Training, config.Mfr),
            Path.Combine(outputDirectory, ExperimentFolder.CoupledRun), progress?.Invoke(ExperimentFolder.CoupledRun), cancellation);
        if (!mfr.Completed) return null;

        var baselineSaes = baseline.Trainer.Members.Select(m => m.Sae).ToArray();
        var mfrSaes = mfr.Trainer.Members.Select(m => m.Sae).ToArray();
        // Held-out batches of the training batch size (no cap: the sweeps' batches are at most a few thousand).
        var baselineMetrics = HeldOutEvaluation.Run(baselineSaes, config.Data, config.Training.BatchSize, config.EvaluationBatches, baseline.RunDirectory).Saes;
        var mfrMetrics = HeldOutEvaluation.Run(mfrSaes, config.Data, config.Training.BatchSize, config.EvaluationBatches, mfr.RunDirectory).Saes;
        var rows = config.Ks.Select((k, i) => new KSweepRow(k, baselineMetrics[i].Mse, mfrMetrics[i].Mse, (mfrMetrics[i].Mse - baselineMetrics[i].Mse) / baselineMetrics[i].Mse,
            baselineMetrics[i].L0, mfrMetrics[i].L0, baselineMetrics[i].DeadLatents, mfrMetrics[i].DeadLatents)).ToArray();
        var lastCoupling = MetricLog.ReadSteps(Path.Combine(mfr.RunDirectory, TrainingRun.MetricsFileName)).LastOrDefault(step => step.PairMmcs.Length > 0);
        return new KSweepResult(config, rows, DecoderDistances(baselineSaes), DecoderDistances(mfrSaes), baselineMetrics[0].Samples, clock.Elapsed.TotalSeconds,
            lastCoupling?.PairMmcs);
    }

    /// <summary>Frobenius norm of D_i - D_j for every pair of SAEs (same shape).</summary>
    public static double[][] DecoderDistances(IReadOnlyList<TopKSae> saes)
    {
        var distances = saes.Select(_ => new double[saes.Count]).ToArray();
        for (int i = 0; i < saes.Count; i++)
        {
            for (int j = i + 1; j < saes.Count; j++)
            {
                ReadOnlySpan<float> a = saes[i].Decoder, b = saes[j].Decoder;
                double sum = 0;
                for (int t = 0; t < a.Length; t++) sum += (double)(a[t] - b[t]) * (a[t] - b[t]);
                distances[i][j] = distances[j][i] = Math.Sqrt(sum);
            }
        }
        return distances;
    }
}
