namespace Mfr.Evaluation;

/// <summary>How well one SAE reconstructs an evaluation set.</summary>
/// <param name="Samples">Vectors evaluated.</param>
/// <param name="Mse">Mean over samples and dimensions of (x^ - x)^2 (the training loss L_rec).</param>
/// <param name="Fvu">Fraction of variance unexplained: sum ||x^ - x||^2 / sum ||x - mean(x)||^2; predicting the mean scores exactly 1.</param>
/// <param name="L0">Mean number of non-zero latents per sample.</param>
/// <param name="DeadLatents">Latents that never fired on the evaluation set.</param>
/// <param name="FiringFrequencies">Per latent, the fraction of samples in which it fired, <c>[h]</c> (paper figure 5).</param>
public sealed record ReconstructionMetrics(long Samples, double Mse, double Fvu, double L0, int DeadLatents, double[] FiringFrequencies);
