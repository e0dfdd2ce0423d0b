using Mfr.Eeg;

namespace Mfr.Experiments;

/// <summary>What the EEG experiment prepared.</summary>
/// <param name="TrainPath">train.npy of the cache.</param>
/// <param name="HeldOutPath">heldout.npy of the cache (the held-out recordings).</param>
/// <param name="Reused">Whether the cache was reused (same files and settings) rather than prepared.</param>
/// <param name="TrainSegments">Rows of train.npy.</param>
/// <param name="HeldOutSegments">Rows of heldout.npy.</param>
/// <param name="SkippedFiles">Recordings left out, with reasons.</param>
public sealed record EegPreparation(string TrainPath, string HeldOutPath, bool Reused, long TrainSegments, long HeldOutSegments, IReadOnlyList<EegSkippedFile> SkippedFiles);

/// <summary>The EEG experiment's outcome (written as results.json, kind "eeg").</summary>
/// <param name="Config">Settings.</param>
/// <param name="Preparation">The cache the sweep trained on.</param>
/// <param name="Sweep">The k sweep: held-out loss per k, baseline vs MFR.</param>
public sealed record EegExperimentResult(EegExperimentConfig Config, EegPreparation Preparation, KSweepResult Sweep);
