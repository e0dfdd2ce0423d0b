using Mfr.Data;

namespace Mfr.Training;

/// <summary>
/// The outcome of a training run; owns the trained ensemble, its data source and the run folder's
/// <see cref="RunFolderLock"/> until disposed (so what the caller writes into the folder after training,
/// such as final/evaluation.json, is still written by the one writer).
/// </summary>
/// <param name="RunDirectory">The run folder.</param>
/// <param name="Trainer">The trainer with the trained SAEs.</param>
/// <param name="Source">The training data source.</param>
/// <param name="Completed">False when interrupted (a checkpoint was written; resume to finish).</param>
public sealed record TrainingRunResult(string RunDirectory, Trainer Trainer, IVectorSource Source, bool Completed) : IDisposable
{
    /// <summary>
    /// What the run did to its folder that a user should know, one line each: temporary files of an interrupted
    /// write removed, a damaged <c>latest</c> checkpoint pointer worked around, metrics lines past the step resumed
    /// from dropped. Empty for an ordinary start or resume.
    /// </summary>
    public IReadOnlyList<string> Notices { get; init; } = [];

    /// <summary>The run folder's lock, released by <see cref="Dispose"/>.</summary>
    internal RunFolderLock? FolderLock { get; init; }

    /// <summary>Frees the SAEs and the source, and releases the run folder.</summary>
    public void Dispose()
    {
        Trainer.Dispose();
        Source.Dispose();
        FolderLock?.Dispose();
    }
}
