using Mfr.Data;
using Mfr.Regularization;
using Mfr.Training;

namespace Mfr.Experiments;

/// <summary>
/// Everything of a k sweep but its data: the part `mfr sweep`, `mfr eeg` and `mfr gpt2` share (the EEG and
/// GPT-2 experiments make their data themselves). <see cref="For"/> adds the data.
/// </summary>
/// <param name="LatentCount">h.</param>
/// <param name="Ks">One SAE per value in each ensemble (at least two, distinct).</param>
/// <param name="Training">Samples, batch, lr, optimiser, seed (of the initialisations and of the file shuffling).</param>
/// <param name="Mfr">MFR settings of the coupled ensemble (mode mfr, penalty or reinit: the baselines always run).</param>
/// <param name="EvaluationBatches">
/// Most held-out batches for the reported loss (of the training batch size). 100 covers the whole held-out
/// part the experiments make (GPT-2: 20,480 tokens at batch 500; EEG: 1,220 segments) while bounding the
/// time a very large held-out file can take; 10 used to leave three quarters of GPT-2's held-out tokens unread.
/// </param>
public sealed record KSweepSettings(int LatentCount, int[] Ks, TrainingConfig Training, MfrConfig Mfr, int EvaluationBatches = KSweepSettings.DefaultEvaluationBatches)
{
    /// <summary>Default of <see cref="EvaluationBatches"/>.</summary>
    public const int DefaultEvaluationBatches = 100;

    /// <summary>
    /// Re-initialisation window of the real-data sweeps: the initial draw only. Measured on the EEG shape
    /// (h 4096, batch 1024, lr 1e-3, baseline SAEs): every k from 12 to 60 starts below theta = 2.5 and
    /// crosses it within 25 steps of ordinary training (k = 12 at step 2), so a longer window re-draws
    /// healthy SAEs over and over (README, "Re-initialisation on real data").
    /// </summary>
    public const long RealDataReinitWindow = 1;

    /// <summary>Learning rate of the paper's real-data experiments (SPEC 4 and 5: 1e-3).</summary>
    public const float RealDataLearningRate = 1e-3f;

    /// <summary>Checkpoint interval of the sweeps' runs.</summary>
    public const int CheckpointEverySteps = 50;

    /// <summary>`mfr sweep` on an array file: h 512, k 8 16 32, batch 1,024, 1 M samples, assignment every 10 steps.</summary>
    public static KSweepSettings Default { get; } = RealData(512, [8, 16, 32], 1024, 1_000_000, 10);

    /// <summary>
    /// The settings the real-data sweeps share, around their shape: lr 1e-3 (SPEC 4, 5), AdamW, the full MFR
    /// (beta auto, warm-up, theta and refresh from <see cref="MfrConfig"/> unless given), re-initialisation on
    /// the initial draw only (<see cref="RealDataReinitWindow"/>).
    /// </summary>
    public static KSweepSettings RealData(int latentCount, int[] ks, int batchSize, long samples, int refreshSteps) => new(
        latentCount, ks,
        new TrainingConfig(samples, batchSize, RealDataLearningRate, CheckpointEverySteps: CheckpointEverySteps),
        new MfrConfig(MfrMode.Mfr, Reinitialization: new ReinitializationConfig(WindowSteps: RealDataReinitWindow), AssignmentRefreshSteps: refreshSteps));

    /// <summary>The sweep of these settings on <paramref name="data"/>.</summary>
    public KSweepConfig For(DataSpecification data) => new(data, LatentCount, Ks, Training, Mfr, EvaluationBatches);

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason naming the flag or config key.</summary>
    public void Validate()
    {
        if (Ks is null || Ks.Length < 2) throw new ArgumentException($"A sweep needs at least two k values (--k; the MFR ensemble couples them), got {Ks?.Length ?? 0}.");
        if (Ks.Distinct().Count() != Ks.Length) throw new ArgumentException("The k values of a sweep (--k) must be distinct.");
        if (EvaluationBatches < 1) throw new ArgumentException($"Evaluation batches (evaluationBatches) must be at least 1, got {EvaluationBatches}.");
        if (Mfr.Mode == MfrMode.Baseline) throw new ArgumentException("--mode of the coupled ensemble (mfr.mode) must be mfr, penalty, reinit or mean-max (the baselines always run).");
        if (LatentCount < 1) throw new ArgumentException($"The latent count h (--latents, latentCount) must be at least 1, got {LatentCount}.");
        foreach (int k in Ks)
            if (k < 1 || k > LatentCount) throw new ArgumentException($"Every k (--k) must be between 1 and the latent count {LatentCount}, got {k}.");
        // Checked here, not when the MFR ensemble is built: that happens after the baseline has trained (issue 13, class 5).
        if (Ks.Length > PartnerGradient.MaxPartners + 1)
            throw new ArgumentException($"The MFR ensemble couples at most {PartnerGradient.MaxPartners + 1} SAEs, one per k (--k); got {Ks.Length} k values.");
        Mfr.Validate();
        Training.Validate();
    }
}
