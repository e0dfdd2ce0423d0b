using System.Globalization;
using Mfr.Experiments;

namespace Mfr.Reports;

/// <summary>
/// The one definition of the synthetic experiment's tables (SPEC 3), for `mfr synthetic`'s console output and
/// its report alike: one row per SAE, cross-run replication, and over several seeds the mean and spread per
/// variant; then the result's findings.
/// </summary>
internal static class SyntheticResultTables
{
    private static readonly TableColumn<SyntheticSaeResult>[] PerSae =
    [
        new("variant", row => row.Variant),
        new("seed", row => Integer(row.Seed)),
        new("SAE", row => Integer(row.Index)),
        new("MSE", row => F(row.Mse, "G4")),
        new("FVU", row => F(row.Fvu, "F4")),
        new("L0", row => F(row.L0, "F1")),
        new("dead", row => Integer(row.DeadLatents)),
        new("GT MMCS", row => F(row.GroundTruthMmcs, "F4")),
        new("rec@0.7", row => F(row.Recovered[0], "F3")),
        new("rec@0.8", row => F(row.Recovered[1], "F3")),
        new("rec@0.9", row => F(row.Recovered[2], "F3")),
        new("MMCS partner", row => F(row.PartnerMmcs, "F4")),
        new("fig. 3 r", row => F(row.ConsistencyPearson, "F3")),
        new("re-inits", row => Integer(row.Reinitializations)),
        new("beta", row => row.Beta is double beta ? F(beta, "G4") : "-"),
    ];

    private static readonly TableColumn<CrossRunConsistency>[] Replication =
    [
        new("variant", row => row.Variant),
        new("seed", row => Integer(row.Seed)),
        new($"latents replicated @{F(SyntheticExperiment.ReplicationThreshold, "0.0#")}", row => F(row.MatchedShare, "F3")),
        new("MMCS between runs", row => F(row.Mmcs, "F4")),
    ];

    private static readonly TableColumn<SyntheticVariantSummary>[] OverSeeds =
    [
        new("variant", row => row.Variant),
        new("seeds", row => Integer(row.Mse.Count)),
        new("MSE", row => MeanSpread(row.Mse, "G4"), ColumnAlignment.Right),
        new("GT MMCS", row => MeanSpread(row.GroundTruthMmcs, "F4"), ColumnAlignment.Right),
        new("rec@0.9", row => MeanSpread(row.Recovered, "F3"), ColumnAlignment.Right),
        new("MMCS partner", row => MeanSpread(row.PartnerMmcs, "F4"), ColumnAlignment.Right),
        new($"replicated @{F(SyntheticExperiment.ReplicationThreshold, "0.0#")}", row => MeanSpread(row.Replicated, "F3"), ColumnAlignment.Right),
        new("GT MMCS - base", row => IsBaseline(row) ? "-" : SignedSpread(row.GroundTruthMmcsDelta, 4), ColumnAlignment.Right),
        new("rec@0.9 - base", row => IsBaseline(row) ? "-" : SignedSpread(row.RecoveredDelta, 3), ColumnAlignment.Right),
    ];

    /// <summary>The tables and findings of <paramref name="result"/>.</summary>
    public static ResultSummary Summary(SyntheticExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var config = result.Config;
        var tables = new List<ResultTable>
        {
            new(TableColumn<SyntheticSaeResult>.Table(PerSae, result.Saes, "Per SAE: held-out reconstruction and recovery of the true features."),
            [
                // Issue 12 item 8: a dead count names its window (the run reports count over the last training samples).
                "dead: latents that never fired on the held-out evaluation (fresh samples of the generator, none trained on).",
                "MMCS partner: to the other SAE of the same ensemble (coupled under MFR, independent for the baseline).",
                "rec@t: share of the true features matched at cosine >= t. fig. 3 r: Pearson r of best cosine to the other SAE vs to the true features.",
            ]),
            new(TableColumn<CrossRunConsistency>.Table(Replication, result.Consistency,
                "Do the features replicate across independent runs? (baseline: its two independent SAEs; MFR: two runs with different seeds)"), []),
        };
        if (config.Seeds > 1)
        {
            tables.Add(new(TableColumn<SyntheticVariantSummary>.Table(OverSeeds, SyntheticVariantSummary.Summarize(result),
                $"Mean +- standard deviation over seeds {config.Seed}..{config.Seed + (ulong)config.Seeds - 1} (one value per seed: the mean of its ensemble's SAEs)."),
                ["'- base' columns are paired: per seed, the variant minus the baseline trained on the same data from the same initialisations."]));
        }
        // Results written before findings were kept get them now, from the same rows.
        return new ResultSummary(tables, result.Findings ?? SyntheticFindings.Of(config, result.Saes));
    }

    /// <summary>The console's rendering: the tables, then the findings (<see cref="ResultSummary.ToText"/>).</summary>
    public static string Text(SyntheticExperimentResult result) => Summary(result).ToText();

    private static bool IsBaseline(SyntheticVariantSummary row) => row.Variant == SyntheticVariantSummary.BaselineVariant;

    private static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Integer(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string SignedSpread(SeedStatistic statistic, int decimals) =>
        statistic.Count == 0 ? "-" : $"{SignedNumber.Format(statistic.Mean, decimals)} +- {F(statistic.StandardDeviation, "G2")}";

    private static string MeanSpread(SeedStatistic statistic, string format) =>
        statistic.Count == 0 ? "-" : $"{F(statistic.Mean, format)} +- {F(statistic.StandardDeviation, "G2")}";
}
