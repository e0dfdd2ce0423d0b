namespace Mfr.Consistency;

/// <summary>
/// Whether one run's stable latents are the ones that recover ground-truth features (synthetic data only).
/// </summary>
/// <param name="StableShare">A latent counts as stable when its stability is at least this.</param>
/// <param name="TruthThreshold">A latent matches the truth when its optimal match to a true feature has cosine &gt;= this.</param>
/// <param name="StableCount">Stable latents.</param>
/// <param name="StableMatchingTruth">Stable latents that match a true feature.</param>
/// <param name="UnstableCount">The other latents.</param>
/// <param name="UnstableMatchingTruth">Of those, the ones that match a true feature.</param>
/// <param name="StabilityTruthCorrelation">Pearson correlation between each latent's stability and its matched cosine to the truth (0 for unmatched latents); NaN when either is constant.</param>
public sealed record StabilityTruthAgreement(
    double StableShare,
    double TruthThreshold,
    int StableCount,
    int StableMatchingTruth,
    int UnstableCount,
    int UnstableMatchingTruth,
    double StabilityTruthCorrelation)
{
    /// <summary>Share of the stable latents that match the truth (precision of "stable" as a truth detector); NaN without stable latents.</summary>
    public double StablePrecision => StableCount == 0 ? double.NaN : (double)StableMatchingTruth / StableCount;

    /// <summary>Share of the unstable latents that match the truth; NaN without unstable latents.</summary>
    public double UnstableMatchRate => UnstableCount == 0 ? double.NaN : (double)UnstableMatchingTruth / UnstableCount;

    /// <summary>Share of the truth-matching latents that are stable (recall); NaN when none match.</summary>
    public double TruthRecall => StableMatchingTruth + UnstableMatchingTruth == 0 ? double.NaN : (double)StableMatchingTruth / (StableMatchingTruth + UnstableMatchingTruth);
}
