using System.Globalization;
using System.Text.Json;
using Mfr.Evaluation;
using Mfr.Experiments;
using Mfr.Reports.Svg;
using Mfr.Training;

namespace Mfr.Reports;

/// <summary>
/// Builds the report of a run folder from its own files: a training run (run.json, metrics.jsonl:
/// training curves, penalty and MMCS between SAEs, re-initialisation score with re-initialisations
/// marked; reported alone, also ground-truth recovery over training and the latents' firing frequencies
/// and best cosines, paper figures 8 and 5), or an experiment folder (results.json of `mfr synthetic` or
/// a sweep: its tables and the paper's figures 3, 5, 8 or loss against k, baseline vs MFR,
/// <see cref="SyntheticReportSection"/>, <see cref="SweepReportSection"/>), each with the settings and
/// seeds that produced it.
/// </summary>
public static class RunReport
{
    /// <summary>The report document for <paramref name="folder"/>.</summary>
    public static ReportDocument Build(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Run folder not found: {folder}");
        var document = new ReportDocument($"Mfr report: {Path.GetFileName(Path.GetFullPath(folder).TrimEnd('/'))}", Path.GetFullPath(folder));
        // results.json names its kind (ExperimentFolder), so the section follows from the record's type.
        var results = ExperimentFolder.ReadResults(folder);
        switch (results)
        {
            case SyntheticExperimentResult synthetic: SyntheticReportSection.Add(document, folder, synthetic); break;
            case KSweepResult sweep: SweepReportSection.Add(document, folder, sweep); break;
            case EegExperimentResult eeg: SweepReportSection.Add(document, folder, eeg.Sweep); break;
            case Gpt2ExperimentResult gpt2: SweepReportSection.Add(document, folder, gpt2.Sweep); break;
            case ConsistencyExperimentResult consistency: ConsistencyReportSection.Add(document, folder, consistency); break;
        }
        var runs = Directory.EnumerateFiles(folder, TrainingRun.SpecificationFileName, SearchOption.AllDirectories).Select(Path.GetDirectoryName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        if (runs.Count == 0 && results is null) throw new InvalidDataException($"{folder} holds neither a run (run.json) nor experiment results (results.json).");
        // A run reported on its own also gets the figures an experiment draws across its variants (5 and 8).
        bool standalone = runs.Count == 1 && results is null;
        foreach (string run in runs) AddTrainingRun(document, folder, run, standalone);
        document.AddProvenance("tool", $"mfr {typeof(RunReport).Assembly.GetName().Version}");
        document.AddProvenance("folder", Path.GetFullPath(folder));
        // A lone run's settings in full, as run.json holds them (an experiment's come from its results.json).
        if (standalone) document.AddProvenance(TrainingRun.SpecificationFileName, JsonSerializer.Serialize(TrainingRun.ReadSpecification(runs[0]), MetricLog.JsonOptions));
        return document;
    }

    internal static string Name(string root, string run) => Path.GetRelativePath(root, run) is "." ? "run" : Path.GetRelativePath(root, run);

    // Figure names become file names in report.md: lower-case letters, digits and '-'.
    private static string FigureName(string root, string run, string suffix)
    {
        string name = new string(Name(root, run).ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        name = name.Length > 40 ? name[..40] : name;
        return $"{(name.Length == 0 ? "run" : name)}-{suffix}";
    }

    private static void AddTrainingRun(ReportDocument document, string root, string run, bool standalone)
    {
        var specification = TrainingRun.ReadSpecification(run);
        string log = Path.Combine(run, TrainingRun.MetricsFileName);
        var steps = File.Exists(log) ? MetricLog.ReadSteps(log).ToList() : [];
        // Without a step in the log there is nothing to draw; say so instead of dropping the run (issue 13).
        if (steps.Count == 0)
        {
            document.AddWarning($"{Name(root, run)}: {(File.Exists(log) ? "the training log has no step lines" : "the training log is missing")} ({Path.GetFullPath(log)}), " +
                "so its training curves, state table and figures are left out.");
            return;
        }
        var reinitializations = MetricLog.ReadReinitializations(log).ToList();
        var section = document.AddSection($"Training: {Name(root, run)}");
        var mfr = specification.Regularization;
        section.AddKeyValues(RunConfigurationTable.Caption, RunConfigurationTable.Rows(specification));
        double[] x = steps.Select(s => (double)s.Step).ToArray();
        var losses = new Chart("Reconstruction loss").WithXAxis("step").WithYAxis("MSE", scale: ScaleKind.Log);
        for (int m = 0; m < steps[0].Losses.Length; m++) losses.AddLine($"SAE {m} (k={specification.Saes[m].K})", x, steps.Select(s => s.Losses[m]).ToArray());
        foreach (var reinit in reinitializations) losses.AddVerticalMarker(reinit.Step, $"re-init SAE {reinit.Sae}");
        section.AddFigure(FigureName(root, run, "loss"), losses, "Training reconstruction loss per SAE on each batch, before the update; " +
            (reinitializations.Count > 0 ? "vertical lines mark re-initialisations." : "no latent was re-initialised in this run."));
        if (steps[0].PairMmcs.Length > 0)
        {
            var coupling = new Chart("MMCS between coupled SAEs").WithXAxis("step").WithYAxis("MMCS", min: 0, max: 1);
            for (int p = 0; p < steps[0].PairMmcs.Length; p++) coupling.AddLine($"pair {p}", x, steps.Select(s => s.PairMmcs[p]).ToArray());
            // Powers of ten whatever the range: the warm-up makes the first steps' penalty span decades that differ from run to run.
            var penalty = new Chart("Penalty").WithXAxis("step").WithYAxis("β w(t) mean(1 − MMCS)", scale: ScaleKind.Log, logLabels: LogTickNotation.PowersOfTen)
                .AddLine("penalty", x, steps.Select(s => s.Penalty).ToArray());
            section.AddFigure(FigureName(root, run, "coupling"), new Figure().AddPanel(coupling).AddPanel(penalty).WithColumns(2),
                "Left: MMCS between the SAEs of each coupled pair (near 1 means they learned the same dictionary). Right: the MFR penalty.");
        }
        int early = Math.Min(steps.Count, 300);
        var score = new Chart("Re-initialisation score (paper figure 7)").WithXAxis("step").WithYAxis("delta", scale: ScaleKind.Log);
        for (int m = 0; m < steps[0].ReinitScores.Length; m++) score.AddLine($"SAE {m}", x[..early], steps.Take(early).Select(s => s.ReinitScores[m]).ToArray());
        score.AddHorizontalLine((mfr?.ReinitializationSettings ?? new Regularization.ReinitializationConfig()).Threshold, "theta");
        section.AddFigure(FigureName(root, run, "reinit"), score, $"Activity-deviation score mean_j (|r_j - k/h| / (k/h))^3 per batch over the first {early} steps; dashed: the re-initialisation threshold θ" +
            (mfr is { UsesReinitialization: true } ? "." : ", for reference only: this run does not re-initialise latents."));
        section.AddTable(RunStateTable.Build(specification, steps[^1], reinitializations, HeldOutEvaluation.Load(run)));
        if (standalone) AddRunFigures(document, section, root, run, specification);
    }

    // Figures 8 and 5 of one run: one series per SAE (figure 5) or one line per SAE (figure 8).
    private static void AddRunFigures(ReportDocument document, ReportSection section, string root, string run, RunSpecification specification)
    {
        string mode = specification.Regularization?.Mode switch
        {
            Regularization.MfrMode.Mfr => "MFR",
            Regularization.MfrMode.Penalty => "penalty only",
            Regularization.MfrMode.Reinit => "re-init only",
            Regularization.MfrMode.MeanMax => "mean-max",
            _ => "baseline",
        };
        var recovery = GroundTruthRecoveryEvaluator.ReadLog(Path.Combine(run, TrainingRun.MetricsFileName));
        RecoveryFigure.AddTo(section, FigureName(root, run, "recovery"), [new RecoverySeries(mode, Palette.Blue, recovery)], specification.Training.BatchSize);
        if (SaeLatents.Measure(run) is { } latents)
        {
            LatentFigures.AddTo(section, FigureName(root, run, "latents"),
                latents.Select(sae => new LatentSeries($"SAE {sae.Index} (k={sae.K})", Palette.ColorAt(sae.Index), [sae])).ToArray(), LatentFigures.EnsembleNote(specification));
        }
        else document.AddWarning($"{Name(root, run)}: no final SAEs ({Path.GetFullPath(Path.Combine(run, "final"))} is missing or incomplete: the run has not finished), so paper figure 5 is left out.");
    }

    internal static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
