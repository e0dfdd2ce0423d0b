using Mfr.Eeg;
using Mfr.Training;

namespace Mfr.Experiments;

/// <summary>How many tokens an activation extraction has run (GPT-2).</summary>
/// <param name="Done">Tokens run so far.</param>
/// <param name="Total">Tokens to run.</param>
public sealed record ActivationProgress(long Done, long Total);

/// <summary>
/// Where an experiment made of several stages reports what it does, so the library never writes to a
/// console (STYLE 13): each training run's progress, data preparation, and one-line notes (a reused cache,
/// a skipped file, a budget cut to the data's size). Every member is optional.
/// </summary>
public sealed record ExperimentProgress
{
    /// <summary>The progress sink of the training run labelled by the argument ("baseline", "mfr", "seed 0 mfr beta=auto").</summary>
    public Func<string, IProgress<TrainingProgress>>? Runs { get; init; }

    /// <summary>One-line notes for the user.</summary>
    public IProgress<string>? Notes { get; init; }

    /// <summary>EEG preparation, after each recording.</summary>
    public IProgress<EegPreparationProgress>? EegPreparation { get; init; }

    /// <summary>GPT-2 activation extraction, after each context window.</summary>
    public IProgress<ActivationProgress>? Activations { get; init; }
}
