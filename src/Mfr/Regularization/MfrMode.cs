namespace Mfr.Regularization;

/// <summary>Which parts of MFR are on (SPEC 2; the ablations go beyond the paper).</summary>
public enum MfrMode
{
    /// <summary>Neither penalty nor re-initialisation: independent SAEs.</summary>
    Baseline,

    /// <summary>Conditional re-initialisation only.</summary>
    Reinit,

    /// <summary>The auxiliary MMCS penalty only.</summary>
    Penalty,

    /// <summary>Both: Mutual Feature Regularization as in the paper.</summary>
    Mfr,

    /// <summary>
    /// The rival coupling ported by an SAELens fork (<see cref="MeanMaxPenalty"/>): symmetric mean-max cosine,
    /// peers detached, linear warm-up, no assignment and no re-initialisation. Mode name "mean-max".
    /// </summary>
    MeanMax,
}
