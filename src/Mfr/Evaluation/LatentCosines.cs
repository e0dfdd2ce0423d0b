namespace Mfr.Evaluation;

/// <summary>
/// Per latent of one SAE, the two cosines of paper figures 3 and 5, measured with its held-out evaluation so
/// reports read them instead of reloading the SAEs and regenerating the true features.
/// </summary>
/// <param name="ToOthers">Best cosine to any latent of the ensemble's other SAEs, <c>[h]</c>; null for a lone SAE.</param>
/// <param name="ToTruth">Best cosine to any true feature, <c>[h]</c>; null without true features (file data).</param>
public sealed record LatentCosines(float[]? ToOthers, float[]? ToTruth);
