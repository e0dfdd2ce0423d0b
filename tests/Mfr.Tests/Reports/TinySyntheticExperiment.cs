using Mfr.Experiments;
using Mfr.Regularization;
using Mfr.Synthetic;

namespace Mfr.Tests.Reports;

/// <summary>
/// A synthetic experiment small enough for a test (d 16, n 24, h 24, k 3, 30 steps of 100, recovery every
/// 5 steps): baseline and MFR ensembles of two SAEs, written to a folder with results.json as `mfr synthetic`
/// writes it, for reports to be built from.
/// </summary>
internal static class TinySyntheticExperiment
{
    public const int Steps = 30;
    public const int RecoveryEvery = 5;
    public const int LatentCount = 24;

    public static SyntheticExperimentConfig Config { get; } = new(
        new SyntheticDataConfig(InputDim: 16, FeatureCount: 24, GroupCount: 3, ActiveFeatures: 3, Seed: 1),
        LatentCount: LatentCount, K: 3, SampleCount: Steps * 100, BatchSize: 100, LearningRate: 0.01f,
        Mfr: new MfrConfig(WarmupSteps: 5, Reinitialization: new ReinitializationConfig(WindowSteps: 5)),
        Seed: 1, CrossRunConsistency: false, EvaluationBatches: 2, RecoveryEverySteps: RecoveryEvery);

    /// <summary>Runs the experiment into <paramref name="folder"/> (which writes its results.json).</summary>
    public static SyntheticExperimentResult Run(string folder) =>
        SyntheticExperiment.Run(Config, folder) ?? throw new InvalidOperationException("The tiny experiment was interrupted.");
}
