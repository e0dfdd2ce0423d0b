using System.Globalization;
using System.Text.Json;
using Mfr.Checkpoints;
using Mfr.Experiments;
using Mfr.Reports.Svg;
using Mfr.Synthetic;
using Mfr.Training;

namespace Mfr.Reports;

/// <summary>
/// Builds the report of a run folder from its own files: a training run (run.json, metrics.jsonl:
/// training curves, penalty and MMCS between SAEs, re-initialisation score with re-initialisations
/// marked), or an experiment folder (results.json of `mfr synthetic` or a sweep: its tables, the
/// paper's figure 3, loss against k), each with the settings and seeds that produced it.
/// </summary>
public static class RunReport
{
    /// <summary>The report document for <paramref name="folder"/>.</summary>
    public static ReportDocument Build(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Run folder not found: {folder}");
        var document = new ReportDocument($"Mfr report: {Path.GetFileName(Path.GetFullPath(folder).TrimEnd('/'))}", Path.GetFullPath(folder));
        string results = Path.Combine(folder, "results.json");
        if (File.Exists(results))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(results));
            if (json.RootElement.TryGetProperty("consistency", out _)) AddSynthetic(document, folder, json.RootElement.Deserialize<SyntheticExperimentResult>(MetricLog.JsonOptions)!);
            else if (json.RootElement.TryGetProperty("rows", out _)) AddSweep(document, folder, json.RootElement.Deserialize<KSweepResult>(MetricLog.JsonOptions)!);
        }
        var runs = Directory.EnumerateFiles(folder, TrainingRun.SpecificationFileName, SearchOption.AllDirectories).Select(Path.GetDirectoryName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        if (runs.Count == 0 && !File.Exists(results)) throw new InvalidDataException($"{folder} holds neither a run (run.json) nor experiment results (results.json).");
        foreach (string run in runs) AddTrainingRun(document, folder, run);
        document.AddProvenance("tool", $"mfr {typeof(RunReport).Assembly.GetName().Version}");
        document.AddProvenance("folder", Path.GetFullPath(folder));
        return document;
    }

    private static string Name(string root, string run) => Path.GetRelativePath(root, run) is "." ? "run" : Path.GetRelativePath(root, run);

    // Figure names become file names in report.md: lower-case letters, digits and '-'.
    private static string FigureName(string root, string run, string suffix)
    {
        string name = new string(Name(root, run).ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        name = name.Length > 40 ? name[..40] : name;
        return $"{(name.Length == 0 ? "run" : name)}-{suffix}";
    }

    private static void AddTrainingRun(ReportDocument document, string root, string run)
    {
        var specification = TrainingRun.ReadSpecification(run);
        string log = Path.Combine(run, TrainingRun.MetricsFileName);
        if (!File.Exists(log)) return;
        var steps = MetricLog.ReadSteps(log).ToList();
        var reinitializations = MetricLog.ReadReinitializations(log).ToList();
        if (steps.Count == 0) return;
        var section = document.AddSection($"Training: {Name(root, run)}");
        var mfr = specification.Regularization;
        section.AddKeyValues("Configuration", new Dictionary<string, string>
        {
            ["data"] = specification.Data.Kind == "synthetic" ? $"synthetic {specification.Data.Synthetic}" : specification.Data.Path ?? "",
            ["SAEs"] = string.Join(", ", specification.Saes.Select(s => $"h={s.LatentCount} k={s.K}")),
            ["training"] = $"{specification.Training.SampleCount:N0} samples, batch {specification.Training.BatchSize}, lr {specification.Training.LearningRate}, {specification.Training.Optimizer}, seed {specification.Training.Seed}",
            ["regularization"] = mfr is null ? "none" : $"{mfr.Mode}, beta {(mfr.Beta?.ToString(CultureInfo.InvariantCulture) ?? "auto")}, warm-up {mfr.WarmupSteps}, re-init theta {mfr.ReinitializationSettings.Threshold} window {mfr.ReinitializationSettings.WindowSteps}, refresh {mfr.AssignmentRefreshSteps}",
        });
        double[] x = steps.Select(s => (double)s.Step).ToArray();
        var losses = new Chart("Reconstruction loss").WithXAxis("step").WithYAxis("MSE", scale: ScaleKind.Log);
        for (int m = 0; m < steps[0].Losses.Length; m++) losses.AddLine($"SAE {m} (k={specification.Saes[m].K})", x, steps.Select(s => s.Losses[m]).ToArray());
        foreach (var reinit in reinitializations) losses.AddVerticalMarker(reinit.Step, $"re-init SAE {reinit.Sae}");
        section.AddFigure(FigureName(root, run, "loss"), losses, "Training reconstruction loss per SAE on each batch, before the update; vertical lines mark re-initialisations.");
        if (steps[0].PairMmcs.Length > 0)
        {
            var coupling = new Chart("MMCS between coupled SAEs").WithXAxis("step").WithYAxis("MMCS", min: 0, max: 1);
            for (int p = 0; p < steps[0].PairMmcs.Length; p++) coupling.AddLine($"pair {p}", x, steps.Select(s => s.PairMmcs[p]).ToArray());
            var penalty = new Chart("Penalty").WithXAxis("step").WithYAxis("beta w(t) mean(1 - MMCS)", scale: ScaleKind.Log).AddLine("penalty", x, steps.Select(s => s.Penalty).ToArray());
            section.AddFigure(FigureName(root, run, "coupling"), new Figure().AddPanel(coupling).AddPanel(penalty).WithColumns(2),
                "Left: MMCS between the SAEs of each coupled pair (near 1 means they learned the same dictionary). Right: the MFR penalty.");
        }
        int early = Math.Min(steps.Count, 300);
        var score = new Chart("Re-initialisation score (paper figure 7)").WithXAxis("step").WithYAxis("delta", scale: ScaleKind.Log);
        for (int m = 0; m < steps[0].ReinitScores.Length; m++) score.AddLine($"SAE {m}", x[..early], steps.Take(early).Select(s => s.ReinitScores[m]).ToArray());
        score.AddHorizontalLine(mfr?.ReinitializationSettings.Threshold ?? 2.5, "theta");
        section.AddFigure(FigureName(root, run, "reinit"), score, "Activity-deviation score mean_j (|r_j - k/h| / (k/h))^3 per batch over the first steps.");
        var last = steps[^1];
        var table = new ReportTable(["SAE", "k", "loss (last batch)", "L0", "dead latents", "re-inits"], "State at the last step.");
        for (int m = 0; m < last.Losses.Length; m++)
            table.AddRow($"{m}", $"{specification.Saes[m].K}", last.Losses[m].ToString("G4", CultureInfo.InvariantCulture), last.L0[m].ToString("F1", CultureInfo.InvariantCulture),
                $"{last.DeadLatents[m]}", $"{reinitializations.Count(r => r.Sae == m)}");
        section.AddTable(table);
    }

    private static void AddSynthetic(ReportDocument document, string folder, SyntheticExperimentResult result)
    {
        var section = document.AddSection("Synthetic experiment (SPEC 3)");
        var table = new ReportTable(["variant", "seed", "SAE", "MSE", "FVU", "L0", "dead", "GT MMCS", "rec@0.7", "rec@0.8", "rec@0.9", "MMCS partner", "fig. 3 r", "re-inits"]);
        foreach (var row in result.Saes)
            table.AddRow(row.Variant, $"{row.Seed}", $"{row.Index}", F(row.Mse, "G4"), F(row.Fvu, "F4"), F(row.L0, "F1"), $"{row.DeadLatents}", F(row.GroundTruthMmcs, "F4"),
                F(row.Recovered[0], "F3"), F(row.Recovered[1], "F3"), F(row.Recovered[2], "F3"), F(row.PartnerMmcs, "F4"), F(row.ConsistencyPearson, "F3"), $"{row.Reinitializations}");
        section.AddTable(table);
        var consistency = new ReportTable(["variant", "seed", "latents replicated at cosine >= 0.7", "MMCS between runs"], "Do features replicate across independently trained runs?");
        foreach (var row in result.Consistency) consistency.AddRow(row.Variant, $"{row.Seed}", F(row.MatchedShare, "F3"), F(row.Mmcs, "F4"));
        section.AddTable(consistency);
        foreach (var seedFolder in Directory.EnumerateDirectories(folder, "seed-*").Order(StringComparer.Ordinal))
        {
            var panels = new List<Chart>();
            foreach (var variant in Directory.EnumerateDirectories(seedFolder).Where(v => !v.EndsWith("-replicate", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
                if (FigureThree(variant) is Chart chart) panels.Add(chart);
            if (panels.Count == 0) continue;
            var figure = new Figure("Feature consistency (paper figure 3)").WithSharedX().WithSharedY().WithColumns(Math.Min(panels.Count, 3));
            foreach (var panel in panels) figure.AddPanel(panel);
            section.AddFigure($"figure3-{Path.GetFileName(seedFolder)}", figure,
                "Per latent of SAE 0: best cosine to the other SAE against best cosine to the true features; Pearson r in the legend.");
        }
        document.AddProvenance("experiment", JsonSerializer.Serialize(result.Config, MetricLog.JsonOptions));
    }

    private static Chart? FigureThree(string run)
    {
        string final = Path.Combine(run, "final");
        if (!Directory.Exists(TrainingCheckpoint.SaeFolder(final, 1))) return null;
        var specification = TrainingRun.ReadSpecification(run);
        using var source = new SyntheticDataSource(specification.Data.Synthetic!);
        using var first = SaeFiles.Load(TrainingCheckpoint.SaeFolder(final, 0));
        using var second = SaeFiles.Load(TrainingCheckpoint.SaeFolder(final, 1));
        var (toOthers, toTruth) = FeatureConsistency.BestCosines(first, [second], source.TrueFeatures, source.Config.FeatureCount);
        double r = Metrics.Pearson.Correlation(toOthers, toTruth);
        return new Chart(Path.GetFileName(run)).WithXAxis("best cosine to the other SAE").WithYAxis("best cosine to a true feature")
            .AddScatter($"latents (r = {r:F3})", toOthers.Select(v => (double)v).ToArray(), toTruth.Select(v => (double)v).ToArray());
    }

    private static void AddSweep(ReportDocument document, string folder, KSweepResult result)
    {
        var section = document.AddSection("k sweep: baseline vs MFR");
        double[] ks = result.Rows.Select(r => (double)r.K).ToArray();
        var loss = new Chart("Held-out loss against k").WithXAxis("k").WithYAxis("MSE")
            .AddLine("baseline", ks, result.Rows.Select(r => r.BaselineLoss).ToArray(), marker: MarkerShape.Circle)
            .AddLine("MFR", ks, result.Rows.Select(r => r.MfrLoss).ToArray(), marker: MarkerShape.Circle);
        var relative = new Chart("Relative difference").WithXAxis("k").WithYAxis("(MFR - baseline) / baseline", "%")
            .AddBars("MFR vs baseline", result.Rows.Select(r => $"k={r.K}").ToArray(), result.Rows.Select(r => 100 * r.RelativeDifference).ToArray());
        section.AddFigure("sweep-loss", new Figure().AddPanel(loss).AddPanel(relative).WithColumns(2), "Paper figures 9 and 10: held-out reconstruction loss per k.");
        var table = new ReportTable(["k", "MFR loss", "baseline loss", "relative", "MFR L0", "baseline L0", "MFR dead", "baseline dead"]);
        foreach (var row in result.Rows)
            table.AddRow($"{row.K}", F(row.MfrLoss, "G4"), F(row.BaselineLoss, "G4"), F(100 * row.RelativeDifference, "F2") + "%", F(row.MfrL0, "F1"), F(row.BaselineL0, "F1"), $"{row.MfrDead}", $"{row.BaselineDead}");
        section.AddTable(table);
        document.AddProvenance("sweep", JsonSerializer.Serialize(result.Config, MetricLog.JsonOptions));
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
