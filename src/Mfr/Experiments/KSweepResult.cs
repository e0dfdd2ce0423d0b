namespace Mfr.Experiments;

/// <summary>One k of a sweep: held-out loss of the baseline and MFR SAE with that k.</summary>
/// <param name="K">k.</param>
/// <param name="BaselineLoss">Held-out MSE of the baseline SAE.</param>
/// <param name="MfrLoss">Held-out MSE of the MFR SAE.</param>
/// <param name="RelativeDifference">(MFR - baseline) / baseline; negative means MFR reconstructs better.</param>
/// <param name="BaselineL0">L0 of the baseline SAE.</param>
/// <param name="MfrL0">L0 of the MFR SAE.</param>
/// <param name="BaselineDead">Dead latents of the baseline SAE on the held-out set.</param>
/// <param name="MfrDead">Dead latents of the MFR SAE.</param>
public sealed record KSweepRow(int K, double BaselineLoss, double MfrLoss, double RelativeDifference, double BaselineL0, double MfrL0, int BaselineDead, int MfrDead);

/// <summary>A sweep's outcome (written as results.json).</summary>
/// <param name="Config">Settings.</param>
/// <param name="Rows">One row per k.</param>
/// <param name="BaselineDecoderDistances">Paper section 4.3: Frobenius (L2) distance between the decoder matrices of the baseline SAEs, <c>[k index, k index]</c>.</param>
/// <param name="MfrDecoderDistances">The same for the MFR ensemble.</param>
/// <param name="HeldOutSamples">Vectors in the held-out evaluation.</param>
/// <param name="WallSeconds">Wall time.</param>
/// <param name="MfrPairMmcs">
/// MMCS between each pair of the MFR ensemble's SAEs at its last step (pair order a &lt; b), from its metrics log;
/// null without a penalty. Near 1: the coupled SAEs became one dictionary (SPEC 2's failure to watch).
/// </param>
/// <param name="Findings">What a reader must know to read the numbers right (<see cref="KSweepFindings.Of"/>); null in results written before findings were kept.</param>
public sealed record KSweepResult(KSweepConfig Config, IReadOnlyList<KSweepRow> Rows, double[][] BaselineDecoderDistances, double[][] MfrDecoderDistances, long HeldOutSamples, double WallSeconds,
    double[]? MfrPairMmcs = null, IReadOnlyList<Finding>? Findings = null);
