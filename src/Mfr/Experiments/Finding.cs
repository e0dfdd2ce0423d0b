namespace Mfr.Experiments;

/// <summary>
/// Something a reader of an experiment's numbers must know to read them right: the coupled SAEs became
/// one dictionary, the budget is below the paper's, the re-initialisation check reacts to sampling noise,
/// many latents are dead. Computed by the library where the result is made (<see cref="FindingChecks"/>),
/// stored on the result (so results.json carries it), and printed by both the console and the report.
/// </summary>
/// <param name="Kind">What was found; a stable name in results.json (kebab-case).</param>
/// <param name="Severity">How much it changes what the numbers may be taken to mean.</param>
/// <param name="Text">One sentence, readable alone (it names the variant or SAE it concerns).</param>
/// <param name="Subject">The variant, ensemble or SAE concerned ("mfr beta=auto", "MFR k=12"); null when it concerns the whole experiment.</param>
public sealed record Finding(FindingKind Kind, FindingSeverity Severity, string Text, string? Subject = null);

/// <summary>The kinds of <see cref="Finding"/>; a new check adds its kind here.</summary>
public enum FindingKind
{
    /// <summary>SPEC 2's failure to watch: the coupled SAEs learned the same dictionary, so their agreement says nothing about the data's features.</summary>
    CoupledSaesCollapsed,

    /// <summary>Fewer training samples than the paper's configuration: conclusions may change at the paper's budget.</summary>
    BudgetBelowPaper,

    /// <summary>The re-initialisation threshold sits within the score batch sampling alone gives a uniform SAE (known before training).</summary>
    ReinitializationWithinSamplingNoise,

    /// <summary>A large share of an SAE's latents never fired on the held-out data.</summary>
    ManyDeadLatents,

    /// <summary>Training ends early in the penalty's warm-up, so the coupling never reached its strength (known before training).</summary>
    WarmupLongerThanTraining,

    /// <summary>No held-out file: the reported "held-out" numbers were measured on the training vectors.</summary>
    EvaluatedOnTrainingData,

    /// <summary>Issue 14's question for one coupled variant: does it raise cross-seed consistency by 10 points at no more than 2% MSE cost, and does it raise ground-truth recovery?</summary>
    CouplingVersusBaseline,
}

/// <summary>How much a <see cref="Finding"/> changes what the numbers may be taken to mean.</summary>
public enum FindingSeverity
{
    /// <summary>Context for reading the numbers (they stand, with a caveat).</summary>
    Note,

    /// <summary>The numbers do not mean what they seem to (a collapse, a check that reacts to noise, wasted capacity).</summary>
    Warning,
}
