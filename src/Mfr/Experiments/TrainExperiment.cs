using Mfr.Evaluation;
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
        using var run = TrainingRun.Start(config.ToSpecification(), runDirectory, progress, cancellation, GroundTruthRecoveryEvaluator.For(config.Data));
        return Finish(run, config);
    }

    /// <summary>Continues the run in <paramref name="runDirectory"/> as its run.json records it.</summary>
    public static TrainExperimentResult Resume(string runDirectory, int evaluationBatches = TrainExperimentConfig.DefaultEvaluationBatches, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        var config = TrainExperimentConfig.From(TrainingRun.ReadSpecification(runDirectory), evaluationBatches);
        if (evaluationBatches < 1) throw new ArgumentException($"--eval-batches must be at least 1, got {evaluationBatches}.");
        using var run = TrainingRun.Resume(runDirectory, progress, cancellation, GroundTruthRecoveryEvaluator.For(config.Data));
        return Finish(run, config);
    }

    private static TrainExperimentResult Finish(TrainingRunResult run, TrainExperimentConfig config)
    {
        var members = run.Trainer.Members;
        var saes = members.Select((m, i) => new TrainedSae(i, m.Sae.Config.K, m.Sae.Config.LatentCount, m.Seed, m.ReinitializationCount)).ToArray();
        if (!run.Completed) return new TrainExperimentResult(run.RunDirectory, false, run.Trainer.Step, saes, null);
        var evaluation = HeldOutEvaluation.Run(members.Select(m => m.Sae).ToArray(), config.Data, Math.Min(config.Training.BatchSize, HeldOutData.MaxBatchSize),
            config.EvaluationBatches, run.RunDirectory);
        return new TrainExperimentResult(run.RunDirectory, true, run.Trainer.Step, saes, evaluation);
    }
}
