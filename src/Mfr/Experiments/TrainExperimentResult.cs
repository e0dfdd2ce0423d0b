using Mfr.Evaluation;

namespace Mfr.Experiments;

/// <summary>One SAE of a finished or interrupted training run.</summary>
/// <param name="Index">Position in the ensemble (its folder is final/sae-INDEX).</param>
/// <param name="K">k.</param>
/// <param name="LatentCount">h.</param>
/// <param name="Seed">Its initialisation seed.</param>
/// <param name="Reinitializations">Re-initialisations during training.</param>
public sealed record TrainedSae(int Index, int K, int LatentCount, ulong Seed, int Reinitializations);

/// <summary>What `mfr train` did.</summary>
/// <param name="RunDirectory">The run folder.</param>
/// <param name="Completed">False when interrupted (a checkpoint of <see cref="Step"/> was saved).</param>
/// <param name="Step">Steps completed.</param>
/// <param name="Saes">The SAEs, in ensemble order.</param>
/// <param name="Evaluation">The held-out evaluation of the final SAEs (also in final/evaluation.json); null when interrupted.</param>
public sealed record TrainExperimentResult(string RunDirectory, bool Completed, long Step, IReadOnlyList<TrainedSae> Saes, HeldOutEvaluation? Evaluation)
{
    /// <summary>What the run did to its folder that a user should know, one line each (<see cref="Training.TrainingRunResult.Notices"/>); empty for an ordinary start or resume.</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];
}
