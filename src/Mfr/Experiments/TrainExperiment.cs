using System.Text.Json;
using Mfr.Evaluation;
using Mfr.IO;
using Mfr.Training;

namespace Mfr.Experiments;

/// <summary>
/// `mfr train` end to end: start (or resume) one run, then, when it finished, evaluate its final SAEs on
/// held-out data through the one evaluation path (<see cref="HeldOutEvaluation.Run"/>, kept in
/// final/evaluation.json). On synthetic data the run also logs ground-truth recovery every
/// <see cref="TrainingConfig.EvaluationEverySteps"/> steps (paper figure 8).
/// </summary>
public static class TrainExperiment
{
    /// <summary>Starts <paramref name="config"/> in <paramref name="runDirectory"/> (which must not hold a run).</summary>
    public static TrainExperimentResult Start(TrainExperimentConfig config, string runDirectory, IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        config.Validate();
        var specification = config.ToSpecification();
        // Checked (memory included) before the ground-truth evaluator allocates its copy of the true features.
        RunPreflight.Check(specification);
        using var run = TrainingRun.Start(specification, runDirectory, progress, cancellation, GroundTruthRecoveryEvaluator.For(config.Data));
        return Finish(run, config);
    }

    /// <summary>
    /// Continues the run in <paramref name="runDirectory"/> as its run.json records it; with <paramref name="sampleCount"/> above the
    /// recorded budget, first extends the budget (in run.json) so the run trains on to it. That is the one change a resume can
    /// make safely: nothing in a step depends on the total, so the extended run ends where a run started with the larger
    /// budget ends, bit for bit.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="sampleCount"/> is below the recorded budget.</exception>
    public static TrainExperimentResult Resume(string runDirectory, int evaluationBatches = TrainExperimentConfig.DefaultEvaluationBatches, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellation = default, long? sampleCount = null)
    {
        if (evaluationBatches < 1) throw new ArgumentException($"--eval-batches must be at least 1, got {evaluationBatches}.");
        var specification = TrainingRun.ReadSpecification(runDirectory);
        if (sampleCount is long samples && samples != specification.Training.SampleCount)
        {
            if (samples < specification.Training.SampleCount)
                throw new ArgumentException($"--samples {samples:N0} is below the {specification.Training.SampleCount:N0} {runDirectory} was started with; a resumed run can only train longer.");
            specification = specification with { Training = specification.Training with { SampleCount = samples } };
            specification.Validate();
            // Under the run folder's lock: a process still training this run must refuse us before run.json changes under it.
            using (RunFolderLock.Acquire(runDirectory))
                AtomicFile.WriteAllText(Path.Combine(runDirectory, TrainingRun.SpecificationFileName), JsonSerializer.Serialize(specification, IndentedOptions) + "\n");
        }
        var config = TrainExperimentConfig.From(specification, evaluationBatches);
        using var run = TrainingRun.Resume(runDirectory, progress, cancellation, GroundTruthRecoveryEvaluator.For(config.Data));
        return Finish(run, config);
    }

    private static JsonSerializerOptions IndentedOptions { get; } = new(MetricLog.JsonOptions) { WriteIndented = true };

    private static TrainExperimentResult Finish(TrainingRunResult run, TrainExperimentConfig config)
    {
        var members = run.Trainer.Members;
        var saes = members.Select((m, i) => new TrainedSae(i, m.Sae.Config.K, m.Sae.Config.LatentCount, m.Seed, m.ReinitializationCount)).ToArray();
        if (!run.Completed) return new TrainExperimentResult(run.RunDirectory, false, run.Trainer.Step, saes, null) { Notices = run.Notices };
        var evaluation = HeldOutEvaluation.Run(members.Select(m => m.Sae).ToArray(), config.Data, Math.Min(config.Training.BatchSize, HeldOutData.MaxBatchSize),
            config.EvaluationBatches, run.RunDirectory);
        return new TrainExperimentResult(run.RunDirectory, true, run.Trainer.Step, saes, evaluation) { Notices = run.Notices };
    }
}
