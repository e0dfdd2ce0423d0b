using System.Text.Json.Serialization;
using Mfr.Regularization;
using Mfr.Synthetic;
using Mfr.Training;

namespace Mfr.Experiments;

/// <summary>
/// The synthetic experiment (SPEC 3, paper section 3): baseline and MFR SAEs trained on the same
/// stream with known features. Defaults are sized for a few minutes on 2 cores; <see cref="Paper"/>
/// is the paper's full configuration.
/// </summary>
/// <param name="Data">The generator (paper: d 256, n 512, G 12, s 32, lambda 0.99).</param>
/// <param name="LatentCount">h (paper 512).</param>
/// <param name="K">k (paper 32).</param>
/// <param name="SampleCount">Training samples per SAE (paper 50,000,000).</param>
/// <param name="BatchSize">Batch (paper 10,000).</param>
/// <param name="LearningRate">lr (paper 0.01).</param>
/// <param name="Optimizer">AdamW (paper text) or Adam (published code).</param>
/// <param name="SaesPerEnsemble">M (paper 2).</param>
/// <param name="Betas">One MFR configuration per value; null = auto.</param>
/// <param name="Mfr">Template for the MFR runs (mode, warm-up, re-initialisation, refresh); Beta is replaced by each of <see cref="Betas"/>.</param>
/// <param name="Seeds">Repetitions with seeds Seed, Seed+1, ...</param>
/// <param name="Seed">First seed (data and SAE initialisations).</param>
/// <param name="CrossRunConsistency">Also train each MFR configuration a second time with another seed, to measure whether its features replicate across independent runs.</param>
/// <param name="EvaluationBatches">Held-out batches for MSE/FVU/L0/dead latents.</param>
/// <param name="RecoveryEverySteps">Log every SAE's ground-truth MMCS and recovery every this many steps (paper figure 8; see <see cref="TrainingConfig.EvaluationEverySteps"/>); 0: off.</param>
public sealed record SyntheticExperimentConfig(
    SyntheticDataConfig Data,
    int LatentCount = 512,
    int K = 32,
    long SampleCount = 5_000_000,
    int BatchSize = 10_000,
    float LearningRate = 0.01f,
    OptimizerKind Optimizer = OptimizerKind.AdamW,
    int SaesPerEnsemble = 2,
    [property: JsonConverter(typeof(BetaListJsonConverter))] double?[]? Betas = null,
    MfrConfig? Mfr = null,
    int Seeds = 1,
    ulong Seed = 0,
    bool CrossRunConsistency = true,
    int EvaluationBatches = 3,
    int RecoveryEverySteps = TrainingConfig.DefaultEvaluationEverySteps)
{
    /// <summary>`mfr synthetic`'s defaults, with the MFR template and the beta list written out (auto).</summary>
    public static SyntheticExperimentConfig Default { get; } = new(new SyntheticDataConfig(), Betas: [null], Mfr: new MfrConfig());

    /// <summary>The paper's configuration (SPEC 3): 50 M samples, batch 10,000, lr 0.01, d 256, n 512, h 512, k 32, M 2.</summary>
    public static SyntheticExperimentConfig Paper(ulong seed = 0) => Default with { Data = new SyntheticDataConfig(Seed: seed), SampleCount = 50_000_000, Seed = seed };

    /// <summary>beta values to run (auto when none given).</summary>
    [JsonIgnore]
    public IReadOnlyList<double?> BetaValues => Betas is { Length: > 0 } ? Betas : [null];

    /// <summary>MFR template in force.</summary>
    [JsonIgnore]
    public MfrConfig MfrTemplate => Mfr ?? new MfrConfig();

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason on an invalid setting.</summary>
    public void Validate()
    {
        Data.Validate();
        new Sae.SaeConfig(Data.InputDim, LatentCount, K).Validate();
        new TrainingConfig(SampleCount, BatchSize, LearningRate, Optimizer, EvaluationEverySteps: RecoveryEverySteps).Validate();
        if (SaesPerEnsemble < 2) throw new ArgumentException($"MFR needs at least 2 SAEs per ensemble, got {SaesPerEnsemble}.");
        if (MfrTemplate.Mode == MfrMode.Baseline) throw new ArgumentException("--mode for the MFR runs (mfr.mode) must be mfr, penalty, reinit or mean-max (the baseline always runs).");
        if (Seeds < 1) throw new ArgumentException($"Seeds must be at least 1, got {Seeds}.");
        if (EvaluationBatches < 1) throw new ArgumentException($"Evaluation batches must be at least 1, got {EvaluationBatches}.");
        foreach (var beta in BetaValues) (MfrTemplate with { Beta = beta }).Validate();
    }
}
