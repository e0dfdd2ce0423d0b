using Mfr.Data;

namespace Mfr.Training;

/// <summary>The outcome of a training run; owns the trained ensemble and its data source until disposed.</summary>
/// <param name="RunDirectory">The run folder.</param>
/// <param name="Trainer">The trainer with the trained SAEs.</param>
/// <param name="Source">The training data source.</param>
/// <param name="Completed">False when interrupted (a checkpoint was written; resume to finish).</param>
public sealed record TrainingRunResult(string RunDirectory, Trainer Trainer, IVectorSource Source, bool Completed) : IDisposable
{
    /// <summary>Frees the SAEs and the source.</summary>
    public void Dispose()
    {
        Trainer.Dispose();
        Source.Dispose();
    }
}
