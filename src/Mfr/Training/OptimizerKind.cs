namespace Mfr.Training;

/// <summary>Which optimiser trains the SAEs (SPEC 1).</summary>
public enum OptimizerKind
{
    /// <summary>AdamW with decoupled weight decay, as the paper states.</summary>
    AdamW,

    /// <summary>Plain Adam, as the paper's published code uses.</summary>
    Adam,
}
