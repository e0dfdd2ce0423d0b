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

    /// <summary>
    /// Several runs' agreements as one: the counts summed over runs (so the shares are over all their latents) and the
    /// mean of the runs' correlations (NaN ones left out; NaN when all are). Every agreement must use the same thresholds.
    /// </summary>
    public static StabilityTruthAgreement Combine(IReadOnlyList<StabilityTruthAgreement> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) throw new ArgumentException("Need at least one run's agreement to combine.");
        if (runs.Any(run => run.StableShare != runs[0].StableShare || run.TruthThreshold != runs[0].TruthThreshold))
            throw new ArgumentException("Agreements measured at different thresholds cannot be combined.");
        var correlations = runs.Select(run => run.StabilityTruthCorrelation).Where(double.IsFinite).ToArray();
        return new StabilityTruthAgreement(runs[0].StableShare, runs[0].TruthThreshold,
            runs.Sum(run => run.StableCount), runs.Sum(run => run.StableMatchingTruth), runs.Sum(run => run.UnstableCount), runs.Sum(run => run.UnstableMatchingTruth),
            correlations.Length == 0 ? double.NaN : correlations.Average());
    }
}
