namespace Mfr.Experiments;

/// <summary>
/// One variant of the synthetic experiment summarised over seeds. Each seed contributes one value per
/// measure: the mean over the SAEs of its ensemble (the SAEs of one ensemble share data and, under MFR,
/// are coupled, so they are not independent samples; the seeds are). The deltas are paired: per seed,
/// this variant's value minus the baseline's on the same data and initialisations, so seed-to-seed
/// variation that both share cancels.
/// </summary>
/// <param name="Variant">Variant name (baseline, mfr beta=auto, ...).</param>
/// <param name="Mse">Held-out MSE.</param>
/// <param name="GroundTruthMmcs">Hungarian-matched mean cosine to the true features.</param>
/// <param name="Recovered">Share of true features recovered at cosine 0.9.</param>
/// <param name="PartnerMmcs">MMCS to the other SAEs of the ensemble.</param>
/// <param name="Replicated">Share of latents replicated at cosine 0.7 by an independent run.</param>
/// <param name="GroundTruthMmcsDelta">Paired difference of <see cref="GroundTruthMmcs"/> to the baseline.</param>
/// <param name="RecoveredDelta">Paired difference of <see cref="Recovered"/> to the baseline.</param>
public sealed record SyntheticVariantSummary(
    string Variant, SeedStatistic Mse, SeedStatistic GroundTruthMmcs, SeedStatistic Recovered, SeedStatistic PartnerMmcs,
    SeedStatistic Replicated, SeedStatistic GroundTruthMmcsDelta, SeedStatistic RecoveredDelta)
{
    /// <summary>Name of the uncoupled variant every other is compared with.</summary>
    public const string BaselineVariant = "baseline";

    /// <summary>One summary per variant, in the order the variants first appear in <paramref name="result"/>.</summary>
    public static IReadOnlyList<SyntheticVariantSummary> Summarize(SyntheticExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var perSeed = result.Saes.GroupBy(r => (r.Variant, r.Seed)).ToDictionary(
            g => g.Key,
            g => (Mse: g.Average(r => r.Mse), Mmcs: g.Average(r => r.GroundTruthMmcs), Recovered: g.Average(r => r.Recovered[^1]), Partner: g.Average(r => r.PartnerMmcs)));
        var summaries = new List<SyntheticVariantSummary>();
        foreach (string variant in result.Saes.Select(r => r.Variant).Distinct())
        {
            var seeds = perSeed.Where(e => e.Key.Variant == variant).OrderBy(e => e.Key.Seed).ToArray();
            var paired = seeds.Where(e => perSeed.ContainsKey((BaselineVariant, e.Key.Seed)))
                .Select(e => (Own: e.Value, Baseline: perSeed[(BaselineVariant, e.Key.Seed)])).ToArray();
            summaries.Add(new SyntheticVariantSummary(
                variant,
                SeedStatistic.Of(seeds.Select(e => e.Value.Mse)),
                SeedStatistic.Of(seeds.Select(e => e.Value.Mmcs)),
                SeedStatistic.Of(seeds.Select(e => e.Value.Recovered)),
                SeedStatistic.Of(seeds.Select(e => e.Value.Partner)),
                SeedStatistic.Of(result.Consistency.Where(c => c.Variant == variant).Select(c => c.MatchedShare)),
                SeedStatistic.Of(paired.Select(p => p.Own.Mmcs - p.Baseline.Mmcs)),
                SeedStatistic.Of(paired.Select(p => p.Own.Recovered - p.Baseline.Recovered))));
        }
        return summaries;
    }
}
