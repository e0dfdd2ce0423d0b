using System.Text.Json.Serialization;

namespace Mfr.Training;

/// <summary>One line of the metrics log (metrics.jsonl): the state of every SAE after a step.</summary>
/// <param name="Step">1-based step.</param>
/// <param name="Samples">Samples seen so far.</param>
/// <param name="Losses">Reconstruction loss (MSE) per SAE on this batch, before the update.</param>
/// <param name="L0">Mean non-zero latents per sample, per SAE.</param>
/// <param name="DeadLatents">Latents that have not fired within the dead-latent window, per SAE.</param>
/// <param name="ReinitScores">Activity-deviation score per SAE on this batch (SPEC 2).</param>
/// <param name="Penalty">Regulariser value (0 without one).</param>
/// <param name="Beta">Penalty scale (null without one).</param>
/// <param name="PairMmcs">MMCS between SAE pairs (a &lt; b) under the assignment in force; empty without a regulariser.</param>
/// <param name="ElapsedSeconds">Wall time since the run began (resumed runs continue the count).</param>
/// <param name="AuxKLosses">
/// The AuxK loss per SAE on this batch, as added to its objective (alpha s times the mean squared error of the dead
/// latents' reconstruction of the residual, <see cref="Sae.AuxKLoss"/>; 0 while no latent is dead); null, and absent from
/// the line, when the run trains without AuxK, so logs without it read as before and older readers skip the field.
/// </param>
public sealed record StepMetrics(
    long Step,
    long Samples,
    double[] Losses,
    double[] L0,
    int[] DeadLatents,
    double[] ReinitScores,
    double Penalty,
    double? Beta,
    double[] PairMmcs,
    double ElapsedSeconds,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double[]? AuxKLosses = null);
