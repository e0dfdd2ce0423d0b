using System.Text.Json;
using Mfr.Evaluation;
using Mfr.Experiments;
using Mfr.Reports.Svg;
using Mfr.Training;

namespace Mfr.Reports;

/// <summary>
/// The report section of a `mfr synthetic` experiment folder (SPEC 3): its findings and tables
/// (<see cref="SyntheticResultTables"/>, the same as the console's), then per seed
/// the paper's figure 8 (ground-truth recovery over training), figure 3 (feature consistency) and figure 5
/// (best cosines and firing frequencies), baseline vs every MFR variant. Replicate runs (cross-run
/// consistency) are left out of the figures. Variant colours are the same in every figure.
/// </summary>
internal static class SyntheticReportSection
{
    public static void Add(ReportDocument document, string folder, SyntheticExperimentResult result)
    {
        var section = SyntheticResultTables.Summary(result).AddTo(document, "Synthetic experiment (SPEC 3)");
        foreach (var seedFolder in Directory.EnumerateDirectories(folder, "seed-*").Order(StringComparer.Ordinal))
        {
            var variants = Directory.EnumerateDirectories(seedFolder).Where(v => !v.EndsWith(ExperimentFolder.ReplicateSuffix, StringComparison.Ordinal)
                && File.Exists(Path.Combine(v, TrainingRun.SpecificationFileName))).Order(StringComparer.Ordinal).ToList();
            if (variants.Count == 0) continue;
            string seed = Path.GetFileName(seedFolder);
            AddSeedFigures(section, seed, variants, result.Config.BatchSize);
        }
        document.AddProvenance("experiment", JsonSerializer.Serialize(result.Config, MetricLog.JsonOptions));
    }

    private static void AddSeedFigures(ReportSection section, string seed, IReadOnlyList<string> variants, int batchSize)
    {
        var recovery = variants.Select((v, i) => new RecoverySeries(ExperimentFolder.VariantLabel(v), Palette.ColorAt(i),
            GroundTruthRecoveryEvaluator.ReadLog(Path.Combine(v, TrainingRun.MetricsFileName)))).ToList();
        RecoveryFigure.AddTo(section, $"figure8-{seed}", recovery, batchSize);

        var panels = variants.Select((v, i) => FigureThree(v, Palette.ColorAt(i))).OfType<Chart>().ToList();
        if (panels.Count > 0)
        {
            var figure = new Figure("Feature consistency (paper figure 3)").WithSharedX().WithSharedY().WithColumns(Math.Min(panels.Count, 2));
            foreach (var panel in panels) figure.AddPanel(panel);
            section.AddFigure($"figure3-{seed}", figure,
                "Per latent of SAE 0: best cosine to the other SAE against best cosine to the true features; Pearson r in the legend.");
        }

        var latents = variants.Select((v, i) => (Run: v, Color: Palette.ColorAt(i), Saes: SaeLatents.Measure(v)))
            .Where(v => v.Saes is not null).Select(v => new LatentSeries(ExperimentFolder.VariantLabel(v.Run), v.Color, v.Saes!)).ToList();
        LatentFigures.AddTo(section, $"figure5-{seed}", latents);
    }

    /// <summary>Paper figure 3 for one run, from the per-latent cosines its final evaluation saved (issue 12: reports read the evaluation, they do not recompute it).</summary>
    private static Chart? FigureThree(string run, string color)
    {
        if (SaeLatents.Measure(run) is not { Count: >= 2 } latents || latents[0] is not { ToOthers: { } toOthers, ToTruth: { } toTruth }) return null;
        double r = Metrics.Pearson.Correlation(toOthers, toTruth);
        return new Chart(ExperimentFolder.VariantLabel(run)).WithXAxis("best cosine to the other SAE", max: 1).WithYAxis("best cosine to a true feature", max: 1)
            .AddScatter($"latents (r = {r:F3})", toOthers.Select(v => (double)v).ToArray(), toTruth.Select(v => (double)v).ToArray(), color);
    }
}
