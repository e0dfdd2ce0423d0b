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
        config.Validate();
        // The data and held-out files are checked before the folder is made (Execute checks them again with the ensembles).
        Data.DataSources.Check(config.Data);
        // One experiment writer per folder (issue 13); each run also locks its own folder.
        using var folderLock = ExperimentFolder.Lock(outputDirectory);
        RunFolder.RemoveTemporaryFiles(outputDirectory);
        var result = Execute(config, outputDirectory, progress, cancellation);
        if (result is not null) ExperimentFolder.WriteResults(outputDirectory, result);
        return result;
    }

    /// <summary>The sweep without its results.json, for experiments that embed it in their own (EEG, GPT-2); null when interrupted. The caller holds the folder's <see cref="RunFolderLock"/>.</summary>
    internal static KSweepResult? Execute(KSweepConfig config, string outputDirectory, Func<string, IProgress<TrainingProgress>>? progress, CancellationToken cancellation)
    {
        config.Validate();
        var clock = Stopwatch.StartNew();
        // Both ensembles and the held-out file are checked before the baseline trains (issue 13, class 5): a held-out
        // file of another width, or an MFR ensemble that cannot be built, must not surface after the first run.
        int d = Data.DataSources.Check(config.Data);
        var saes = config.Ks.Select(k => new SaeConfig(d, config.LatentCount, k)).ToArray();
        var baselineSpecification = new RunSpecification(config.Data, saes, config.Training, new MfrConfig(MfrMode.Baseline));
        var mfrSpecification = new RunSpecification(config.Data, saes, config.Training, config.Mfr);
        RunPreflight.Check(baselineSpecification);
        RunPreflight.Check(mfrSpecification);
        // Under mpirun the two ensembles train at the same time on different ranks when the job has two (issue 17).
        string[] names = [ExperimentFolder.BaselineRun, ExperimentFolder.CoupledRun];
        var runs = Distributed.ParallelRuns.StartOrResume(
            [new(baselineSpecification, Path.Combine(outputDirectory, names[0])), new(mfrSpecification, Path.Combine(outputDirectory, names[1]))],
            i => progress?.Invoke(names[i]), cancellation);
        try
        {
            if (runs.Count < 2 || !runs[1].Completed) return null;
            return Compare(config, runs[0], runs[1], clock);
        }
        finally
        {
            foreach (var run in runs) run.Dispose();
        }
    }

    private static KSweepResult Compare(KSweepConfig config, TrainingRunResult baseline, TrainingRunResult mfr, Stopwatch clock)
    {
        var baselineSaes = baseline.Trainer.Members.Select(m => m.Sae).ToArray();
        var mfrSaes = mfr.Trainer.Members.Select(m => m.Sae).ToArray();
        // Held-out batches of the training batch size (no cap: the sweeps' batches are at most a few thousand).
        var baselineMetrics = HeldOutEvaluation.Run(baselineSaes, config.Data, config.Training.BatchSize, config.EvaluationBatches, baseline.RunDirectory).Saes;
        var mfrMetrics = HeldOutEvaluation.Run(mfrSaes, config.Data, config.Training.BatchSize, config.EvaluationBatches, mfr.RunDirectory).Saes;
        var rows = config.Ks.Select((k, i) => new KSweepRow(k, baselineMetrics[i].Mse, mfrMetrics[i].Mse, (mfrMetrics[i].Mse - baselineMetrics[i].Mse) / baselineMetrics[i].Mse,
            baselineMetrics[i].L0, mfrMetrics[i].L0, baselineMetrics[i].DeadLatents, mfrMetrics[i].DeadLatents)).ToArray();
        var lastCoupling = MetricLog.ReadSteps(Path.Combine(mfr.RunDirectory, TrainingRun.MetricsFileName)).LastOrDefault(step => step.PairMmcs.Length > 0);
        return new KSweepResult(config, rows, DecoderDistances(baselineSaes), DecoderDistances(mfrSaes), baselineMetrics[0].Samples, clock.Elapsed.TotalSeconds,
            lastCoupling?.PairMmcs, KSweepFindings.Of(config, rows, lastCoupling?.PairMmcs));
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
