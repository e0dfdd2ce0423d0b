using System.Globalization;
using Mfr.Experiments;

namespace Mfr.Reports;

/// <summary>
/// The one definition of the consistency experiment's tables (issue 14 part 4), for `mfr consistency`'s console output
/// and its report alike: per variant over seeds (mean +- sd) and paired differences to the baseline, consistency across
/// seeds with the step-0 numbers beside the final ones, stability against the truth, the independent ensembles as one
/// dictionary, the benchmark's own metrics, one row per SAE; then the findings. <see cref="Runs"/> is the same for
/// `mfr consistency --runs`.
/// </summary>
internal static class ConsistencyResultTables
{
    private static readonly TableColumn<ConsistencyVariantSummary>[] OverSeeds =
    [
        new("variant", row => row.Variant),
        new("seeds", row => row.Value(ConsistencyVariantSummary.Mse) is { } mse ? Integer(mse.Count) : "-"),
        new("MSE", row => MeanSpread(row.Value(ConsistencyVariantSummary.Mse), "G4"), ColumnAlignment.Right),
        new("FVU", row => MeanSpread(row.Value(ConsistencyVariantSummary.Fvu), "F4"), ColumnAlignment.Right),
        new("L0", row => MeanSpread(row.Value(ConsistencyVariantSummary.L0), "F1"), ColumnAlignment.Right),
        new("dead", row => MeanSpread(row.Value(ConsistencyVariantSummary.Dead), "F1"), ColumnAlignment.Right),
        new("GT MMCS", row => MeanSpread(row.Value(ConsistencyVariantSummary.GroundTruthMmcs), "F4"), ColumnAlignment.Right),
        new("rec@0.7", row => MeanSpread(row.Value(ConsistencyVariantSummary.Recovered07), "F3"), ColumnAlignment.Right),
        new("rec@0.8", row => MeanSpread(row.Value(ConsistencyVariantSummary.Recovered08), "F3"), ColumnAlignment.Right),
        new("rec@0.9", row => MeanSpread(row.Value(ConsistencyVariantSummary.Recovered09), "F3"), ColumnAlignment.Right),
        new("MMCS partner", row => MeanSpread(row.Value(ConsistencyVariantSummary.PartnerMmcs), "F4"), ColumnAlignment.Right),
    ];

    private static readonly TableColumn<ConsistencyVariantSummary>[] Paired =
    [
        new("variant", row => row.Variant),
        new("MSE", row => Relative(row.PairedDifference(ConsistencyVariantSummary.Mse)), ColumnAlignment.Right),
        new("FVU", row => SignedSpread(row.PairedDifference(ConsistencyVariantSummary.Fvu), 4), ColumnAlignment.Right),
        new("L0", row => SignedSpread(row.PairedDifference(ConsistencyVariantSummary.L0), 1), ColumnAlignment.Right),
        new("dead", row => SignedSpread(row.PairedDifference(ConsistencyVariantSummary.Dead), 1), ColumnAlignment.Right),
        new("GT MMCS", row => SignedSpread(row.PairedDifference(ConsistencyVariantSummary.GroundTruthMmcs), 4), ColumnAlignment.Right),
        new("rec@0.7", row => SignedSpread(row.PairedDifference(ConsistencyVariantSummary.Recovered07), 3), ColumnAlignment.Right),
        new("rec@0.8", row => SignedSpread(row.PairedDifference(ConsistencyVariantSummary.Recovered08), 3), ColumnAlignment.Right),
        new("rec@0.9", row => SignedSpread(row.PairedDifference(ConsistencyVariantSummary.Recovered09), 3), ColumnAlignment.Right),
        new("MMCS partner", row => SignedSpread(row.PairedDifference(ConsistencyVariantSummary.PartnerMmcs), 4), ColumnAlignment.Right),
    ];

    private static readonly TableColumn<ConsistencyVariantSummary>[] AcrossSeeds =
    [
        new("variant", row => row.Variant),
        new("PW-MCC", row => row.Consistency is { } c ? $"{F(c.Final.PwMcc, "F4")} +- {F(c.Final.PwMccStandardDeviation, "G2")}" : "-", ColumnAlignment.Right),
        new("at step 0", row => row.Consistency is { } c ? F(c.StepZero.PwMcc, "F4") : "-"),
        new("shared@0.5/0.7/0.9", row => row.Consistency is { } c ? Shares(c.Final.SharedAtThreshold) : "-", ColumnAlignment.Right),
        new("at step 0", row => row.Consistency is { } c ? Shares(c.StepZero.SharedAtThreshold) : "-", ColumnAlignment.Right),
        new("stable@0.7", row => row.Consistency is { } c ? F(c.Final.At(c.Final.StableShare, ConsistencyVariantSummary.HeadlineThreshold), "F3") : "-"),
        new("PW-MCC - base", row => double.IsNaN(row.PwMccDifference) ? "-" : SignedNumber.Format(row.PwMccDifference, 4)),
        new("shared@0.7 - base", row => double.IsNaN(row.SharedDifference) ? "-" : SignedNumber.Format(row.SharedDifference, 3)),
    ];

    private static readonly TableColumn<ConsistencyVariantResult>[] Stability =
    [
        new("variant", row => row.Variant),
        new("stable latents", row => row.StabilityVersusTruth is { } s ? $"{Integer(s.StableCount)} of {Integer(s.StableCount + s.UnstableCount)}" : "-", ColumnAlignment.Right),
        new("stable matching truth", row => Share(row.StabilityVersusTruth?.StablePrecision)),
        new("unstable matching truth", row => Share(row.StabilityVersusTruth?.UnstableMatchRate)),
        new("truth-matching that are stable", row => Share(row.StabilityVersusTruth?.TruthRecall)),
        new("r(stability, cos to truth)", row => Share(row.StabilityVersusTruth?.StabilityTruthCorrelation)),
    ];

    private static readonly TableColumn<ConcatenatedEnsembleResult>[] Ensembles =
    [
        new("variant", row => row.Variant),
        new("seed", row => Integer(row.Seed)),
        new("latents", row => Integer(row.LatentCount)),
        new("MSE (bagged)", row => F(row.Mse, "G4")),
        new("FVU", row => F(row.Fvu, "F4")),
        new("GT MMCS", row => row.GroundTruthMmcs is double m ? F(m, "F4") : "-"),
        new("rec@0.7", row => Recovered(row.Recovered, 0)),
        new("rec@0.8", row => Recovered(row.Recovered, 1)),
        new("rec@0.9", row => Recovered(row.Recovered, 2)),
    ];

    private static readonly TableColumn<ConsistencySaeResult>[] PerSae =
    [
        new("variant", row => row.Variant),
        new("seed", row => Integer(row.Seed)),
        new("SAE", row => Integer(row.Index)),
        new("MSE", row => F(row.Mse, "G4")),
        new("FVU", row => F(row.Fvu, "F4")),
        new("L0", row => F(row.L0, "F1")),
        new("dead", row => row.DeadLatents < 0 ? "-" : Integer(row.DeadLatents)),
        new("GT MMCS", row => row.GroundTruthMmcs is double m ? F(m, "F4") : "-"),
        new("rec@0.7", row => Recovered(row.Recovered, 0)),
        new("rec@0.8", row => Recovered(row.Recovered, 1)),
        new("rec@0.9", row => Recovered(row.Recovered, 2)),
        new("MMCS partner", row => double.IsNaN(row.PartnerMmcs) ? "-" : F(row.PartnerMmcs, "F4")),
        new("re-inits", row => Integer(row.Reinitializations)),
        new("beta", row => row.Beta is double beta ? F(beta, "G4") : "-"),
    ];

    /// <summary>The tables and findings of <paramref name="result"/>.</summary>
    public static ResultSummary Summary(ConsistencyExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var config = result.Config;
        var summaries = ConsistencyVariantSummary.Summarize(result);
        bool truth = result.Saes.Any(row => row.GroundTruthMmcs is not null);
        string seeds = $"seeds {config.Seed}..{config.Seed + (ulong)config.Seeds - 1}";
        var tables = new List<ResultTable>
        {
            new(TableColumn<ConsistencyVariantSummary>.Table(OverSeeds, summaries,
                $"Per variant, mean +- standard deviation over {seeds} (one value per seed: the mean of its ensemble's {config.SaesPerEnsemble} SAEs). Data: {result.Data}."),
                ["Held-out numbers on data no SAE trained on. dead: latents that never fired there. rec@t: share of the true features matched at cosine >= t. MMCS partner: between the SAEs of one ensemble (near 1 under a coupling: one dictionary)."]),
            new(TableColumn<ConsistencyVariantSummary>.Table(Paired, summaries.Where(s => s.Variant != ConsistencyVariant.BaselineName),
                "Paired differences to the baseline: per seed, the variant minus the baseline trained from the same initialisation on the same data; mean +- sd over seeds."),
                ["MSE is relative: (MSE - baseline MSE) / baseline MSE."]),
            new(TableColumn<ConsistencyVariantSummary>.Table(AcrossSeeds, summaries,
                "Consistency across seeds: member m of every seed against member m of the others (Hungarian-matched decoder cosines), averaged over m; step 0: the same between the initial decoders."),
                [
                    "PW-MCC: mean matched cosine over all pairs of seeds (Song et al. 2025), +- population sd over pairs. shared@tau: share of latents whose match in the other seed has cosine >= tau (Paulo and Belrose 2025).",
                    "stable@0.7: share of latents with a counterpart at cosine >= 0.7 in every other seed. '- base': the variant's value minus the baseline's (one number per variant; not paired).",
                ]),
        };
        if (truth)
        {
            tables.Add(new(TableColumn<ConsistencyVariantResult>.Table(Stability, result.Variants,
                "Are the stable latents the true features? Stable: a counterpart at cosine >= 0.7 in every other seed; matching truth: optimal match to a true feature at cosine >= 0.7. Counts over every seed and SAE."), []));
        }
        if (result.Ensembles.Count > 0)
        {
            tables.Add(new(TableColumn<ConcatenatedEnsembleResult>.Table(Ensembles, result.Ensembles,
                "Each seed's independent ensemble as one dictionary (Gadgil et al. 2025, naive bagging): the union of its SAEs' latents against the truth; reconstruction: the mean of the members' reconstructions."), []));
        }
        if (BenchmarkRows(summaries) is { Count: > 0 } benchmark)
        {
            tables.Add(new(TableColumn<(string Variant, string Metric, SeedStatistic Value, SeedStatistic? Difference)>.Table(BenchmarkColumns, benchmark,
                "The benchmark's own headline metrics per variant: mean +- sd over seeds, and the paired difference to the baseline."), []));
        }
        tables.Add(new(TableColumn<ConsistencySaeResult>.Table(PerSae, result.Saes, "Per SAE."),
            ["MMCS partner: to the other SAE(s) of the same ensemble (coupled under a penalty, independent otherwise)."]));
        return new ResultSummary(tables, result.Findings);
    }

    /// <summary>The console's rendering of <paramref name="result"/>: the tables, then the findings.</summary>
    public static string Text(ConsistencyExperimentResult result) => Summary(result).ToText();

    /// <summary>The tables of a post-hoc measurement (`mfr consistency --runs`): consistency across the runs (final and step 0), stability against the truth when there is one, and the SAEs.</summary>
    public static ResultSummary Runs(ConsistencyRunsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var summary = new ConsistencyVariantSummary("runs", new Dictionary<string, SeedStatistic>(), new Dictionary<string, SeedStatistic>(), result.Consistency, double.NaN, double.NaN);
        var tables = new List<ResultTable>
        {
            new(TableColumn<ConsistencyVariantSummary>.Table(AcrossSeeds.Where(c => !c.Header.EndsWith("- base", StringComparison.Ordinal)).ToArray(), [summary],
                $"Consistency across {result.Runs.Count} runs (member m against member m, {result.SaesPerRun} per run, h {result.LatentCount}, d {result.InputDim}); step 0: the runs' initial decoders rebuilt from run.json."),
                [.. result.Runs.Select((run, r) => $"run {r}: {run}")]),
        };
        if (result.Consistency.StabilityVersusTruth is not null)
            tables.Add(new(TableColumn<ConsistencyVariantResult>.Table(Stability, [result.Consistency], "Are the stable latents the true features?"), []));
        tables.Add(new(TableColumn<ConsistencySaeResult>.Table(PerSae, result.Saes, "Per SAE (held-out numbers from each run's final/evaluation.json; '-' or NaN when it has none)."), []));
        if (result.Saes.FirstOrDefault(row => row.Benchmark is not null)?.Benchmark is { } first)
        {
            TableColumn<ConsistencySaeResult>[] columns =
            [
                new("run", row => row.Variant),
                new("seed", row => Integer(row.Seed)),
                new("SAE", row => Integer(row.Index)),
                .. first.Keys.Select(name => new TableColumn<ConsistencySaeResult>(name, row => row.Benchmark?.TryGetValue(name, out double value) == true ? F(value, "F4") : "-")),
            ];
            tables.Add(new(TableColumn<ConsistencySaeResult>.Table(columns, result.Saes, "The benchmark's own headline metrics per SAE."), []));
        }
        return new ResultSummary(tables, []);
    }

    private static readonly TableColumn<(string Variant, string Metric, SeedStatistic Value, SeedStatistic? Difference)>[] BenchmarkColumns =
    [
        new("variant", row => row.Variant),
        new("metric", row => row.Metric),
        new("value", row => MeanSpread(row.Value, "F4"), ColumnAlignment.Right),
        new("- base", row => SignedSpread(row.Difference, 4), ColumnAlignment.Right),
    ];

    private static List<(string Variant, string Metric, SeedStatistic Value, SeedStatistic? Difference)> BenchmarkRows(IReadOnlyList<ConsistencyVariantSummary> summaries) =>
        [.. summaries.SelectMany(s => s.Values.Where(v => v.Key.StartsWith(ConsistencyVariantSummary.BenchmarkPrefix, StringComparison.Ordinal))
            .Select(v => (s.Variant, v.Key[ConsistencyVariantSummary.BenchmarkPrefix.Length..], v.Value, s.PairedDifference(v.Key))))];

    private static string Shares(IReadOnlyList<double> shares) => string.Join(" / ", shares.Select(s => F(s, "F3")));

    private static string Share(double? value) => value is double v && !double.IsNaN(v) ? F(v, "F3") : "-";

    private static string Recovered(double[]? recovered, int index) => recovered is { } r && r.Length > index ? F(r[index], "F3") : "-";

    private static string Relative(SeedStatistic? statistic) =>
        statistic is not { Count: > 0 } ? "-" : $"{SignedNumber.Percent(statistic.Mean)} +- {F(100 * statistic.StandardDeviation, "G2")}%";

    private static string SignedSpread(SeedStatistic? statistic, int decimals) =>
        statistic is not { Count: > 0 } ? "-" : $"{SignedNumber.Format(statistic.Mean, decimals)} +- {F(statistic.StandardDeviation, "G2")}";

    private static string MeanSpread(SeedStatistic? statistic, string format) =>
        statistic is not { Count: > 0 } ? "-" : $"{F(statistic.Mean, format)} +- {F(statistic.StandardDeviation, "G2")}";

    private static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Integer(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
