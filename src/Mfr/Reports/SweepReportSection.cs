using System.Text.Json;
using Mfr.Experiments;
using Mfr.Reports.Svg;
using Mfr.Training;

namespace Mfr.Reports;

/// <summary>
/// The report section of a k-sweep folder (`mfr sweep`, `mfr eeg`, `mfr gpt2`): held-out loss per k
/// (paper figures 9 and 10) and its table, then paper figure 5 for the baseline and MFR runs: best
/// cosines between the SAEs of each ensemble and held-out firing frequencies, one panel per k (these data
/// have no true features).
/// </summary>
internal static class SweepReportSection
{
    public static void Add(ReportDocument document, string folder, KSweepResult result)
    {
        var section = KSweepResultTables.Summary(result).AddTo(document, "k sweep: baseline vs MFR");
        double[] ks = result.Rows.Select(r => (double)r.K).ToArray();
        var loss = new Chart("Held-out loss against k").WithXAxis("k").WithYAxis("MSE")
            .AddLine("baseline", ks, result.Rows.Select(r => r.BaselineLoss).ToArray(), marker: MarkerShape.Circle)
            .AddLine("MFR", ks, result.Rows.Select(r => r.MfrLoss).ToArray(), marker: MarkerShape.Circle);
        var relative = new Chart("Relative difference").WithXAxis("k").WithYAxis("(MFR - baseline) / baseline", "%")
            .AddBars("MFR vs baseline", result.Rows.Select(r => $"k={r.K}").ToArray(), result.Rows.Select(r => 100 * r.RelativeDifference).ToArray());
        section.AddFigure("sweep-loss", new Figure().AddPanel(loss).AddPanel(relative).WithColumns(2), "Paper figures 9 and 10: held-out reconstruction loss per k.");
        var latents = new List<LatentSeries>();
        foreach (var (name, label, color) in new[] { ("baseline", "baseline", Palette.Blue), ("mfr", "MFR", Palette.Vermillion) })
        {
            string run = Path.Combine(folder, name);
            if (File.Exists(Path.Combine(run, TrainingRun.SpecificationFileName)) && SaeLatents.Measure(run) is { } saes) latents.Add(new LatentSeries(label, color, saes));
        }
        LatentFigures.AddTo(section, "sweep-figure5", latents);
        document.AddProvenance("sweep", JsonSerializer.Serialize(result.Config, MetricLog.JsonOptions));
    }
}
