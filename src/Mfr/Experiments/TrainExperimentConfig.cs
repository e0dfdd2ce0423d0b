using Mfr.Data;
using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Training;

namespace Mfr.Experiments;

/// <summary>
/// `mfr train`: one run (<see cref="RunSpecification"/>: its four fields are the run's run.json, so a run
/// folder's run.json is a valid config for training it again) plus how its final SAEs are evaluated.
/// </summary>
/// <param name="Data">Source of training vectors (default: the synthetic benchmark, SPEC 3).</param>
/// <param name="Saes">One config per SAE (default: two SAEs, h 512, k 32, on d 256).</param>
/// <param name="Training">Length, batch, optimiser, seed (default <see cref="TrainingConfig"/>'s).</param>
/// <param name="Regularization">MFR settings (default: mode baseline, independent SAEs).</param>
/// <param name="EvaluationBatches">Held-out batches (of the training batch, at most <see cref="Evaluation.HeldOutData.MaxBatchSize"/>) of the final evaluation.</param>
public sealed record TrainExperimentConfig(DataSpecification Data, SaeConfig[] Saes, TrainingConfig Training, MfrConfig? Regularization = null,
    int EvaluationBatches = TrainExperimentConfig.DefaultEvaluationBatches)
{
    /// <summary>Default of <see cref="EvaluationBatches"/>.</summary>
    public const int DefaultEvaluationBatches = 5;

    /// <summary>SAEs per k value by default: two, the smallest ensemble MFR can couple.</summary>
    public const int DefaultSaesPerK = 2;

    /// <summary>h of the default SAEs (the paper's synthetic h).</summary>
    public const int DefaultLatentCount = 512;

    /// <summary>k of the default SAEs (the paper's synthetic k).</summary>
    public const int DefaultK = 32;

    /// <summary>`mfr train` with no flags: two independent SAEs (h 512, k 32) on the synthetic benchmark.</summary>
    public static TrainExperimentConfig Default { get; } = new(
        DataSpecification.ForSynthetic(new SyntheticDataConfig()),
        Enumerable.Repeat(new SaeConfig(new SyntheticDataConfig().InputDim, DefaultLatentCount, DefaultK), DefaultSaesPerK).ToArray(),
        new TrainingConfig(),
        new MfrConfig(MfrMode.Baseline, Reinitialization: new ReinitializationConfig()));

    /// <summary>The run this config trains (run.json).</summary>
    public RunSpecification ToSpecification() => new(Data, Saes, Training, Regularization);

    /// <summary>The config of an existing run (its run.json) with the given evaluation.</summary>
    public static TrainExperimentConfig From(RunSpecification specification, int evaluationBatches = DefaultEvaluationBatches) =>
        new(specification.Data, specification.Saes, specification.Training, specification.Regularization, evaluationBatches);

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason naming the flag or config key.</summary>
    public void Validate()
    {
        if (Data is null || Saes is null || Training is null) throw new ArgumentException("A train config needs 'data', 'saes' and 'training'.");
        ToSpecification().Validate();
        if (EvaluationBatches < 1) throw new ArgumentException($"--eval-batches (evaluationBatches) must be at least 1, got {EvaluationBatches}.");
        // Settings that would be silently ignored are refused (issue 13, class 2).
        if (Data.IsGenerated && Data.HeldOutPath is not null)
            throw new ArgumentException("--held-out (data.heldOutPath) applies to file data only: synthetic runs are evaluated on fresh samples of their generator.");
        if (Regularization is { CouplesSaes: false, Beta: not null })
            throw new ArgumentException($"--beta (regularization.beta) scales the MFR penalty, which mode {Regularization.Mode.ToString().ToLowerInvariant()} does not use; drop it or use --mode mfr, penalty or mean-max.");
    }
}
