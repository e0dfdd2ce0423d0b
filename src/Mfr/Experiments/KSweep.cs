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
    /// <summary>Runs or resumes the sweep; null when interrupted.</summary>
    public static KSweepResult? Run(KSweepConfig config, string outputDirectory, Func<string, IProgress<TrainingProgress>>? progress = null, CancellationToken cancellation = default)
    {
        config.Validate();
        // One experiment writer per folder (issue 13); each run also locks its own folder. Cleaning removes what a
        // killed extraction left in OUT/data (gigabytes for GPT-2 activations).
        using var folderLock = RunFolderLock.Acquire(outputDirectory);
        RunFolder.RemoveTemporaryFiles(outputDirectory);
        var clock = Stopwatch.StartNew();
        // Both ensembles and the held-out file are checked before the baseline trains (issue 13, class 5): a held-out
        // file of another width, or an MFR ensemble that cannot be built, must not surface after the first run.
        int d = Data.DataSources.Check(config.Data);
        var saes = config.Ks.Select(k => new SaeConfig(d, config.LatentCount, k)).ToArray();
        var baselineSpecification = new RunSpecification(config.Data, saes, config.Training, new MfrConfig(MfrMode.Baseline));
        var mfrSpecification = new RunSpecification(config.Data, saes, config.Training, config.Mfr);
        RunPreflight.Check(baselineSpecification);
        RunPreflight.Check(mfrSpecification);
        using var baseline = TrainingRun.StartOrResume(baselineSpecification, Path.Combine(outputDirectory, "baseline"), progress?.Invoke("baseline"), cancellation);
        if (!baseline.Completed) return null;
        using var mfr = TrainingRun.StartOrResume(mfrSpecification, Path.Combine(outputDirectory, "mfr"), progress?.Invoke("mfr"), cancellation);
        if (!mfr.Completed) return null;

        var (heldOut, firstBatch) = HeldOutData.Open(config.Data);
        using (heldOut)
        {
            var baselineSaes = baseline.Trainer.Members.Select(m => m.Sae).ToArray();
            var mfrSaes = mfr.Trainer.Members.Select(m => m.Sae).ToArray();
            var (batches, batchSize) = HeldOutData.Batches(heldOut.VectorCount, config.Training.BatchSize, config.EvaluationBatches);
            var baselineEvaluation = HeldOutEvaluation.Measure(baselineSaes, heldOut, firstBatch, batches, batchSize);
            var mfrEvaluation = HeldOutEvaluation.Measure(mfrSaes, heldOut, firstBatch, batches, batchSize);
            baselineEvaluation.Save(baseline.RunDirectory);
            mfrEvaluation.Save(mfr.RunDirectory);
            var baselineMetrics = baselineEvaluation.Saes;
            var mfrMetrics = mfrEvaluation.Saes;
            var rows2 = config.Ks.Select((k, i) => new KSweepRow(k, baselineMetrics[i].Mse, mfrMetrics[i].Mse, (mfrMetrics[i].Mse - baselineMetrics[i].Mse) / baselineMetrics[i].Mse,
                baselineMetrics[i].L0, mfrMetrics[i].L0, baselineMetrics[i].DeadLatents, mfrMetrics[i].DeadLatents)).ToArray();
            var lastCoupling = MetricLog.ReadSteps(Path.Combine(mfr.RunDirectory, TrainingRun.MetricsFileName)).LastOrDefault(step => step.PairMmcs.Length > 0);
            return new KSweepResult(config, rows2, DecoderDistances(baselineSaes), DecoderDistances(mfrSaes), baselineMetrics[0].Samples, clock.Elapsed.TotalSeconds,
                lastCoupling?.PairMmcs, KSweepFindings.Of(config, rows2, lastCoupling?.PairMmcs));
        }
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
