using System.Text.Json.Serialization;
using Mfr.Numerics;

namespace Mfr.Training;

/// <summary>
/// How an ensemble of SAEs is trained on one stream of batches. Defaults are the paper's
/// synthetic run where it gives one (SPEC 3: batch 10,000, lr 0.01), scaled down in length.
/// </summary>
/// <param name="SampleCount">Training samples in total; the run takes ceil(SampleCount / BatchSize) steps.</param>
/// <param name="BatchSize">Vectors per step, shared by every SAE of the ensemble.</param>
/// <param name="LearningRate">Adam(W) step size.</param>
/// <param name="Optimizer">AdamW (paper text, weight decay <see cref="WeightDecay"/>) or Adam (published code).</param>
/// <param name="WeightDecay">AdamW's decoupled weight decay (torch default 0.01).</param>
/// <param name="Seed">Seeds every SAE's initialisation and re-initialisation.</param>
/// <param name="CheckpointEverySteps">Checkpoint interval; 0 writes only the final checkpoint.</param>
/// <param name="DeadLatentWindowSamples">A latent is dead in the training log when it has not fired within this many samples.</param>
/// <param name="EvaluationEverySteps">
/// Interval of the run's periodic evaluation, when whoever starts the run passes one in (synthetic data:
/// ground-truth MMCS and recovery, paper figure 8); it also runs at step 0 and at the last step; 0 turns it
/// off. The default, <see cref="DefaultEvaluationEverySteps"/>, keeps its cost 1-2% of training at the
/// synthetic shape. Logs only: it never changes what is trained.
/// </param>
public sealed record TrainingConfig(
    long SampleCount = 2_000_000,
    int BatchSize = 10_000,
    float LearningRate = 0.01f,
    OptimizerKind Optimizer = OptimizerKind.AdamW,
    float WeightDecay = 0.01f,
    ulong Seed = 0,
    int CheckpointEverySteps = 100,
    long DeadLatentWindowSamples = 1_000_000,
    int EvaluationEverySteps = TrainingConfig.DefaultEvaluationEverySteps)
{
    /// <summary>
    /// Default periodic-evaluation interval. At the synthetic shape (B 10,000, d 256, n = h = 512, k 32, an
    /// MFR pair) one ground-truth evaluation of both SAEs (cosine matrix and exact assignment each) took
    /// 0.11-0.19 of a training step (bench `recovery-timings`, README), so every 10th step adds 1-2% and
    /// gives 50 points over the default 500-step synthetic run, 500 over the paper's.
    /// </summary>
    public const int DefaultEvaluationEverySteps = 10;

    /// <summary>Whether the periodic evaluation runs after step <paramref name="step"/> (0 is the initialisation).</summary>
    public bool EvaluatesAt(long step) => EvaluationEverySteps > 0 && (step % EvaluationEverySteps == 0 || step == StepCount);

    /// <summary>Number of optimiser steps.</summary>
    [JsonIgnore]
    public long StepCount => (SampleCount + BatchSize - 1) / BatchSize;

    /// <summary>Adam settings implied by this config.</summary>
    [JsonIgnore]
    public AdamSettings Adam => new(LearningRate, WeightDecay: Optimizer == OptimizerKind.AdamW ? WeightDecay : 0f);

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason on an invalid setting.</summary>
    public void Validate()
    {
        if (SampleCount < 1) throw new ArgumentException($"Sample count must be at least 1, got {SampleCount}.");
        if (BatchSize < 1) throw new ArgumentException($"Batch size must be at least 1, got {BatchSize}.");
        if (CheckpointEverySteps < 0) throw new ArgumentException($"Checkpoint interval must be 0 (final only) or positive, got {CheckpointEverySteps}.");
        if (EvaluationEverySteps < 0) throw new ArgumentException($"Evaluation interval must be 0 (off) or positive, got {EvaluationEverySteps}.");
        if (DeadLatentWindowSamples < 1) throw new ArgumentException($"Dead-latent window must be at least 1 sample, got {DeadLatentWindowSamples}.");
        Adam.Validate();
    }
}
