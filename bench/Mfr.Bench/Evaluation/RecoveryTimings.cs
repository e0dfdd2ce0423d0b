using System.Diagnostics;
using Mfr.Evaluation;
using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Training;

namespace Mfr.Bench.Evaluation;

/// <summary>
/// `recovery-timings [STEPS]`: what the periodic ground-truth evaluation (paper figure 8) costs next to training, in
/// one process under the same load. Trains an MFR pair at the synthetic experiment's shape (B 10,000, d 256,
/// n 512, h 512, k 32) for STEPS steps (default 60) and, every 10 steps, times one evaluation (both SAEs: cosine matrix and exact
/// assignment each) against the training steps around it; prints min and median of both and the share of
/// training time the evaluation takes at the default interval.
/// </summary>
internal static class RecoveryTimings
{
    public static void Run(TextWriter output, int trainSteps = 60, int evaluateEvery = 10)
    {
        var data = new SyntheticDataConfig(Seed: 0);
        using var source = new SyntheticDataSource(data);
        var saes = new[] { new SaeConfig(data.InputDim, 512, 32), new SaeConfig(data.InputDim, 512, 32) };
        var mfr = new MfrConfig();
        var config = new TrainingConfig(SampleCount: trainSteps * 10_000L, BatchSize: 10_000, Seed: 0);
        using var trainer = new Trainer(config, saes, source, MfrRegularizers.CreatePenalty(mfr, saes), mfr.ReinitializationSettings);
        var evaluator = new GroundTruthRecoveryEvaluator(source.TrueFeatures, data.FeatureCount, data.InputDim);
        var stepMs = new List<double>();
        var evaluationMs = new List<double>();
        var clock = new Stopwatch();
        for (int step = 1; step <= trainSteps; step++)
        {
            clock.Restart();
            trainer.TrainStep();
            stepMs.Add(clock.Elapsed.TotalMilliseconds);
            if (step % evaluateEvery != 0) continue;
            clock.Restart();
            evaluator.Evaluate(step, trainer.Members);
            evaluationMs.Add(clock.Elapsed.TotalMilliseconds);
        }
        // The first steps include JIT and page faults; they are not what a long run pays.
        var steady = stepMs.Skip(5).ToList();
        double stepMedian = Median(steady), evaluationMedian = Median(evaluationMs);
        output.WriteLine(FormattableString.Invariant($"# MFR pair, B 10000, d 256, n 512, h 512, k 32; threads {Mfr.Numerics.Parallelism.MaxThreads}; {steady.Count} steps, {evaluationMs.Count} evaluations"));
        output.WriteLine(FormattableString.Invariant($"training step (2 SAEs)        min {steady.Min(),8:F1} ms   median {stepMedian,8:F1} ms"));
        output.WriteLine(FormattableString.Invariant($"recovery evaluation (2 SAEs)  min {evaluationMs.Min(),8:F1} ms   median {evaluationMedian,8:F1} ms"));
        output.WriteLine(FormattableString.Invariant($"evaluation / step {evaluationMedian / stepMedian:F2}; every {TrainingConfig.DefaultEvaluationEverySteps} steps (default) adds {100 * evaluationMedian / (TrainingConfig.DefaultEvaluationEverySteps * stepMedian):F1}% of training time"));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
