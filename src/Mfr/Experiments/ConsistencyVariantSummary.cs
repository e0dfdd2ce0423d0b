namespace Mfr.Experiments;

/// <summary>
/// One variant of the consistency experiment over seeds. Each seed contributes one value per per-SAE measure: the mean
/// over the SAEs of its ensemble (they share the data and, when coupled, each other, so they are not independent samples;
/// the seeds are). Differences to the baseline are paired: per seed, this variant's value minus the baseline's trained
/// from the same initialisation on the same world, then mean and sample standard deviation over seeds. The MSE
/// difference is relative: (MSE - baseline MSE) / baseline MSE per seed. Consistency is a property of all seeds
/// together, so its difference to the baseline is one number per variant, not paired.
/// </summary>
/// <param name="Variant">Variant name.</param>
/// <param name="Values">Per measure (<see cref="MeasureNames"/>, then "bench:NAME" for the benchmark's metrics), mean and spread over seeds.</param>
/// <param name="PairedDifferences">Per measure, the paired difference to the baseline (empty for the baseline itself).</param>
/// <param name="Consistency">Its cross-seed consistency (null when the result holds none for it).</param>
/// <param name="PwMccDifference">Final PW-MCC minus the baseline's (NaN for the baseline).</param>
/// <param name="SharedDifference">Final shared@0.7 minus the baseline's (NaN for the baseline).</param>
public sealed record ConsistencyVariantSummary(
    string Variant,
    IReadOnlyDictionary<string, SeedStatistic> Values,
    IReadOnlyDictionary<string, SeedStatistic> PairedDifferences,
    ConsistencyVariantResult? Consistency,
    double PwMccDifference,
    double SharedDifference)
{
    /// <summary>Key of held-out MSE (its paired difference is relative).</summary>
    public const string Mse = "mse";

    /// <summary>Key of held-out FVU.</summary>
    public const string Fvu = "fvu";

    /// <summary>Key of held-out L0.</summary>
    public const string L0 = "l0";

    /// <summary>Key of dead latents.</summary>
    public const string Dead = "dead";

    /// <summary>Key of the ground-truth MMCS.</summary>
    public const string GroundTruthMmcs = "gtMmcs";

    /// <summary>Key of recovery at cosine 0.9 (the headline recovery).</summary>
    public const string Recovered09 = "rec@0.9";

    /// <summary>Prefix of the benchmark's own metrics.</summary>
    public const string BenchmarkPrefix = "bench:";

    /// <summary>The cosine at which shared latents are the headline (Paulo and Belrose 2025 report 0.7).</summary>
    public const double HeadlineThreshold = 0.7;

    /// <summary>The per-SAE measures, in table order.</summary>
    public static IReadOnlyList<string> MeasureNames { get; } = [Mse, Fvu, L0, Dead, GroundTruthMmcs, "rec@0.7", "rec@0.8", Recovered09];

    /// <summary>One summary per variant, in the order of the result's variants (then any others its rows name).</summary>
    public static IReadOnlyList<ConsistencyVariantSummary> Summarize(ConsistencyExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var perSeed = result.Saes.GroupBy(row => (row.Variant, row.Seed)).ToDictionary(group => group.Key, group => SeedValues(group.ToArray()));
        var order = result.Variants.Select(v => v.Variant).Concat(result.Saes.Select(row => row.Variant)).Distinct().ToArray();
        var baseline = result.Variants.FirstOrDefault(v => v.Variant == ConsistencyVariant.BaselineName);
        var summaries = new List<ConsistencyVariantSummary>();
        foreach (string variant in order)
        {
            var seeds = perSeed.Where(entry => entry.Key.Variant == variant).OrderBy(entry => entry.Key.Seed).ToArray();
            var names = seeds.SelectMany(entry => entry.Value.Keys).Distinct().OrderBy(name => MeasureOrder(name)).ThenBy(name => name, StringComparer.Ordinal).ToArray();
            var values = names.ToDictionary(name => name, name => SeedStatistic.Of(seeds.Where(e => e.Value.ContainsKey(name)).Select(e => e.Value[name])));
            var differences = new Dictionary<string, SeedStatistic>();
            if (variant != ConsistencyVariant.BaselineName)
            {
                foreach (string name in names)
                {
                    var paired = seeds.Where(e => e.Value.ContainsKey(name) && perSeed.TryGetValue((ConsistencyVariant.BaselineName, e.Key.Seed), out var b) && b.ContainsKey(name))
                        .Select(e => Difference(name, e.Value[name], perSeed[(ConsistencyVariant.BaselineName, e.Key.Seed)][name])).ToArray();
                    if (paired.Length > 0) differences[name] = SeedStatistic.Of(paired);
                }
            }
            var consistency = result.Variants.FirstOrDefault(v => v.Variant == variant);
            bool compared = consistency is not null && baseline is not null && variant != ConsistencyVariant.BaselineName;
            summaries.Add(new ConsistencyVariantSummary(variant, values, differences, consistency,
                compared ? consistency!.Final.PwMcc - baseline!.Final.PwMcc : double.NaN,
                compared ? consistency!.Final.At(consistency.Final.SharedAtThreshold, HeadlineThreshold) - baseline!.Final.At(baseline.Final.SharedAtThreshold, HeadlineThreshold) : double.NaN));
        }
        return summaries;
    }

    /// <summary>The paired difference of one seed: relative for MSE, plain otherwise.</summary>
    public static double Difference(string measure, double value, double baseline) => measure == Mse ? (value - baseline) / baseline : value - baseline;

    /// <summary>The statistic of <paramref name="measure"/>, or null when it was not measured.</summary>
    public SeedStatistic? Value(string measure) => Values.TryGetValue(measure, out var statistic) ? statistic : null;

    /// <summary>The paired difference of <paramref name="measure"/>, or null when there is none.</summary>
    public SeedStatistic? PairedDifference(string measure) => PairedDifferences.TryGetValue(measure, out var statistic) ? statistic : null;

    // One seed's value of every measure: the mean over the ensemble's SAEs of those that have it.
    private static Dictionary<string, double> SeedValues(IReadOnlyList<ConsistencySaeResult> saes)
    {
        var values = new Dictionary<string, double>
        {
            [Mse] = saes.Average(s => s.Mse),
            [Fvu] = saes.Average(s => s.Fvu),
            [L0] = saes.Average(s => s.L0),
            [Dead] = saes.Average(s => (double)s.DeadLatents),
        };
        if (saes.All(s => s.GroundTruthMmcs is not null && s.Recovered is { Length: 3 }))
        {
            values[GroundTruthMmcs] = saes.Average(s => s.GroundTruthMmcs!.Value);
            for (int t = 0; t < 3; t++) values[MeasureNames[5 + t]] = saes.Average(s => s.Recovered![t]);
        }
        foreach (string name in saes.Where(s => s.Benchmark is not null).SelectMany(s => s.Benchmark!.Keys).Distinct())
        {
            if (saes.All(s => s.Benchmark?.ContainsKey(name) == true)) values[BenchmarkPrefix + name] = saes.Average(s => s.Benchmark![name]);
        }
        return values;
    }

    // The fixed measures in table order, then the benchmark's (position Count).
    private static int MeasureOrder(string name) => MeasureNames.TakeWhile(measure => measure != name).Count();
}
