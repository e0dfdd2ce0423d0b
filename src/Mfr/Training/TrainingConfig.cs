using System.Text.Json.Serialization;
using Mfr.Numerics;
using Mfr.Sae;

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
/// <param name="AuxKCoefficient">
/// alpha of the AuxK loss on dead latents (<see cref="Sae.AuxKLoss"/>; Gao et al. 2024 appendix A.2, 1/32 there),
/// added to every SAE of the ensemble in any mode; dead means silent for <see cref="DeadLatentWindowSamples"/>.
/// 0, the default, turns it off and leaves training exactly as without it (and run.json without the key). A training
/// setting, as sparsify's <c>TrainConfig.auxk_alpha</c>: the SAE files stay the same.
/// </param>
/// <param name="EncoderPrecision">
/// How each step's encoder selects the TopK: <see cref="EncoderPrecision.Fp32"/> (the default, and run.json then has
/// no key) or the opt-in <see cref="EncoderPrecision.Int8Select"/> (same latents and fp32 values, found through 8-bit
/// products; issue 16 item 4, README "An int8 encoder"). Cannot be combined with AuxK.
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
    int EvaluationEverySteps = TrainingConfig.DefaultEvaluationEverySteps,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] double AuxKCoefficient = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] EncoderPrecision EncoderPrecision = EncoderPrecision.Fp32)
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
        if (!(AuxKCoefficient >= 0 && double.IsFinite(AuxKCoefficient))) throw new ArgumentException($"AuxK coefficient must be 0 (off) or a positive number, got {AuxKCoefficient}.");
        if (!Enum.IsDefined(EncoderPrecision)) throw new ArgumentException($"Encoder precision must be fp32 or int8-select, got {EncoderPrecision}.");
        if (EncoderPrecision == EncoderPrecision.Int8Select && AuxKCoefficient > 0)
            throw new ArgumentException("encoderPrecision int8-select (--encoder int8) cannot run with auxKCoefficient > 0: AuxK reads every dead latent's pre-activation, int8-select computes only its candidates'.");
        Adam.Validate();
    }
}
