namespace Mfr.Training;

/// <summary>
/// A measurement of the ensemble taken during a run, every <see cref="TrainingConfig.EvaluationEverySteps"/>
/// steps (and at step 0 and at the last step), and written to metrics.jsonl as a line of its own type.
/// The run calls it between steps and it only reads the members, so a run trains identically with or
/// without it and a resumed run stays bit-identical. The trainer knows nothing of it: whoever starts
/// the run passes it in (e.g. ground-truth recovery on synthetic data, paper figure 8).
/// </summary>
public interface IPeriodicEvaluator
{
    /// <summary>The "type" of its lines in metrics.jsonl (e.g. "recovery"); not "step" or "reinit".</summary>
    string LineType { get; }

    /// <summary>Measures the ensemble after <paramref name="step"/> steps (0: the initialisation) without changing it.</summary>
    /// <param name="step">Steps completed; the log line gets it as its "step" field.</param>
    /// <param name="members">The SAEs, with their decoders refreshed after the last optimiser step.</param>
    /// <returns>A record serialised as the line (camelCase fields).</returns>
    object Evaluate(long step, IReadOnlyList<EnsembleMember> members);
}
